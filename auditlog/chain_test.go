package auditlog_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

// testVault is a vault on a fixed master key.
func testVault(t testing.TB, b byte) *vault.Vault {
	t.Helper()
	v, err := vault.New(bytes.Repeat([]byte{b}, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// chainEnv is a store on one engine, its raw connection (for tampering as
// someone with the database would) and the service.
type chainEnv struct {
	t      *testing.T
	ctx    context.Context
	st     ravao.Store
	raw    *sql.DB
	engine string
	svc    *auditlog.Service
	clock  *ravao.FixedClock
}

func newChainEnv(t *testing.T, open svctest.Opener) *chainEnv {
	t.Helper()
	clock := &ravao.FixedClock{T: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)}
	st, err := open(clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &chainEnv{t: t, ctx: context.Background(), st: st, clock: clock}
	switch s := st.(type) {
	case *sqlite.Store:
		e.raw, e.engine = s.Writer, "sqlite"
	case *postgres.Store:
		e.raw, e.engine = s.Writer, "postgres"
	default:
		t.Fatalf("unknown store %T", st)
	}
	if e.svc, err = auditlog.New(st, testVault(t, 7), auditlog.Config{Clock: clock}); err != nil {
		t.Fatal(err)
	}
	return e
}

// appendEvents appends n events, several per transaction, varied enough
// that every field takes part in the hash.
func (e *chainEnv) appendEvents(n int) {
	e.t.Helper()
	for i := 0; i < n; i += 10 {
		err := e.st.Update(e.ctx, func(tx ravao.Tx) error {
			for j := i; j < min(i+10, n); j++ {
				ev := ravao.AuditEvent{UserID: int64(j % 3), Role: ravao.RoleHealth, Action: "case.view",
					ObjectType: "case", ObjectID: "42", Reason: "điều tra ổ dịch", RequestID: "req"}
				if err := tx.AppendAudit(&ev); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			e.t.Fatal(err)
		}
		e.clock.Advance(time.Second)
	}
}

// sealAll seals in batches until nothing is left.
func (e *chainEnv) sealAll() int {
	e.t.Helper()
	n, err := e.svc.SealAll(e.ctx)
	if err != nil {
		e.t.Fatalf("SealAll: %v", err)
	}
	return n
}

// exec runs a statement on the raw connection.
func (e *chainEnv) exec(q string, args ...any) error {
	_, err := e.raw.ExecContext(e.ctx, q, args...)
	return err
}

// dropTriggers removes the append-only triggers, as someone with the
// database file or a superuser could.
func (e *chainEnv) dropTriggers() {
	e.t.Helper()
	qs := []string{`DROP TRIGGER audit_events_no_delete`, `DROP TRIGGER audit_events_seal_only`}
	if e.engine == "postgres" {
		qs = []string{`DROP TRIGGER audit_events_append_only ON audit_events`}
	}
	for _, q := range qs {
		if err := e.exec(q); err != nil {
			e.t.Fatal(err)
		}
	}
}

// idAt is the event ID of a seq.
func (e *chainEnv) idAt(seq int64) int64 {
	e.t.Helper()
	var id int64
	if err := e.raw.QueryRowContext(e.ctx, `SELECT id FROM audit_events WHERE seq = $1`, seq).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// verify runs Verify and fails the test on error.
func (e *chainEnv) verify() auditlog.Verification {
	e.t.Helper()
	v, err := e.svc.Verify(e.ctx)
	if err != nil {
		e.t.Fatalf("Verify: %v", err)
	}
	return v
}

// wantBroken checks that Verify names the entry of seq for reason.
func (e *chainEnv) wantBroken(what string, checked int, seq, id int64, reason string) {
	e.t.Helper()
	v := e.verify()
	want := auditlog.BrokenEntry{Seq: seq, ID: id, Reason: reason}
	if v.Broken == nil || *v.Broken != want || v.Checked != checked {
		e.t.Fatalf("Verify after %s: got %+v (checked %d), want broken %+v after %d", what, v.Broken, v.Checked, want, checked)
	}
}

// TestChain seals a few hundred events in several batches and verifies
// them, then tampers as someone with the database would: a changed field,
// a deleted entry, a changed hash, each named by Verify.
func TestChain(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newChainEnv(t, open)
		if v := e.verify(); !v.OK() || v.Checked != 0 || v.HeadSeq != 0 || v.HeadHash != nil {
			t.Fatalf("Verify of an empty log: got %+v", v)
		}
		total := 0
		for range 3 {
			e.appendEvents(2*auditlog.SealBatch/3 + 7)
			total += 2*auditlog.SealBatch/3 + 7
			e.sealAll()
		}
		e.appendEvents(3)
		v := e.verify()
		if !v.OK() || v.Checked != total || v.HeadSeq != int64(total) || len(v.HeadHash) != 32 || v.Unsealed != 3 {
			t.Fatalf("Verify: got %+v; want %d checked, head seq %d, 3 unsealed", v, total, total)
		}
		if last := e.svc.LastVerification(); last == nil || last.HeadSeq != v.HeadSeq {
			t.Errorf("LastVerification: got %+v, want the last result", last)
		}
		if n := e.sealAll(); n != 3 {
			t.Fatalf("SealAll: sealed %d, want 3", n)
		}
		total += 3

		// The triggers refuse changes through the store's own connection.
		for _, q := range []string{
			`UPDATE audit_events SET reason = 'x' WHERE seq = 5`,
			`UPDATE audit_events SET seq = 99999 WHERE seq = 5`,
			`DELETE FROM audit_events WHERE seq = 5`,
			`DELETE FROM audit_events`,
		} {
			if err := e.exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want the append-only refusal", q, err)
			}
		}
		if e.engine == "postgres" {
			if err := e.exec(`TRUNCATE audit_events`); err == nil {
				t.Errorf("TRUNCATE: got nil error, want a refusal")
			}
		}
		if v := e.verify(); !v.OK() || v.Checked != total {
			t.Fatalf("Verify after refused changes: got %+v", v)
		}

		e.dropTriggers()
		// A changed field: the entry itself is named.
		if err := e.exec(`UPDATE audit_events SET object_id = '43' WHERE seq = 700`); err != nil {
			t.Fatal(err)
		}
		e.wantBroken("changing a field", 699, 700, e.idAt(700), auditlog.BrokenHash)
		// A changed hash, earlier: named there.
		if err := e.exec(`UPDATE audit_events SET hash = prev_hash WHERE seq = 300`); err != nil {
			t.Fatal(err)
		}
		e.wantBroken("changing a hash", 299, 300, e.idAt(300), auditlog.BrokenHash)
		// A deleted entry, earlier still: the next one is named.
		if err := e.exec(`DELETE FROM audit_events WHERE seq = 100`); err != nil {
			t.Fatal(err)
		}
		e.wantBroken("deleting an entry", 99, 101, e.idAt(101), auditlog.BrokenGap)
		// The deleted seq taken by the next entry: the link breaks.
		if err := e.exec(`UPDATE audit_events SET seq = 100 WHERE seq = 101`); err != nil {
			t.Fatal(err)
		}
		e.wantBroken("deleting and renumbering", 99, 100, e.idAt(100), auditlog.BrokenLink)
	})
}

// TestChainTail checks that deleting the last entries leaves a chain that
// verifies with an earlier head: the head written down is what shows it.
func TestChainTail(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newChainEnv(t, open)
		e.appendEvents(20)
		e.sealAll()
		before := e.verify()
		e.dropTriggers()
		if err := e.exec(`DELETE FROM audit_events WHERE seq > 15`); err != nil {
			t.Fatal(err)
		}
		after := e.verify()
		if !after.OK() || after.HeadSeq != 15 || bytes.Equal(after.HeadHash, before.HeadHash) {
			t.Fatalf("Verify after cutting the tail: got %+v; want intact up to 15, a head differing from %x", after, before.HeadHash)
		}
	})
}

// TestChainKey checks that the chain needs the master key: another key
// finds the first entry wrong.
func TestChainKey(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newChainEnv(t, open)
		e.appendEvents(5)
		e.sealAll()
		other, err := auditlog.New(e.st, testVault(t, 8), auditlog.Config{})
		if err != nil {
			t.Fatal(err)
		}
		v, err := other.Verify(e.ctx)
		if err != nil || v.Broken == nil || v.Broken.Seq != 1 || v.Broken.Reason != auditlog.BrokenHash {
			t.Fatalf("Verify with another key: got %+v, %v; want broken at seq 1", v, err)
		}
		if bytes.Equal(testVault(t, 7).AuditKey(), testVault(t, 8).AuditKey()) ||
			!bytes.Equal(testVault(t, 7).AuditKey(), testVault(t, 7).AuditKey()) || len(testVault(t, 7).AuditKey()) != 32 {
			t.Errorf("AuditKey: want 32 bytes, the same for a master key and different for another")
		}
	})
}

