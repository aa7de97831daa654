// Package svctest gives the tests of Ravao's services what they share: a
// fresh store on each engine, a small unit tree, the services wired as the
// server wires them, staff accounts, and checks of the user-facing errors
// the services return.
package svctest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
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

// ICT is the deployment time zone the services run in under test.
var ICT = time.FixedZone("ICT", 7*3600)

// Services are the places and visitors services over one store, with the
// SMS outbox their codes go to.
type Services struct {
	Places   *places.Service
	Visitors *visitors.Service
	Tracing  *tracing.Service
	Progress *progress.Service
	Outbox   *sms.Outbox
}

// Start builds the services over st as the server does when it starts,
// with fast password hashing, Vietnamese messages, the default questions
// and clock.
func Start(tb testing.TB, st ravao.Store, v *vault.Vault, clock ravao.Clock) Services {
	tb.Helper()
	cat, err := i18n.New("vi")
	if err != nil {
		tb.Fatal(err)
	}
	a := auth.New(st, v, auth.Config{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}, Clock: clock})
	out := Services{Outbox: sms.NewOutbox(nil, 10)}
	if out.Places, err = places.New(st, v, a, out.Outbox, cat, places.Config{BaseURL: "http://ravao.test", TZ: ICT, Clock: clock}); err != nil {
		tb.Fatal(err)
	}
	if out.Visitors, err = visitors.New(st, v, out.Places, questions.Default(), visitors.Config{TZ: ICT, Clock: clock}); err != nil {
		tb.Fatal(err)
	}
	if out.Progress, err = progress.New(st, progress.Config{TZ: ICT, Clock: clock, Vault: v}); err != nil {
		tb.Fatal(err)
	}
	if out.Tracing, err = tracing.New(st, v, out.Outbox, tracing.Config{TZ: ICT, Clock: clock, Verifier: out.Visitors.Verifier()}); err != nil {
		tb.Fatal(err)
	}
	return out
}

// Staff stores a staff account with one role and returns it signed in.
func Staff(tb testing.TB, st ravao.Store, login string, role ravao.RoleAssignment) *ravao.Principal {
	tb.Helper()
	var p ravao.Principal
	err := st.Update(context.Background(), func(tx ravao.Tx) error {
		p.User = ravao.User{Login: login, DisplayName: login, PasswordHash: "x", Lang: "vi"}
		if err := tx.CreateUser(&p.User); err != nil {
			return err
		}
		role.UserID = p.User.ID
		p.Roles = []ravao.RoleAssignment{role}
		return tx.AddRole(&p.Roles[0])
	})
	if err != nil {
		tb.Fatal(err)
	}
	return &p
}
