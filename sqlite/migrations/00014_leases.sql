-- Several servers as one system (issue 9): leases elect the one process
-- that runs each background job, and fixed-window counters share the
-- login and SMS-request limits between servers. Instants are Unix
-- milliseconds. Both are small, local tables (reference tables under
-- Citus are not needed: only the coordinator reads them).

-- +goose Up
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);

CREATE TABLE rate_counters (
    key TEXT NOT NULL,
    win BIGINT NOT NULL,
    n   INTEGER NOT NULL,
    PRIMARY KEY (key, win)
);
CREATE INDEX rate_counters_win ON rate_counters (win);

-- +goose Down
DROP TABLE rate_counters;
DROP TABLE leases;
