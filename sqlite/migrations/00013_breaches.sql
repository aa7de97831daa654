-- The breach register (issue 8): personal data breaches the
-- data-protection officer records, with the 72-hour notification to the
-- authority, and each breach's history. Instants are INTEGER unix
-- milliseconds, as in 00001 to 00008.
--
-- A breach is about the deployment, not about a person: nothing here
-- refers to people, and erasing a person leaves the register whole.
-- created_by and user_id are not foreign keys, as in the audit log.

-- +goose Up
-- id is chosen by the service (vault.NewID) because sealed is bound to
-- it. sealed holds the officer's free text (description, place, measures,
-- consequences, reason for lateness), which may name people; title is a
-- short label without personal data. data_kinds is a comma-separated list
-- of kinds (name, phone...).
CREATE TABLE breaches (
	id               INTEGER PRIMARY KEY,
	title            TEXT NOT NULL,
	sealed           BLOB NOT NULL,
	occurred_at      INTEGER,
	found_at         INTEGER NOT NULL,
	data_kinds       TEXT NOT NULL DEFAULT '',
	people_affected  INTEGER NOT NULL DEFAULT 0,
	status           TEXT NOT NULL,
	notified_at      INTEGER,
	authority_ref    TEXT NOT NULL DEFAULT '',
	people_listed_at INTEGER,
	created_by       INTEGER NOT NULL DEFAULT 0,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
-- The register lists breaches by deadline, which is found_at plus 72 hours.
CREATE INDEX breaches_found ON breaches (found_at, id);

-- A breach's history: who did what, and the status after it. No free text.
CREATE TABLE breach_events (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	breach_id INTEGER NOT NULL REFERENCES breaches (id) ON DELETE CASCADE,
	at        INTEGER NOT NULL,
	user_id   INTEGER NOT NULL DEFAULT 0,
	action    TEXT NOT NULL,
	status    TEXT NOT NULL
);
CREATE INDEX breach_events_breach ON breach_events (breach_id, id);

-- Listing the people who declared in a period (AffectedPeople) scans the
-- declarations: a rare query of the officer's, not worth an index here.

-- +goose Down
DROP TABLE breach_events;
DROP TABLE breaches;
