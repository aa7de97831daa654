-- Visitors (issue 4): dependants and printed cards on people, visitors'
-- devices, what the idempotent check-in and the automatic check-out need
-- on visits, and a venue's closing time. Instants stay INTEGER unix
-- milliseconds and durations INTEGER milliseconds, as in 00001 and 00002.

-- +goose Up
-- A dependant goes with the adult who added them: deleting the adult's
-- data deletes theirs. SQLite adds a REFERENCES column only with a NULL
-- default, which is what an adult has.
ALTER TABLE people ADD COLUMN guardian_id INTEGER REFERENCES people (id) ON DELETE CASCADE;
ALTER TABLE people ADD COLUMN card_serial INTEGER NOT NULL DEFAULT 0;
-- Most people are adults; the index holds only dependants, and serves both
-- Dependants and the cascade when an adult is deleted.
CREATE INDEX people_guardian ON people (guardian_id) WHERE guardian_id IS NOT NULL;

CREATE TABLE devices (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash BLOB NOT NULL UNIQUE,
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL
);
CREATE INDEX devices_person ON devices (person_id);

ALTER TABLE visits ADD COLUMN request_hash BLOB;
ALTER TABLE visits ADD COLUMN due_at INTEGER;
-- The automatic check-out reads the open visits that are due, oldest
-- first; closed visits, the vast majority, are not in the index.
CREATE INDEX visits_due ON visits (due_at) WHERE out_at IS NULL AND due_at IS NOT NULL;
-- A check-in looks for the person's open visit at the venue, to keep one
-- visit when they move between its checkpoints.
CREATE INDEX visits_open ON visits (person_id, venue_id) WHERE out_at IS NULL;

ALTER TABLE venues ADD COLUMN closes_at_ms INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE venues DROP COLUMN closes_at_ms;

DROP INDEX visits_open;
DROP INDEX visits_due;
ALTER TABLE visits DROP COLUMN due_at;
ALTER TABLE visits DROP COLUMN request_hash;

DROP TABLE devices;

DROP INDEX people_guardian;
ALTER TABLE people DROP COLUMN card_serial;
ALTER TABLE people DROP COLUMN guardian_id;
