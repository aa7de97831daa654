package storetest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

var txTests = []test{
	{"Update/Commit", testCommit},
	{"Update/RollbackOnError", testRollbackOnError},
	{"Update/RollbackOnPanic", testRollbackOnPanic},
	{"Update/Concurrent", testConcurrentUpdates},
	{"View/CannotWrite", testViewCannotWrite},
	{"Peek/CannotWrite", testPeekCannotWrite},
	{"Now", testNow},
	{"Ping", testPing},
}

func testCommit(e *env) {
	e.update(func(tx ravao.Tx) error { return tx.PutSetting("k", "v") })
	e.view(func(tx ravao.Tx) error {
		if v, err := tx.Setting("k"); err != nil || v != "v" {
			e.t.Errorf("Setting after commit: got %q, %v; want \"v\"", v, err)
		}
		return nil
	})
}

// mustBeEmpty checks that no setting "k", no user "ghost" and no audit
// event exist: what the rollback tests try to write.
func mustBeEmpty(e *env) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if _, err := tx.Setting("k"); !ravao.IsNotFound(err) {
			e.t.Errorf("Setting after rollback: got %v, want NotFound", err)
		}
		if _, err := tx.UserByLogin("ghost"); !ravao.IsNotFound(err) {
			e.t.Errorf("UserByLogin after rollback: got %v, want NotFound", err)
		}
		if ev, err := tx.AuditEvents(ravao.AuditFilter{}); err != nil || len(ev) != 0 {
			e.t.Errorf("AuditEvents after rollback: got %d events, %v; want none", len(ev), err)
		}
		return nil
	})
}

// writeThings writes what mustBeEmpty looks for.
func writeThings(tx ravao.Tx) error {
	if err := tx.PutSetting("k", "v"); err != nil {
		return err
	}
	u := ravao.User{Login: "ghost", DisplayName: "Ghost", PasswordHash: "x"}
	if err := tx.CreateUser(&u); err != nil {
		return err
	}
	return tx.AppendAudit(&ravao.AuditEvent{Action: "user.create"})
}

func testRollbackOnError(e *env) {
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		if err := writeThings(tx); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		e.t.Fatalf("Update: got %v, want the error fn returned", err)
	}
	mustBeEmpty(e)
}

func testRollbackOnPanic(e *env) {
	func() {
		defer func() {
			if recover() == nil {
				e.t.Fatalf("Update swallowed the panic of fn")
			}
		}()
		e.s.Update(e.ctx, func(tx ravao.Tx) error {
			if err := writeThings(tx); err != nil {
				return err
			}
			panic("storetest")
		})
	}()
	mustBeEmpty(e)
	e.update(func(tx ravao.Tx) error { return tx.PutSetting("after", "panic") })
}

func testConcurrentUpdates(e *env) {
	const n = 20
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs <- e.s.Update(e.ctx, func(tx ravao.Tx) error {
				if err := tx.PutSetting(fmt.Sprintf("k%d", i), "v"); err != nil {
					return err
				}
				u := ravao.User{Login: fmt.Sprintf("user%d", i), DisplayName: "U", PasswordHash: "x"}
				if err := tx.CreateUser(&u); err != nil {
					return err
				}
				return tx.AppendAudit(&ravao.AuditEvent{UserID: u.ID, Action: "user.create"})
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			e.t.Errorf("concurrent Update: %v", err)
		}
	}
	e.view(func(tx ravao.Tx) error {
		ev, err := tx.AuditEvents(ravao.AuditFilter{})
		if err != nil || len(ev) != n {
			e.t.Errorf("AuditEvents: got %d, %v; want %d", len(ev), err, n)
		}
		return nil
	})
}

