-- Citus-ready (issue 9): at national scale the schema is distributed on
-- Citus, visits and venue_days by venue_id, co-located (see docs/scale.md
-- for every table's place and the steps). Citus refuses to distribute a
-- table whose primary key or unique index leaves out the distribution
-- column, because each shard can only check uniqueness among its own
-- rows: the primary key of visits gains venue_id. It stays led by id, so
-- that the lookups by visit id (a check-out, a changed decision, a
-- visit found by idempotency key) read the same index as before.
--
-- venue_days is already keyed (venue_id, day); visit_keys is distributed
-- by its own key, idempotency_key, its primary key. Nothing else changes
-- on plain PostgreSQL: postgres/citus_test.go checks the rules on the
-- catalog.
--
-- Adding the primary key builds its index on every partition of visits
-- under an ACCESS EXCLUSIVE lock, so check-ins wait while it runs: about
-- as long as a CREATE INDEX over the visits kept (the retention period).
-- Upgrade a large deployment in a quiet hour.

-- +goose Up
ALTER TABLE visits
	DROP CONSTRAINT visits_pkey,
	ADD CONSTRAINT visits_pkey PRIMARY KEY (id, in_at, venue_id);

-- +goose Down
ALTER TABLE visits
	DROP CONSTRAINT visits_pkey,
	ADD CONSTRAINT visits_pkey PRIMARY KEY (id, in_at);
