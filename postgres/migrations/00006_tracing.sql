-- Contact tracing (issue 6): cases (F0), their worked contact lists (F1,
-- F2) and the history of each contact, sealed exports, exposure windows
-- published for visitors' phones, and messages queued for contacts.
-- Instants are BIGINT unix milliseconds, durations BIGINT milliseconds,
-- booleans BOOLEAN, as in 00001 to 00005.
--
-- Who did something (created_by, requested_by, approved_by, user_id) is
-- not a foreign key, as in the audit log: the record outlives the account,
-- and 0 stands for the system. Whom work is given to (assignee_id) is one.

-- +goose Up
-- Erasing a person erases their cases, and with them the cases' contact
-- lists and exports. source_contact_id refers forward to contacts: its
-- constraint is added once contacts exists.
CREATE TABLE cases (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id         BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	unit_code         TEXT NOT NULL,
	unit_path         TEXT COLLATE "C" NOT NULL,
	reason            TEXT NOT NULL,
	onset             BIGINT,
	window_from       BIGINT NOT NULL,
	window_to         BIGINT,
	buffer_ms         BIGINT NOT NULL,
	open_window_ms    BIGINT NOT NULL,
	min_overlap_ms    BIGINT NOT NULL,
	close_after_ms    BIGINT NOT NULL,
	window_before_ms  BIGINT NOT NULL,
	status            TEXT NOT NULL,
	source_contact_id BIGINT,
	created_by        BIGINT NOT NULL DEFAULT 0,
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL,
	closed_at         BIGINT
);
-- PersonTracing runs at every check-in: a person's cases, by person.
CREATE INDEX cases_person ON cases (person_id);
-- A person is one open case at a time, even when two officials open it at
-- once: the second insert is a Conflict.
CREATE UNIQUE INDEX cases_open_person ON cases (person_id) WHERE status = 'open';
-- An official lists the cases of their area, newest first: a prefix of
-- unit_path is a range of this index (see venues_unit_path in 00002).
CREATE INDEX cases_unit_path ON cases (unit_path, id);
-- Few cases are promoted from a contact; the index serves the SET NULL
-- when a contact is deleted.
CREATE INDEX cases_source_contact ON cases (source_contact_id) WHERE source_contact_id IS NOT NULL;

-- A person is on a case's list once (the unique index also serves
-- Contacts and the cascade from the case).
CREATE TABLE contacts (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id          BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	person_id        BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	degree           INTEGER NOT NULL,
	via_contact_id   BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
	class            TEXT NOT NULL,
	overlap_ms       BIGINT NOT NULL,
	visit_count      INTEGER NOT NULL,
	same_vehicle     BOOLEAN NOT NULL DEFAULT FALSE,
	first_at         BIGINT NOT NULL,
	status           TEXT NOT NULL,
	assignee_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
	promoted_case_id BIGINT REFERENCES cases (id) ON DELETE SET NULL,
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX contacts_case_person ON contacts (case_id, person_id);
ALTER TABLE cases ADD CONSTRAINT cases_source_contact_fkey
	FOREIGN KEY (source_contact_id) REFERENCES contacts (id) ON DELETE SET NULL;
-- PersonTracing: the lists a person is on; also the cascade from people.
CREATE INDEX contacts_person ON contacts (person_id);
-- Only second-degree contacts have a via, only some have an assignee or a
-- promoted case: the partial indexes serve the SET NULL of each reference.
CREATE INDEX contacts_via ON contacts (via_contact_id) WHERE via_contact_id IS NOT NULL;
CREATE INDEX contacts_assignee ON contacts (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX contacts_promoted ON contacts (promoted_case_id) WHERE promoted_case_id IS NOT NULL;

-- note is sealed: it is health data.
CREATE TABLE contact_events (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contact_id  BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	at          BIGINT NOT NULL,
	user_id     BIGINT NOT NULL DEFAULT 0,
	status      TEXT NOT NULL,
	assignee_id BIGINT NOT NULL DEFAULT 0,
	note        BYTEA
);
-- A contact's history in order; also the cascade from contacts.
CREATE INDEX contact_events_contact ON contact_events (contact_id, id);

-- sealed is the file, kept until it is downloaded.
CREATE TABLE exports (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id      BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	format       TEXT NOT NULL,
	row_count    INTEGER NOT NULL,
	reason       TEXT NOT NULL,
	status       TEXT NOT NULL,
	requested_by BIGINT NOT NULL DEFAULT 0,
	approved_by  BIGINT NOT NULL DEFAULT 0,
	approved_at  BIGINT,
	sealed       BYTEA NOT NULL,
	created_at   BIGINT NOT NULL
);
-- A case's exports, newest first; also the cascade from cases.
CREATE INDEX exports_case ON exports (case_id, id);

-- A window holds no personal data: it stays published when the case it
-- came from is erased.
CREATE TABLE exposure_windows (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	venue_id      BIGINT NOT NULL REFERENCES venues (id),
	checkpoint_id BIGINT REFERENCES checkpoints (id),
	from_at       BIGINT NOT NULL,
	to_at         BIGINT NOT NULL,
	severity      TEXT NOT NULL,
	message_vi    TEXT NOT NULL DEFAULT '',
	message_en    TEXT NOT NULL DEFAULT '',
	case_id       BIGINT REFERENCES cases (id) ON DELETE SET NULL,
	created_by    BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL,
	withdrawn_at  BIGINT
);
-- The public list visitors' phones fetch: current windows that end after
-- a time. Withdrawn windows, never shown, are not in the index.
CREATE INDEX exposure_windows_current ON exposure_windows (to_at) WHERE withdrawn_at IS NULL;
-- A venue's windows, by start.
CREATE INDEX exposure_windows_venue ON exposure_windows (venue_id, from_at);
-- A case's windows; also the SET NULL when a case is erased.
CREATE INDEX exposure_windows_case ON exposure_windows (case_id) WHERE case_id IS NOT NULL;
-- Serves the reference checks when a checkpoint is deleted.
CREATE INDEX exposure_windows_checkpoint ON exposure_windows (checkpoint_id) WHERE checkpoint_id IS NOT NULL;

-- A message holds no phone: the sender opens the person's sealed record.
-- next_at is NULL when no attempt is due any more (sent, or given up).
CREATE TABLE notifications (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	status     TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	next_at    BIGINT,
	created_at BIGINT NOT NULL,
	sent_at    BIGINT
);
-- The sender reads the queued messages that are due, oldest first; sent
-- and failed messages, the vast majority, are not in the index.
CREATE INDEX notifications_due ON notifications (next_at) WHERE status = 'queued';
-- A case's messages (through its contacts); also the cascade from contacts.
CREATE INDEX notifications_contact ON notifications (contact_id);
-- The cascade when a person is erased.
CREATE INDEX notifications_person ON notifications (person_id);

-- +goose Down
-- cases and contacts refer to each other: they are dropped together.
DROP TABLE notifications;
DROP TABLE exposure_windows;
DROP TABLE exports;
DROP TABLE contact_events;
DROP TABLE contacts, cases;
