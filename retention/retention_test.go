package retention_test

import (
	"context"
	"crypto/rand"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/retention"
)

// day0 is the first day of the scenario, 10:00 in Vietnam.
var day0 = time.Date(2026, 3, 1, 10, 0, 0, 0, svctest.ICT)

// at is 10:00 on the scenario's day d.
func at(d int) time.Time { return day0.AddDate(0, 0, d).UTC() }

var personSeq atomic.Int64

// scenario is a deployment seeded over 45 days.
type scenario struct {
	t     *testing.T
	ctx   context.Context
	st    ravao.Store
	clock *ravao.FixedClock
	ven   ravao.Venue
	cp    ravao.Checkpoint

	daily     []int64 // one visitor per day, each on their day only
	regular   int64   // visits every day
	dependant int64   // of daily[0], never visits
	guardian  int64   // never visits; their dependant visits on day 44
	ward      int64   // guardian's dependant
	index     int64   // open case (day 2), protected
	contact   int64   // on the open case's list (day 3), protected
	oldCase   ravao.Case
	oldPeople []int64 // the old closed case's person and contact (day 1)
	newCase   ravao.Case
	newPeople []int64 // the recent closed case's person and contact (day 1)
	openCase  ravao.Case
	oldWindow int64 // ended day 3
	newWindow int64 // ended day 44
}

func (s *scenario) update(fn func(tx ravao.Tx) error) {
	s.t.Helper()
	if err := s.st.Update(s.ctx, fn); err != nil {
		s.t.Fatal(err)
	}
}

// on runs fn with the clock at 10:00 on day d.
func (s *scenario) on(d int, fn func(tx ravao.Tx) error) {
	s.t.Helper()
	s.clock.T = at(d)
	s.update(fn)
}

func key() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// person stores a person on day d, with a device.
func (s *scenario) person(d int, guardian int64) int64 {
	s.t.Helper()
	p := ravao.PersonRecord{ID: 1<<41 + personSeq.Add(1), PhoneKey: key(), IDNumberKey: key(), Sealed: key(),
		BirthYear: 1990, Sex: ravao.SexFemale, UnitCode: "13321", ConsentVersion: "v1",
		ConsentChannel: ravao.ConsentSelf, ConsentAt: at(d), GuardianID: guardian}
	if guardian != 0 {
		p.PhoneKey, p.IDNumberKey = nil, nil
	}
	s.on(d, func(tx ravao.Tx) error {
		if err := tx.CreatePerson(&p); err != nil {
			return err
		}
		return tx.CreateDevice(&ravao.Device{TokenHash: key(), PersonID: p.ID, LastSeen: at(d)})
	})
	return p.ID
}

// visit stores a visit and a declaration of a person on day d.
func (s *scenario) visit(d int, personID int64) {
	s.t.Helper()
	s.on(d, func(tx ravao.Tx) error {
		v := &ravao.Visit{PersonID: personID, VenueID: s.ven.ID, CheckpointID: s.cp.ID, InAt: at(d),
			Decision: ravao.Green, Source: ravao.SourceSelf}
		if err := tx.InsertVisits([]*ravao.Visit{v}); err != nil {
			return err
		}
		return tx.AddDeclaration(&ravao.Declaration{PersonID: personID, Sealed: key()})
	})
}

