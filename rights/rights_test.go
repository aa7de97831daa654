package rights_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/rights"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

// env is the rights service over a fresh database with a market, the
// visitors service to declare and check in with, and a data-protection
// officer. The clock starts on Wednesday 1 July 2026, 08:00.
type env struct {
	t       *testing.T
	ctx     context.Context
	store   ravao.Store
	vault   *vault.Vault
	clock   *ravao.FixedClock
	outbox  *sms.Outbox
	vis     *visitors.Service
	svc     *rights.Service
	market  places.VenueView
	officer *ravao.Principal
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) { fn(t, newEnv(t, open)) })
}

func newEnv(t *testing.T, open svctest.Opener) *env {
	t.Helper()
	ctx := context.Background()
	clock := &ravao.FixedClock{T: time.Date(2026, 7, 1, 8, 0, 0, 0, svctest.ICT)}
	st, err := open(clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, _ := vault.ParseKey(vault.GenerateKey())
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := svctest.Units(ctx, st); err != nil {
		t.Fatal(err)
	}
	svc := svctest.Start(t, st, v, clock)
	r, err := rights.New(st, v, svc.Places, svc.Visitors, rights.Config{TZ: svctest.ICT, Clock: clock,
		Holidays: []ravao.Day{20260703}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, store: st, vault: v, clock: clock, outbox: svc.Outbox, vis: svc.Visitors, svc: r,
		officer: svctest.Staff(t, st, "dpo", ravao.RoleAssignment{Role: ravao.RoleDPO})}
	e.market, err = svc.Places.CreatePlace(ctx, nil, places.NewPlace{Organisation: "Chợ Bầu", Venue: places.VenueInput{
		Name: "Chợ Bầu", Type: string(ravao.VenueMarket), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng 1"}}}, "vi")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var healthy = questions.Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}

// declare declares a visitor and checks them in at the market.
func (e *env) declare(phone string) (string, int64) {
	e.t.Helper()
	d, err := e.vis.Declare(e.ctx, visitors.Declaration{Consent: true, Answers: healthy, Profile: visitors.Profile{
		FullName: "Nguyễn Văn An", Phone: phone, BirthYear: 1990, Sex: "m", UnitCode: "13321"}})
	if err != nil {
		e.t.Fatalf("Declare: %v", err)
	}
	if err := e.checkIn(d.Token); err != nil {
		e.t.Fatalf("CheckIn: %v", err)
	}
	return d.Token, d.PersonID
}

func (e *env) checkIn(token string) error {
	_, err := e.vis.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: token})
	return err
}

// openCase makes the person an open case and returns it.
func (e *env) openCase(personID int64) ravao.Case {
	e.t.Helper()
	c := ravao.Case{PersonID: personID, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "F0 xét nghiệm dương tính",
		WindowFrom: e.clock.Now().Add(-48 * time.Hour), Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen}
	if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreateCase(&c) }); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) closeCase(c ravao.Case) {
	e.t.Helper()
	c.Status, c.ClosedAt = ravao.CaseClosed, e.clock.Now()
	if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateCase(&c) }); err != nil {
		e.t.Fatal(err)
	}
}

// exists reports whether the person is still stored.
func (e *env) exists(id int64) bool {
	e.t.Helper()
	var found bool
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		_, err := tx.Person(id)
		if ravao.IsNotFound(err) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return found
}

// lastCode is the six-digit code of the newest SMS (the outbox lists
// newest first).
func (e *env) lastCode() string {
	e.t.Helper()
	msgs := e.outbox.Messages()
	if len(msgs) == 0 {
		e.t.Fatal("no SMS sent")
	}
	return regexp.MustCompile(`\d{6}`).FindString(msgs[0].Text) // newest first
}

// prove asks for a code and enters it, and returns the proof.
func (e *env) prove(token string) string {
	e.t.Helper()
	ch, err := e.svc.SendCode(e.ctx, token, "vi")
	if err != nil {
		e.t.Fatalf("SendCode: %v", err)
	}
	if err := e.svc.Verify(e.ctx, token, ch, e.lastCode()); err != nil {
		e.t.Fatalf("Verify: %v", err)
	}
	return ch
}

func (e *env) auditActions() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		evs, err := tx.AuditEvents(ravao.AuditFilter{})
		for _, ev := range evs {
			out[ev.Action]++
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// Withdrawing consent with no open case erases the person at once and
// records the request as done; the device no longer checks in.
func TestWithdrawUnprotected(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, id := e.declare("0912345601")
		r, err := e.svc.Withdraw(e.ctx, tok)
		if err != nil {
			t.Fatalf("Withdraw: %v", err)
		}
		if r.Status != ravao.DSRDone || r.ResolvedAt.IsZero() || r.Kind != ravao.DSRDelete || r.PersonID != id {
			t.Errorf("request %+v, want a deletion done at once", r)
		}
		if e.exists(id) {
			t.Error("the person is still stored")
		}
		svctest.WantKey(t, "check-in after the withdrawal", e.checkIn(tok), "err.device_unknown")
		queue, err := e.svc.Queue(e.ctx, e.officer, "")
		if err != nil || len(queue) != 0 {
			t.Errorf("queue = %v, %v; want empty", queue, err)
		}
	})
}

