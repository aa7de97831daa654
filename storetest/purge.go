package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

var purgeTests = []test{
	{"Purge/Visits", testPurgeVisits},
	{"Purge/ProtectedPeople", testProtectedPeople},
	{"Purge/KeysAcrossDays", testVisitKeysAcrossDays},
	{"Purge/VisitDays", testVisitDays},
}

// visitTabler names the table that holds a visit: its day partition on
// PostgreSQL. Both engines' stores have it (sqlstore.DB.VisitTable).
type visitTabler interface {
	VisitTable(ctx context.Context, id int64) (string, error)
}

// purgeToday is t0's day in the stores' zone.
var purgeToday = ravao.DayOf(t0, ict)

// localAt is the instant at h:m of day in the stores' zone.
func localAt(day ravao.Day, h, m int) time.Time {
	return day.Start(ict).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
}

// dayTable names a day's partition.
func dayTable(d ravao.Day) string { return fmt.Sprintf("visits_d%d", int(d)) }

// visitTable returns the table holding a visit, failing the test on error.
func (e *env) visitTable(id int64) string {
	e.t.Helper()
	name, err := e.s.(visitTabler).VisitTable(e.ctx, id)
	if err != nil {
		e.t.Fatalf("VisitTable(%d): %v", id, err)
	}
	return name
}

// partitioned reports whether the store keeps visits in day partitions.
func (e *env) partitioned() bool {
	e.t.Helper()
	var days []ravao.Day
	e.view(func(tx ravao.Tx) (err error) {
		days, err = tx.VisitDays()
		return err
	})
	return days != nil
}

// ensureVisitDays calls EnsureVisitDays and returns how many it created.
func (e *env) ensureVisitDays(from, to ravao.Day) int {
	e.t.Helper()
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.EnsureVisitDays(from, to)
		return err
	})
	return n
}

