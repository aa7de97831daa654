-- Ravao's schema on SQLite. Instants are INTEGER unix milliseconds in UTC
-- (NULL for "none"), booleans INTEGER 0/1, bytes BLOB, so that the same
-- queries return the same values as on PostgreSQL. AUTOINCREMENT keeps an
-- ID from ever being reused after a delete: audit events and exports name
-- rows by ID.

-- +goose Up
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE units (
	version      TEXT NOT NULL,
	code         TEXT NOT NULL,
	parent_code  TEXT NOT NULL DEFAULT '',
	level        INTEGER NOT NULL,
	name         TEXT NOT NULL,
	full_name    TEXT NOT NULL DEFAULT '',
	name_en      TEXT NOT NULL DEFAULT '',
	full_name_en TEXT NOT NULL DEFAULT '',
	valid_from   TEXT NOT NULL DEFAULT '',
	valid_to     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version, code)
) WITHOUT ROWID;
CREATE INDEX units_version_parent ON units (version, parent_code);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	login         TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret   BLOB,
	lang          TEXT NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  INTEGER,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);

CREATE TABLE organisations (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	unit_code  TEXT NOT NULL,
	sector     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX organisations_unit ON organisations (unit_code);

CREATE TABLE venues (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	organisation_id INTEGER NOT NULL REFERENCES organisations (id),
	name            TEXT NOT NULL,
	type            TEXT NOT NULL,
	sector          TEXT NOT NULL,
	unit_code       TEXT NOT NULL,
	address         TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	default_stay_ms INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE INDEX venues_organisation ON venues (organisation_id);
CREATE INDEX venues_unit ON venues (unit_code);

CREATE TABLE checkpoints (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	venue_id   INTEGER NOT NULL REFERENCES venues (id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	plate      TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX checkpoints_venue ON checkpoints (venue_id);

CREATE TABLE role_assignments (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role            TEXT NOT NULL,
	unit_code       TEXT NOT NULL DEFAULT '',
	sector          TEXT NOT NULL DEFAULT '',
	organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
	checkpoint_id   INTEGER REFERENCES checkpoints (id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);
CREATE INDEX role_assignments_organisation ON role_assignments (organisation_id);
CREATE INDEX role_assignments_checkpoint ON role_assignments (checkpoint_id);

CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	last_seen  INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash BLOB NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	expires_at INTEGER,
	revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- People's IDs are random and chosen by the caller: the sealed fields are
-- bound to them, and they must not reveal how many people are stored.
CREATE TABLE people (
	id              INTEGER PRIMARY KEY,
	phone_key       BLOB,
	id_number_key   BLOB,
	sealed          BLOB NOT NULL,
	birth_year      INTEGER NOT NULL DEFAULT 0,
	sex             TEXT NOT NULL DEFAULT '',
	unit_code       TEXT NOT NULL DEFAULT '',
	consent_version TEXT NOT NULL DEFAULT '',
	consent_channel TEXT NOT NULL DEFAULT '',
	consent_at      INTEGER,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_phone_key ON people (phone_key) WHERE phone_key IS NOT NULL;
CREATE UNIQUE INDEX people_id_number_key ON people (id_number_key) WHERE id_number_key IS NOT NULL;

CREATE TABLE declarations (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	risk          INTEGER NOT NULL DEFAULT 0,
	sealed        BLOB NOT NULL,
	proxy_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at    INTEGER NOT NULL
);
CREATE INDEX declarations_person ON declarations (person_id, created_at);
CREATE INDEX declarations_proxy ON declarations (proxy_user_id);

CREATE TABLE visits (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	venue_id        INTEGER NOT NULL REFERENCES venues (id),
	checkpoint_id   INTEGER NOT NULL REFERENCES checkpoints (id),
	in_at           INTEGER NOT NULL,
	out_at          INTEGER,
	out_reason      TEXT NOT NULL DEFAULT '',
	decision        TEXT NOT NULL,
	source          TEXT NOT NULL,
	idempotency_key TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX visits_idempotency_key ON visits (idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX visits_person_in ON visits (person_id, in_at);
CREATE INDEX visits_venue_in ON visits (venue_id, in_at);
CREATE INDEX visits_checkpoint ON visits (checkpoint_id);

-- The audit log outlives the accounts it names: user_id is not a
-- foreign key, and 0 stands for the system or an anonymous visitor.
CREATE TABLE audit_events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	at          INTEGER NOT NULL,
	user_id     INTEGER NOT NULL DEFAULT 0,
	role        TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	request_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_user_at ON audit_events (user_id, at);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE visits;
DROP TABLE declarations;
DROP TABLE people;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE role_assignments;
DROP TABLE checkpoints;
DROP TABLE venues;
DROP TABLE organisations;
DROP TABLE users;
DROP TABLE units;
DROP TABLE settings;