func testViewCannotWrite(e *env) {
	err := e.s.View(e.ctx, func(tx ravao.Tx) error { return tx.PutSetting("k", "v") })
	if err == nil {
		e.t.Fatalf("PutSetting in View: got nil error, want a failure")
	}
	err = e.s.View(e.ctx, func(tx ravao.Tx) error {
		return tx.AppendAudit(&ravao.AuditEvent{Action: "user.create"})
	})
	if err == nil {
		e.t.Fatalf("AppendAudit in View: got nil error, want a failure")
	}
	e.view(func(tx ravao.Tx) error {
		if _, err := tx.Setting("k"); !ravao.IsNotFound(err) {
			e.t.Errorf("Setting written in View: got %v, want NotFound", err)
		}
		return nil
	})
}

// testPeekCannotWrite checks that a write in a Peek panics before it
// reaches the database, whichever way it is written.
func testPeekCannotWrite(e *env) {
	writes := map[string]func(tx ravao.Tx) error{
		"PutSetting":  func(tx ravao.Tx) error { return tx.PutSetting("k", "v") },
		"AppendAudit": func(tx ravao.Tx) error { return tx.AppendAudit(&ravao.AuditEvent{Action: "user.create"}) },
		"CreateOrganisation": func(tx ravao.Tx) error {
			return tx.CreateOrganisation(&ravao.Organisation{Name: "Peek", UnitCode: "00001", Sector: ravao.SectorCommerce})
		},
		"Hit": func(tx ravao.Tx) error { _, err := tx.Hit("k", e.now(), 5); return err },
		"InsertVisits": func(tx ravao.Tx) error {
			return tx.InsertVisits([]*ravao.Visit{{PersonID: 1, VenueID: 1, CheckpointID: 1, InAt: e.now()}})
		},
	}
	for name, fn := range writes {
		func() {
			defer func() {
				if recover() == nil {
					e.t.Errorf("%s in Peek: no panic, want one", name)
				}
			}()
			e.s.Peek(e.ctx, fn)
		}()
	}
	if err := e.s.Peek(e.ctx, func(tx ravao.Tx) error {
		if _, err := tx.Setting("k"); !ravao.IsNotFound(err) {
			e.t.Errorf("Setting written in Peek: got %v, want NotFound", err)
		}
		return nil
	}); err != nil {
		e.t.Fatalf("Peek: %v", err)
	}
	e.update(func(tx ravao.Tx) error {
		if ok, err := tx.Hit("k", e.now(), 1); !ok || err != nil {
			e.t.Errorf("first Hit after the Peek: got %v, %v; want within the limit (the Peek counted nothing)", ok, err)
		}
		return nil
	})
}

func testNow(e *env) {
	want := e.now()
	if want.Equal(e.clock.T) {
		e.t.Fatalf("the suite's clock must have sub-millisecond digits")
	}
	var u ravao.User
	e.update(func(tx ravao.Tx) error {
		first := tx.Now()
		e.clock.Advance(time.Hour) // a clock moving during fn must not change Now
		if !first.Equal(want) || !tx.Now().Equal(first) || first.Location() != time.UTC {
			e.t.Errorf("Now: got %v then %v, want %v twice, in UTC", first, tx.Now(), want)
		}
		u = ravao.User{Login: "now", DisplayName: "Now", PasswordHash: "x"}
		return tx.CreateUser(&u)
	})
	if !u.CreatedAt.Equal(want) || !u.UpdatedAt.Equal(want) {
		e.t.Errorf("CreatedAt, UpdatedAt: got %v, %v; want %v", u.CreatedAt, u.UpdatedAt, want)
	}
	e.view(func(tx ravao.Tx) error {
		if got := tx.Now(); !got.Equal(want.Add(time.Hour)) {
			e.t.Errorf("View Now: got %v, want %v", got, want.Add(time.Hour))
		}
		got, err := tx.User(u.ID)
		if err != nil || !got.CreatedAt.Equal(want) {
			e.t.Errorf("stored CreatedAt: got %v, %v; want %v", got.CreatedAt, err, want)
		}
		return nil
	})
}

func testPing(e *env) {
	if err := e.s.Ping(e.ctx); err != nil {
		e.t.Errorf("Ping: %v", err)
	}
}