// purgeVisits calls PurgeVisits until it returns 0 and sums the calls;
// without day partitions no call may go past limit.
func (e *env) purgeVisits(before time.Time, keep []int64, limit int, partitioned bool) int {
	e.t.Helper()
	total := 0
	for range 10000 {
		var n int
		e.update(func(tx ravao.Tx) (err error) {
			n, err = tx.PurgeVisits(before, keep, limit)
			return err
		})
		if !partitioned && n > limit {
			e.t.Fatalf("PurgeVisits of limit %d deleted %d", limit, n)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	e.t.Fatalf("PurgeVisits never returned 0")
	return total
}

// personVisitIDs lists a person's visits' IDs, by entry.
func (e *env) personVisitIDs(personID int64) []int64 {
	e.t.Helper()
	var vs []ravao.Visit
	e.view(func(tx ravao.Tx) (err error) {
		vs, err = tx.PersonVisits(personID, time.Time{}, time.Time{})
		return err
	})
	return visitIDs(vs)
}

// venueDays reads a venue's roll-up over the days of the test.
func (e *env) venueDays(venueID int64) []ravao.VenueDay {
	e.t.Helper()
	var ds []ravao.VenueDay
	e.view(func(tx ravao.Tx) (err error) {
		ds, err = tx.VenueDays(venueID, purgeToday.Add(-45), purgeToday.Add(15))
		return err
	})
	return ds
}

// testPurgeVisits stores two visits a day over 40 days, at 00:30 and
// 23:30 local time, for a case's person, a contact of an open case, the
// person of a closed case and two others, with idempotency keys on
// some. On PostgreSQL most days have a partition, two old days and the
// newest have none (their visits sit in the DEFAULT partition). A purge
// before the local midnight 30 days ago removes exactly the older visits
// of the people no open case needs, and their keys, which can be used
// again; the roll-ups stay; a second purge finds nothing.
func testPurgeVisits(e *env) {
	pl := e.mustPlace("Chợ Phủ Lý")
	cased, contact, closed, a, b := e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	open := e.mustCase(newCase(cased.ID, "35/347/13363/"))
	e.mustContacts(open.ID, newContact(contact.ID, time.Hour))
	shut := newCase(closed.ID, "35/347/13363/")
	shut.Status = ravao.CaseClosed
	e.mustCase(shut)
	partitioned := e.partitioned()
	if partitioned {
		e.ensureVisitDays(purgeToday.Add(-40), purgeToday.Add(-39))
		e.ensureVisitDays(purgeToday.Add(-36), purgeToday.Add(-2))
	}
	cutoff := purgeToday.Add(-30)
	before := cutoff.Start(ict)
	people := []ravao.PersonRecord{cased, contact, closed, a, b}
	want := map[int64][]int64{}
	var gone []ravao.Visit
	for _, p := range people {
		var vs []*ravao.Visit
		for k := 40; k >= 0; k-- {
			for _, hm := range [][2]int{{0, 30}, {23, 30}} {
				day := purgeToday.Add(-k)
				v := newVisit(pl, p.ID, localAt(day, hm[0], hm[1]), "")
				if p.ID == a.ID {
					v.IdempotencyKey = fmt.Sprintf("a/%s/%02d", day, hm[0])
				}
				v.OutAt = v.InAt.Add(20 * time.Minute)
				vs = append(vs, &v)
			}
		}
		e.update(func(tx ravao.Tx) error { return tx.InsertVisits(vs) })
		for _, v := range vs {
			if p.ID == cased.ID || p.ID == contact.ID || !v.InAt.Before(before) {
				want[p.ID] = append(want[p.ID], v.ID)
			} else {
				gone = append(gone, *v)
			}
		}
	}
	if partitioned {
		e.wantTables("before the purge", map[string][]ravao.Visit{
			"visits_default":              {e.visitOn(a.ID, purgeToday.Add(-38)), e.visitOn(b.ID, purgeToday.Add(-1))},
			dayTable(purgeToday.Add(-36)): {e.visitOn(a.ID, purgeToday.Add(-36))},
			dayTable(purgeToday):          {e.visitOn(cased.ID, purgeToday)},
		})
	}
	rollup := e.venueDays(pl.ven.ID)
	keep := []int64{contact.ID, cased.ID} // unsorted on purpose
	if n := e.purgeVisits(before, keep, 7, partitioned); n != len(gone) {
		e.t.Errorf("PurgeVisits: removed %d visits, want %d", n, len(gone))
	}
	for _, p := range people {
		if got := e.personVisitIDs(p.ID); !slices.Equal(got, want[p.ID]) {
			e.t.Errorf("person %d after the purge: visits %v, want %v", p.ID, got, want[p.ID])
		}
	}
	if got := e.venueDays(pl.ven.ID); !reflect.DeepEqual(got, rollup) {
		e.t.Errorf("venue_days changed by the purge:\n got %+v\nwant %+v", got, rollup)
	}
	if n := e.purgeVisits(before, keep, 7, partitioned); n != 0 {
		e.t.Errorf("second PurgeVisits: removed %d, want 0", n)
	}
	e.wantPurgedKeys(pl, a.ID, cutoff)
	if partitioned {
		e.wantPurgedDays(cutoff, cased.ID)
	}
}

// visitOn returns a person's first visit of a local day.
func (e *env) visitOn(personID int64, day ravao.Day) ravao.Visit {
	e.t.Helper()
	var vs []ravao.Visit
	e.view(func(tx ravao.Tx) (err error) {
		vs, err = tx.PersonVisits(personID, day.Start(ict), day.Add(1).Start(ict))
		return err
	})
	for _, v := range vs {
		if !v.InAt.Before(day.Start(ict)) {
			return v
		}
	}
	e.t.Fatalf("person %d has no visit on %s", personID, day)
	return ravao.Visit{}
}

// wantTables checks which table holds each visit.
func (e *env) wantTables(what string, want map[string][]ravao.Visit) {
	e.t.Helper()
	for table, vs := range want {
		for _, v := range vs {
			if got := e.visitTable(v.ID); got != table {
				e.t.Errorf("%s: visit %d (in at %s) is in %s, want %s", what, v.ID, v.InAt, got, table)
			}
		}
	}
}

// wantPurgedKeys checks that the keys of a's purged visits are gone and
// can be used again, and that those of its kept visits still work.
func (e *env) wantPurgedKeys(pl place, aID int64, cutoff ravao.Day) {
	e.t.Helper()
	old, recent := fmt.Sprintf("a/%s/23", cutoff.Add(-1)), fmt.Sprintf("a/%s/00", cutoff)
	e.view(func(tx ravao.Tx) error {
		_, err := tx.VisitByIdempotencyKey(old)
		wantCode(e.t, "VisitByIdempotencyKey of a purged visit", err, ravao.NotFound)
		v, err := tx.VisitByIdempotencyKey(recent)
		if err != nil || !v.InAt.Equal(localAt(cutoff, 0, 30)) {
			e.t.Errorf("VisitByIdempotencyKey of a kept visit: got %+v, %v", v, err)
		}
		return nil
	})
	again := newVisit(pl, aID, t0, old)
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&again}) })
	e.view(func(tx ravao.Tx) error {
		if v, err := tx.VisitByIdempotencyKey(old); err != nil || v.ID != again.ID {
			e.t.Errorf("a purged visit's key used again: got %+v, %v; want visit %d", v, err, again.ID)
		}
		return nil
	})
}

