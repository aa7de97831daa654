package storetest

import (
	"time"

	"github.com/ravao/ravao"
)

var leaseTests = []test{
	{"Leases", testLeases},
	{"RateCounters", testRateCounters},
}

// acquire runs AcquireLease in its own transaction.
func (e *env) acquire(name, holder string, ttl time.Duration) bool {
	e.t.Helper()
	var ok bool
	e.update(func(tx ravao.Tx) error {
		var err error
		ok, err = tx.AcquireLease(name, holder, ttl)
		return err
	})
	return ok
}

func testLeases(e *env) {
	e.view(func(tx ravao.Tx) error {
		_, _, err := tx.Lease("purge")
		wantCode(e.t, "Lease never taken", err, ravao.NotFound)
		return nil
	})
	steps := []struct {
		what    string
		advance time.Duration
		holder  string
		want    bool
	}{
		{"a takes a free lease", 0, "a", true},
		{"b cannot take a's lease", 0, "b", false},
		{"a renews its own lease", 20 * time.Second, "a", true},
		{"b cannot take it before it expires", 29 * time.Second, "b", false},
		{"b takes it over once expired", 2 * time.Second, "b", true},
		{"a cannot take it back from b", 0, "a", false},
	}
	for _, s := range steps {
		e.clock.Advance(s.advance)
		if got := e.acquire("purge", s.holder, 30*time.Second); got != s.want {
			e.t.Fatalf("%s: AcquireLease = %v, want %v", s.what, got, s.want)
		}
	}
	e.view(func(tx ravao.Tx) error {
		h, until, err := tx.Lease("purge")
		if err != nil || h != "b" || !until.Equal(e.now().Add(30*time.Second)) {
			e.t.Errorf("Lease: %q until %v, %v; want b until %v", h, until, err, e.now().Add(30*time.Second))
		}
		return nil
	})
	if !e.acquire("reports", "a", time.Minute) {
		e.t.Error("a lease on another name: refused")
	}
	e.update(func(tx ravao.Tx) error { return tx.ReleaseLease("purge", "a") })
	if e.acquire("purge", "a", time.Minute) {
		e.t.Error("a's release of b's lease freed it")
	}
	e.update(func(tx ravao.Tx) error { return tx.ReleaseLease("purge", "b") })
	if !e.acquire("purge", "a", time.Minute) {
		e.t.Error("a lease released by its holder: not free")
	}
}

func testRateCounters(e *env) {
	hit := func(key string, window time.Time) bool {
		var ok bool
		e.update(func(tx ravao.Tx) error {
			var err error
			ok, err = tx.Hit(key, window, 3)
			return err
		})
		return ok
	}
	w1 := e.now().Truncate(time.Minute)
	for i := 1; i <= 4; i++ {
		if got := hit("login:k1", w1); got != (i <= 3) {
			e.t.Errorf("hit %d of limit 3 in one window: allowed = %v", i, got)
		}
	}
	if !hit("login:k2", w1) {
		e.t.Error("another key's first hit: refused")
	}
	w2 := w1.Add(time.Minute)
	if !hit("login:k1", w2) {
		e.t.Error("first hit of the next window: refused")
	}
	var n int
	e.update(func(tx ravao.Tx) error {
		var err error
		n, err = tx.PruneRateCounters(w2)
		return err
	})
	if n != 1 {
		e.t.Errorf("PruneRateCounters: %d windows, want 1 (k2's; k1's old window went with its next hit)", n)
	}
	if !hit("login:k2", w2) {
		e.t.Error("k2 after pruning: refused")
	}
}
