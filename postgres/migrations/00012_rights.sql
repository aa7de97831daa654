-- Consent and data-subject requests (issue 8): the legal basis and the
-- withdrawal of consent on people, and the requests a data subject makes
-- with their history. Instants are BIGINT unix milliseconds, as in 00001
-- to 00008.

-- +goose Up
-- consent_basis is the legal basis of the processing (consent,
-- public_interest, legal_obligation). People registered before this
-- migration registered themselves or were declared in their presence
-- (consent), except residents registered by a commune official, who are
-- processed in the public interest.
ALTER TABLE people ADD COLUMN consent_basis TEXT NOT NULL DEFAULT 'consent';
UPDATE people SET consent_basis = 'public_interest' WHERE consent_channel = 'official';
-- withdrawn_at is when the person withdrew consent while an open case
-- still needed their data: their devices no longer check in, and the
-- request to delete waits in the officer's queue. NULL while consent
-- stands.
ALTER TABLE people ADD COLUMN withdrawn_at BIGINT;

-- A data-subject request. id is chosen by the service (vault.NewID)
-- because sealed (why the request waits, the reason of a refusal) is bound
-- to it. person_id is the opaque id of the person and deliberately not a
-- foreign key: the request and its answer outlive the erasure they ask
-- for. resolved_by is an officer's id, not a foreign key, as in the audit
-- log; NULL for an automatic answer.
CREATE TABLE dsr_requests (
	id          BIGINT PRIMARY KEY,
	person_id   BIGINT NOT NULL,
	kind        TEXT NOT NULL,
	status      TEXT NOT NULL,
	sealed      BYTEA NOT NULL,
	created_at  BIGINT NOT NULL,
	due_at      BIGINT NOT NULL,
	resolved_at BIGINT,
	resolved_by BIGINT
);
-- The officer's queue reads open requests by due date; answered ones, the
-- vast majority, are not in that index.
CREATE INDEX dsr_requests_open ON dsr_requests (due_at, id) WHERE status = 'open';
CREATE INDEX dsr_requests_person ON dsr_requests (person_id);

-- A request's history: who did what when. user_id is the officer, NULL
-- for the data subject or Ravao itself.
CREATE TABLE dsr_events (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_id BIGINT NOT NULL REFERENCES dsr_requests (id) ON DELETE CASCADE,
	action     TEXT NOT NULL,
	user_id    BIGINT,
	at         BIGINT NOT NULL
);
CREATE INDEX dsr_events_request ON dsr_events (request_id, id);

-- +goose Down
DROP TABLE dsr_events;
DROP TABLE dsr_requests;
ALTER TABLE people DROP COLUMN withdrawn_at;
ALTER TABLE people DROP COLUMN consent_basis;
