package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TraceData is the tracing benchmark's dataset: Visits visits over Days
// days from From, at Venues venues of one checkpoint each (every 50th a
// vehicle), by People people. The first Busy venues (a tenth) each get 20
// times the visits of another, about 70% of all. Seven visits in ten end
// with a real check-out, a quarter are closed automatically, the rest
// never. Index people, apart from the others, have IndexVisits visits
// each, a third of them at busy venues.
//
// Every value is a function of the row number, so the same size gives the
// same data on both engines. People are IDs with dummy sealed bytes and
// no lookup keys: tracing reads IDs only.
//
// With Communes set, the venues lie in a tree of units stored with them
// (version "bench", made active): the province 35, Districts districts
// (codes from 340) and Communes communes (codes from 13300), each commune
// in one district and each venue in commune (ID−1) mod Communes. Without
// it every venue is in the commune 35/347/13321 and no unit is stored.
type TraceData struct {
	Visits, Venues, Busy, People int
	From                         time.Time
	Days                         int
	Index                        []int64
	IndexVisits                  int
	Districts, Communes          int
	// Name names the kept database ("trace" when empty).
	Name string
}

// traceDataVersion changes when the generated data does, so that cached
// databases are seeded again.
const traceDataVersion = "1"

// NewTraceData sizes the dataset from its number of visits: a venue per
// 100 visits, a person per 10, 20 index people of 30 visits.
func NewTraceData(visits int) TraceData {
	d := TraceData{
		Visits: visits, Venues: max(visits/100, 20), People: max(visits/10, 100), Days: 14,
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600)), IndexVisits: 30,
	}
	d.Busy = d.Venues / 10
	for i := range 20 {
		d.Index = append(d.Index, int64(d.People+1+i))
	}
	return d
}

// NewProgressData is the progress benchmark's dataset: the tracing one
// over 30 days, its venues in 1 province, 10 districts and 200 communes,
// kept apart from it (Name "progress").
func NewProgressData(visits int) TraceData {
	d := NewTraceData(visits)
	d.Days, d.Districts, d.Communes, d.Name = 30, 10, 200, "progress"
	return d
}

// TraceDataFromEnv is the dataset of RAVAO_BENCH_VISITS visits (200,000 by
// default, so that `go test -bench` stays quick; 10000000 is the
// documented run).
func TraceDataFromEnv(tb testing.TB) TraceData { return NewTraceData(benchVisits(tb)) }

// ProgressDataFromEnv is NewProgressData of RAVAO_BENCH_VISITS visits
// (200,000 by default).
func ProgressDataFromEnv(tb testing.TB) TraceData { return NewProgressData(benchVisits(tb)) }

