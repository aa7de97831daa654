-- Deployment progress, continued (issue 7): the rosters of places that must
-- register and their matches to venues, the keys they are matched by, and
-- the daily reports kept for download. Instants are INTEGER unix
-- milliseconds and days the number yyyymmdd, as in 00001 to 00007; codes
-- and paths compare byte by byte (COLLATE "C"), as on SQLite.

-- +goose Up
-- tax_code is the organisation's tax code (mã số thuế), public business
-- data, "" when not given; contact_key is the keyed lookup of the venue's
-- contact phone (vault.Lookup "phone"), never the phone itself.
ALTER TABLE organisations ADD COLUMN tax_code TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_tax_code ON organisations (tax_code) WHERE tax_code <> '';
ALTER TABLE venues ADD COLUMN contact_key BYTEA;
CREATE INDEX venues_contact_key ON venues (contact_key) WHERE contact_key IS NOT NULL;
-- A zone's places are one index range within a unit's.
CREATE INDEX venues_zone ON venues (zone, unit_path) WHERE zone <> '';

-- One roster per unit and sector ('' for all sectors): uploading again
-- replaces it.
CREATE TABLE rosters (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_code   TEXT COLLATE "C" NOT NULL,
	sector      TEXT COLLATE "C" NOT NULL,
	unit_path   TEXT COLLATE "C" NOT NULL,
	file_name   TEXT NOT NULL DEFAULT '',
	entries     INTEGER NOT NULL DEFAULT 0,
	uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at  BIGINT NOT NULL,
	UNIQUE (unit_code, sector)
);
CREATE INDEX rosters_path ON rosters (unit_path);
CREATE INDEX rosters_uploaded_by ON rosters (uploaded_by);

-- An entry is one place that must register, in its own unit (at or below
-- the roster's). phone is sealed by the vault, phone_key its keyed lookup.
-- venue_id is the matched venue (match 'tax', 'phone' or 'confirmed') or
-- the proposed one (match 'name'); rejected_venue_id a proposal a person
-- turned down, not proposed again.
CREATE TABLE roster_entries (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	roster_id         BIGINT NOT NULL REFERENCES rosters (id) ON DELETE CASCADE,
	line              INTEGER NOT NULL,
	unit_code         TEXT COLLATE "C" NOT NULL,
	unit_path         TEXT COLLATE "C" NOT NULL,
	sector            TEXT COLLATE "C" NOT NULL,
	name              TEXT NOT NULL,
	name_key          TEXT NOT NULL,
	address           TEXT NOT NULL DEFAULT '',
	tax_code          TEXT NOT NULL DEFAULT '',
	phone             BYTEA,
	phone_key         BYTEA,
	venue_id          BIGINT REFERENCES venues (id) ON DELETE SET NULL,
	match             TEXT NOT NULL DEFAULT '',
	rejected_venue_id BIGINT REFERENCES venues (id) ON DELETE SET NULL,
	updated_by        BIGINT REFERENCES users (id) ON DELETE SET NULL,
	updated_at        BIGINT NOT NULL
);
CREATE INDEX roster_entries_roster ON roster_entries (roster_id, id);
-- Coverage and the missing list are one range of unit_path.
CREATE INDEX roster_entries_path ON roster_entries (unit_path, sector, match);
CREATE INDEX roster_entries_unmatched ON roster_entries (id) WHERE match IN ('', 'name');
CREATE INDEX roster_entries_venue ON roster_entries (venue_id);
CREATE INDEX roster_entries_rejected ON roster_entries (rejected_venue_id);
CREATE INDEX roster_entries_updated_by ON roster_entries (updated_by);

-- A unit's daily report as it was made (the morning after, or on demand):
-- body is the report's JSON, gzip-compressed. No personal data: the
-- figures, unit names and the names of places without a scan.
CREATE TABLE progress_reports (
	unit_code TEXT COLLATE "C" NOT NULL,
	sector    TEXT COLLATE "C" NOT NULL,
	day       INTEGER NOT NULL,
	made_at   BIGINT NOT NULL,
	body      BYTEA NOT NULL,
	PRIMARY KEY (unit_code, sector, day)
);
CREATE INDEX progress_reports_day ON progress_reports (day);

-- +goose Down
DROP TABLE progress_reports;
DROP TABLE roster_entries;
DROP TABLE rosters;
DROP INDEX venues_zone;
DROP INDEX venues_contact_key;
ALTER TABLE venues DROP COLUMN contact_key;
DROP INDEX organisations_tax_code;
ALTER TABLE organisations DROP COLUMN tax_code;