// Withdrawing consent during an open case stops the device at once,
// keeps the data and queues a deletion due two working days later (the
// Friday is a holiday here); the officer cannot erase before the case
// closes, then can.
func TestWithdrawProtected(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, id := e.declare("0912345602")
		c := e.openCase(id)
		r, err := e.svc.Withdraw(e.ctx, tok)
		if err != nil {
			t.Fatalf("Withdraw: %v", err)
		}
		// Wednesday 1 July; Friday 3 is a holiday: Thursday, then Monday.
		due := time.Date(2026, 7, 7, 0, 0, 0, 0, svctest.ICT).Add(-time.Millisecond)
		if r.Status != ravao.DSROpen || !r.DueAt.Equal(due) {
			t.Errorf("request %+v, want open, due %v", r, due)
		}
		if !e.exists(id) {
			t.Fatal("the person was erased during the open case")
		}
		svctest.WantKey(t, "check-in after the withdrawal", e.checkIn(tok), "err.consent_withdrawn")
		again, err := e.svc.Withdraw(e.ctx, tok)
		if err != nil || again.ID != r.ID {
			t.Errorf("second withdrawal: %+v, %v; want the same request", again, err)
		}
		queue, err := e.svc.Queue(e.ctx, e.officer, "")
		if err != nil || len(queue) != 1 || queue[0].ID != r.ID {
			t.Fatalf("queue = %v, %v; want the request", queue, err)
		}
		v, err := e.svc.Request(e.ctx, e.officer, r.ID)
		if err != nil || !v.Protected || v.Details.Source != rights.SourceWithdraw || len(v.Events) != 2 {
			t.Errorf("view = %+v, %v; want protected, withdrawn, created and queued", v, err)
		}
		done := rights.Resolution{Outcome: ravao.DSRDone}
		svctest.WantKey(t, "erasing during the case", e.svc.Resolve(e.ctx, e.officer, r.ID, done), "err.erase_open_case")
		svctest.WantKey(t, "refusing without a reason", e.svc.Resolve(e.ctx, e.officer, r.ID,
			rights.Resolution{Outcome: ravao.DSRRefused}), "err.required")
		gate := svctest.Staff(t, e.store, "gate", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
		svctest.WantKey(t, "a health official", e.svc.Resolve(e.ctx, gate, r.ID, done), "err.forbidden")

		e.clock.T = e.clock.T.Add(24 * time.Hour)
		e.closeCase(c)
		if err := e.svc.Resolve(e.ctx, e.officer, r.ID, done); err != nil {
			t.Fatalf("Resolve after the case closed: %v", err)
		}
		if e.exists(id) {
			t.Error("the person is still stored after the officer's erasure")
		}
		v, err = e.svc.Request(e.ctx, e.officer, r.ID)
		if err != nil || v.Request.Status != ravao.DSRDone || v.Request.ResolvedBy != e.officer.User.ID || !v.Erased {
			t.Fatalf("after: %+v, %v", v, err)
		}
		var actions []string
		for _, ev := range v.Events {
			actions = append(actions, ev.Action)
		}
		if len(actions) != 4 || actions[2] != "erased" || actions[3] != "done" || v.Events[3].UserID != e.officer.User.ID {
			t.Errorf("history %v, want created, queued, erased, done by the officer", actions)
		}
		svctest.WantKey(t, "resolving twice", e.svc.Resolve(e.ctx, e.officer, r.ID, done), "err.dsr_closed")
		if a := e.auditActions(); a["dsr.view"] < 2 || a["dsr.list"] < 1 || a["dsr.resolve"] != 1 || a["person.withdraw"] != 1 {
			t.Errorf("audit %v, want every view, the listing, the resolution and the withdrawal", a)
		}
	})
}

// The data need a code sent to the person's phone; a deletion request
// during a case is queued, and the officer may refuse it with a reason.
func TestCodeDataAndDeletionRequest(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, id := e.declare("0912345603")
		_, err := e.svc.MyData(e.ctx, tok, "")
		svctest.WantKey(t, "data without a code", err, "err.dsr_code_needed")
		proof := e.prove(tok)
		d, err := e.svc.MyData(e.ctx, tok, proof)
		if err != nil || d.Person.ID != id || len(d.Visits) != 1 || d.Person.ConsentBasis != string(ravao.BasisConsent) {
			t.Fatalf("MyData = %+v, %v; want the person, basis consent, with their visit", d.Person, err)
		}
		other, _ := e.declare("0912345604")
		_, err = e.svc.MyData(e.ctx, other, proof)
		svctest.WantKey(t, "another device with this proof", err, "err.dsr_code_needed")

		e.openCase(id)
		r, err := e.svc.RequestDeletion(e.ctx, tok, proof)
		if err != nil || r.Status != ravao.DSROpen {
			t.Fatalf("RequestDeletion = %+v, %v; want queued", r, err)
		}
		if err := e.checkIn(tok); err != nil {
			t.Errorf("a deletion request does not withdraw consent: check-in %v", err)
		}
		mine, err := e.svc.MyRequests(e.ctx, tok)
		if err != nil || len(mine) != 1 {
			t.Errorf("MyRequests = %v, %v", mine, err)
		}
		if err := e.svc.Resolve(e.ctx, e.officer, r.ID, rights.Resolution{Outcome: ravao.DSRRefused,
			Reason: "Ca bệnh đang điều tra, dữ liệu cần cho truy vết"}); err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.Request(e.ctx, e.officer, r.ID)
		if err != nil || v.Request.Status != ravao.DSRRefused || v.Details.Reason == "" || !e.exists(id) {
			t.Errorf("refused: %+v, %v", v, err)
		}

		e.clock.T = e.clock.T.Add(rights.ProofTTL)
		_, err = e.svc.MyData(e.ctx, tok, proof)
		svctest.WantKey(t, "an old proof", err, "err.dsr_code_needed")
	})
}

