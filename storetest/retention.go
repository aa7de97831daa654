package storetest

import (
	"time"

	"github.com/ravao/ravao"
)

var retentionTests = []test{
	{"Retention/Declarations", testPurgeDeclarations},
	{"Retention/People", testPurgePeople},
	{"Retention/CasesAndWindows", testPurgeCases},
}

// daysAgo is n days before t0.
func daysAgo(n int) time.Time { return t0.AddDate(0, 0, -n).Truncate(time.Millisecond) }

// purgeAll runs a batch purge until it returns 0 and sums what it did,
// checking that no batch goes past limit.
func (e *env) purgeAll(limit int, batch func(tx ravao.Tx) (int, error)) int {
	e.t.Helper()
	total := 0
	for {
		var n int
		e.update(func(tx ravao.Tx) error {
			var err error
			n, err = batch(tx)
			return err
		})
		if n > limit {
			e.t.Fatalf("a batch of limit %d deleted %d", limit, n)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

// count reads CountPurge for c.
func (e *env) countPurge(c ravao.PurgeCutoffs) ravao.PurgeCounts {
	e.t.Helper()
	var n ravao.PurgeCounts
	e.view(func(tx ravao.Tx) error {
		var err error
		n, err = tx.CountPurge(c)
		return err
	})
	return n
}

// mustPersonOn stores a person whose record was last written at at.
func (e *env) mustPersonOn(at time.Time, guardianID int64) ravao.PersonRecord {
	e.t.Helper()
	e.clock.T = at
	p := newPerson()
	if guardianID != 0 {
		p = newDependant(guardianID)
	}
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&p) })
	e.clock.T = t0
	return p
}

func testPurgeDeclarations(e *env) {
	kept, gone := e.mustPerson(), e.mustPerson()
	for _, p := range []int64{kept.ID, gone.ID} {
		for d := 45; d > 0; d -= 4 { // 12 each, 4 of them more than 30 days old
			e.clock.T = daysAgo(d)
			e.update(func(tx ravao.Tx) error {
				return tx.AddDeclaration(&ravao.Declaration{PersonID: p, Sealed: randomBytes(40)})
			})
		}
	}
	e.clock.T = t0
	c := ravao.PurgeCutoffs{Declarations: daysAgo(30), Keep: []int64{kept.ID}}
	if n := e.countPurge(c); n.Declarations != 4 {
		e.t.Errorf("CountPurge: %+v, want 4 declarations", n)
	}
	n := e.purgeAll(3, func(tx ravao.Tx) (int, error) { return tx.PurgeDeclarations(c.Declarations, c.Keep, 3) })
	if n != 4 {
		e.t.Errorf("PurgeDeclarations deleted %d, want 4", n)
	}
	e.view(func(tx ravao.Tx) error {
		for p, want := range map[int64]int{kept.ID: 12, gone.ID: 8} {
			ds, err := tx.Declarations(p)
			if err != nil {
				return err
			}
			if len(ds) != want {
				e.t.Errorf("person %d: %d declarations left, want %d", p, len(ds), want)
			}
		}
		return nil
	})
}

// testPurgePeople walks people in pages of 2: old people with nothing go
// with their devices; a declaration, a recent visit, a case or a contact
// entry, or being kept holds a person; a guardian goes with a dependant
// who could go, and stays for one who cannot.
func testPurgePeople(e *env) {
	old := daysAgo(40)
	var gone, stay []int64
	add := func(to *[]int64, p ravao.PersonRecord) ravao.PersonRecord { *to = append(*to, p.ID); return p }
	for range 3 {
		p := add(&gone, e.mustPersonOn(old, 0))
		e.mustDevice(p.ID)
	}
	add(&stay, e.mustPersonOn(daysAgo(10), 0)) // updated recently
	declared := add(&stay, e.mustPersonOn(old, 0))
	e.update(func(tx ravao.Tx) error {
		return tx.AddDeclaration(&ravao.Declaration{PersonID: declared.ID, Sealed: randomBytes(40)})
	})
	visited := add(&stay, e.mustPersonOn(old, 0))
	pl := e.mustPlace("Chợ")
	e.mustVisits(newVisit(pl, visited.ID, t0, ""))
	kept := add(&stay, e.mustPersonOn(old, 0))
	index := add(&stay, e.mustPersonOn(old, 0))
	contact := add(&stay, e.mustPersonOn(old, 0))
	cs := e.mustCase(newCase(index.ID, "35/347/13363/"))
	e.mustContacts(cs.ID, newContact(contact.ID, time.Hour))
	guardian := add(&gone, e.mustPersonOn(old, 0))
	add(&gone, e.mustPersonOn(old, guardian.ID))
	parent := add(&stay, e.mustPersonOn(old, 0))
	child := add(&stay, e.mustPersonOn(old, parent.ID))
	e.mustVisits(newVisit(pl, child.ID, t0.Add(time.Minute), ""))

	none := time.Unix(0, 0) // no visit, declaration or case is past its period
	c := ravao.PurgeCutoffs{People: daysAgo(30), Visits: none, Declarations: none, Cases: none, Keep: []int64{kept.ID}}
	if n := e.countPurge(c); n.People != len(gone) {
		e.t.Errorf("CountPurge: %d people, want %d", n.People, len(gone))
	}
	n, err := ravao.Paged(func(after int64) (int, int64, error) {
		var n int
		var last int64
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
			var err error
			n, last, err = tx.PurgePeople(c.People, c.Keep, after, 2)
			return err
		})
		return n, last, err
	})
	if err != nil || n != len(gone) {
		e.t.Errorf("PurgePeople: %d, %v; want %d", n, err, len(gone))
	}
	e.view(func(tx ravao.Tx) error {
		for _, id := range gone {
			if _, err := tx.Person(id); !ravao.IsNotFound(err) {
				e.t.Errorf("person %d: %v, want not found", id, err)
			}
		}
		for _, id := range stay {
			if _, err := tx.Person(id); err != nil {
				e.t.Errorf("person %d: %v, want kept", id, err)
			}
		}
		return nil
	})
	if n := e.countPurge(c); n.People != 0 {
		e.t.Errorf("CountPurge after the purge: %d people, want 0", n.People)
	}
}

