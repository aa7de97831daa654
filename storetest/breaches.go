package storetest

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

// breachTests hold the breach register to one behaviour on both engines.
var breachTests = []test{
	{"BreachRoundTrip", testBreachRoundTrip},
	{"BreachEvents", testBreachEvents},
	{"AffectedPeopleVisits", testAffectedPeopleVisits},
	{"AffectedPeopleDeclarationsAndUnit", testAffectedPeopleOther},
}

// newBreach returns a breach found at found, not stored.
func newBreach(found time.Time) ravao.Breach {
	return ravao.Breach{
		ID: nextID(), Title: "Lộ tệp xuất", Sealed: randomBytes(80), OccurredAt: found.Add(-2 * time.Hour).Truncate(time.Millisecond),
		FoundAt: found.Truncate(time.Millisecond), DataKinds: []string{"name", "phone"}, PeopleAffected: 120,
		Status: ravao.BreachOpen, CreatedBy: 7,
	}
}

func (e *env) mustBreach(b ravao.Breach) ravao.Breach {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error { return tx.CreateBreach(&b) })
	return b
}

func (e *env) getBreach(id int64) ravao.Breach {
	e.t.Helper()
	var b ravao.Breach
	e.view(func(tx ravao.Tx) (err error) {
		b, err = tx.Breach(id)
		return err
	})
	return b
}

func testBreachRoundTrip(e *env) {
	b := e.mustBreach(newBreach(t0.Add(-5 * time.Hour)))
	if !b.CreatedAt.Equal(e.now()) || !b.UpdatedAt.Equal(e.now()) {
		e.t.Fatalf("CreateBreach stamped %v %v, want %v", b.CreatedAt, b.UpdatedAt, e.now())
	}
	if got := e.getBreach(b.ID); !reflect.DeepEqual(got, b) {
		e.t.Fatalf("Breach:\n got %+v\nwant %+v", got, b)
	}
	dup := b
	wantCode(e.t, "same ID", e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreateBreach(&dup) }), ravao.Conflict)
	err := e.s.View(e.ctx, func(tx ravao.Tx) error { _, err := tx.Breach(b.ID + 1); return err })
	wantCode(e.t, "unknown breach", err, ravao.NotFound)

	e.clock.T = e.clock.T.Add(time.Minute)
	b.Title, b.Sealed, b.DataKinds, b.PeopleAffected = "Mất máy tính", randomBytes(40), []string{"visit_history"}, 3
	b.Status, b.NotifiedAt, b.AuthorityRef, b.PeopleListedAt = ravao.BreachNotified, e.now(), "A05-2026-17", e.now()
	b.OccurredAt = time.Time{}
	e.update(func(tx ravao.Tx) error { return tx.UpdateBreach(&b) })
	if !b.UpdatedAt.Equal(e.now()) {
		e.t.Fatalf("UpdatedAt = %v, want %v", b.UpdatedAt, e.now())
	}
	if got := e.getBreach(b.ID); !reflect.DeepEqual(got, b) {
		e.t.Fatalf("after UpdateBreach:\n got %+v\nwant %+v", got, b)
	}
	gone := ravao.Breach{ID: b.ID + 1, Title: "x", Status: ravao.BreachOpen}
	wantCode(e.t, "update unknown", e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateBreach(&gone) }), ravao.NotFound)

	// Listing: by discovery then ID, without the sealed text, by status.
	early := e.mustBreach(newBreach(t0.Add(-50 * time.Hour)))
	late := e.mustBreach(newBreach(t0.Add(-1 * time.Hour)))
	var all, open []ravao.Breach
	e.view(func(tx ravao.Tx) (err error) {
		if all, err = tx.Breaches(ravao.BreachFilter{}); err != nil {
			return err
		}
		open, err = tx.Breaches(ravao.BreachFilter{Status: ravao.BreachOpen, Limit: 1})
		return err
	})
	ids := func(bs []ravao.Breach) []int64 {
		var out []int64
		for _, x := range bs {
			if x.Sealed != nil {
				e.t.Errorf("Breaches returned the sealed text of %d", x.ID)
			}
			out = append(out, x.ID)
		}
		return out
	}
	if got, want := ids(all), []int64{early.ID, b.ID, late.ID}; !slices.Equal(got, want) {
		e.t.Fatalf("Breaches = %v, want %v", got, want)
	}
	if got, want := ids(open), []int64{early.ID}; !slices.Equal(got, want) {
		e.t.Fatalf("open breaches, limit 1 = %v, want %v", got, want)
	}
}

