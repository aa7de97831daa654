-- Places (issue 3): what a venue and a checkpoint carry beyond 00001,
-- gate-staff invitations and one-time phone codes. Booleans are BOOLEAN
-- and instants BIGINT unix milliseconds, as in 00001.

-- +goose Up
-- unit_path is COLLATE "C" so that it compares byte by byte, as SQLite's
-- BINARY does: a prefix query is the range [path, path with its final "/"
-- raised to "0"), and a B-tree in the database's own collation would order
-- "/" among the digits differently and could not serve it.
ALTER TABLE venues
	ADD COLUMN unit_path TEXT COLLATE "C" NOT NULL DEFAULT '',
	ADD COLUMN zone TEXT NOT NULL DEFAULT '',
	ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '',
	ADD COLUMN capacity INTEGER NOT NULL DEFAULT 0,
	ADD COLUMN status_reason TEXT NOT NULL DEFAULT '',
	ADD COLUMN contact BYTEA,
	ADD COLUMN updated_at BIGINT,
	-- the audit event of the bulk import that created the venue
	ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
UPDATE venues SET updated_at = created_at;
ALTER TABLE venues ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX venues_unit_path ON venues (unit_path);
CREATE INDEX venues_import ON venues (import_id) WHERE import_id <> 0;
CREATE INDEX venues_status ON venues (status);
CREATE INDEX venues_sector ON venues (sector);

-- serial holds a uint32, beyond INTEGER's range.
ALTER TABLE checkpoints
	ADD COLUMN route TEXT NOT NULL DEFAULT '',
	ADD COLUMN serial BIGINT NOT NULL DEFAULT 0,
	ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT FALSE,
	ADD COLUMN updated_at BIGINT;
UPDATE checkpoints SET updated_at = created_at;
ALTER TABLE checkpoints ALTER COLUMN updated_at SET NOT NULL;

-- checkpoint_ids is "1,2,3": the list is read and written whole, with the
-- invitation, and never queried by element.
CREATE TABLE invitations (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash      BYTEA NOT NULL UNIQUE,
	organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	checkpoint_ids  TEXT NOT NULL DEFAULT '',
	created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at      BIGINT NOT NULL,
	expires_at      BIGINT NOT NULL,
	used_at         BIGINT,
	used_by         BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_organisation ON invitations (organisation_id);
CREATE INDEX invitations_created_by ON invitations (created_by);
CREATE INDEX invitations_used_by ON invitations (used_by);

CREATE TABLE phone_challenges (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash  BYTEA NOT NULL UNIQUE,
	phone_key   BYTEA NOT NULL,
	code_hash   BYTEA NOT NULL,
	purpose     TEXT NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL,
	verified_at BIGINT
);
CREATE INDEX phone_challenges_phone ON phone_challenges (phone_key, created_at);

-- +goose Down
DROP TABLE phone_challenges;
DROP TABLE invitations;

ALTER TABLE checkpoints
	DROP COLUMN updated_at,
	DROP COLUMN revoked,
	DROP COLUMN serial,
	DROP COLUMN route;

-- Dropping a column drops its indexes.
DROP INDEX venues_sector;
DROP INDEX venues_status;
ALTER TABLE venues
	DROP COLUMN updated_at,
	DROP COLUMN contact,
	DROP COLUMN status_reason,
	DROP COLUMN capacity,
	DROP COLUMN opening_hours,
	DROP COLUMN zone,
	DROP COLUMN unit_path,
	DROP COLUMN import_id;
