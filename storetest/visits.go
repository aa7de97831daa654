package storetest

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

var visitTests = []test{
	{"Visits/InsertBatch", testInsertVisits},
	{"Visits/IdempotencyKey", testVisitIdempotencyKey},
	{"Visits/PersonVisits", testPersonVisits},
	{"Visits/VisitWriter", testVisitWriter},
	{"Visits/OpenVisit", testOpenVisit},
	{"Visits/CheckOut", testCheckOutVisit},
	{"Visits/CheckOutRace", testCheckOutRace},
	{"Visits/DueVisits", testDueVisits},
	{"Visits/GateViews", testGateViews},
}

func testInsertVisits(e *env) {
	pl := e.mustPlace("Bến xe Phủ Lý")
	people := []ravao.PersonRecord{e.mustPerson(), e.mustPerson(), e.mustPerson()}
	const n = 500
	vs := make([]*ravao.Visit, n)
	for i := range vs {
		v := newVisit(pl, people[i%3].ID, t0.Add(time.Duration(i)*time.Second), "")
		if i%2 == 0 {
			v.IdempotencyKey = fmt.Sprintf("batch-%d", i)
		}
		if i%5 == 0 {
			v.OutAt, v.OutReason = v.InAt.Add(time.Hour), ravao.OutTap
		}
		if i%3 == 0 {
			v.RequestHash, v.DueAt = randomBytes(32), v.InAt.Add(90*time.Minute)
		}
		vs[i] = &v
	}
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits(vs) })
	ids := map[int64]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	if len(ids) != n || ids[0] {
		e.t.Fatalf("InsertVisits of %d: got %d distinct non-zero IDs", n, len(ids))
	}
	e.view(func(tx ravao.Tx) error {
		for _, want := range vs {
			if got, err := tx.Visit(want.ID); err != nil || !reflect.DeepEqual(got, *want) {
				e.t.Fatalf("Visit(%d): got %+v, %v; want %+v", want.ID, got, err, *want)
			}
		}
		_, err := tx.Visit(vs[n-1].ID + 1000)
		wantCode(e.t, "Visit of a missing ID", err, ravao.NotFound)
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits(nil) })
}

func testVisitIdempotencyKey(e *env) {
	pl := e.mustPlace("Chợ Bầu")
	p := e.mustPerson()
	v := newVisit(pl, p.ID, t0, "gate-7:0001")
	v.RequestHash, v.DueAt = randomBytes(32), t0.Add(time.Hour).Truncate(time.Millisecond)
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&v}) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.VisitByIdempotencyKey("gate-7:0001"); err != nil || !reflect.DeepEqual(got, v) {
			e.t.Errorf("VisitByIdempotencyKey: got %+v, %v; want %+v", got, err, v)
		}
		_, err := tx.VisitByIdempotencyKey("gate-7:0002")
		wantCode(e.t, "VisitByIdempotencyKey of an unknown key", err, ravao.NotFound)
		_, err = tx.VisitByIdempotencyKey("")
		wantCode(e.t, "VisitByIdempotencyKey(\"\")", err, ravao.NotFound)
		got, err := tx.VisitsByIdempotencyKeys([]string{"gate-7:0002", "gate-7:0001", "gate-7:0001", "x"})
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], v) {
			e.t.Errorf("VisitsByIdempotencyKeys: got %+v, %v; want only %+v", got, err, v)
		}
		got, err = tx.VisitsByIdempotencyKeys([]string{"gate-7:0002"})
		if err != nil || len(got) != 0 {
			e.t.Errorf("VisitsByIdempotencyKeys of unknown keys: got %+v, %v; want none", got, err)
		}
		return nil
	})
	// A batch with a stored key fails whole: nothing of it is kept.
	fresh := newVisit(pl, p.ID, t0.Add(time.Hour), "gate-7:0003")
	dup := newVisit(pl, p.ID, t0.Add(time.Hour), "gate-7:0001")
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&fresh, &dup}) })
	wantCode(e.t, "InsertVisits with a stored key", err, ravao.Conflict)
	e.view(func(tx ravao.Tx) error {
		_, err := tx.VisitByIdempotencyKey("gate-7:0003")
		wantCode(e.t, "visit of a failed batch", err, ravao.NotFound)
		return nil
	})
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		bad := newVisit(pl, p.ID+1_000_000, t0, "")
		return tx.InsertVisits([]*ravao.Visit{&bad})
	})
	wantCode(e.t, "InsertVisits of a missing person", err, ravao.Invalid)
}

func visitIDs(vs []ravao.Visit) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

