-- Ravao's schema on PostgreSQL. Instants are BIGINT unix milliseconds in
-- UTC (NULL for "none"), as on SQLite, so that the same queries return the
-- same values on both engines and no driver ever guesses a time zone.
-- Identities are GENERATED ALWAYS, so an ID is never given by mistake.

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
);
CREATE INDEX units_version_parent ON units (version, parent_code);

CREATE TABLE users (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login         TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret   BYTEA,
	lang          TEXT NOT NULL DEFAULT '',
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  BIGINT,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);

CREATE TABLE organisations (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL,
	unit_code  TEXT NOT NULL,
	sector     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX organisations_unit ON organisations (unit_code);

CREATE TABLE venues (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	organisation_id BIGINT NOT NULL REFERENCES organisations (id),
	name            TEXT NOT NULL,
	type            TEXT NOT NULL,
	sector          TEXT NOT NULL,
	unit_code       TEXT NOT NULL,
	address         TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	default_stay_ms BIGINT NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL
);
CREATE INDEX venues_organisation ON venues (organisation_id);
CREATE INDEX venues_unit ON venues (unit_code);

CREATE TABLE checkpoints (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	venue_id   BIGINT NOT NULL REFERENCES venues (id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	plate      TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX checkpoints_venue ON checkpoints (venue_id);

CREATE TABLE role_assignments (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role            TEXT NOT NULL,
	unit_code       TEXT NOT NULL DEFAULT '',
	sector          TEXT NOT NULL DEFAULT '',
	organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
	checkpoint_id   BIGINT REFERENCES checkpoints (id) ON DELETE CASCADE,
	created_at      BIGINT NOT NULL
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);
CREATE INDEX role_assignments_organisation ON role_assignments (organisation_id);
CREATE INDEX role_assignments_checkpoint ON role_assignments (checkpoint_id);

CREATE TABLE sessions (
	token_hash BYTEA PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	last_seen  BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash BYTEA NOT NULL UNIQUE,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT,
	revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- People's IDs are random and chosen by the caller: the sealed fields are
-- bound to them, and they must not reveal how many people are stored.
CREATE TABLE people (
	id              BIGINT PRIMARY KEY,
	phone_key       BYTEA,
	id_number_key   BYTEA,
	sealed          BYTEA NOT NULL,
	birth_year      INTEGER NOT NULL DEFAULT 0,
	sex             TEXT NOT NULL DEFAULT '',
	unit_code       TEXT NOT NULL DEFAULT '',
	consent_version TEXT NOT NULL DEFAULT '',
	consent_channel TEXT NOT NULL DEFAULT '',
	consent_at      BIGINT,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX people_phone_key ON people (phone_key) WHERE phone_key IS NOT NULL;
CREATE UNIQUE INDEX people_id_number_key ON people (id_number_key) WHERE id_number_key IS NOT NULL;

CREATE TABLE declarations (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id     BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	risk          BOOLEAN NOT NULL DEFAULT FALSE,
	sealed        BYTEA NOT NULL,
	proxy_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at    BIGINT NOT NULL
);
CREATE INDEX declarations_person ON declarations (person_id, created_at);
CREATE INDEX declarations_proxy ON declarations (proxy_user_id);

CREATE TABLE visits (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	venue_id        BIGINT NOT NULL REFERENCES venues (id),
	checkpoint_id   BIGINT NOT NULL REFERENCES checkpoints (id),
	in_at           BIGINT NOT NULL,
	out_at          BIGINT,
	out_reason      TEXT NOT NULL DEFAULT '',
	decision        TEXT NOT NULL,
	source          TEXT NOT NULL,
	idempotency_key TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX visits_idempotency_key ON visits (idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX visits_person_in ON visits (person_id, in_at);
CREATE INDEX visits_venue_in ON visits (venue_id, in_at);
CREATE INDEX visits_checkpoint ON visits (checkpoint_id);

-- The audit log outlives the accounts it names: user_id is not a
-- foreign key, and 0 stands for the system or an anonymous visitor.
CREATE TABLE audit_events (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at          BIGINT NOT NULL,
	user_id     BIGINT NOT NULL DEFAULT 0,
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