func newScenario(t *testing.T, open svctest.Opener) *scenario {
	clock := &ravao.FixedClock{T: at(0)}
	st, err := open(clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &scenario{t: t, ctx: context.Background(), st: st, clock: clock}
	if err := svctest.Units(s.ctx, st); err != nil {
		t.Fatal(err)
	}
	s.place()
	s.people()
	s.cases()
	for d := 0; d < 45; d++ {
		if err := st.Update(s.ctx, func(tx ravao.Tx) error { return tx.RollupDay(ravao.DayOf(at(d), svctest.ICT)) }); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *scenario) place() {
	s.on(0, func(tx ravao.Tx) error {
		org := ravao.Organisation{Name: "Chợ Bầu", UnitCode: "13321", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		s.ven = ravao.Venue{OrganisationID: org.ID, Name: "Chợ Bầu", Type: ravao.VenueMarket, Sector: ravao.SectorCommerce,
			UnitCode: "13321", UnitPath: "35/347/13321/", Address: "1 Lê Lợi", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&s.ven); err != nil {
			return err
		}
		s.cp = ravao.Checkpoint{VenueID: s.ven.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&s.cp)
	})
}

func (s *scenario) people() {
	s.regular = s.person(0, 0)
	for d := 0; d < 45; d++ {
		s.daily = append(s.daily, s.person(d, 0))
		s.visit(d, s.daily[d])
		s.visit(d, s.regular)
	}
	s.dependant = s.person(0, s.daily[0])
	s.guardian = s.person(0, 0)
	s.ward = s.person(0, s.guardian)
	s.visit(44, s.ward)
	s.index, s.contact = s.person(2, 0), s.person(3, 0)
	s.visit(2, s.index)
	s.visit(3, s.contact)
}

// cases opens three cases: one closed on day 5, one closed on day 40, one
// open since day 40; each with a contact, its history, a message and an
// export.
func (s *scenario) cases() {
	s.oldPeople = []int64{s.person(1, 0), s.person(1, 0)}
	s.newPeople = []int64{s.person(1, 0), s.person(1, 0)}
	s.oldCase = s.traced(1, 5, s.oldPeople)
	s.newCase = s.traced(1, 40, s.newPeople)
	s.openCase = s.traced(40, -1, []int64{s.index, s.contact})
	s.oldWindow = s.window(1, 3)
	s.newWindow = s.window(43, 44)
}

// traced stores a case opened on day from with its contact, closed on day
// closed (never when negative).
func (s *scenario) traced(from, closed int, people []int64) ravao.Case {
	c := ravao.Case{PersonID: people[0], UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "Ca dương tính",
		WindowFrom: at(from - 2), Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen}
	s.on(from, func(tx ravao.Tx) error {
		if err := tx.CreateCase(&c); err != nil {
			return err
		}
		k := &ravao.Contact{PersonID: people[1], Degree: 1, Class: ravao.ContactPossible, Overlap: time.Hour,
			Visits: 1, FirstAt: at(from - 1)}
		if _, err := tx.PutContacts(c.ID, []*ravao.Contact{k}); err != nil {
			return err
		}
		if err := tx.AddContactEvent(&ravao.ContactEvent{ContactID: k.ID, At: at(from), Status: ravao.ContactNew}); err != nil {
			return err
		}
		if err := tx.QueueNotifications([]*ravao.Notification{{ContactID: k.ID, PersonID: people[1],
			Status: ravao.NotifyQueued, NextAt: at(from)}}); err != nil {
			return err
		}
		return tx.CreateExport(&ravao.Export{CaseID: c.ID, Format: "csv", Rows: 1, Reason: "Gửi trạm y tế",
			Status: ravao.ExportReady, Sealed: key()})
	})
	if closed >= 0 {
		s.on(closed, func(tx ravao.Tx) error {
			c.Status, c.ClosedAt = ravao.CaseClosed, at(closed)
			return tx.UpdateCase(&c)
		})
	}
	return c
}

// window publishes an exposure window from day from to day to.
func (s *scenario) window(from, to int) int64 {
	w := ravao.ExposureWindow{VenueID: s.ven.ID, From: at(from), To: at(to), Severity: ravao.SeverityLow}
	s.on(to, func(tx ravao.Tx) error { return tx.CreateExposureWindow(&w) })
	return w.ID
}

// snapshot is what the scenario's store holds, read through the store.
type snapshot struct {
	People    map[int64]bool
	Visits    map[int64][]int // each person's visit days
	Decls     map[int64]int
	Devices   map[int64]bool
	Cases     map[int64]int // the case's contacts; absent when the case is gone
	Events    map[int64]int // per case: its contacts' events
	Messages  map[int64]int
	Exports   map[int64]int
	Windows   map[int64]bool
	VenueDays []ravao.VenueDay
	UnitDays  []ravao.UnitDayCounts
}

func (s *scenario) everyone() []int64 {
	all := append([]int64{s.regular, s.dependant, s.guardian, s.ward, s.index, s.contact}, s.daily...)
	return append(append(all, s.oldPeople...), s.newPeople...)
}

func (s *scenario) snapshot() snapshot {
	s.t.Helper()
	sn := snapshot{People: map[int64]bool{}, Visits: map[int64][]int{}, Decls: map[int64]int{},
		Cases: map[int64]int{}, Events: map[int64]int{}, Messages: map[int64]int{}, Exports: map[int64]int{},
		Windows: map[int64]bool{}}
	err := s.st.View(s.ctx, func(tx ravao.Tx) error {
		for _, id := range s.everyone() {
			if err := sn.person(tx, id); err != nil {
				return err
			}
		}
		for _, c := range []ravao.Case{s.oldCase, s.newCase, s.openCase} {
			if err := sn.tracing(tx, c.ID); err != nil {
				return err
			}
		}
		for _, id := range []int64{s.oldWindow, s.newWindow} {
			_, err := tx.ExposureWindow(id)
			sn.Windows[id] = err == nil
		}
		return sn.rollups(tx, s.ven.ID)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return sn
}

func (sn *snapshot) person(tx ravao.Tx, id int64) error {
	_, err := tx.Person(id)
	if ravao.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	sn.People[id] = true
	vs, err := tx.PersonVisits(id, at(-10), at(100))
	if err != nil {
		return err
	}
	for _, v := range vs {
		sn.Visits[id] = append(sn.Visits[id], int(v.InAt.Sub(at(0))/(24*time.Hour)))
	}
	ds, err := tx.Declarations(id)
	sn.Decls[id] = len(ds)
	return err
}

func (sn *snapshot) tracing(tx ravao.Tx, caseID int64) error {
	if _, err := tx.Case(caseID); ravao.IsNotFound(err) {
		return nil
	}
	cs, err := tx.Contacts(caseID)
	if err != nil {
		return err
	}
	sn.Cases[caseID] = len(cs)
	for _, c := range cs {
		es, err := tx.ContactEvents(c.ID)
		if err != nil {
			return err
		}
		sn.Events[caseID] += len(es)
	}
	ns, err := tx.CaseNotifications(caseID)
	if err != nil {
		return err
	}
	xs, err := tx.Exports(caseID)
	sn.Messages[caseID], sn.Exports[caseID] = len(ns), len(xs)
	return err
}

func (sn *snapshot) rollups(tx ravao.Tx, venueID int64) error {
	from, to := ravao.DayOf(at(0), svctest.ICT), ravao.DayOf(at(44), svctest.ICT)
	var err error
	if sn.VenueDays, err = tx.VenueDays(venueID, from, to); err != nil {
		return err
	}
	sn.UnitDays, err = tx.UnitSeries(ravao.StatsQuery{UnitCode: "13321", From: from, To: to})
	return err
}

func (s *scenario) service() *retention.Service {
	svc, err := retention.New(s.st, retention.Config{TZ: svctest.ICT, Clock: s.clock})
	if err != nil {
		s.t.Fatal(err)
	}
	return svc
}

func (s *scenario) purge(dryRun bool) retention.Report {
	s.t.Helper()
	r, err := s.service().Purge(s.ctx, dryRun)
	if err != nil {
		s.t.Fatalf("Purge(dryRun %t): %v", dryRun, err)
	}
	return r
}

// counts is a report without its timing.
func counts(r retention.Report) retention.Report {
	r.Took, r.DryRun = 0, false
	return r
}

func TestPurge(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		s := newScenario(t, open)
		before := s.snapshot()
		s.clock.T = at(45)

		dry := s.purge(true)
		if got := s.snapshot(); !reflect.DeepEqual(got, before) {
			t.Fatalf("the dry run changed the store:\n got %+v\nwant %+v", got, before)
		}
		if !dry.DryRun {
			t.Error("dry run report: DryRun false")
		}
		real := s.purge(false)
		if counts(real) != counts(dry) {
			t.Errorf("purge reported %+v, the dry run %+v", counts(real), counts(dry))
		}
		// Days 0 to 14 go (the period reaches back to day 15's start):
		// 15 daily visitors' and 15 of the regular's visits, their
		// declarations, the 15 daily visitors with the first one's
		// dependant, and the old case's two people.
		want := retention.Report{Visits: 30, Declarations: 30, People: 18, Cases: 1, Windows: 1, Kept: 2}
		if counts(real) != want {
			t.Errorf("purge reported %+v, want %+v", counts(real), want)
		}
		after := s.snapshot()
		s.wantPurged(before, after)
		if again := s.purge(false); counts(again) != (retention.Report{Kept: 2}) {
			t.Errorf("second purge reported %+v, want nothing deleted", counts(again))
		}
		s.wantAudit(real)
		s.closeOpenCase()
	})
}

// wantPurged checks what the purge on day 45 left.
func (s *scenario) wantPurged(before, after snapshot) {
	t := s.t
	t.Helper()
	if !reflect.DeepEqual(after.VenueDays, before.VenueDays) || !reflect.DeepEqual(after.UnitDays, before.UnitDays) {
		t.Errorf("roll-ups changed:\nvenue days %v\n      were %v\nunit days %v\n     were %v",
			after.VenueDays, before.VenueDays, after.UnitDays, before.UnitDays)
	}
	for id, days := range after.Visits {
		for _, d := range days {
			if d < 15 && id != s.index && id != s.contact {
				t.Errorf("person %d still has a visit of day %d", id, d)
			}
		}
	}
	for d, id := range s.daily {
		if after.People[id] != (d >= 15) {
			t.Errorf("daily visitor of day %d: kept %t, want %t", d, after.People[id], d >= 15)
		}
	}
	if got, want := len(after.Visits[s.regular]), 30; got != want {
		t.Errorf("regular visitor: %d visits left, want %d", got, want)
	}
	for name, id := range map[string]int64{"regular": s.regular, "guardian": s.guardian, "ward": s.ward,
		"open case": s.index, "open case's contact": s.contact, "recent case": s.newPeople[0], "recent case's contact": s.newPeople[1]} {
		if !after.People[id] {
			t.Errorf("%s was deleted", name)
		}
	}
	for name, id := range map[string]int64{"dependant": s.dependant, "old case": s.oldPeople[0], "old case's contact": s.oldPeople[1]} {
		if after.People[id] {
			t.Errorf("%s was kept", name)
		}
	}
	if len(after.Visits[s.index]) != 1 || after.Decls[s.index] != 1 || len(after.Visits[s.contact]) != 1 {
		t.Errorf("open case's people lost their visits or declarations: %v %v", after.Visits, after.Decls)
	}
	if _, ok := after.Cases[s.oldCase.ID]; ok {
		t.Error("the case closed 40 days ago is still there")
	}
	for _, id := range []int64{s.newCase.ID, s.openCase.ID} {
		if after.Cases[id] != 1 || after.Events[id] != 1 || after.Messages[id] != 1 || after.Exports[id] != 1 {
			t.Errorf("case %d lost part of its list: %v %v %v %v", id, after.Cases, after.Events, after.Messages, after.Exports)
		}
	}
	if after.Windows[s.oldWindow] || !after.Windows[s.newWindow] {
		t.Errorf("windows after the purge: %v, want only the recent one", after.Windows)
	}
}

// wantAudit checks that the purge is in the audit log, with counts only.
func (s *scenario) wantAudit(r retention.Report) {
	s.t.Helper()
	var es []ravao.AuditEvent
	err := s.st.View(s.ctx, func(tx ravao.Tx) error {
		var err error
		es, err = tx.AuditEvents(ravao.AuditFilter{Action: "retention.purge"})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if len(es) != 2 || !strings.Contains(es[1].Reason, "visits=30 declarations=30 people=18 cases=1 windows=1 kept=2") {
		s.t.Errorf("audit events %+v, want two purges, the first with its counts", es)
	}
}

// closeOpenCase closes the open case on day 46: its people go on the
// first purge after the cases' period has passed, and not before.
func (s *scenario) closeOpenCase() {
	s.t.Helper()
	s.on(46, func(tx ravao.Tx) error {
		s.openCase.Status, s.openCase.ClosedAt = ravao.CaseClosed, at(46)
		return tx.UpdateCase(&s.openCase)
	})
	if r := s.purge(false); r.Kept != 0 {
		s.t.Errorf("purge after closing: %d people kept, want 0", r.Kept)
	}
	sn := s.snapshot()
	if !sn.People[s.index] || !sn.People[s.contact] || sn.Cases[s.openCase.ID] != 1 {
		s.t.Error("the closed case or its people went before the cases' period passed")
	}
	if len(sn.Visits[s.index]) != 0 || sn.Decls[s.index] != 0 || len(sn.Visits[s.contact]) != 0 {
		s.t.Errorf("the closed case's old visits or declarations stayed: %v %v", sn.Visits, sn.Decls)
	}
	s.clock.T = at(46 + 31)
	s.purge(false)
	sn = s.snapshot()
	if _, ok := sn.Cases[s.openCase.ID]; ok || sn.People[s.index] || sn.People[s.contact] {
		s.t.Errorf("31 days after closing, the case (%v) or its people (%t %t) remain",
			sn.Cases, sn.People[s.index], sn.People[s.contact])
	}
}
