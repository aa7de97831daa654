package visitors_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// lastCode is the six-digit code of the latest SMS.
func (e *env) lastCode() string {
	e.t.Helper()
	msgs := e.outbox.Messages()
	if len(msgs) == 0 {
		e.t.Fatal("no SMS sent")
	}
	code := regexp.MustCompile(`\d{6}`).FindString(msgs[len(msgs)-1].Text)
	if code == "" {
		e.t.Fatalf("no code in %q", msgs[len(msgs)-1].Text)
	}
	return code
}

// TestLinkPhoneOnANewDevice: a phone declared on one device is refused on
// another until a code sent to it is typed back; then the new device is
// the same person, with the visits made on the first, and the new answers.
func TestLinkPhoneOnANewDevice(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		first := e.declare("0912345600", healthy)
		if _, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: first}); err != nil {
			t.Fatal(err)
		}
		in := visitors.Declaration{Consent: true, Profile: profile("+84 912 345 600"), Answers: healthy}
		if _, err := e.svc.Declare(e.ctx, in); err != visitors.ErrPhoneLink {
			t.Fatalf("Declare with a known phone: %v, want ErrPhoneLink", err)
		}
		challenge, err := e.svc.RequestLinkCode(e.ctx, in.Profile.Phone, "vi")
		if err != nil {
			t.Fatal(err)
		}
		code := e.lastCode()
		in.Challenge, in.Code = challenge, "000000"
		if code == "000000" {
			in.Code = "111111"
		}
		_, err = e.svc.Declare(e.ctx, in)
		wantKey(t, "a wrong code", err, "err.code_wrong")
		other := in
		other.Code, other.Profile.Phone = code, "0912345601"
		_, err = e.svc.Declare(e.ctx, other)
		wantKey(t, "the code of another phone", err, "err.code_phone")

		in.Code = code
		in.Answers = questions.Answers{"symptoms": {"cough"}, "contact": {"no"}, "travel": {"no"}}
		linked, err := e.svc.Declare(e.ctx, in)
		if err != nil {
			t.Fatalf("Declare with the code: %v", err)
		}
		if !linked.Risk || linked.Token == first {
			t.Errorf("linked: %+v, want a new token and the new (risk) answers", linked)
		}
		if got := e.visits(linked.Token); len(got) != 1 {
			t.Errorf("the new device sees %d visits, want the one made on the first", len(got))
		}
		if len(e.visits(first)) != 1 {
			t.Error("the first device no longer works")
		}
		_, err = e.svc.Declare(e.ctx, in)
		wantKey(t, "the same code again", err, "err.code_expired")
	})
}

// TestMyDataAndErase: the visitor's data holds their profile, dependants,
// declarations and visits in clear; erasing deletes it all, the device
// stops working, and other people are untouched.
func TestMyDataAndErase(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok, other := e.declare("0912345610", healthy), e.declare("0912345611", healthy)
		kid, err := e.svc.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Nguyễn Bảo Ngọc", BirthYear: 2019, Sex: "f", UnitCode: "13321"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok, Dependants: []int64{kid}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: other}); err != nil {
			t.Fatal(err)
		}
		d, err := e.svc.MyData(e.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if d.Person.FullName != "Nguyễn Văn An" || d.Person.Phone != "0912345610" || d.Person.ConsentChannel != "self" {
			t.Errorf("person: %+v", d.Person)
		}
		if len(d.Dependants) != 1 || d.Dependants[0].FullName != "Nguyễn Bảo Ngọc" || d.Dependants[0].ID != kid {
			t.Errorf("dependants: %+v", d.Dependants)
		}
		if len(d.Declarations) != 1 || !d.Declarations[0].Answers.Chosen("symptoms", "none") || d.Declarations[0].QuestionsVersion == "" {
			t.Errorf("declarations: %+v", d.Declarations)
		}
		if len(d.Visits) != 2 || d.Visits[0].Venue != "Chợ Bầu" || d.Visits[0].Checkpoint != "Cổng 1" {
			t.Errorf("visits: %+v, want the visitor's and the child's at Chợ Bầu", d.Visits)
		}
		b, _ := json.Marshal(d)
		if strings.Contains(string(b), "0912345611") {
			t.Error("the data holds another person's phone")
		}

		if err := e.svc.Erase(e.ctx, tok); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.MyData(e.ctx, tok)
		wantKey(t, "data after erasure", err, "err.device_unknown")
		_, err = e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok})
		wantKey(t, "check-in after erasure", err, "err.device_unknown")
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			for _, id := range []int64{d.Person.ID, kid} {
				if _, err := tx.Person(id); !ravao.IsNotFound(err) {
					t.Errorf("person %d after erasure: %v", id, err)
				}
				if vs, _ := tx.PersonVisits(id, d.Visits[1].In.Add(-1), d.Visits[0].In.Add(1)); len(vs) != 0 {
					t.Errorf("visits of %d after erasure: %d", id, len(vs))
				}
			}
			if _, err := tx.PersonByPhoneKey(e.vault.Lookup("phone", "0912345610")); !ravao.IsNotFound(err) {
				t.Errorf("phone lookup after erasure: %v", err)
			}
			return nil
		})
		if len(e.visits(other)) != 1 {
			t.Error("another person's visit went with the erasure")
		}
		// The phone can be declared afresh, without a code.
		e.declare("0912345610", healthy)
	})
}

