package tracing_test

import (
	"context"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
)

// expoEnv is a store on one engine with a workshop (one gate) and a bus
// company (one bus) in Phường Quang Trung, a health official of the
// province and one of another province, and the tracing service.
type expoEnv struct {
	t        *testing.T
	ctx      context.Context
	st       ravao.Store
	v        *vault.Vault
	clock    *ravao.FixedClock
	svc      *tracing.Service
	outbox   *sms.Outbox
	official *ravao.Principal // health, Hà Nam (35)
	far      *ravao.Principal // health, Ninh Bình (37)
	gateKeep *ravao.Principal // gate staff: may not trace
	workshop ravao.Venue
	gate     ravao.Checkpoint
	buses    ravao.Venue
	bus      ravao.Checkpoint // a vehicle
}

// expoNow is when the tests run: 10 July 2026, 15:00 in Vietnam.
var expoNow = time.Date(2026, 7, 10, 8, 0, 0, 0, time.UTC)

func newExpoEnv(t *testing.T, open svctest.Opener) *expoEnv {
	t.Helper()
	e := &expoEnv{t: t, ctx: context.Background(), clock: &ravao.FixedClock{T: expoNow}}
	st, err := open(e.clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	if e.v, err = vault.New(key); err != nil {
		t.Fatal(err)
	}
	e.st = st
	if err := svctest.Units(e.ctx, st); err != nil {
		t.Fatal(err)
	}
	svc := svctest.Start(t, st, e.v, e.clock)
	e.svc, e.outbox = svc.Tracing, svc.Outbox
	e.official = svctest.Staff(t, st, "health35", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
	e.far = svctest.Staff(t, st, "health37", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "37"})
	e.workshop, e.gate = e.place("Xưởng may số 1", ravao.VenueZoneBusiness, ravao.Checkpoint{Name: "Cổng chính", Kind: ravao.CheckpointGate})
	e.buses, e.bus = e.place("Xe buýt Phủ Lý", ravao.VenueVehicle, ravao.Checkpoint{Name: "Xe 01", Kind: ravao.CheckpointVehicle, Plate: "90B-00001"})
	e.gateKeep = svctest.Staff(t, st, "gate", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: e.gate.ID})
	return e
}

// place stores an approved venue of its own organisation with one checkpoint.
func (e *expoEnv) place(name string, typ ravao.VenueType, cp ravao.Checkpoint) (ravao.Venue, ravao.Checkpoint) {
	e.t.Helper()
	var v ravao.Venue
	e.update(func(tx ravao.Tx) error {
		o := ravao.Organisation{Name: name, UnitCode: "13321", Sector: ravao.SectorOther}
		if err := tx.CreateOrganisation(&o); err != nil {
			return err
		}
		v = ravao.Venue{OrganisationID: o.ID, Name: name, Type: typ, Sector: ravao.SectorOther,
			UnitCode: "13321", UnitPath: "35/347/13321/", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&v); err != nil {
			return err
		}
		cp.VenueID = v.ID
		return tx.CreateCheckpoint(&cp)
	})
	return v, cp
}

func (e *expoEnv) update(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.st.Update(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

// person stores someone, with a phone when phone is not "".
func (e *expoEnv) person(name, phone string) int64 {
	e.t.Helper()
	p := ravao.Person{ID: vault.NewID(), FullName: ravao.PII(name), Phone: ravao.PII(phone), BirthYear: 1990,
		Sex: ravao.SexFemale, UnitCode: "13321", ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: expoNow}
	rec, err := e.v.SealPerson(p)
	if err != nil {
		e.t.Fatal(err)
	}
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&rec) })
	return rec.ID
}

// visit stores a stay; a zero out leaves it open, reason "auto" marks an
// automatic check-out.
func (e *expoEnv) visit(person int64, cp ravao.Checkpoint, in, out time.Time, reason string) ravao.Visit {
	e.t.Helper()
	v := ravao.Visit{PersonID: person, VenueID: cp.VenueID, CheckpointID: cp.ID, InAt: in, OutAt: out,
		Decision: ravao.Green, Source: ravao.SourceSelf}
	if !out.IsZero() {
		v.OutReason = reason
	}
	e.update(func(tx ravao.Tx) error { return tx.InsertVisits([]*ravao.Visit{&v}) })
	return v
}

// openCase stores an open case of person in the ward, from from on.
func (e *expoEnv) openCase(person int64, from time.Time) ravao.Case {
	e.t.Helper()
	c := ravao.Case{PersonID: person, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "F0 xét nghiệm PCR dương tính",
		Onset: from.Add(48 * time.Hour), WindowFrom: from, Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen,
		CreatedBy: e.official.User.ID}
	e.update(func(tx ravao.Tx) error { return tx.CreateCase(&c) })
	return c
}

// windows lists every window stored, withdrawn ones too.
func (e *expoEnv) windows() []ravao.ExposureWindow {
	e.t.Helper()
	var ws []ravao.ExposureWindow
	err := e.st.View(e.ctx, func(tx ravao.Tx) error {
		var err error
		ws, err = tx.ExposureWindows(ravao.ExposureWindowFilter{IncludeWithdrawn: true})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ws
}

// audits lists the audit events of an action, newest first.
func (e *expoEnv) audits(action string) []ravao.AuditEvent {
	e.t.Helper()
	var out []ravao.AuditEvent
	err := e.st.View(e.ctx, func(tx ravao.Tx) error {
		var err error
		out, err = tx.AuditEvents(ravao.AuditFilter{Action: action, Limit: 1000})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// ict is a wall-clock time in Vietnam on a day of July 2026.
func ict(day, hour, minute int) time.Time {
	return time.Date(2026, 7, day, hour, minute, 0, 0, svctest.ICT).UTC()
}
