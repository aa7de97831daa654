// Package svctest gives the tests of Ravao's services what they share: a
// fresh store on each engine, a small unit tree, and checks of the
// user-facing errors they return.
package svctest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
)

// Opener opens the test's store (again, for a restart) with a clock.
type Opener func(ravao.Clock) (ravao.Store, error)

// Engines runs fn once on a fresh SQLite database and once on a fresh
// PostgreSQL database (skipped, or failed in CI, when there is none).
func Engines(t *testing.T, fn func(t *testing.T, open Opener)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ravao.db")
		fn(t, func(c ravao.Clock) (ravao.Store, error) {
			return sqlite.Open(context.Background(), path, c, sqlite.Options{})
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testenv.PostgresDB(t)
		fn(t, func(c ravao.Clock) (ravao.Store, error) {
			return postgres.Open(context.Background(), dsn, c, postgres.Options{})
		})
	})
}

// SQLite opens a store in a temporary SQLite file, for benchmarks.
func SQLite(tb testing.TB) Opener {
	path := filepath.Join(tb.TempDir(), "ravao.db")
	return func(c ravao.Clock) (ravao.Store, error) {
		return sqlite.Open(context.Background(), path, c, sqlite.Options{})
	}
}

// Units stores a province, a city and a ward of Hà Nam (13321, Phường
// Quang Trung) as the active unit version "t".
func Units(ctx context.Context, st ravao.Store) error {
	return st.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.PutUnits([]ravao.Unit{
			{Version: "t", Code: "35", Level: 1, Name: "Hà Nam", FullName: "Tỉnh Hà Nam"},
			{Version: "t", Code: "347", ParentCode: "35", Level: 2, Name: "Phủ Lý", FullName: "Thành phố Phủ Lý"},
			{Version: "t", Code: "13321", ParentCode: "347", Level: 3, Name: "Quang Trung", FullName: "Phường Quang Trung"},
		}); err != nil {
			return err
		}
		return tx.PutSetting(ravao.ActiveUnitVersionSetting, "t")
	})
}

// WantKey fails t unless err is a Ravao error whose message key, or one
// of whose field keys, is key.
func WantKey(t testing.TB, what string, err error, key string) {
	t.Helper()
	e, ok := err.(*ravao.Error)
	if !ok {
		t.Fatalf("%s: got %v, want %s", what, err, key)
	}
	if e.Key == key {
		return
	}
	for _, k := range e.Fields {
		if k == key {
			return
		}
	}
	t.Errorf("%s: got %s %v, want %s", what, e.Key, e.Fields, key)
}