// A deletion request with no open case is answered at once.
func TestDeletionRequestUnprotected(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, id := e.declare("0912345605")
		r, err := e.svc.RequestDeletion(e.ctx, tok, e.prove(tok))
		if err != nil || r.Status != ravao.DSRDone || e.exists(id) {
			t.Fatalf("RequestDeletion = %+v, %v, stored %v; want done and erased", r, err, e.exists(id))
		}
	})
}

// Five wrong codes kill the challenge, as everywhere codes are used.
func TestWrongCodes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, _ := e.declare("0912345606")
		ch, err := e.svc.SendCode(e.ctx, tok, "vi")
		if err != nil {
			t.Fatal(err)
		}
		code := e.lastCode()
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for range 5 {
			svctest.WantKey(t, "a wrong code", e.svc.Verify(e.ctx, tok, ch, wrong), "err.code_wrong")
		}
		svctest.WantKey(t, "the right code after five wrong", e.svc.Verify(e.ctx, tok, ch, code), "err.code_attempts")
		_, err = e.svc.MyData(e.ctx, tok, ch)
		svctest.WantKey(t, "data with the dead challenge", err, "err.dsr_code_needed")
	})
}

// A correction re-seals the person with the new values, validated as a
// declaration, and is audited without them.
func TestCorrect(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, id := e.declare("0912345607")
		proof := e.prove(tok)
		bad := rights.Correction{FullName: "", BirthYear: 1800, Sex: "q", UnitCode: "99999"}
		svctest.WantKey(t, "an invalid correction", e.svc.Correct(e.ctx, tok, proof, bad), "err.full_name")
		in := rights.Correction{FullName: "Nguyễn Văn Ân", BirthYear: 1991, Sex: "m", Address: "12 Lê Lợi", UnitCode: "13321"}
		svctest.WantKey(t, "a correction without a code", e.svc.Correct(e.ctx, tok, "", in), "err.dsr_code_needed")
		if err := e.svc.Correct(e.ctx, tok, proof, in); err != nil {
			t.Fatalf("Correct: %v", err)
		}
		var p ravao.Person
		err := e.store.View(e.ctx, func(tx ravao.Tx) error {
			r, err := tx.Person(id)
			if err != nil {
				return err
			}
			p, err = e.vault.OpenPerson(r)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.FullName.Reveal() != "Nguyễn Văn Ân" || p.BirthYear != 1991 || p.Address.Reveal() != "12 Lê Lợi" || p.Phone.Reveal() != "0912345607" {
			t.Errorf("after the correction: %s %d %s %s", p.FullName.Reveal(), p.BirthYear, p.Address.Reveal(), p.Phone.Reveal())
		}
		err = e.store.View(e.ctx, func(tx ravao.Tx) error {
			evs, err := tx.AuditEvents(ravao.AuditFilter{})
			for _, ev := range evs {
				if ev.Action == "person.correct" && (ev.ObjectID == "" || ev.Reason != "") {
					t.Errorf("audit %+v, want the person's id and no values", ev)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if a := e.auditActions(); a["person.correct"] != 1 {
			t.Errorf("audit %v, want one correction", a)
		}
		mine, err := e.svc.MyRequests(e.ctx, tok)
		if err != nil || len(mine) != 1 || mine[0].Kind != ravao.DSRCorrect || mine[0].Status != ravao.DSRDone {
			t.Errorf("requests %+v, %v; want one correction done", mine, err)
		}
	})
}

// A resident registered by an official is processed in the public
// interest; a person without a phone gets no code.
func TestBasisAndNoPhone(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, _ := e.declare("0912345608")
		if _, err := e.vis.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Nguyễn Bảo Ngọc", BirthYear: 2019, Sex: "f", UnitCode: "13321"}); err != nil {
			t.Fatal(err)
		}
		d, err := e.svc.MyData(e.ctx, tok, e.prove(tok))
		if err != nil || len(d.Dependants) != 1 || d.Dependants[0].ConsentBasis != string(ravao.BasisConsent) {
			t.Fatalf("dependants %+v, %v", d.Dependants, err)
		}
		if got := ravao.BasisFor(ravao.ConsentOfficial); got != ravao.BasisPublicInterest {
			t.Errorf("BasisFor(official) = %q", got)
		}
	})
}
