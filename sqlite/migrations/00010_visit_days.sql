-- Visits by day (issue 8): retention deletes visits past the period in
-- small batches, oldest first, so that the single writer is never held
-- long and check-ins do not wait. (PostgreSQL partitions visits by day
-- and drops a day's partition instead; see its 00010.)
--
-- Idempotency keys move from a unique index on visits to visit_keys, as
-- on PostgreSQL, where a partitioned table cannot have a global unique
-- index: the store's SQL stays one for both engines.

-- +goose Up
-- One row per visit stored with an idempotency key: the primary key makes
-- a second visit with the same key a Conflict, as the unique index did.
-- person_id, with its cascade, takes the keys away with the person's
-- visits when a person is erased. The purge deletes a visit's key with
-- the visit (by visit_id), and then the key may be used again.
CREATE TABLE visit_keys (
	idempotency_key TEXT PRIMARY KEY,
	visit_id        INTEGER NOT NULL,
	person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	in_at           INTEGER NOT NULL,
	created_at      INTEGER NOT NULL
);
INSERT INTO visit_keys (idempotency_key, visit_id, person_id, in_at, created_at)
	SELECT idempotency_key, id, person_id, in_at, created_at
	FROM visits WHERE idempotency_key <> '';
CREATE INDEX visit_keys_visit ON visit_keys (visit_id);
CREATE INDEX visit_keys_person ON visit_keys (person_id);
DROP INDEX visits_idempotency_key;

-- The purge picks the oldest visits past the period, a batch at a time
-- (the index holds the rowid id too, so the order by in_at, id is total).
CREATE INDEX visits_in ON visits (in_at);

-- +goose Down
DROP INDEX visits_in;
CREATE UNIQUE INDEX visits_idempotency_key ON visits (idempotency_key) WHERE idempotency_key <> '';
DROP TABLE visit_keys;