// wantPurgedDays checks, on PostgreSQL, that the partitions of the days
// before cutoff are gone, the later ones are there, and the kept visits
// of those days sit in the DEFAULT partition.
func (e *env) wantPurgedDays(cutoff ravao.Day, keptID int64) {
	e.t.Helper()
	var days []ravao.Day
	e.view(func(tx ravao.Tx) (err error) {
		days, err = tx.VisitDays()
		return err
	})
	var want []ravao.Day
	for d := cutoff; d <= purgeToday.Add(7); d = d.Add(1) {
		if d != purgeToday.Add(-1) {
			want = append(want, d)
		}
	}
	if !slices.Equal(days, want) {
		e.t.Errorf("VisitDays after the purge: got %v, want %v", days, want)
	}
	e.wantTables("after the purge", map[string][]ravao.Visit{
		"visits_default": {e.visitOn(keptID, cutoff.Add(-10)), e.visitOn(keptID, cutoff.Add(-1))},
		dayTable(cutoff): {e.visitOn(keptID, cutoff)},
	})
}

// testProtectedPeople: the persons of open cases and their contacts,
// once each and by ID; closed cases protect no one.
func testProtectedPeople(e *env) {
	p1, p2, c1, both, other := e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	k1 := e.mustCase(newCase(p1.ID, "35/347/13363/"))
	k2 := e.mustCase(newCase(p2.ID, "35/347/13363/"))
	e.mustContacts(k1.ID, newContact(c1.ID, time.Hour), newContact(both.ID, time.Hour))
	e.mustContacts(k2.ID, newContact(both.ID, time.Hour), newContact(p1.ID, time.Hour))
	shut := newCase(other.ID, "35/347/13363/")
	shut.Status = ravao.CaseClosed
	shut = e.mustCase(shut)
	e.mustContacts(shut.ID, newContact(e.mustPerson().ID, time.Hour))
	want := []int64{p1.ID, p2.ID, c1.ID, both.ID}
	slices.Sort(want)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.ProtectedPeople(); err != nil || !slices.Equal(got, want) {
			e.t.Errorf("ProtectedPeople: got %v, %v; want %v", got, err, want)
		}
		return nil
	})
	k1.Status = ravao.CaseClosed
	e.update(func(tx ravao.Tx) error { return tx.UpdateCase(&k1) })
	want = []int64{p2.ID, both.ID, p1.ID}
	slices.Sort(want)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.ProtectedPeople(); err != nil || !slices.Equal(got, want) {
			e.t.Errorf("ProtectedPeople after closing a case: got %v, %v; want %v", got, err, want)
		}
		return nil
	})
}

// testVisitKeysAcrossDays: a key is one visit whatever day the visits
// fall on (on PostgreSQL, whatever partition), also when 40 check-ins
// with one key race on days a week apart; erasing the person frees the
// key.
func testVisitKeysAcrossDays(e *env) {
	pl := e.mustPlace("Bến xe Phủ Lý")
	p := e.mustPerson()
	first := newVisit(pl, p.ID, localAt(purgeToday.Add(-2), 9, 0), "gate/1/abc")
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&first}) })
	dup := newVisit(pl, p.ID, localAt(purgeToday, 9, 0), "gate/1/abc")
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&dup}) })
	wantCode(e.t, "InsertVisits of a stored key on another day", err, ravao.Conflict)
	twice := []*ravao.Visit{new(newVisit(pl, p.ID, localAt(purgeToday, 9, 0), "gate/1/x")),
		new(newVisit(pl, p.ID, localAt(purgeToday.Add(-9), 9, 0), "gate/1/x"))}
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.InsertVisits(twice) })
	wantCode(e.t, "InsertVisits of one key twice in a batch", err, ravao.Conflict)

	racer := e.mustPerson()
	w := &ravao.VisitWriter{Store: e.s}
	const n = 40
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v := newVisit(pl, racer.ID, localAt(purgeToday.Add(-7*(i%4)), 10, i), "gate/1/race")
			if _, err := w.Record(e.ctx, &v); err != nil {
				e.t.Errorf("Record %d: %v", i, err)
			}
			ids[i] = v.ID
		})
	}
	wg.Wait()
	got := e.personVisitIDs(racer.ID)
	if len(got) != 1 {
		e.t.Fatalf("40 racing check-ins with one key: %d visits stored, want 1", len(got))
	}
	for i, id := range ids {
		if id != got[0] {
			e.t.Errorf("Record %d: got visit %d, want %d", i, id, got[0])
		}
	}
	e.update(func(tx ravao.Tx) error {
		_, err := tx.ErasePerson(racer.ID)
		return err
	})
	again := newVisit(pl, p.ID, t0, "gate/1/race")
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&again}) })
}

