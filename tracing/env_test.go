package tracing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

// env is the tracing service over a fresh store on one engine, as the
// server wires it, with:
//   - the units of svctest.Units (Hà Nam 35 / Phủ Lý 347 / Quang Trung
//     13321) and Ninh Bình (37 / 369 / Đông Thành 14000);
//   - a market with gates A and B and a bus (a vehicle checkpoint), both
//     in Quang Trung, registered through the places service so that
//     visitors can check in with their codes;
//   - health officials: two of the province of Hà Nam, one of the ward,
//     one of Ninh Bình, and a guard of gate A who may not trace;
//   - a clock at 10 July 2026, 15:00 in Vietnam, that the test moves.
type env struct {
	t       testing.TB
	ctx     context.Context
	store   ravao.Store
	vault   *vault.Vault
	clock   *ravao.FixedClock
	svc     svctest.Services
	tr      *tracing.Service
	cat     *i18n.Catalogue
	market  places.VenueView
	bus     places.VenueView
	gateA   int64 // the market's checkpoints
	gateB   int64
	busDoor int64 // the bus's only checkpoint, a vehicle

	health   *ravao.Principal // health official of Hà Nam (35)
	health2  *ravao.Principal // another one of Hà Nam
	ward     *ravao.Principal // health official of Quang Trung (13321)
	health37 *ravao.Principal // health official of Ninh Bình (37)
	guard    *ravao.Principal // gate staff of gate A
}

// t0 is when every test starts: 10 July 2026, 15:00 in Vietnam.
var t0 = at(10, 15, 0)

// at is a time on a day of July 2026, in Vietnam.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 7, day, hour, minute, 0, 0, svctest.ICT)
}

// engines runs fn on a fresh env on each engine.
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) { fn(t, newEnv(t, open)) })
}