func testPersonVisits(e *env) {
	pl := e.mustPlace("Bệnh viện Phủ Lý")
	p, other := e.mustPerson(), e.mustPerson()
	h := func(n int) time.Time { return t0.Truncate(time.Hour).Add(time.Duration(n) * time.Hour) }
	visit := func(person int64, in, out int) *ravao.Visit {
		v := newVisit(pl, person, h(in), "")
		if out > 0 {
			v.OutAt = h(out)
		}
		return &v
	}
	// p: 1-2, 3-5, 6-open, 10-11; other: 3-5.
	vs := []*ravao.Visit{visit(p.ID, 1, 2), visit(p.ID, 3, 5), visit(p.ID, 6, 0), visit(p.ID, 10, 11), visit(other.ID, 3, 5)}
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits(vs) })
	cases := []struct {
		name     string
		from, to time.Time
		want     []int64
	}{
		{"everything", time.Time{}, time.Time{}, []int64{vs[0].ID, vs[1].ID, vs[2].ID, vs[3].ID}},
		{"overlapping stays", h(4), h(7), []int64{vs[1].ID, vs[2].ID}},
		{"open visit still inside", h(8), h(9), []int64{vs[2].ID}},
		{"to is exclusive", h(0), h(1), []int64{}},
		{"ended at from", h(2), h(3), []int64{}},
		{"since", h(9), time.Time{}, []int64{vs[2].ID, vs[3].ID}},
		{"until", time.Time{}, h(3), []int64{vs[0].ID}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.PersonVisits(p.ID, c.from, c.to)
			if err != nil || !reflect.DeepEqual(visitIDs(got), c.want) {
				e.t.Errorf("PersonVisits(%s): got %v, %v; want %v", c.name, visitIDs(got), err, c.want)
			}
		}
		return nil
	})
}

// testVisitWriter records one check-in with the same idempotency key from
// 50 goroutines, as a gate's offline queue retrying over a bad network
// might: every call succeeds with the same visit, and one visit is stored.
func testVisitWriter(e *env) {
	pl := e.mustPlace("Cổng KCN Đồng Văn")
	p := e.mustPerson()
	w := &ravao.VisitWriter{Store: e.s}
	const n = 200 // the issue asks for 200 concurrent identical requests
	type result struct {
		v       ravao.Visit
		existed bool
		err     error
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			v := newVisit(pl, p.ID, t0, "offline:gate-1:42")
			v.Source = ravao.SourceSync
			existed, err := w.Record(e.ctx, &v)
			results <- result{v, existed, err}
		})
	}
	wg.Wait()
	close(results)
	ids, fresh := map[int64]bool{}, 0
	for r := range results {
		if r.err != nil {
			e.t.Errorf("Record: %v", r.err)
			continue
		}
		ids[r.v.ID] = true
		if !r.existed {
			fresh++
		}
	}
	if len(ids) != 1 || fresh != 1 {
		e.t.Errorf("Record of one key from %d goroutines: got %d distinct IDs and %d new visits, want 1 and 1", n, len(ids), fresh)
	}
	e.view(func(tx ravao.Tx) error {
		got, err := tx.PersonVisits(p.ID, time.Time{}, time.Time{})
		if err != nil || len(got) != 1 {
			e.t.Errorf("visits stored: got %d, %v; want 1", len(got), err)
		}
		return nil
	})
}

// testGateViews: a checkpoint's latest visits, a venue's counts for the
// day, and changing a visit's decision.
func testGateViews(e *env) {
	pl, other := e.mustPlace("Chợ Đông Ba"), e.mustPlace("Chợ Bến Thành")
	people := []ravao.PersonRecord{e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()}
	day := e.now().Truncate(24 * time.Hour)
	now := day.Add(10 * time.Hour)
	yesterday := newVisit(pl, people[0].ID, day.Add(-3*time.Hour), "") // entered last night, left this morning
	yesterday.OutAt, yesterday.OutReason = day.Add(time.Hour), ravao.OutTap
	left := newVisit(pl, people[1].ID, day.Add(8*time.Hour), "")
	left.OutAt, left.OutReason = day.Add(9*time.Hour), ravao.OutGate
	inside := newVisit(pl, people[2].ID, day.Add(9*time.Hour), "")
	stale := newVisit(pl, people[3].ID, day.Add(-30*time.Hour), "") // never closed, beyond the cap
	elsewhere := newVisit(other, people[3].ID, day.Add(9*time.Hour), "")
	vs := e.mustVisits(yesterday, left, inside, stale, elsewhere)
	e.view(func(tx ravao.Tx) error {
		c, err := tx.VenueCounts(pl.ven.ID, day, now)
		if want := (ravao.VenueCounts{In: 2, Out: 2, Inside: 1}); err != nil || c != want {
			e.t.Errorf("VenueCounts: %+v, %v; want %+v", c, err, want)
		}
		c, err = tx.VenueCounts(pl.ven.ID+1_000_000, day, now)
		if err != nil || c != (ravao.VenueCounts{}) {
			e.t.Errorf("VenueCounts of no venue: %+v, %v", c, err)
		}
		recent, err := tx.CheckpointVisits(pl.cp.ID, 2)
		if err != nil || len(recent) != 2 || recent[0].ID != vs[2].ID || recent[1].ID != vs[1].ID {
			e.t.Errorf("CheckpointVisits: %+v, %v; want the two latest, newest first", recent, err)
		}
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.SetVisitDecision(vs[2].ID, ravao.Red) })
	if got := e.mustVisit(vs[2].ID); got.Decision != ravao.Red {
		e.t.Errorf("SetVisitDecision: decision %s", got.Decision)
	}
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.SetVisitDecision(vs[2].ID+1_000_000, ravao.Red) })
	wantCode(e.t, "SetVisitDecision of no visit", err, ravao.NotFound)
}
