-- Deployment progress (issue 7): each venue's activity per day, kept in the
-- transaction of the visits it counts, and the roll-up per unit, sector and
-- venue type that every progress view sums. day is the number yyyymmdd in
-- the deployment's time zone; counts are INTEGER (their SUM is a BIGINT),
-- as on SQLite. Neither table holds personal data: both outlive the visits
-- they count.

-- +goose Up
CREATE TABLE venue_days (
	venue_id  BIGINT NOT NULL REFERENCES venues (id),
	day       INTEGER NOT NULL,
	checkins  INTEGER NOT NULL DEFAULT 0,
	checkouts INTEGER NOT NULL DEFAULT 0,
	people    INTEGER NOT NULL DEFAULT 0,
	red       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (venue_id, day)
);
-- RollupDay, RepairVenueDays and SilentVenues read one day of every venue.
CREATE INDEX venue_days_day ON venue_days (day, venue_id);

-- A unit's series and its venue types are a range of the primary key;
-- its children a range of unit_days_parent (top-level units have parent
-- ''); RollupDay replaces one day through unit_days_day. Rows with sector
-- '' and venue_type '' carry the declarations with symptoms. Codes compare
-- byte by byte, as on SQLite.
CREATE TABLE unit_days (
	day         INTEGER NOT NULL,
	unit_code   TEXT COLLATE "C" NOT NULL,
	sector      TEXT COLLATE "C" NOT NULL,
	venue_type  TEXT COLLATE "C" NOT NULL,
	parent_code TEXT COLLATE "C" NOT NULL,
	level       INTEGER NOT NULL,
	venues      INTEGER NOT NULL DEFAULT 0,
	new         INTEGER NOT NULL DEFAULT 0,
	approved    INTEGER NOT NULL DEFAULT 0,
	pending     INTEGER NOT NULL DEFAULT 0,
	suspended   INTEGER NOT NULL DEFAULT 0,
	active      INTEGER NOT NULL DEFAULT 0,
	checkins    INTEGER NOT NULL DEFAULT 0,
	checkouts   INTEGER NOT NULL DEFAULT 0,
	people      INTEGER NOT NULL DEFAULT 0,
	red         INTEGER NOT NULL DEFAULT 0,
	symptoms    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_code, day, sector, venue_type)
);
CREATE INDEX unit_days_parent ON unit_days (parent_code, day);
CREATE INDEX unit_days_day ON unit_days (day);

-- RollupDay counts one day's declarations with symptoms or exposure, a
-- small share of all: the query repeats this predicate word for word.
CREATE INDEX declarations_risk ON declarations (created_at) WHERE risk = TRUE;

-- +goose Down
DROP TABLE unit_days;
DROP TABLE venue_days;
DROP INDEX declarations_risk;