// testVisitDays: on PostgreSQL, opening the store made today's partition
// and the next 7 days'; EnsureVisitDays adds the missing ones only; check-ins
// land in their day's partition, a check-in on a day without one in the
// DEFAULT partition, and creating that day's partition moves it there
// with its key still working. SQLite has no partitions: nil and 0.
func testVisitDays(e *env) {
	pl := e.mustPlace("Trường THPT Phủ Lý")
	p := e.mustPerson()
	late := purgeToday.Add(12)
	vs := []*ravao.Visit{new(newVisit(pl, p.ID, localAt(purgeToday, 0, 0), "")),
		new(newVisit(pl, p.ID, localAt(purgeToday.Add(1), 0, 0).Add(-time.Millisecond), "")),
		new(newVisit(pl, p.ID, localAt(late, 8, 0), "late")),
		new(newVisit(pl, p.ID, localAt(late, 23, 59), ""))}
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits(vs) })
	if !e.partitioned() {
		if n := e.ensureVisitDays(purgeToday, late); n != 0 {
			e.t.Errorf("EnsureVisitDays without partitions: got %d, want 0", n)
		}
		for _, v := range vs {
			if got := e.visitTable(v.ID); got != "visits" {
				e.t.Errorf("visit %d is in %s, want visits", v.ID, got)
			}
		}
		return
	}
	e.wantVisitDays("after Open", purgeToday, purgeToday.Add(7))
	e.wantTables("before EnsureVisitDays", map[string][]ravao.Visit{
		dayTable(purgeToday): {*vs[0], *vs[1]}, "visits_default": {*vs[2], *vs[3]}})
	if n := e.ensureVisitDays(purgeToday.Add(-1), late); n != 6 {
		e.t.Errorf("EnsureVisitDays(%s, %s): created %d, want 6", purgeToday.Add(-1), late, n)
	}
	e.wantVisitDays("after EnsureVisitDays", purgeToday.Add(-1), late)
	e.wantTables("after EnsureVisitDays", map[string][]ravao.Visit{
		dayTable(purgeToday): {*vs[0], *vs[1]}, dayTable(late): {*vs[2], *vs[3]}})
	e.view(func(tx ravao.Tx) error {
		if v, err := tx.VisitByIdempotencyKey("late"); err != nil || !reflect.DeepEqual(v, *vs[2]) {
			e.t.Errorf("VisitByIdempotencyKey of a moved visit: got %+v, %v; want %+v", v, err, *vs[2])
		}
		return nil
	})
	if n := e.ensureVisitDays(purgeToday.Add(-1), late); n != 0 {
		e.t.Errorf("EnsureVisitDays again: created %d, want 0", n)
	}
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		_, err := tx.EnsureVisitDays(late, purgeToday)
		return err
	})
	wantCode(e.t, "EnsureVisitDays backwards", err, ravao.Invalid)
}

// wantVisitDays checks that VisitDays lists from..to.
func (e *env) wantVisitDays(what string, from, to ravao.Day) {
	e.t.Helper()
	var want []ravao.Day
	for d := from; d <= to; d = d.Add(1) {
		want = append(want, d)
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.VisitDays(); err != nil || !slices.Equal(got, want) {
			e.t.Errorf("VisitDays %s: got %v, %v; want %v", what, got, err, want)
		}
		return nil
	})
}
