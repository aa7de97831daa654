-- Workplaces (issue 11): the staff lists organisations keep, and the
-- venues where each member works. Instants are BIGINT unix milliseconds,
-- as in 00001 to 00015.
--
-- A member's name, phone and ID number are sealed by the vault (bound to
-- the organisation), like every personal name and number: the service
-- orders members by name once it has opened them. phone_key and
-- id_number_key are their keyed lookups, the same as people's, so that a
-- member is linked to their person by key, never by a clear value.
-- person_id is the linked person: erasing the person unlinks the member.

-- +goose Up
CREATE TABLE staff (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	name            BYTEA NOT NULL,
	phone           BYTEA NOT NULL,
	phone_key       BYTEA NOT NULL,
	id_number       BYTEA,
	id_number_key   BYTEA,
	staff_number    TEXT NOT NULL DEFAULT '',
	department      TEXT NOT NULL DEFAULT '',
	birth_year      INTEGER NOT NULL DEFAULT 0,
	person_id       BIGINT REFERENCES people (id) ON DELETE SET NULL,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL
);
-- One member per phone, ID number and staff number in an organisation.
CREATE UNIQUE INDEX staff_phone ON staff (organisation_id, phone_key);
CREATE UNIQUE INDEX staff_id_number ON staff (organisation_id, id_number_key) WHERE id_number_key IS NOT NULL;
CREATE UNIQUE INDEX staff_number ON staff (organisation_id, staff_number) WHERE staff_number <> '';
CREATE INDEX staff_person ON staff (person_id);
-- Linking looks at the members not linked yet.
CREATE INDEX staff_unlinked ON staff (organisation_id) WHERE person_id IS NULL;

CREATE TABLE staff_venues (
	staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	venue_id BIGINT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
	PRIMARY KEY (staff_id, venue_id)
);
CREATE INDEX staff_venues_venue ON staff_venues (venue_id, staff_id);

-- +goose Down
DROP TABLE staff_venues;
DROP TABLE staff;
