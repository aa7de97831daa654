package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
)

// tinyBench is a run small enough for a test.
var tinyBench = []string{"bench", "--duration", "1s", "--max-requests", "300", "--venues", "5", "--people", "50", "--rates", "50", "--purge-visits", "1000"}

func TestBenchSQLite(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the temporary database goes here, and must go away
	code, out, errOut := runRavao(t, nil, "", tinyBench...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"ravao bench — sqlite", "trivial handler (baseline)", "check-ins, maximum rate", "check-ins at 50/s",
		"during purge", "ok: every acknowledged new visit is stored", "POST /api/v1/cases", "GET /api/v1/stats/units/35", "peak RSS"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "bench: seeding sqlite") {
		t.Errorf("no progress on stderr:\n%s", errOut)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the temporary database was left behind: %v", left)
	}
}

func TestBenchPostgresJSON(t *testing.T) {
	db := testenv.PostgresDB(t)
	code, out, errOut := runRavao(t, nil, "", append(tinyBench, "--db", db, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Engine != "postgres" || len(rep.Phases) != 6 || len(rep.Queries) != 3 || rep.Purge == nil {
		t.Fatalf("report: %+v", rep)
	}
	if rep.Purge.Error != "" {
		// A measurement, not the command's failure: the table says FAILED.
		t.Logf("the purge failed under check-ins: %s", rep.Purge.Error)
	} else if rep.Purge.Visits < 1000 {
		t.Errorf("purge: %+v, want the old day's 1000 visits", rep.Purge)
	}
	max := rep.Phases[1]
	if max.OK == 0 || max.Requests > 300 || max.Ratio <= 0 {
		t.Errorf("maximum rate: %+v", max)
	}
	if s := rep.Stored; s == nil || s.Created != max.Created || s.Stored != s.Created || s.Missing != 0 {
		t.Errorf("stored: %+v, want every one of %d new visits", s, max.Created)
	}
	// The report says when the server's autovacuum is off (a CI setting
	// that makes the fixed-rate phases stall), and only then.
	conn, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var autovacuum string
	if err := conn.QueryRow("SHOW autovacuum").Scan(&autovacuum); err != nil {
		t.Fatal(err)
	}
	if warned := strings.Contains(strings.Join(rep.Warnings, " "), "autovacuum is off"); warned != (autovacuum == "off") {
		t.Errorf("autovacuum %s, warnings %q", autovacuum, rep.Warnings)
	}
}

func TestBenchBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--no-such-flag"},
		{"bench", "--duration", "soon"},
	} {
		if code, _, errOut := runRavao(t, nil, "", args...); code != 2 || !strings.Contains(errOut, "ravao bench") {
			t.Errorf("%v: exit %d, want 2 with the usage\n%s", args, code, errOut)
		}
	}
	for _, args := range [][]string{
		{"bench", "stray"},
		{"bench", "--rates", "fast"},
		{"bench", "--only", "everything"},
		{"bench", "--venues", "1"},
		{"bench", "--db", "mysql://x"},
	} {
		if code, _, errOut := runRavao(t, nil, "", args...); code != 1 || !strings.Contains(errOut, "ravao: ") {
			t.Errorf("%v: exit %d, want 1 with a message\n%s", args, code, errOut)
		}
	}
}
