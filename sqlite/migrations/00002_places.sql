-- Places (issue 3): what a venue and a checkpoint carry beyond 00001,
-- gate-staff invitations and one-time phone codes. Booleans stay INTEGER
-- 0/1 and instants INTEGER unix milliseconds, as in 00001.

-- +goose Up
-- unit_path is compared byte by byte (TEXT's BINARY collation), as
-- PostgreSQL does with COLLATE "C": a prefix query is the range
-- [path, path with its final "/" raised to "0"), which the index serves.
ALTER TABLE venues ADD COLUMN unit_path TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN zone TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN contact BLOB;
-- SQLite cannot add a NOT NULL column without a default; the store always
-- writes updated_at, so the 0 is never seen once existing rows are filled.
ALTER TABLE venues ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE venues SET updated_at = created_at;
-- import_id is the audit event of the bulk import that created the venue.
ALTER TABLE venues ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX venues_unit_path ON venues (unit_path);
CREATE INDEX venues_import ON venues (import_id) WHERE import_id <> 0;
CREATE INDEX venues_status ON venues (status);
CREATE INDEX venues_sector ON venues (sector);

ALTER TABLE checkpoints ADD COLUMN route TEXT NOT NULL DEFAULT '';
ALTER TABLE checkpoints ADD COLUMN serial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE checkpoints SET updated_at = created_at;

-- checkpoint_ids is "1,2,3": the list is read and written whole, with the
-- invitation, and never queried by element.
CREATE TABLE invitations (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash      BLOB NOT NULL UNIQUE,
	organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	checkpoint_ids  TEXT NOT NULL DEFAULT '',
	created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	used_at         INTEGER,
	used_by         INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_organisation ON invitations (organisation_id);
CREATE INDEX invitations_created_by ON invitations (created_by);
CREATE INDEX invitations_used_by ON invitations (used_by);

CREATE TABLE phone_challenges (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash  BLOB NOT NULL UNIQUE,
	phone_key   BLOB NOT NULL,
	code_hash   BLOB NOT NULL,
	purpose     TEXT NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,
	verified_at INTEGER
);
CREATE INDEX phone_challenges_phone ON phone_challenges (phone_key, created_at);

-- +goose Down
DROP TABLE phone_challenges;
DROP TABLE invitations;

ALTER TABLE checkpoints DROP COLUMN updated_at;
ALTER TABLE checkpoints DROP COLUMN revoked;
ALTER TABLE checkpoints DROP COLUMN serial;
ALTER TABLE checkpoints DROP COLUMN route;

DROP INDEX venues_sector;
DROP INDEX venues_status;
DROP INDEX venues_import;
DROP INDEX venues_unit_path;
ALTER TABLE venues DROP COLUMN import_id;
ALTER TABLE venues DROP COLUMN updated_at;
ALTER TABLE venues DROP COLUMN contact;
ALTER TABLE venues DROP COLUMN status_reason;
ALTER TABLE venues DROP COLUMN capacity;
ALTER TABLE venues DROP COLUMN opening_hours;
ALTER TABLE venues DROP COLUMN zone;
ALTER TABLE venues DROP COLUMN unit_path;
