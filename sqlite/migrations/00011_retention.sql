-- Retention (issue 8): the indexes the daily purge walks. Each purge
-- deletes the oldest rows first, a few hundred per transaction, so that
-- check-ins never wait long for the write lock: each index below turns
-- "the oldest rows past the period" into a short range scan instead of a
-- scan of the whole table. Visits have their own (day partitions on
-- PostgreSQL, the time index on SQLite: see the visits purge migration);
-- the checks that a person has nothing left use the indexes by person
-- that 00001, 00003 and 00006 already have.

-- +goose Up
-- Declarations past the period, oldest first (declarations_risk in 00007
-- holds only those with symptoms).
CREATE INDEX declarations_created ON declarations (created_at);
-- People whose record has not changed for the period are the candidates
-- for deletion once nothing else of theirs is left.
CREATE INDEX people_updated ON people (updated_at);
-- Closed cases past the period, by closing; open cases, which are never
-- purged, are not in the index.
CREATE INDEX cases_closed ON cases (closed_at) WHERE status = 'closed';
-- Exposure windows that ended before the period, withdrawn or not
-- (exposure_windows_current in 00006 holds only those still published).
CREATE INDEX exposure_windows_to ON exposure_windows (to_at);

-- +goose Down
DROP INDEX exposure_windows_to;
DROP INDEX cases_closed;
DROP INDEX people_updated;
DROP INDEX declarations_created;