func newEnv(t testing.TB, open svctest.Opener) *env {
	t.Helper()
	e := &env{t: t, ctx: ravao.ContextWithRequestID(context.Background(), "req-tracing"),
		clock: &ravao.FixedClock{T: t0.UTC()}}
	st, err := open(e.clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, _ := vault.ParseKey(vault.GenerateKey())
	if e.vault, err = vault.New(key); err != nil {
		t.Fatal(err)
	}
	if e.cat, err = i18n.New("vi"); err != nil {
		t.Fatal(err)
	}
	e.store = st
	if err := svctest.Units(e.ctx, st); err != nil {
		t.Fatal(err)
	}
	e.update(func(tx ravao.Tx) error {
		_, err := tx.PutUnits([]ravao.Unit{
			{Version: "t", Code: "37", Level: 1, Name: "Ninh Bình", FullName: "Tỉnh Ninh Bình"},
			{Version: "t", Code: "369", ParentCode: "37", Level: 2, Name: "Ninh Bình", FullName: "Thành phố Ninh Bình"},
			{Version: "t", Code: "14000", ParentCode: "369", Level: 3, Name: "Đông Thành", FullName: "Phường Đông Thành"},
		})
		return err
	})
	e.svc = svctest.Start(t, st, e.vault, e.clock)
	e.tr = e.svc.Tracing
	e.market = e.place("Chợ Bầu", ravao.VenueMarket, places.CheckpointInput{Name: "Cổng A"}, places.CheckpointInput{Name: "Cổng B"})
	e.bus = e.place("Xe buýt Phủ Lý – Hà Nội", ravao.VenueVehicle, places.CheckpointInput{Name: "Xe 01", Plate: "90B-012.34"})
	e.gateA, e.gateB, e.busDoor = e.market.Checkpoints[0].ID, e.market.Checkpoints[1].ID, e.bus.Checkpoints[0].ID
	e.health = svctest.Staff(t, st, "yte35", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
	e.health2 = svctest.Staff(t, st, "yte35b", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
	e.ward = svctest.Staff(t, st, "yte13321", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "13321"})
	e.health37 = svctest.Staff(t, st, "yte37", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "37"})
	e.guard = svctest.Staff(t, st, "baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: e.gateA})
	return e
}

// place registers an approved venue in Quang Trung with checkpoints.
func (e *env) place(name string, typ ravao.VenueType, cps ...places.CheckpointInput) places.VenueView {
	e.t.Helper()
	v, err := e.svc.Places.CreatePlace(e.ctx, nil, places.NewPlace{Organisation: name, Venue: places.VenueInput{
		Name: name, Type: string(typ), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: cps}, "vi")
	if err != nil {
		e.t.Fatalf("place %s: %v", name, err)
	}
	return v
}

// service is another tracing service over the env's store, with cfg.
func (e *env) service(cfg tracing.Config) *tracing.Service {
	e.t.Helper()
	cfg.TZ, cfg.Clock, cfg.Verifier = svctest.ICT, e.clock, e.svc.Visitors.Verifier()
	s, err := tracing.New(e.store, e.vault, e.svc.Outbox, cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) update(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.store.Update(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) view(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.store.View(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

// person stores someone of Quang Trung born in 1990 straight through the
// vault, as a commune official registering residents would; phone and id
// may be "".
func (e *env) person(name, phone, id string) int64 {
	e.t.Helper()
	p := ravao.Person{ID: vault.NewID(), FullName: ravao.PII(name), Phone: ravao.PII(phone), IDNumber: ravao.PII(id),
		BirthYear: 1990, Sex: ravao.SexFemale, UnitCode: "13321", ConsentVersion: "1",
		ConsentChannel: ravao.ConsentOfficial, ConsentAt: t0}
	rec, err := e.vault.SealPerson(p)
	if err != nil {
		e.t.Fatal(err)
	}
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&rec) })
	return rec.ID
}

// noSymptoms are answers that declare nothing.
var noSymptoms = questions.Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}

// visitor declares someone on their own phone and returns the device
// token and the person.
func (e *env) visitor(name, phone string) (string, int64) {
	e.t.Helper()
	d, err := e.svc.Visitors.Declare(e.ctx, visitors.Declaration{Consent: true, Answers: noSymptoms,
		Profile: visitors.Profile{FullName: name, Phone: phone, BirthYear: 1985, Sex: "m", UnitCode: "13321"}})
	if err != nil {
		e.t.Fatalf("declare: %v", err)
	}
	return d.Token, d.PersonID
}

// visit stores a stay through a checkpoint; a zero out leaves it open,
// else it was checked out by a tap.
func (e *env) visit(person, checkpoint int64, in, out time.Time) ravao.Visit {
	e.t.Helper()
	var v ravao.Visit
	e.update(func(tx ravao.Tx) error {
		cp, err := tx.Checkpoint(checkpoint)
		if err != nil {
			return err
		}
		v = ravao.Visit{PersonID: person, VenueID: cp.VenueID, CheckpointID: cp.ID, InAt: in.UTC(),
			Decision: ravao.Green, Source: ravao.SourceSelf}
		if !out.IsZero() {
			v.OutAt, v.OutReason = out.UTC(), ravao.OutTap
		}
		return tx.InsertVisits([]*ravao.Visit{&v})
	})
	return v
}

// open opens a case as the Hà Nam official, failing the test on error.
func (e *env) open(in tracing.OpenCase) (ravao.Case, tracing.Traced) {
	e.t.Helper()
	if in.Reason == "" {
		in.Reason = "F0: xét nghiệm RT-PCR dương tính ngày 10/7"
	}
	c, tr, err := e.tr.Open(e.ctx, e.health, in)
	if err != nil {
		e.t.Fatalf("open case: %v", err)
	}
	return c, tr
}

// decision is the colour a gate would give the person now.
func (e *env) decision(person int64) ravao.Decision {
	e.t.Helper()
	var d ravao.Decision
	e.view(func(tx ravao.Tx) (err error) {
		d, err = ravao.PersonDecision(tx, person, tx.Now(), 24*time.Hour)
		return err
	})
	return d
}

// cases lists every case of a person, newest first.
func (e *env) cases(person int64) []ravao.Case {
	e.t.Helper()
	var cs []ravao.Case
	e.view(func(tx ravao.Tx) (err error) {
		cs, err = tx.Cases(ravao.CaseFilter{PersonID: person})
		return err
	})
	return cs
}

// audit lists the audit events of one action, newest first.
func (e *env) audit(action string) []ravao.AuditEvent {
	e.t.Helper()
	var evs []ravao.AuditEvent
	e.view(func(tx ravao.Tx) (err error) {
		evs, err = tx.AuditEvents(ravao.AuditFilter{Action: action, Limit: 10000})
		return err
	})
	return evs
}

// wantErr fails unless err is a Ravao error with code and key (the
// message key, or a field's), and the key has a message in every
// language.
func (e *env) wantErr(t testing.TB, err error, code ravao.Code, key string) {
	t.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) || re.Code != code {
		t.Fatalf("got %v, want %s %s", err, code, key)
	}
	svctest.WantKey(t, string(code), err, key)
	for _, lang := range i18n.Langs {
		if !e.cat.Has(lang, key) {
			t.Errorf("message %q missing in %s", key, lang)
		}
	}
}

// wantField fails unless err is Invalid with key on field.
func (e *env) wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) || re.Code != ravao.Invalid || re.Fields[field] != key {
		t.Fatalf("got %v, want %s on %s", err, key, field)
	}
	e.wantErr(t, err, ravao.Invalid, key)
}