func testBreachEvents(e *env) {
	b := e.mustBreach(newBreach(t0))
	other := e.mustBreach(newBreach(t0))
	var evs []ravao.BreachEvent
	for i, a := range []string{"recorded", "notified", "closed"} {
		ev := ravao.BreachEvent{BreachID: b.ID, UserID: int64(i + 1), Action: a, Status: ravao.BreachStatuses[i]}
		if i == 2 {
			ev.At = t0.Add(time.Hour).Truncate(time.Millisecond)
		}
		e.update(func(tx ravao.Tx) error { return tx.AddBreachEvent(&ev) })
		if ev.ID == 0 || ev.At.IsZero() {
			e.t.Fatalf("AddBreachEvent left %+v", ev)
		}
		evs = append(evs, ev)
	}
	e.update(func(tx ravao.Tx) error {
		return tx.AddBreachEvent(&ravao.BreachEvent{BreachID: other.ID, Action: "recorded", Status: ravao.BreachOpen})
	})
	var got []ravao.BreachEvent
	e.view(func(tx ravao.Tx) (err error) {
		got, err = tx.BreachEvents(b.ID)
		return err
	})
	if !reflect.DeepEqual(got, evs) || !evs[0].At.Equal(e.now()) {
		e.t.Fatalf("BreachEvents:\n got %+v\nwant %+v", got, evs)
	}
	bad := ravao.BreachEvent{BreachID: b.ID + other.ID, Action: "recorded", Status: ravao.BreachOpen}
	if err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.AddBreachEvent(&bad) }); err == nil {
		e.t.Fatal("an event of no breach was stored")
	}
}

// testAffectedPeopleVisits seeds random visits at three places and checks
// AffectedPeople against a brute-force overlap of each visit with the
// period, paging through the result.
func testAffectedPeopleVisits(e *env) {
	rng := rand.New(rand.NewPCG(8, 13))
	places := []place{e.mustPlace("A"), e.mustPlace("B"), e.mustPlace("C")}
	var people []ravao.PersonRecord
	for range 40 {
		people = append(people, e.mustPerson())
	}
	var vs []ravao.Visit
	for i := range 300 {
		p := places[rng.IntN(len(places))]
		in := t0.Add(-time.Duration(rng.IntN(96*60)) * time.Minute)
		v := newVisit(p, people[rng.IntN(len(people))].ID, in, "")
		if rng.IntN(4) > 0 {
			v.OutAt = in.Add(time.Duration(rng.IntN(300)) * time.Minute).Truncate(time.Millisecond)
		}
		_ = i
		vs = append(vs, v)
	}
	vs = e.mustVisits(vs...)
	from, to := t0.Add(-60*time.Hour).Truncate(time.Millisecond), t0.Add(-30*time.Hour).Truncate(time.Millisecond)
	venues := []int64{places[0].ven.ID, places[2].ven.ID}
	want := map[int64]bool{}
	for _, v := range vs {
		end := v.OutAt
		if end.IsZero() {
			end = v.InAt
		}
		if slices.Contains(venues, v.VenueID) && v.InAt.Before(to) && !end.Before(from) {
			want[v.PersonID] = true
		}
	}
	if len(want) == 0 || len(want) == len(people) {
		e.t.Fatalf("the scenario selects %d of %d people: pick another seed", len(want), len(people))
	}
	got := map[int64]bool{}
	var after int64
	for {
		var page []ravao.PersonRecord
		e.view(func(tx ravao.Tx) (err error) {
			page, err = tx.AffectedPeople(ravao.AffectedQuery{VenueIDs: venues, From: from, To: to, AfterID: after, Limit: 7})
			return err
		})
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if got[p.ID] || p.ID <= after {
				e.t.Fatalf("person %d listed twice or out of order", p.ID)
			}
			got[p.ID] = true
			after = p.ID
		}
	}
	if !reflect.DeepEqual(got, want) {
		e.t.Fatalf("AffectedPeople: %d people, want %d", len(got), len(want))
	}
	err := e.s.View(e.ctx, func(tx ravao.Tx) error { _, err := tx.AffectedPeople(ravao.AffectedQuery{}); return err })
	wantCode(e.t, "no criterion", err, ravao.Invalid)
}

func testAffectedPeopleOther(e *env) {
	a, b, c := e.mustPerson(), newPerson(), e.mustPerson()
	b.UnitCode = "00042"
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&b) })
	e.update(func(tx ravao.Tx) error {
		return tx.AddDeclaration(&ravao.Declaration{PersonID: a.ID, Sealed: randomBytes(30), CreatedAt: t0.Add(-10 * time.Hour)})
	})
	e.update(func(tx ravao.Tx) error {
		return tx.AddDeclaration(&ravao.Declaration{PersonID: c.ID, Sealed: randomBytes(30), CreatedAt: t0.Add(-40 * time.Hour)})
	})
	list := func(q ravao.AffectedQuery) []int64 {
		var ps []ravao.PersonRecord
		e.view(func(tx ravao.Tx) (err error) {
			ps, err = tx.AffectedPeople(q)
			return err
		})
		var ids []int64
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		return ids
	}
	if got := list(ravao.AffectedQuery{Declarations: true, From: t0.Add(-24 * time.Hour), To: t0}); !slices.Equal(got, []int64{a.ID}) {
		e.t.Fatalf("declared in the last day: %v, want %v", got, []int64{a.ID})
	}
	if got := list(ravao.AffectedQuery{UnitCode: "00042"}); !slices.Equal(got, []int64{b.ID}) {
		e.t.Fatalf("home unit: %v, want %v", got, []int64{b.ID})
	}
	if got := list(ravao.AffectedQuery{UnitCode: "00001", Limit: 1}); !slices.Equal(got, []int64{a.ID}) {
		e.t.Fatalf("home unit, limit 1: %v, want %v", got, []int64{a.ID})
	}
}