// testPurgeCases closes two cases at different times and checks that
// only the one closed before the cutoff goes, with its list, and that
// exposure windows go by their end.
func testPurgeCases(e *env) {
	var cases []ravao.Case
	for i, closed := range []time.Time{daysAgo(40), daysAgo(5), {}} {
		c := e.mustCase(newCase(e.mustPerson().ID, "35/347/13363/"))
		ks := e.mustContacts(c.ID, newContact(e.mustPerson().ID, time.Hour))
		e.update(func(tx ravao.Tx) error {
			if err := tx.AddContactEvent(&ravao.ContactEvent{ContactID: ks[0].ID, At: t0, Status: ravao.ContactNew}); err != nil {
				return err
			}
			if err := tx.CreateExport(&ravao.Export{CaseID: c.ID, Format: "csv", Rows: 1, Reason: "r",
				Status: ravao.ExportReady, Sealed: randomBytes(40)}); err != nil {
				return err
			}
			if i < 2 {
				c.Status, c.ClosedAt = ravao.CaseClosed, closed
				return tx.UpdateCase(&c)
			}
			return nil
		})
		cases = append(cases, c)
	}
	pl := e.mustPlace("Chợ")
	var windows []ravao.ExposureWindow
	for _, end := range []time.Time{daysAgo(35), daysAgo(31), daysAgo(2)} {
		w := ravao.ExposureWindow{VenueID: pl.ven.ID, From: end.Add(-time.Hour), To: end, Severity: ravao.SeverityLow,
			CaseID: cases[0].ID}
		e.update(func(tx ravao.Tx) error { return tx.CreateExposureWindow(&w) })
		windows = append(windows, w)
	}
	c := ravao.PurgeCutoffs{Cases: daysAgo(30), Windows: daysAgo(30)}
	if n := e.countPurge(c); n.Cases != 1 || n.Windows != 2 {
		e.t.Errorf("CountPurge: %+v, want 1 case and 2 windows", n)
	}
	if n := e.purgeAll(1, func(tx ravao.Tx) (int, error) { return tx.PurgeCases(c.Cases, 1) }); n != 1 {
		e.t.Errorf("PurgeCases deleted %d, want 1", n)
	}
	if n := e.purgeAll(1, func(tx ravao.Tx) (int, error) { return tx.PurgeExposureWindows(c.Windows, 1) }); n != 2 {
		e.t.Errorf("PurgeExposureWindows deleted %d, want 2", n)
	}
	e.view(func(tx ravao.Tx) error {
		for i, cs := range cases {
			_, err := tx.Case(cs.ID)
			ks, _ := tx.Contacts(cs.ID)
			xs, _ := tx.Exports(cs.ID)
			if gone := i == 0; ravao.IsNotFound(err) != gone || (len(ks) == 0) != gone || (len(xs) == 0) != gone {
				e.t.Errorf("case %d: %v, %d contacts, %d exports; want gone %t", i, err, len(ks), len(xs), gone)
			}
		}
		for i, w := range windows {
			got, err := tx.ExposureWindow(w.ID)
			if gone := i < 2; ravao.IsNotFound(err) != gone {
				e.t.Errorf("window %d: %v, want gone %t", i, err, gone)
			}
			if i == 2 && got.CaseID != 0 {
				e.t.Errorf("window of a purged case still names it: %d", got.CaseID)
			}
		}
		return nil
	})
}