// TestPrintedCards: a printed card carries no personal data, is checked
// against the person's current card serial, and re-printing or revoking
// stops the old card; a dependant's card is theirs.
func TestPrintedCards(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912345620", healthy)
		kid, err := e.svc.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Nguyễn Bảo Ngọc", BirthYear: 2019, Sex: "f", UnitCode: "13321"})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := e.svc.MyCards(e.ctx, tok, nil)
		if err != nil || len(cs) != 1 {
			t.Fatalf("MyCards: %d, %v", len(cs), err)
		}
		c := cs[0]
		if c.Name != "Nguyễn V*** A" || c.BirthYear != 1990 || c.Place != "Phường Quang Trung, Tỉnh Hà Nam" || c.Serial != 1 {
			t.Errorf("card: %+v", c)
		}
		if strings.Contains(c.Payload, "0912345620") {
			t.Error("the payload holds the phone")
		}
		claims, err := e.svc.CheckPersonalQR(e.ctx, c.Payload)
		if err != nil || claims.Kind != personalqr.KindCard || claims.Green {
			t.Errorf("CheckPersonalQR of a fresh card: %+v, %v", claims, err)
		}
		if want := e.clock.T.Add(365 * 24 * time.Hour); !claims.Expires.Equal(want.Truncate(time.Second)) {
			t.Errorf("card expires %s, want a year on", claims.Expires)
		}
		both, err := e.svc.MyCards(e.ctx, tok, []int64{kid, claims.PersonID})
		if err != nil || len(both) != 2 || both[0].Serial != 2 || both[1].Name != "Nguyễn B*** N" || both[1].Serial != 1 {
			t.Fatalf("MyCards of the visitor and the child: %+v, %v", both, err)
		}
		_, err = e.svc.CheckPersonalQR(e.ctx, c.Payload)
		wantKey(t, "the card printed before", err, "err.personal_qr_invalid")
		if got, err := e.svc.CheckPersonalQR(e.ctx, both[1].Payload); err != nil || got.PersonID != kid {
			t.Errorf("the child's card: %+v, %v", got, err)
		}
		if err := e.svc.RevokeMyCards(e.ctx, tok, []int64{kid}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CheckPersonalQR(e.ctx, both[1].Payload)
		wantKey(t, "a revoked card", err, "err.personal_qr_invalid")
		if _, err := e.svc.CheckPersonalQR(e.ctx, both[0].Payload); err != nil {
			t.Errorf("revoking the child's card stopped the visitor's: %v", err)
		}
		other := e.declare("0912345621", healthy)
		_, err = e.svc.MyCards(e.ctx, other, []int64{kid})
		wantKey(t, "another device's dependant", err, "err.person_not_found")

		screen, _, err := e.svc.PersonalQR(e.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CheckPersonalQR(e.ctx, screen); err != nil {
			t.Errorf("on-screen code: %v", err)
		}
		e.clock.Advance(6 * time.Minute)
		_, err = e.svc.CheckPersonalQR(e.ctx, screen)
		wantKey(t, "an on-screen code six minutes on", err, "err.personal_qr_expired")
		if err := e.svc.Erase(e.ctx, tok); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CheckPersonalQR(e.ctx, both[0].Payload)
		wantKey(t, "the card of an erased person", err, "err.personal_qr_invalid")
	})
}

// official creates a commune official (local role) over unit.
func (e *env) official(login, unit string) *ravao.Principal {
	e.t.Helper()
	return svctest.Staff(e.t, e.store, login, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: unit})
}