// benchVisits reads RAVAO_BENCH_VISITS, 200,000 when unset.
func benchVisits(tb testing.TB) int {
	s := os.Getenv("RAVAO_BENCH_VISITS")
	if s == "" {
		return 200_000
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1000 {
		tb.Fatalf("RAVAO_BENCH_VISITS=%q: want a number of visits, at least 1000", s)
	}
	return v
}

// Tag names the dataset's size and shape: the number of visits, then the
// days and communes unless they are the tracing dataset's 14 and none,
// then the version. It is the cache key of the kept databases.
func (d TraceData) Tag() string {
	if d.Days == 14 && d.Communes == 0 {
		return fmt.Sprintf("%d_v%s", d.Visits, traceDataVersion)
	}
	return fmt.Sprintf("%d_%dd_%dc_v%s", d.Visits, d.Days, d.Communes, traceDataVersion)
}

// name is the kept database's kind, "trace" by default.
func (d TraceData) name() string {
	if d.Name == "" {
		return "trace"
	}
	return d.Name
}

// SQLitePath is the file that keeps the dataset between runs, under the
// system's temporary directory (ravao-bench-NAME-TAG.db).
func (d TraceData) SQLitePath() string {
	return filepath.Join(os.TempDir(), "ravao-bench-"+d.name()+"-"+d.Tag()+".db")
}

// PostgresURL is the database on the test server that keeps the dataset
// between runs (ravao_bench_NAME_TAG, e.g. ravao_bench_trace_200000_v1),
// created empty the first time and never dropped; skips when there is no
// server.
func (d TraceData) PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	name := "ravao_bench_" + d.name() + "_" + d.Tag()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		Missing(tb, "PostgreSQL", "cannot connect to RAVAO_TEST_POSTGRES: "+err.Error())
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		tb.Fatal(err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			tb.Fatalf("create benchmark database: %v", err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("RAVAO_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// traceDataKey is the setting that says a database holds the dataset.
const traceDataKey = "bench.trace_data"

// Seed fills db, a migrated Ravao database of engine ("sqlite" or
// "postgres"), with the dataset unless it holds it already, and says
// whether it did. The visits' indexes are dropped during the load and
// built again after it, then the tables are analysed.
func (d TraceData) Seed(ctx context.Context, db *sql.DB, engine string) (bool, error) {
	var have string
	err := db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = $1", traceDataKey).Scan(&have)
	if err == nil && have == d.Tag() {
		return false, nil
	}
	if err != nil && err != sql.ErrNoRows {
		return false, err
	}
	if have != "" {
		return false, fmt.Errorf("the database holds another trace dataset (%s); remove it", have)
	}
	if d.Communes > 0 && (d.Districts < 1 || d.Districts > 60 || d.Communes < d.Districts || d.Communes > 700) {
		return false, fmt.Errorf("trace data: %d districts and %d communes: want 1 to 60 districts and up to 700 communes, at least one each", d.Districts, d.Communes)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	s := seeder{d: d, conn: conn, engine: engine}
	for _, step := range []func(context.Context) error{s.begin, s.units, s.places, s.people, s.visits, s.index, s.end} {
		if err := step(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// seeder loads the dataset over one connection.
type seeder struct {
	d       TraceData
	conn    *sql.Conn
	engine  string
	indexes []string // the visits' index definitions, dropped during the load
}

// exec runs one statement.
func (s *seeder) exec(ctx context.Context, q string, args ...any) error {
	if _, err := s.conn.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("trace data: %w\n%s", err, q)
	}
	return nil
}

// series runs q, an INSERT ... SELECT over {rows}, the row numbers i
// from lo to hi, in chunks of a million rows: generate_series on
// PostgreSQL, a recursive CTE on SQLite. {given} goes where PostgreSQL
// wants to be told that the INSERT gives identity columns their values.
// $1 and $2 are the chunk's bounds, args follow from $3.
func (s *seeder) series(ctx context.Context, q string, lo, hi int, args ...any) error {
	rows, given, with := "g", "", "WITH RECURSIVE g(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM g WHERE i < $2) "
	if s.engine == "postgres" {
		rows, given, with = "generate_series($1::bigint, $2::bigint) AS g(i)", "OVERRIDING SYSTEM VALUE", ""
	}
	q = with + strings.NewReplacer("{rows}", rows, "{given}", given).Replace(q)
	for a := lo; a <= hi; a += 1_000_000 {
		if err := s.exec(ctx, q, append([]any{a, min(hi, a+999_999)}, args...)...); err != nil {
			return err
		}
	}
	return nil
}

// begin drops the visits' indexes and turns off what a bulk load of
// consistent rows does not need: foreign-key checks, and on SQLite the
// sync at each commit.
func (s *seeder) begin(ctx context.Context) error {
	q := "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visits' AND sql IS NOT NULL"
	drop := "DROP INDEX %s"
	if s.engine == "postgres" {
		q = "SELECT indexdef FROM pg_indexes WHERE tablename = 'visits' AND schemaname = current_schema() AND indexname <> 'visits_pkey'"
	}
	rows, err := s.conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			rows.Close()
			return err
		}
		s.indexes = append(s.indexes, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, def := range s.indexes {
		if err := s.exec(ctx, fmt.Sprintf(drop, indexName(def))); err != nil {
			return err
		}
	}
	if s.engine == "postgres" {
		return s.exec(ctx, "SET session_replication_role = replica")
	}
	if err := s.exec(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	return s.exec(ctx, "PRAGMA synchronous = OFF")
}

// indexName reads the name from "CREATE [UNIQUE] INDEX name ON ...".
func indexName(def string) string {
	f := strings.Fields(def)
	for i, w := range f {
		if strings.EqualFold(w, "INDEX") && i+1 < len(f) {
			return f[i+1]
		}
	}
	return ""
}

// units stores the tree of units when the dataset has one, as version
// "bench", and makes it the active version.
func (s *seeder) units(ctx context.Context) error {
	if s.d.Communes == 0 {
		return nil
	}
	q := "INSERT INTO units (version, code, parent_code, level, name, full_name) VALUES ('bench', '35', '', 1, 'Hà Nam', 'Tỉnh Hà Nam')"
	if err := s.exec(ctx, q); err != nil {
		return err
	}
	if err := s.series(ctx, `INSERT INTO units (version, code, parent_code, level, name, full_name)
		SELECT 'bench', CAST(339 + i AS TEXT), '35', 2, 'Huyện ' || CAST(i AS TEXT), 'Huyện ' || CAST(i AS TEXT) FROM {rows}`,
		1, s.d.Districts); err != nil {
		return err
	}
	if err := s.series(ctx, `INSERT INTO units (version, code, parent_code, level, name, full_name)
		SELECT 'bench', CAST(13299 + i AS TEXT), CAST(340 + (i - 1) * $3 / $4 AS TEXT), 3, 'Xã ' || CAST(i AS TEXT), 'Xã ' || CAST(i AS TEXT) FROM {rows}`,
		1, s.d.Communes, s.d.Districts, s.d.Communes); err != nil {
		return err
	}
	return s.exec(ctx, "INSERT INTO settings (key, value) VALUES ('units.active_version', 'bench')")
}

// venueUnit is the SQL of venue i's unit code and path, and the
// arguments it needs as $5 and $6: commune (i−1) mod Communes of the
// tree, or 13321 when there is none.
func (s *seeder) venueUnit() (code, path string, args []any) {
	if s.d.Communes == 0 {
		return "'13321'", "'35/347/13321/'", nil
	}
	code = "CAST(13300 + (i - 1) % $6 AS TEXT)"
	path = "'35/' || CAST(340 + ((i - 1) % $6) * $5 / $6 AS TEXT) || '/' || " + code + " || '/'"
	return code, path, []any{s.d.Districts, s.d.Communes}
}

// places stores one organisation, the venues (busy ones are markets,
// every 50th is a vehicle, the rest businesses) and a checkpoint per
// venue with the venue's ID.
func (s *seeder) places(ctx context.Context) error {
	now := s.d.From.UnixMilli()
	if err := s.series(ctx, `INSERT INTO organisations (id, name, unit_code, sector, created_at) {given}
		SELECT i, 'Benchmark', '13321', 'business', $3 FROM {rows}`, 1, 1, now); err != nil {
		return err
	}
	code, path, args := s.venueUnit()
	q := `INSERT INTO venues (id, organisation_id, name, type, sector, unit_code, unit_path, status, created_at, updated_at) {given}
		SELECT i, 1, 'Venue ' || i, CASE WHEN i <= $3 THEN 'market' WHEN i % 50 = 0 THEN 'vehicle' ELSE 'business' END,
			'business', ` + code + `, ` + path + `, 'approved', $4, $4 FROM {rows}`
	if err := s.series(ctx, q, 1, s.d.Venues, append([]any{s.d.Busy, now}, args...)...); err != nil {
		return err
	}
	return s.series(ctx, `INSERT INTO checkpoints (id, venue_id, name, kind, plate, created_at, updated_at) {given}
		SELECT i, i, 'Gate', CASE WHEN i % 50 = 0 AND i > $3 THEN 'vehicle' ELSE 'gate' END,
			CASE WHEN i % 50 = 0 AND i > $3 THEN 'B-' || i ELSE '' END, $4, $4 FROM {rows}`, 1, s.d.Venues, s.d.Busy, now)
}

// people stores everyone, the index people included, with dummy sealed
// bytes.
func (s *seeder) people(ctx context.Context) error {
	return s.series(ctx, "INSERT INTO people (id, sealed, created_at, updated_at) SELECT i, $3, $4, $4 FROM {rows}",
		1, s.d.People+len(s.d.Index), []byte{0}, s.d.From.UnixMilli())
}

// mix is a pseudo-random value in [0, 2^31−1) for row i and stream a: a
// multiplicative hash modulo a prime, the same on both engines.
func mix(a int) string { return fmt.Sprintf("((i * %d) %% 2147483647)", a) }

// visits stores the visits: a person, a venue (busy ones with 20 times
// the weight), a check-in between 6:00 and 22:00 on one of the days, a
// stay of 5 minutes to 3 hours, and how it ended.
func (s *seeder) visits(ctx context.Context) error {
	q := fmt.Sprintf(`INSERT INTO visits (person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision, source, due_at, created_at)
		SELECT person, venue, venue, t,
			CASE WHEN e < 14 THEN t + stay WHEN e < 19 THEN t + 14400000 END,
			CASE WHEN e < 14 THEN 'tap' WHEN e < 19 THEN 'auto' ELSE '' END,
			'green', 'self', t + 14400000, t
		FROM (SELECT 1 + %s %% $5 AS person,
			CASE WHEN %s %% 29 < 20 THEN 1 + %s %% $3 ELSE $3 + 1 + %s %% ($4 - $3) END AS venue,
			$6 + (%s %% $7) * 86400000 + 21600000 + (%s %% 960) * 60000 AS t,
			(5 + %s %% 176) * 60000 AS stay,
			%s %% 20 AS e
		FROM {rows}) AS r`,
		mix(134775813), mix(1103515245), mix(69069), mix(69069), mix(214013), mix(1664525), mix(22695477), mix(279470273))
	return s.series(ctx, q, 1, s.d.Visits, s.d.Busy, s.d.Venues, s.d.People, s.d.From.UnixMilli(), s.d.Days)
}

// index stores the index people's visits, spread over the days: every
// third at a busy venue, stays of one to four hours, seven in ten checked
// out.
func (s *seeder) index(ctx context.Context) error {
	q := "INSERT INTO visits (person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision, source, due_at, created_at) " +
		"VALUES ($1, $2, $2, $3, $4, $5, 'green', 'self', $6, $3)"
	span := time.Duration(s.d.Days) * 24 * time.Hour / time.Duration(s.d.IndexVisits)
	for k, person := range s.d.Index {
		for j := range s.d.IndexVisits {
			venue := s.d.Busy + 1 + (k*131+j*17)%(s.d.Venues-s.d.Busy)
			if j%3 == 0 {
				venue = 1 + (k*31+j*7)%s.d.Busy
			}
			in := s.d.From.Add(time.Duration(j)*span + 8*time.Hour + time.Duration(k*37%120)*time.Minute)
			due := in.Add(4 * time.Hour)
			var out any
			reason := ""
			switch (k + j) % 10 {
			case 0, 1, 2, 3, 4, 5, 6:
				out, reason = in.Add(time.Duration(1+(k+j)%4)*time.Hour).UnixMilli(), "tap"
			case 7, 8:
				out, reason = due.UnixMilli(), "auto"
			}
			if err := s.exec(ctx, q, person, venue, in.UnixMilli(), out, reason, due.UnixMilli()); err != nil {
				return err
			}
		}
	}
	return nil
}

// end builds the visits' indexes again, restores the checks, keeps the
// identities after the explicit IDs, analyses the tables and marks the
// database seeded.
func (s *seeder) end(ctx context.Context) error {
	for _, def := range s.indexes {
		if err := s.exec(ctx, def); err != nil {
			return err
		}
	}
	var stmts []string
	if s.engine == "postgres" {
		stmts = []string{"RESET session_replication_role"}
		for _, t := range []string{"organisations", "venues", "checkpoints"} {
			stmts = append(stmts, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s))", t, t))
		}
		stmts = append(stmts, "ANALYZE")
	} else {
		stmts = []string{"PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL", "ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"}
	}
	for _, q := range stmts {
		if err := s.exec(ctx, q); err != nil {
			return err
		}
	}
	return s.exec(ctx, "INSERT INTO settings (key, value) VALUES ($1, $2)", traceDataKey, s.d.Tag())
}
