-- Visits by day (issue 8): retention deletes visits past the period
-- without stalling check-ins, so on PostgreSQL the visits table is
-- partitioned by day of entry and an expired day leaves by dropping its
-- partition, not by deleting millions of rows. A day is a day of the
-- deployment's time zone, which a migration cannot know: this migration
-- creates only the DEFAULT partition, which takes every visit no day
-- partition covers, and moves the existing visits into it. The store
-- creates the day partitions (visits_d20261125) ahead of time: when it
-- opens and from the daily retention job, today and the 7 days after.
--
-- A constraint on a partitioned table must include the partition key: the
-- primary key becomes (id, in_at), id still drawn from an identity so
-- that IDs stay unique across partitions. The unique index on
-- idempotency_key cannot stay global, so the keys move to visit_keys, one
-- row per visit stored with a key, written in the check-in's transaction
-- (SQLite has the same table, so the store's SQL stays one).
--
-- Nothing references visits by foreign key; visits reference people (ON
-- DELETE CASCADE, as before), venues and checkpoints.

-- +goose Up
ALTER TABLE visits RENAME TO visits_unpartitioned;
ALTER INDEX visits_pkey RENAME TO visits_unpartitioned_pkey;
ALTER SEQUENCE visits_id_seq RENAME TO visits_unpartitioned_id_seq;

CREATE TABLE visits (
	id              BIGINT GENERATED ALWAYS AS IDENTITY,
	person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	venue_id        BIGINT NOT NULL REFERENCES venues (id),
	checkpoint_id   BIGINT NOT NULL REFERENCES checkpoints (id),
	in_at           BIGINT NOT NULL,
	out_at          BIGINT,
	out_reason      TEXT NOT NULL DEFAULT '',
	decision        TEXT NOT NULL,
	source          TEXT NOT NULL,
	idempotency_key TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	request_hash    BYTEA,
	due_at          BIGINT,
	PRIMARY KEY (id, in_at)
) PARTITION BY RANGE (in_at);

-- Visits of days without a partition: those stored before this migration,
-- those of a day whose partition was not created in time, and the visits
-- an open case keeps after their day's partition was dropped. Creating a
-- day partition moves that day's visits out of it (see EnsureVisitDays).
CREATE TABLE visits_default PARTITION OF visits DEFAULT;

INSERT INTO visits (id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
	source, idempotency_key, created_at, request_hash, due_at)
	OVERRIDING SYSTEM VALUE
	SELECT id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
		source, idempotency_key, created_at, request_hash, due_at
	FROM visits_unpartitioned;
SELECT setval(pg_get_serial_sequence('visits', 'id'),
	COALESCE((SELECT MAX(id) FROM visits_unpartitioned), 0) + 1, false);

-- One row per visit stored with an idempotency key: the primary key makes
-- a second visit with the same key a Conflict, as the unique index on
-- visits did. in_at lets the lookup read only the visit's partition.
-- person_id, with its cascade, takes the keys away with the person's
-- visits when a person is erased. The purge deletes a visit's key with
-- the visit (by visit_id), and then the key may be used again.
CREATE TABLE visit_keys (
	idempotency_key TEXT PRIMARY KEY,
	visit_id        BIGINT NOT NULL,
	person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	in_at           BIGINT NOT NULL,
	created_at      BIGINT NOT NULL
);
INSERT INTO visit_keys (idempotency_key, visit_id, person_id, in_at, created_at)
	SELECT idempotency_key, id, person_id, in_at, created_at
	FROM visits_unpartitioned WHERE idempotency_key <> '';
CREATE INDEX visit_keys_visit ON visit_keys (visit_id);
CREATE INDEX visit_keys_person ON visit_keys (person_id);

DROP TABLE visits_unpartitioned;

-- The indexes of 00001, 00003 and 00005, now on every partition.
CREATE INDEX visits_person_in ON visits (person_id, in_at);
CREATE INDEX visits_venue_in ON visits (venue_id, in_at);
CREATE INDEX visits_checkpoint_in ON visits (checkpoint_id, in_at);
CREATE INDEX visits_due ON visits (due_at) WHERE out_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX visits_open ON visits (person_id, venue_id) WHERE out_at IS NULL;
-- Day partitions leave whole; the DEFAULT partition is purged in small
-- batches, oldest first (id makes the order total, so that a batch's
-- keys and its visits are the same rows). Only the DEFAULT partition
-- carries this index.
CREATE INDEX visits_default_in ON visits_default (in_at, id);

-- +goose Down
-- Best effort: back to one plain table holding every partition's rows,
-- with the global unique index on idempotency keys (they are unique, as
-- visit_keys kept them). The day partitions go with the partitioned table.
CREATE TABLE visits_plain (
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
	created_at      BIGINT NOT NULL,
	request_hash    BYTEA,
	due_at          BIGINT
);
INSERT INTO visits_plain (id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
	source, idempotency_key, created_at, request_hash, due_at)
	OVERRIDING SYSTEM VALUE
	SELECT id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
		source, idempotency_key, created_at, request_hash, due_at
	FROM visits;
SELECT setval(pg_get_serial_sequence('visits_plain', 'id'),
	COALESCE((SELECT MAX(id) FROM visits), 0) + 1, false);
DROP TABLE visits;
DROP TABLE visit_keys;
ALTER TABLE visits_plain RENAME TO visits;
ALTER INDEX visits_plain_pkey RENAME TO visits_pkey;
ALTER SEQUENCE visits_plain_id_seq RENAME TO visits_id_seq;
CREATE UNIQUE INDEX visits_idempotency_key ON visits (idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX visits_person_in ON visits (person_id, in_at);
CREATE INDEX visits_venue_in ON visits (venue_id, in_at);
CREATE INDEX visits_checkpoint_in ON visits (checkpoint_id, in_at);
CREATE INDEX visits_due ON visits (due_at) WHERE out_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX visits_open ON visits (person_id, venue_id) WHERE out_at IS NULL;