// TestResidentsAndBatchCards: a commune official declares residents
// without a phone on their behalf, lists them, and prints their cards in
// one batch; another official can neither list nor print them, and an
// official cannot declare outside their unit.
func TestResidentsAndBatchCards(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			_, err := tx.PutUnits([]ravao.Unit{{Version: "t", Code: "13324", ParentCode: "347", Level: 3, Name: "Lam Hạ", FullName: "Phường Lam Hạ"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		off, neighbour := e.official("quangtrung", "13321"), e.official("lamha", "13324")
		resident := func(name string, year int, unit string) visitors.Declaration {
			return visitors.Declaration{Consent: true, Answers: healthy,
				Profile: visitors.Profile{FullName: name, BirthYear: year, Sex: "f", UnitCode: unit}}
		}
		var ids []int64
		for i, name := range []string{"Trần Thị Lan", "Lê Văn Hùng", "Phạm Thị Mai"} {
			id, err := e.svc.DeclareResident(e.ctx, off, resident(name, 1940+i, "13321"))
			if err != nil {
				t.Fatalf("DeclareResident %s: %v", name, err)
			}
			ids = append(ids, id)
		}
		_, err = e.svc.DeclareResident(e.ctx, off, resident("Đỗ Văn Nam", 1950, "13324"))
		wantKey(t, "a resident of another commune", err, "err.unit_out_of_scope")
		noConsent := resident("Đỗ Văn Nam", 1950, "13321")
		noConsent.Consent = false
		_, err = e.svc.DeclareResident(e.ctx, off, noConsent)
		wantKey(t, "without consent", err, "err.consent_official")
		visitor := &ravao.Principal{User: ravao.User{ID: off.User.ID}}
		if _, err := e.svc.DeclareResident(e.ctx, visitor, resident("Đỗ Văn Nam", 1950, "13321")); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("without the role: %v, want Forbidden", err)
		}

		list, err := e.svc.Residents(e.ctx, off, 0, 2)
		if err != nil || len(list) != 2 {
			t.Fatalf("Residents: %+v, %v", list, err)
		}
		rest, err := e.svc.Residents(e.ctx, off, list[1].ID, 2)
		if err != nil || len(rest) != 1 {
			t.Fatalf("Residents, next page: %+v, %v", rest, err)
		}
		all := append(list, rest...)
		sorted := slices.Sorted(slices.Values(ids))
		for i, r := range all {
			if r.ID != sorted[i] || !strings.Contains(r.Name, "***") || r.CardSerial != 0 {
				t.Errorf("resident %d: %+v", i, r)
			}
		}
		if mine, _ := e.svc.Residents(e.ctx, neighbour, 0, 10); len(mine) != 0 {
			t.Errorf("another official lists %d residents", len(mine))
		}

		_, err = e.svc.ResidentCards(e.ctx, neighbour, ids[:1], true)
		wantKey(t, "another official's resident", err, "err.person_not_found")
		cs, err := e.svc.ResidentCards(e.ctx, off, append(ids, ids[0]), true)
		if err != nil || len(cs) != 3 {
			t.Fatalf("ResidentCards: %d, %v", len(cs), err)
		}
		for _, c := range cs {
			if _, err := e.svc.CheckPersonalQR(e.ctx, c.Payload); err != nil || c.Serial != 1 {
				t.Errorf("card %+v: %v", c, err)
			}
		}
		if _, err := e.svc.ResidentCards(e.ctx, off, ids[:1], false); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CheckPersonalQR(e.ctx, cs[0].Payload)
		wantKey(t, "a revoked resident card", err, "err.personal_qr_invalid")
		if _, err := e.svc.CheckPersonalQR(e.ctx, cs[1].Payload); err != nil {
			t.Errorf("another resident's card after one was revoked: %v", err)
		}
	})
}

// While a dependant is a case being traced, the household's data serve the
// tracing: the erasure is refused and nothing is deleted; once the case
// closes it goes through.
func TestEraseWaitsForTheOpenCase(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912345612", healthy)
		kid, err := e.svc.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Nguyễn Bảo Ngọc", BirthYear: 2019, Sex: "f", UnitCode: "13321"})
		if err != nil {
			t.Fatal(err)
		}
		c := ravao.Case{PersonID: kid, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "F0 xét nghiệm dương tính",
			WindowFrom: e.clock.Now().Add(-48 * time.Hour), Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen}
		if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreateCase(&c) }); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "erasure during the case", e.svc.Erase(e.ctx, tok), "err.erase_open_case")
		if _, err := e.svc.MyData(e.ctx, tok); err != nil {
			t.Fatalf("data after the refused erasure: %v", err)
		}
		c.Status, c.ClosedAt = ravao.CaseClosed, e.clock.Now()
		if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateCase(&c) }); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Erase(e.ctx, tok); err != nil {
			t.Fatalf("erasure after the case closed: %v", err)
		}
	})
}
