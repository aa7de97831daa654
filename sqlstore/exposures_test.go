package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
)

// planQueries are the shapes of ExposurePairs: with and without a window.
func planQueries() map[string]ravao.ExposureQuery {
	s := ravao.DefaultTraceSettings()
	from := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	return map[string]ravao.ExposureQuery{
		"window":      {PersonID: 1, From: from, To: from.Add(72 * time.Hour), Settings: s},
		"open-ended":  {PersonID: 1, From: from, Settings: s},
		"every visit": {PersonID: 1, Settings: s},
	}
}

// plan runs explain (the engine's EXPLAIN) of each query shape in tx and
// returns its lines.
func plan(t *testing.T, tx *sql.Tx, explain string, q ravao.ExposureQuery) string {
	t.Helper()
	query, args := sqlstore.ExposurePairsQuery(q)
	rows, err := tx.Query(explain+" "+query, args...)
	if err != nil {
		t.Fatalf("%s: %v", explain, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if s, ok := vals[len(vals)-1].(string); ok {
			lines = append(lines, s)
		} else if b, ok := vals[len(vals)-1].([]byte); ok {
			lines = append(lines, string(b))
		}
	}
	return strings.Join(lines, "\n")
}

// TestExposurePairsPlanSQLite checks that SQLite reads the other visits
// through visits_venue_in with a range on in_at, and the index person's
// through visits_person_in: nothing scans the visits table.
func TestExposurePairsPlanSQLite(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "plan.db"), ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tx, err := s.Reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for name, q := range planQueries() {
		p := plan(t, tx, "EXPLAIN QUERY PLAN", q)
		if !strings.Contains(p, "visits_venue_in (venue_id=? AND in_at>? AND in_at<?)") ||
			!strings.Contains(p, "visits_person_in (person_id=?") {
			t.Errorf("plan (%s) does not read visits by venue and time range and by person:\n%s", name, p)
		}
		for _, line := range strings.Split(p, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "SCAN") && !strings.Contains(line, "INDEX") {
				t.Errorf("plan (%s) scans a table: %q\n%s", name, line, p)
			}
		}
	}
}

// TestExposurePairsPlanPostgres checks the same on PostgreSQL. Its planner
// prefers reading a small table whole, so sequential scans are turned off
// in the transaction: the question is whether the index can serve the
// query at all, with both bounds of the range.
func TestExposurePairsPlanPostgres(t *testing.T) {
	s, err := postgres.Open(context.Background(), testenv.PostgresDB(t), ravao.SystemClock{}, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tx, err := s.Reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for name, q := range planQueries() {
		p := plan(t, tx, "EXPLAIN", q)
		// visits is partitioned by day: each partition is read through its
		// copy of visits_venue_in.
		if !regexp.MustCompile(`Index Scan using visits_\w+_venue_id_in_at_idx on visits_\w+ o_\d+`).MatchString(p) ||
			!strings.Contains(p, "Index Cond: ((venue_id = v.venue_id) AND (in_at >= ") ||
			!strings.Contains(p, ") AND (in_at <= ") {
			t.Errorf("plan (%s) does not read visits by venue and time range:\n%s", name, p)
		}
		if strings.Contains(p, "Seq Scan on visits") {
			t.Errorf("plan (%s) scans visits:\n%s", name, p)
		}
	}
}