// TestConcurrentSealers runs two sealers at once, as two servers would,
// while events keep coming: the chain never forks, seq has no gap.
func TestConcurrentSealers(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newChainEnv(t, open)
		other, err := auditlog.New(e.st, testVault(t, 7), auditlog.Config{})
		if err != nil {
			t.Fatal(err)
		}
		e.appendEvents(50)
		var wg sync.WaitGroup
		var mu sync.Mutex
		conflicts := 0
		for _, svc := range []*auditlog.Service{e.svc, other} {
			wg.Go(func() {
				for range 30 {
					if _, err := svc.Seal(e.ctx); err != nil {
						if ravao.ErrorCode(err) != ravao.Conflict {
							t.Errorf("Seal: %v", err)
							return
						}
						mu.Lock()
						conflicts++
						mu.Unlock()
					}
				}
			})
		}
		wg.Go(func() {
			for range 20 {
				e.appendEvents(10)
			}
		})
		wg.Wait()
		e.sealAll()
		v := e.verify()
		if !v.OK() || v.Checked != 250 || v.HeadSeq != 250 || v.Unsealed != 0 {
			t.Fatalf("Verify after concurrent sealers: got %+v (%d conflicts); want 250 intact, none unsealed", v, conflicts)
		}
		t.Logf("%d rounds lost to the other sealer", conflicts)
	})
}
