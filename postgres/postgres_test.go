package postgres

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/storetest"
)

// openFresh opens a store on a fresh, throw-away database.
func openFresh(t testing.TB, clock ravao.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), testenv.PostgresDB(t), clock, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock ravao.Clock) ravao.Store { return openFresh(t, clock) })
}

// TestRefusesUndurableServer opens a session with synchronous_commit off,
// as a misconfigured server would have it, and expects Open to refuse,
// naming the setting.
func TestRefusesUndurableServer(t *testing.T) {
	dsn := testenv.PostgresDB(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	s, err := Open(context.Background(), dsn+sep+"options=-c%20synchronous_commit%3Doff", ravao.SystemClock{}, Options{})
	if err == nil {
		s.Close()
		t.Fatalf("Open with synchronous_commit=off: got nil error, want a refusal")
	}
	if !strings.Contains(err.Error(), "synchronous_commit") {
		t.Errorf("Open with synchronous_commit=off: got %q, want the setting named", err)
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.PostgresDB(t)
	applied, err := Migrate(ctx, dsn)
	if want := migrationNames(t); err != nil || !slices.Equal(applied, want) || len(want) < 8 {
		t.Fatalf("Migrate of a new database: got %v, %v; want %v", applied, err, want)
	}
	applied, err = Migrate(ctx, dsn)
	if err != nil || len(applied) != 0 {
		t.Fatalf("Migrate again: got %v, %v; want nothing applied", applied, err)
	}
}

// BenchmarkPutUnits imports a country's worth of units (10,000) into a
// fresh database per iteration.
func BenchmarkPutUnits(b *testing.B) {
	storetest.BenchmarkPutUnits(b, func(b *testing.B) ravao.Store { return openFresh(b, ravao.SystemClock{}) })
}

// migrationNames are the embedded migrations' file names, in order: a new
// database gets every one of them.
func migrationNames(t *testing.T) []string {
	t.Helper()
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
