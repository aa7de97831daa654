package ravao_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlite"
)

// TestLeased runs one job on two "servers" sharing a store: only one runs
// it; when that one stops, releasing the lease, the other takes it over.
func TestLeased(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "lease.db"), ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var running, starts [2]atomic.Int32
	run := func(i int) (stop func()) {
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		l := ravao.Lease{Store: st, Name: "job", Holder: ravao.NewHolder(), TTL: 300 * time.Millisecond}
		go func() {
			defer close(done)
			ravao.Leased(ctx, l, func(ctx context.Context) {
				starts[i].Add(1)
				running[i].Store(1)
				<-ctx.Done()
				running[i].Store(0)
			})
		}()
		return func() { cancel(); <-done }
	}
	stopA := run(0)
	leaseWait(t, func() bool { return running[0].Load() == 1 })
	stopB := run(1)
	defer stopB()
	time.Sleep(time.Second) // B tries three times a second
	if starts[1].Load() != 0 || starts[0].Load() != 1 {
		t.Fatalf("both running: A started %d times, B %d; want A once, B never", starts[0].Load(), starts[1].Load())
	}
	stopA()
	leaseWait(t, func() bool { return running[1].Load() == 1 })
	if starts[1].Load() != 1 {
		t.Errorf("B started %d times after A stopped, want 1", starts[1].Load())
	}
	if h := leaseHolder(t, st); h == "" {
		t.Error("no holder while B runs the job")
	}
}

// TestLeasedOneShot runs a job that ends on its own: Leased returns, and
// the lease is free again.
func TestLeasedOneShot(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "lease.db"), ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 0
	ravao.Leased(ctx, ravao.Lease{Store: st, Name: "once", Holder: "a", TTL: time.Minute}, func(context.Context) { n++ })
	if n != 1 {
		t.Errorf("one-shot job ran %d times, want 1", n)
	}
	err = st.View(ctx, func(tx ravao.Tx) error {
		_, _, err := tx.Lease("once")
		return err
	})
	if !ravao.IsNotFound(err) {
		t.Errorf("lease of a finished job: %v, want it released", err)
	}
}

func leaseHolder(t *testing.T, st ravao.Store) string {
	t.Helper()
	var h string
	err := st.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		h, _, err = tx.Lease("job")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestSharedLimit counts one client's attempts on two servers in one
// store: the limit is shared; another client, the next window and
// another scope start afresh.
func TestSharedLimit(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "limit.db"), ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash := func(ip string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(ip))) }
	a := ravao.SharedLimit{Store: st, Scope: "login", Key: hash, Limit: 3, Per: time.Minute}
	b := a
	now := time.Date(2026, 11, 26, 10, 0, 5, 0, time.UTC)
	for i, lim := range []ravao.SharedLimit{a, b, a} {
		if !lim.Allow("203.0.113.7", now) {
			t.Fatalf("attempt %d of 3: refused", i+1)
		}
	}
	if b.Allow("203.0.113.7", now) {
		t.Error("4th attempt, on the other server: allowed")
	}
	if !b.Allow("203.0.113.8", now) {
		t.Error("another client: refused")
	}
	if !a.Allow("203.0.113.7", now.Add(time.Minute)) {
		t.Error("the next minute: refused")
	}
	sms := ravao.SharedLimit{Store: st, Scope: "sms", Key: hash, Limit: 1, Per: time.Minute}
	if !sms.Allow("203.0.113.7", now.Add(time.Minute)) {
		t.Error("another scope: counted with login")
	}
}

func leaseWait(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("waited 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
