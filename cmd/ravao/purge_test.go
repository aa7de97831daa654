package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPurge runs `ravao purge` as an operator would: a longer period keeps
// a visit of 40 days ago, the dry run counts it and keeps it, the purge
// deletes it, and a second dry run finds nothing left.
func TestPurge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ravao.db")
	db := "sqlite:" + path
	seedVisit(t, path, time.Now().AddDate(0, 0, -40).Truncate(time.Millisecond))
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"purge", "--db", db, "extra"}, 1, "unexpected argument"},
		{[]string{"purge", "--db", db, "--tz", "Mars/Olympus"}, 1, "--tz"},
		{[]string{"purge", "--db", db, "--dry-run", "--retain-visits", "1200h"}, 0, "visits        0\n"},
		{[]string{"purge", "--db", db, "--dry-run"}, 0, "would delete (dry run):\n  visits        1\n  declarations  0\n  people        0"},
		{[]string{"purge", "--db", db}, 0, "deleted:\n  visits        1\n"},
		{[]string{"purge", "--db", db, "--dry-run"}, 0, "visits        0\n"},
	} {
		code, out, stderr := runRavao(t, nil, "", tt.args...)
		if code != tt.code || !strings.Contains(out+stderr, tt.want) {
			t.Errorf("ravao %s: exit %d, %q %q; want %d and %q", strings.Join(tt.args, " "), code, out, stderr, tt.code, tt.want)
		}
	}
}
