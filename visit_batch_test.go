package ravao_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
)

// errInjected is the commit failure the tests inject.
var errInjected = errors.New("injected commit failure")

// batchEnv is a store on one engine with a venue, people to check in, and
// hooks on its commits.
type batchEnv struct {
	t       testing.TB
	ctx     context.Context
	st      ravao.Store
	db      *sqlstore.DB
	w       *ravao.VisitWriter
	ven     ravao.Venue
	cp      ravao.Checkpoint
	people  []int64
	holder  int64 // the person of holdNext's check-in, not in people
	now     time.Time
	commits atomic.Int64
	// enter makes recordAll hand check-ins without a Prepare to
	// VisitWriter.Enter, which writes a batch's together, instead of
	// RecordWith.
	enter bool

	mu      sync.Mutex
	hold    chan struct{} // the next commit waits until it is closed
	holding chan struct{} // closed once that commit waits
	fail    func() bool   // whether to fail a commit
}

// sqlDB is the shared SQL store under an engine's store.
func sqlDB(t testing.TB, st ravao.Store) *sqlstore.DB {
	switch s := st.(type) {
	case *sqlite.Store:
		return s.DB
	case *postgres.Store:
		return s.DB
	}
	t.Fatalf("unknown store %T", st)
	return nil
}

// newBatchEnv opens a fresh store and stores a venue and people people.
func newBatchEnv(t testing.TB, open svctest.Opener, people int) *batchEnv {
	now := time.Now().UTC().Truncate(time.Millisecond)
	st, err := open(&ravao.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &batchEnv{t: t, ctx: context.Background(), st: st, db: sqlDB(t, st), now: now}
	e.w = &ravao.VisitWriter{Store: st}
	err = st.Update(e.ctx, func(tx ravao.Tx) error {
		org := ravao.Organisation{Name: "Chợ Phủ Lý", UnitCode: "00001", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		e.ven = ravao.Venue{OrganisationID: org.ID, Name: "Chợ Phủ Lý", Type: ravao.VenueMarket,
			Sector: ravao.SectorCommerce, UnitCode: "00001", Address: "1 Lê Lợi", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&e.ven); err != nil {
			return err
		}
		e.cp = ravao.Checkpoint{VenueID: e.ven.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		if err := tx.CreateCheckpoint(&e.cp); err != nil {
			return err
		}
		e.people = e.people[:0]
		for i := range people + 1 {
			p := ravao.PersonRecord{ID: int64(1<<40 + i), PhoneKey: key("phone", i), IDNumberKey: key("id", i),
				Sealed: []byte("sealed"), BirthYear: 1990, Sex: ravao.SexFemale, UnitCode: "00001",
				ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now.Add(-time.Hour)}
			if err := tx.CreatePerson(&p); err != nil {
				return err
			}
			e.people = append(e.people, p.ID)
		}
		e.people, e.holder = e.people[:people], e.people[people]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.db.BeforeCommit = e.beforeCommit
	return e
}

// key is a 32-byte lookup key, distinct per kind and i.
func key(kind string, i int) []byte {
	return fmt.Appendf(nil, "%-12s%020d", kind, i)
}

// beforeCommit counts commits, holds one when asked and injects failures.
func (e *batchEnv) beforeCommit() error {
	e.commits.Add(1)
	e.mu.Lock()
	hold, holding, fail := e.hold, e.holding, e.fail
	e.hold = nil
	e.mu.Unlock()
	if hold != nil {
		close(holding)
		<-hold
	}
	if fail != nil && fail() {
		return errInjected
	}
	return nil
}

// holdNext makes the next commit wait until release is called, so that
// check-ins started meanwhile queue up into the next batch. It returns
// once a check-in is inside the held commit.
func (e *batchEnv) holdNext() (release func()) {
	hold, holding := make(chan struct{}), make(chan struct{})
	e.mu.Lock()
	e.hold, e.holding = hold, holding
	e.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		v := e.visit(0, "")
		v.PersonID = e.holder
		_, err := e.w.Record(e.ctx, &v)
		done <- err
	}()
	<-holding
	return func() {
		close(hold)
		if err := <-done; err != nil {
			e.t.Errorf("held check-in: %v", err)
		}
	}
}

// visit is a check-in of the i-th person under key.
func (e *batchEnv) visit(i int, key string) ravao.Visit {
	return ravao.Visit{PersonID: e.people[i%len(e.people)], VenueID: e.ven.ID, CheckpointID: e.cp.ID,
		InAt: e.now, Decision: ravao.Green, Source: ravao.SourceGate, IdempotencyKey: key}
}

// result is what one concurrent check-in got.
type result struct {
	key     string
	v       ravao.Visit
	existed bool
	err     error
}

// recordAll records the check-ins concurrently, waits until every one has
// started and a little more so that they queue behind a held commit, then
// calls release and returns their results.
func (e *batchEnv) recordAll(vs []ravao.Visit, prepare func(i int) ravao.Prepare, release func()) []result {
	out := make([]result, len(vs))
	var started, wg sync.WaitGroup
	started.Add(len(vs))
	for i := range vs {
		wg.Go(func() {
			var p ravao.Prepare
			if prepare != nil {
				p = prepare(i)
			}
			started.Done()
			v := vs[i]
			var existed bool
			var err error
			if e.enter && p == nil {
				at := v.InAt
				existed, _, err = e.w.Enter(e.ctx, &v, func(v *ravao.Visit, _ time.Time) { v.InAt = at })
			} else {
				existed, err = e.w.RecordWith(e.ctx, &v, p)
			}
			out[i] = result{vs[i].IdempotencyKey, v, existed, err}
		})
	}
	started.Wait()
	time.Sleep(20 * time.Millisecond)
	if release != nil {
		release()
	}
	wg.Wait()
	return out
}

// stored says whether a visit under key is stored.
func (e *batchEnv) stored(key string) bool {
	var found bool
	err := e.st.View(e.ctx, func(tx ravao.Tx) error {
		_, err := tx.VisitByIdempotencyKey(key)
		found = err == nil
		if ravao.IsNotFound(err) {
			return nil
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return found
}

// checkIns is the venue's check-ins today in venue_days.
func (e *batchEnv) checkIns() int {
	day := ravao.DayOf(e.now, svctest.ICT)
	var n int
	err := e.st.View(e.ctx, func(tx ravao.Tx) error {
		days, err := tx.VenueDays(e.ven.ID, day, day)
		for _, d := range days {
			n += d.CheckIns
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// writeModes runs fn on both engines twice: check-ins handed to
// VisitWriter.RecordWith, then to VisitWriter.Enter.
func writeModes(t *testing.T, fn func(t *testing.T, open svctest.Opener, enter bool)) {
	for _, enter := range []bool{false, true} {
		t.Run(map[bool]string{false: "RecordWith", true: "Enter"}[enter], func(t *testing.T) {
			svctest.Engines(t, func(t *testing.T, open svctest.Opener) { fn(t, open, enter) })
		})
	}
}

// TestGroupCommit: 200 concurrent check-ins are all acknowledged and
// stored, in fewer transactions than check-ins, and venue_days counts
// them all.
func TestGroupCommit(t *testing.T) {
	writeModes(t, func(t *testing.T, open svctest.Opener, enter bool) {
		e := newBatchEnv(t, open, 200)
		e.enter = enter
		const n = 200
		vs := make([]ravao.Visit, n)
		for i := range vs {
			vs[i] = e.visit(i, fmt.Sprint("a/", i))
		}
		e.commits.Store(0)
		res := e.recordAll(vs, nil, e.holdNext())
		ids := map[int64]bool{}
		for _, r := range res {
			if r.err != nil || r.existed || r.v.ID == 0 {
				t.Errorf("%s: id %d existed %v err %v", r.key, r.v.ID, r.existed, r.err)
			}
			ids[r.v.ID] = true
			if !e.stored(r.key) {
				t.Errorf("%s acknowledged but not stored", r.key)
			}
		}
		if len(ids) != n {
			t.Errorf("%d distinct IDs, want %d", len(ids), n)
		}
		commits := e.commits.Load()
		t.Logf("%d check-ins (+1 held) in %d commits", n, commits)
		if commits >= n {
			t.Errorf("%d commits for %d check-ins: not grouped", commits, n)
		}
		if got := e.checkIns(); got != n+1 {
			t.Errorf("venue_days check-ins %d, want %d", got, n+1)
		}
	})
}

// TestGroupCommitOneFails: check-ins that fail in the store (a missing
// person, a Prepare that writes and then fails) fail alone; the good ones
// of the same batch are stored and the failed ones left nothing behind.
func TestGroupCommitOneFails(t *testing.T) {
	writeModes(t, func(t *testing.T, open svctest.Opener, enter bool) {
		e := newBatchEnv(t, open, 40)
		e.enter = enter
		vs := make([]ravao.Visit, 40)
		for i := range vs {
			vs[i] = e.visit(i, fmt.Sprint("b/", i))
		}
		vs[7].PersonID = 1 << 50 // no such person: the insert itself fails
		prepare := func(i int) ravao.Prepare {
			if i != 21 {
				return nil
			}
			return func(tx ravao.Tx, v *ravao.Visit) (bool, error) {
				if err := tx.PutSetting("half-written", "yes"); err != nil {
					return false, err
				}
				return false, ravao.Errorf(ravao.Conflict, "err.venue_not_active")
			}
		}
		e.commits.Store(0)
		res := e.recordAll(vs, prepare, e.holdNext())
		for i, r := range res {
			bad := i == 7 || i == 21
			if bad != (r.err != nil) {
				t.Errorf("%s: err %v", r.key, r.err)
			}
			if stored := e.stored(r.key); stored == bad {
				t.Errorf("%s: stored %v, want %v", r.key, stored, !bad)
			}
		}
		if ravao.ErrorCode(res[7].err) != ravao.Invalid || ravao.ErrorCode(res[21].err) != ravao.Conflict {
			t.Errorf("errors: %v, %v", res[7].err, res[21].err)
		}
		err := e.st.View(e.ctx, func(tx ravao.Tx) error {
			_, err := tx.Setting("half-written")
			return err
		})
		if !ravao.IsNotFound(err) {
			t.Errorf("the failed check-in's write is stored: %v", err)
		}
		t.Logf("40 check-ins (+1 held) in %d commits", e.commits.Load())
		if got := e.checkIns(); got != 38+1 {
			t.Errorf("venue_days check-ins %d, want 39", got)
		}
	})
}

// TestGroupCommitFailures injects commit failures at random over many
// rounds of concurrent check-ins: every check-in that got an error is
// absent, every acknowledged one is stored, and venue_days counts exactly
// the stored ones.
func TestGroupCommitFailures(t *testing.T) {
	writeModes(t, func(t *testing.T, open svctest.Opener, enter bool) {
		e := newBatchEnv(t, open, 15*30) // a person enters once (Enter)
		e.enter = enter
		e.w.MaxBatch = 8 // several batches per round
		var mu sync.Mutex
		rng := rand.New(rand.NewPCG(9, 9))
		e.fail = func() bool {
			mu.Lock()
			defer mu.Unlock()
			return rng.IntN(3) == 0
		}
		acked, failed := 0, 0
		for round := range 15 {
			vs := make([]ravao.Visit, 30)
			for i := range vs {
				vs[i] = e.visit(round*30+i, fmt.Sprintf("c/%d/%d", round, i))
			}
			for _, r := range e.recordAll(vs, nil, nil) {
				switch {
				case r.err == nil:
					acked++
					if !e.stored(r.key) {
						t.Errorf("%s acknowledged but not stored", r.key)
					}
				case errors.Is(r.err, errInjected):
					failed++
					if e.stored(r.key) {
						t.Errorf("%s failed (%v) but stored", r.key, r.err)
					}
				default:
					t.Errorf("%s: %v", r.key, r.err)
				}
			}
		}
		t.Logf("%d acknowledged, %d failed, %d commits", acked, failed, e.commits.Load())
		if acked == 0 || failed == 0 {
			t.Errorf("want both outcomes: %d acknowledged, %d failed", acked, failed)
		}
		if got := e.checkIns(); got != acked {
			t.Errorf("venue_days check-ins %d, want the %d acknowledged", got, acked)
		}
	})
}

// TestGroupCommitSameKey: one idempotency key twice in one batch stores
// one visit; the first call to run stores it, the second gets it back with
// existed=true.
func TestGroupCommitSameKey(t *testing.T) {
	writeModes(t, func(t *testing.T, open svctest.Opener, enter bool) {
		e := newBatchEnv(t, open, 4)
		e.enter = enter
		vs := []ravao.Visit{e.visit(1, "d/1"), e.visit(1, "d/1"), e.visit(2, "d/2")}
		e.commits.Store(0)
		res := e.recordAll(vs, nil, e.holdNext())
		if e.commits.Load() != 2 {
			t.Logf("expected the three in one batch: %d commits", e.commits.Load())
		}
		for _, r := range res {
			if r.err != nil {
				t.Fatalf("%s: %v", r.key, r.err)
			}
		}
		if res[0].v.ID != res[1].v.ID || res[0].existed == res[1].existed || res[2].existed {
			t.Errorf("same key: %+v / %+v / %+v", res[0], res[1], res[2])
		}
		if got := e.checkIns(); got != 2+1 {
			t.Errorf("venue_days check-ins %d, want 3", got)
		}
	})
}

// TestUpdateEach runs fns in one transaction directly: a failing fn's
// writes are rolled back to its savepoint (on PostgreSQL, after a failed
// statement too), the others kept; a failed commit keeps nothing.
func TestUpdateEach(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newBatchEnv(t, open, 2)
		put := func(k string, fail bool) func(ravao.Tx) error {
			return func(tx ravao.Tx) error {
				if err := tx.PutSetting(k, "v"); err != nil {
					return err
				}
				if fail {
					v := e.visit(0, "")
					v.PersonID = 1 << 50
					return tx.InsertVisits([]*ravao.Visit{&v}) // a failing statement
				}
				return nil
			}
		}
		errs, err := e.st.UpdateEach(e.ctx, []func(ravao.Tx) error{put("k1", false), put("k2", true), put("k3", false)})
		if err != nil || errs[0] != nil || errs[1] == nil || errs[2] != nil {
			t.Fatalf("UpdateEach: %v %v", errs, err)
		}
		e.fail = func() bool { return true }
		if errs, err := e.st.UpdateEach(e.ctx, []func(ravao.Tx) error{put("k4", false)}); !errors.Is(err, errInjected) || errs != nil {
			t.Fatalf("UpdateEach with a failed commit: %v %v", errs, err)
		}
		e.fail = nil
		for k, want := range map[string]bool{"k1": true, "k2": false, "k3": true, "k4": false} {
			err := e.st.View(e.ctx, func(tx ravao.Tx) error { _, err := tx.Setting(k); return err })
			if (err == nil) != want {
				t.Errorf("setting %s: %v, want stored %v", k, err, want)
			}
		}
	})
}

// TestGroupCommitCancelled: a check-in whose caller gives up while it
// waits for its batch returns the caller's error at once and, since its
// batch had not begun, is left out of it; the others are stored.
func TestGroupCommitCancelled(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newBatchEnv(t, open, 4)
		release := e.holdNext()
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan error, 1)
		go func() {
			v := e.visit(1, "e/gone")
			_, err := e.w.Record(ctx, &v)
			done <- err
		}()
		time.Sleep(20 * time.Millisecond)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled check-in: %v", err)
		}
		res := e.recordAll([]ravao.Visit{e.visit(2, "e/kept")}, nil, release)
		if res[0].err != nil || !e.stored("e/kept") {
			t.Errorf("kept check-in: %v", res[0].err)
		}
		if e.stored("e/gone") {
			t.Error("the cancelled check-in was stored although its batch had not begun")
		}
	})
}

// TestVisitWriterWrite: other writes (a gate's exit, a tap out) join the
// group commit beside check-ins; one that fails after writing leaves
// nothing behind, the others of its batch are kept.
func TestVisitWriterWrite(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newBatchEnv(t, open, 10)
		e.commits.Store(0)
		release := e.holdNext()
		errs := make([]error, 10)
		var started, wg sync.WaitGroup
		started.Add(len(errs))
		for i := range errs {
			wg.Go(func() {
				started.Done()
				if i%2 == 0 {
					v := e.visit(i, fmt.Sprint("w/", i))
					_, errs[i] = e.w.Record(e.ctx, &v)
					return
				}
				errs[i] = e.w.Write(e.ctx, func(tx ravao.Tx) error {
					if err := tx.PutSetting(fmt.Sprint("write/", i), "yes"); err != nil {
						return err
					}
					if i == 5 {
						return ravao.Errorf(ravao.Conflict, "err.visit_closed")
					}
					return nil
				})
			})
		}
		started.Wait()
		time.Sleep(20 * time.Millisecond)
		release()
		wg.Wait()
		for i, err := range errs {
			if (i == 5) != (err != nil) {
				t.Errorf("call %d: %v", i, err)
			}
			if i%2 == 0 && !e.stored(fmt.Sprint("w/", i)) {
				t.Errorf("check-in %d acknowledged but not stored", i)
			}
			if i%2 == 1 {
				err := e.st.View(e.ctx, func(tx ravao.Tx) error {
					_, err := tx.Setting(fmt.Sprint("write/", i))
					return err
				})
				if (i == 5) != ravao.IsNotFound(err) {
					t.Errorf("write %d: setting read %v", i, err)
				}
			}
		}
		t.Logf("10 calls (+1 held) in %d commits", e.commits.Load())
		if e.commits.Load() >= 10 {
			t.Errorf("%d commits for 10 calls: not grouped", e.commits.Load())
		}
	})
}
