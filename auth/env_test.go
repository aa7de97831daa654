package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

// cheap are argon2 parameters that keep the tests fast.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1}

const goodPassword = "correct horse battery"

// env is one service over a fresh database, with a clock the test moves.
type env struct {
	store ravao.Store
	svc   *auth.Service
	clock *ravao.FixedClock
	vault *vault.Vault
	ctx   context.Context
}

// engines runs fn once per SQL engine, each on a fresh database.
func engines(t *testing.T, cfg auth.Config, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, newEnv(t, cfg, func(c ravao.Clock) (ravao.Store, error) {
			return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ravao.db"), c, sqlite.Options{})
		}))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testenv.PostgresDB(t)
		fn(t, newEnv(t, cfg, func(c ravao.Clock) (ravao.Store, error) {
			return postgres.Open(context.Background(), dsn, c, postgres.Options{})
		}))
	})
}

func newEnv(t *testing.T, cfg auth.Config, open func(ravao.Clock) (ravao.Store, error)) *env {
	t.Helper()
	clock := &ravao.FixedClock{T: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)}
	store, err := open(clock)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	key, _ := vault.ParseKey(vault.GenerateKey())
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Params == (auth.Params{}) {
		cfg.Params = cheap
	}
	cfg.Clock = clock
	return &env{store: store, svc: auth.New(store, v, cfg), clock: clock, vault: v,
		ctx: ravao.ContextWithRequestID(context.Background(), "req-test")}
}

// user creates an account as the system and returns it.
func (e *env) user(t *testing.T, login string, roles ...ravao.RoleAssignment) ravao.User {
	t.Helper()
	u, err := e.svc.CreateUser(e.ctx, nil, auth.NewUser{Login: login, DisplayName: "Nguyễn Thị Hoa", Password: goodPassword, Lang: "vi", Roles: roles})
	if err != nil {
		t.Fatalf("create user %s: %v", login, err)
	}
	return u
}

// admin creates an administrator and returns them as a principal.
func (e *env) admin(t *testing.T) *ravao.Principal {
	t.Helper()
	u := e.user(t, "admin", ravao.RoleAssignment{Role: ravao.RoleAdmin})
	_, p, err := e.svc.Login(e.ctx, auth.Credentials{Login: "admin", Password: goodPassword, ClientIP: "10.0.0.1"})
	if err != nil || p.User.ID != u.ID {
		t.Fatalf("admin login: %v", err)
	}
	return p
}

// login signs in with the good password from a fixed address.
func (e *env) login(login string) (string, *ravao.Principal, error) {
	return e.svc.Login(e.ctx, auth.Credentials{Login: login, Password: goodPassword, ClientIP: "192.0.2.1"})
}

// stored reads an account straight from the store.
func (e *env) stored(t *testing.T, id int64) ravao.User {
	t.Helper()
	var u ravao.User
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		var err error
		u, err = tx.User(id)
		return err
	})
	if err != nil {
		t.Fatalf("read user %d: %v", id, err)
	}
	return u
}

// audit lists the audit events, oldest first.
func (e *env) audit(t *testing.T) []ravao.AuditEvent {
	t.Helper()
	var evs []ravao.AuditEvent
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		var err error
		evs, err = tx.AuditEvents(ravao.AuditFilter{Limit: 10000})
		return err
	})
	if err != nil {
		t.Fatalf("audit events: %v", err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// wantErr fails unless err is a *ravao.Error with code and key.
func wantErr(t *testing.T, err error, code ravao.Code, key string) {
	t.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) {
		t.Fatalf("got error %v, want %s %s", err, code, key)
	}
	if re.Code != code || re.Key != key {
		t.Fatalf("got %s %s, want %s %s", re.Code, re.Key, code, key)
	}
}

// wantField fails unless err carries key for field.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) {
		t.Fatalf("got error %v, want field %s: %s", err, field, key)
	}
	if got := re.Fields[field]; got != key {
		t.Fatalf("field %s: got %q, want %q (error %v)", field, got, key, err)
	}
}

// sqliteStore opens a fresh SQLite store, for tests that need one engine.
func sqliteStore(t *testing.T) func(ravao.Clock) (ravao.Store, error) {
	return func(c ravao.Clock) (ravao.Store, error) {
		return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ravao.db"), c, sqlite.Options{})
	}
}
