package storetest

import (
	"reflect"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// mustVisits stores visits and returns them with their IDs.
func (e *env) mustVisits(vs ...ravao.Visit) []ravao.Visit {
	e.t.Helper()
	ptrs := make([]*ravao.Visit, len(vs))
	for i := range vs {
		ptrs[i] = &vs[i]
	}
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits(ptrs) })
	return vs
}

// mustVisit returns a stored visit.
func (e *env) mustVisit(id int64) ravao.Visit {
	e.t.Helper()
	var v ravao.Visit
	e.view(func(tx ravao.Tx) (err error) {
		v, err = tx.Visit(id)
		return err
	})
	return v
}

// checkOut runs CheckOutVisit in its own transaction.
func (e *env) checkOut(id int64, at time.Time, reason string) error {
	return e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.CheckOutVisit(id, at, reason) })
}

// hour is the whole hour n hours after t0's.
func hour(n int) time.Time { return t0.Truncate(time.Hour).Add(time.Duration(n) * time.Hour) }

func testOpenVisit(e *env) {
	a, b := e.mustPlace("Siêu thị Phủ Lý"), e.mustPlace("Nhà sách Phủ Lý")
	p, other := e.mustPerson(), e.mustPerson()
	closed := newVisit(a, p.ID, hour(5), "")
	closed.OutAt, closed.OutReason = hour(6), ravao.OutTap
	vs := e.mustVisits(
		newVisit(a, p.ID, hour(1), ""),     // 0: open at a
		newVisit(a, p.ID, hour(3), ""),     // 1: open at a, the latest
		closed,                             // 2: later, but closed
		newVisit(b, p.ID, hour(2), ""),     // 3: open at b
		newVisit(a, other.ID, hour(4), ""), // 4: someone else's
	)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.OpenVisit(p.ID, a.ven.ID); err != nil || !reflect.DeepEqual(got, vs[1]) {
			e.t.Errorf("OpenVisit at a: got %+v, %v; want %+v", got, err, vs[1])
		}
		if got, err := tx.OpenVisit(p.ID, b.ven.ID); err != nil || got.ID != vs[3].ID {
			e.t.Errorf("OpenVisit at b: got ID %d, %v; want %d", got.ID, err, vs[3].ID)
		}
		_, err := tx.OpenVisit(other.ID, b.ven.ID)
		wantCode(e.t, "OpenVisit where the person never went", err, ravao.NotFound)
		got, err := tx.OpenVisits(hour(1), hour(100), p.ID)
		if want := []int64{vs[1].ID, vs[3].ID, vs[0].ID}; err != nil || !reflect.DeepEqual(visitIDs(got), want) {
			e.t.Errorf("OpenVisits: got %v, %v; want %v", visitIDs(got), err, want)
		}
		got, err = tx.OpenVisits(hour(2), hour(100), p.ID)
		if want := []int64{vs[1].ID, vs[3].ID}; err != nil || !reflect.DeepEqual(visitIDs(got), want) {
			e.t.Errorf("OpenVisits since hour 2: got %v, %v; want %v", visitIDs(got), err, want)
		}
		got, err = tx.OpenVisits(hour(1), hour(3), p.ID)
		if want := []int64{vs[3].ID, vs[0].ID}; err != nil || !reflect.DeepEqual(visitIDs(got), want) {
			e.t.Errorf("OpenVisits until hour 3: got %v, %v; want %v", visitIDs(got), err, want)
		}
		got, err = tx.OpenVisits(hour(1), hour(100), other.ID, p.ID, p.ID+1_000_000)
		if want := []int64{vs[4].ID, vs[1].ID, vs[3].ID, vs[0].ID}; err != nil || !reflect.DeepEqual(visitIDs(got), want) {
			e.t.Errorf("OpenVisits of two people: got %v, %v; want %v", visitIDs(got), err, want)
		}
		got, err = tx.OpenVisits(hour(1), hour(100), p.ID+1_000_000)
		if err != nil || len(got) != 0 {
			e.t.Errorf("OpenVisits of nobody: got %v, %v; want none", visitIDs(got), err)
		}
		return nil
	})
	if err := e.checkOut(vs[1].ID, hour(7), ravao.OutMove); err != nil {
		e.t.Fatalf("CheckOutVisit: %v", err)
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.OpenVisit(p.ID, a.ven.ID); err != nil || got.ID != vs[0].ID {
			e.t.Errorf("OpenVisit at a after checking out the latest: got ID %d, %v; want %d", got.ID, err, vs[0].ID)
		}
		return nil
	})
}

