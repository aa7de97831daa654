-- Citus-ready (issue 9): on PostgreSQL this migration adds venue_id to the
-- primary key of visits, so that Citus can distribute visits by venue
-- (see docs/scale.md). SQLite is one file on one machine and its visits
-- keep their INTEGER PRIMARY KEY: nothing to do, but the migration exists
-- on both engines so that their version numbers stay the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