func testCheckOutVisit(e *env) {
	pl := e.mustPlace("Chợ Phủ Lý")
	p := e.mustPerson()
	vs := e.mustVisits(newVisit(pl, p.ID, hour(1), ""), newVisit(pl, p.ID, hour(3), ""), newVisit(pl, p.ID, hour(4), ""))
	if err := e.checkOut(vs[0].ID, hour(2), ravao.OutTap); err != nil {
		e.t.Fatalf("CheckOutVisit: %v", err)
	}
	want := vs[0]
	want.OutAt, want.OutReason = hour(2), ravao.OutTap
	if got := e.mustVisit(want.ID); !reflect.DeepEqual(got, want) {
		e.t.Errorf("Visit after CheckOutVisit: got %+v, want %+v", got, want)
	}
	err := e.checkOut(vs[0].ID, hour(5), ravao.OutAuto)
	wantCode(e.t, "CheckOutVisit of a closed visit", err, ravao.Conflict)
	wantKey(e.t, "CheckOutVisit of a closed visit", err, "err.visit_closed")
	if got := e.mustVisit(want.ID); !reflect.DeepEqual(got, want) {
		e.t.Errorf("Visit after a second CheckOutVisit: got %+v, want %+v unchanged", got, want)
	}
	// A clock behind the visit's entry (a gate's, syncing) cannot end it
	// before it began.
	if err := e.checkOut(vs[1].ID, hour(2), ravao.OutGate); err != nil {
		e.t.Fatalf("CheckOutVisit before InAt: %v", err)
	}
	if got := e.mustVisit(vs[1].ID); !got.OutAt.Equal(vs[1].InAt) || got.OutReason != ravao.OutGate {
		e.t.Errorf("CheckOutVisit before InAt: got OutAt %v, reason %q; want %v, %q", got.OutAt, got.OutReason, vs[1].InAt, ravao.OutGate)
	}
	// A zero instant is the transaction's Now.
	e.clock.T = hour(6).Add(123 * time.Microsecond)
	if err := e.checkOut(vs[2].ID, time.Time{}, ravao.OutTap); err != nil {
		e.t.Fatalf("CheckOutVisit at zero: %v", err)
	}
	if got := e.mustVisit(vs[2].ID); !got.OutAt.Equal(e.now()) {
		e.t.Errorf("CheckOutVisit at zero: got OutAt %v, want %v", got.OutAt, e.now())
	}
	err = e.checkOut(vs[2].ID+1000, hour(7), ravao.OutTap)
	wantCode(e.t, "CheckOutVisit of a missing visit", err, ravao.NotFound)
}

// testCheckOutRace checks one visit out from 20 goroutines at once, as a
// tap, a gate and the automatic job might: exactly one wins, the others
// get Conflict, and the stored check-out is the winner's.
func testCheckOutRace(e *env) {
	pl := e.mustPlace("Cổng bệnh viện")
	p := e.mustPerson()
	v := e.mustVisits(newVisit(pl, p.ID, hour(1), ""))[0]
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = e.checkOut(v.ID, hour(2).Add(time.Duration(i)*time.Minute), ravao.OutTap) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			e.t.Errorf("CheckOutVisit: goroutines %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case ravao.ErrorCode(err) != ravao.Conflict:
			e.t.Errorf("CheckOutVisit in goroutine %d: got %v, want nil or Conflict", i, err)
		}
	}
	if winner < 0 {
		e.t.Fatalf("CheckOutVisit from %d goroutines: none succeeded", n)
	}
	if got, at := e.mustVisit(v.ID), hour(2).Add(time.Duration(winner)*time.Minute); !got.OutAt.Equal(at) {
		e.t.Errorf("OutAt after the race: got %v, want the winner's %v", got.OutAt, at)
	}
}

func testDueVisits(e *env) {
	pl := e.mustPlace("Nhà hàng Phủ Lý")
	p := e.mustPerson()
	due := func(in, dueAt int) ravao.Visit {
		v := newVisit(pl, p.ID, hour(in), "")
		if dueAt > 0 {
			v.DueAt = hour(dueAt)
		}
		return v
	}
	closed := due(0, 1)
	closed.OutAt, closed.OutReason = hour(1), ravao.OutTap
	vs := e.mustVisits(
		due(0, 3), // 0
		due(0, 1), // 1
		due(1, 2), // 2
		due(1, 1), // 3: due with 1, later ID
		due(0, 0), // 4: never due
		closed,    // 5
		due(2, 9), // 6: not due yet
	)
	cases := []struct {
		name  string
		now   time.Time
		limit int
		want  []int64
	}{
		{"oldest due first", hour(3), 10, []int64{vs[1].ID, vs[3].ID, vs[2].ID, vs[0].ID}},
		{"limit", hour(3), 3, []int64{vs[1].ID, vs[3].ID, vs[2].ID}},
		{"due at now counts", hour(2), 10, []int64{vs[1].ID, vs[3].ID, vs[2].ID}},
		{"nothing due", hour(0), 10, []int64{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.DueVisits(c.now, c.limit)
			if err != nil || !reflect.DeepEqual(visitIDs(got), c.want) {
				e.t.Errorf("DueVisits (%s): got %v, %v; want %v", c.name, visitIDs(got), err, c.want)
			}
		}
		got, err := tx.DueVisits(hour(3), 1)
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], vs[1]) {
			e.t.Errorf("DueVisits: got %+v, %v; want [%+v]", got, err, vs[1])
		}
		return nil
	})
	if err := e.checkOut(vs[1].ID, hour(1), ravao.OutAuto); err != nil {
		e.t.Fatalf("CheckOutVisit: %v", err)
	}
	e.view(func(tx ravao.Tx) error {
		got, err := tx.DueVisits(hour(3), 10)
		if want := []int64{vs[3].ID, vs[2].ID, vs[0].ID}; err != nil || !reflect.DeepEqual(visitIDs(got), want) {
			e.t.Errorf("DueVisits after a check-out: got %v, %v; want %v", visitIDs(got), err, want)
		}
		return nil
	})
}
