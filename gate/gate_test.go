package gate_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

var ict = svctest.ICT

// env is a gate over a fresh database: a market with gates A and B,
// staff of gate A, and a clock the test moves.
type env struct {
	t        testing.TB
	ctx      context.Context
	store    ravao.Store
	vault    *vault.Vault
	clock    *ravao.FixedClock
	outbox   *sms.Outbox
	visitors *visitors.Service
	gate     *gate.Service
	market   places.VenueView
	a, b     int64 // the market's checkpoints
	staff    *ravao.Principal
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) { fn(t, newEnv(t, open)) })
}

func newEnv(t testing.TB, open svctest.Opener) *env {
	t.Helper()
	ctx := context.Background()
	clock := &ravao.FixedClock{T: time.Date(2026, 7, 1, 8, 0, 0, 0, ict)}
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
	g, err := gate.New(st, v, svc.Places, svc.Visitors, gate.Config{TZ: ict, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, store: st, vault: v, clock: clock, outbox: svc.Outbox, visitors: svc.Visitors, gate: g}
	e.market, err = svc.Places.CreatePlace(ctx, nil, places.NewPlace{Organisation: "Chợ Bầu", Venue: places.VenueInput{
		Name: "Chợ Bầu", Type: string(ravao.VenueMarket), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng A"}, {Name: "Cổng B"}}}, "vi")
	if err != nil {
		t.Fatal(err)
	}
	e.a, e.b = e.market.Checkpoints[0].ID, e.market.Checkpoints[1].ID
	e.staff = e.principal("baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: e.a})
	return e
}

// principal creates a staff account with one role.
func (e *env) principal(login string, role ravao.RoleAssignment) *ravao.Principal {
	e.t.Helper()
	return svctest.Staff(e.t, e.store, login, role)
}

var (
	healthy = questions.Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}
	cough   = questions.Answers{"symptoms": {"cough"}, "contact": {"no"}, "travel": {"no"}}
)

// visitor declares someone on their phone and returns their on-screen
// personal QR code.
func (e *env) visitor(phone string, answers questions.Answers) (token, code string) {
	e.t.Helper()
	d, err := e.visitors.Declare(e.ctx, visitors.Declaration{Consent: true, Answers: answers, Profile: visitors.Profile{
		FullName: "Nguyễn Văn An", Phone: phone, BirthYear: 1990, Sex: "m", UnitCode: "13321"}})
	if err != nil {
		e.t.Fatal(err)
	}
	code, _, err = e.visitors.PersonalQR(e.ctx, d.Token)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Token, code
}

func (e *env) scan(sc gate.Scan) (gate.Result, error) {
	if sc.CheckpointID == 0 {
		sc.CheckpointID = e.a
	}
	return e.gate.Scan(e.ctx, e.staff, sc)
}

func (e *env) mustScan(what string, sc gate.Scan) gate.Result {
	e.t.Helper()
	r, err := e.scan(sc)
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
	return r
}

// visits counts the visits stored.
func (e *env) visits() (n int) {
	e.t.Helper()
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		vs, err := tx.CheckpointVisits(e.a, 10_000)
		n = len(vs)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func wantKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	svctest.WantKey(t, what, err, key)
}

const cccdPayload = "035090001234|168123456|Trần Thị Bình|15031990|Nữ|Số 1 Lê Lợi, Quang Trung, Phủ Lý, Hà Nam|01072021"

// TestPersonalQRInAndOut: a green code lets the person in once however
// often it is scanned; the exit closes the visit through the gate; the
// gate sees the masked name and birth year only.
func TestPersonalQRInAndOut(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, code := e.visitor("0912000001", healthy)
		r := e.mustScan("entry", gate.Scan{Payload: code, IdempotencyKey: "k1"})
		if r.Decision != ravao.Green || r.Kind != gate.KindPersonalQR || r.VisitID == 0 || r.Repeated ||
			r.Name != "Nguyễn V*** A" || r.BirthYear != 1990 {
			t.Errorf("entry: %+v", r)
		}
		again := e.mustScan("the same code a moment later", gate.Scan{Payload: code, IdempotencyKey: "k2"})
		if again.VisitID != r.VisitID || !again.Repeated {
			t.Errorf("second scan: %+v, want the same visit", again)
		}
		replay := e.mustScan("the first scan retried", gate.Scan{Payload: code, IdempotencyKey: "k1"})
		if replay.VisitID != r.VisitID || !replay.Repeated {
			t.Errorf("retry: %+v", replay)
		}
		if n := e.visits(); n != 1 {
			t.Errorf("%d visits, want 1", n)
		}
		e.clock.Advance(time.Minute)
		out := e.mustScan("exit", gate.Scan{Payload: code, Direction: gate.Out, IdempotencyKey: "k3"})
		if out.VisitID != r.VisitID || out.Repeated {
			t.Errorf("exit: %+v", out)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			v, err := tx.Visit(r.VisitID)
			if err != nil || v.OutReason != ravao.OutGate || v.Source != ravao.SourceGate || !v.OutAt.Equal(e.clock.T.UTC()) {
				t.Errorf("visit after exit: %+v, %v", v, err)
			}
			return nil
		})
		none := e.mustScan("exit again", gate.Scan{Payload: code, Direction: gate.Out, IdempotencyKey: "k4"})
		if none.VisitID != 0 || none.Note != "gate.no_open_visit" {
			t.Errorf("exit without an open visit: %+v", none)
		}
		_, err := e.scan(gate.Scan{Payload: code, IdempotencyKey: "k1", Direction: gate.Out})
		wantKey(t, "a key reused for another scan", err, "err.idempotency_mismatch")
	})
}

// TestDecisions: red for declared symptoms, yellow without a valid
// declaration, turned green by a declaration made on the spot with the
// guard's identity; an expired or forged code is refused.
func TestDecisions(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, red := e.visitor("0912000002", cough)
		if r := e.mustScan("symptoms", gate.Scan{Payload: red, IdempotencyKey: "r"}); r.Decision != ravao.Red {
			t.Errorf("symptoms: %s, want red", r.Decision)
		}
		tok, _ := e.visitor("0912000003", healthy)
		e.clock.Advance(25 * time.Hour)
		code, _, err := e.visitors.PersonalQR(e.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		y := e.mustScan("stale declaration", gate.Scan{Payload: code, IdempotencyKey: "y"})
		if y.Decision != ravao.Yellow || y.VisitID == 0 {
			t.Fatalf("stale declaration: %+v, want yellow with a visit", y)
		}
		g, err := e.gate.Declare(e.ctx, e.staff, gate.OnBehalf{CheckpointID: e.a, PersonID: y.PersonID,
			Declaration: visitors.Declaration{Answers: healthy}})
		if err != nil || g.Decision != ravao.Green || g.VisitID != y.VisitID {
			t.Fatalf("declared on the spot: %+v, %v", g, err)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			v, _ := tx.Visit(y.VisitID)
			d, _ := tx.LatestDeclaration(y.PersonID)
			if v.Decision != ravao.Green || d.ProxyUserID != e.staff.User.ID {
				t.Errorf("after the declaration: visit %s, declared by %d", v.Decision, d.ProxyUserID)
			}
			return nil
		})
		e.clock.Advance(10 * time.Minute)
		_, err = e.scan(gate.Scan{Payload: code, IdempotencyKey: "late"})
		wantKey(t, "an expired on-screen code", err, "err.personal_qr_expired")
		forged := code[:100] + string('0'+(code[100]-'0'+1)%10) + code[101:]
		_, err = e.scan(gate.Scan{Payload: forged, IdempotencyKey: "forged"})
		wantKey(t, "a forged code", err, "err.personal_qr_invalid")
		cards, err := e.visitors.MyCards(e.ctx, tok, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := e.scan(gate.Scan{Payload: cards[0].Payload, IdempotencyKey: "card"}); err != nil || r.Kind != gate.KindCard {
			t.Errorf("a printed card: %+v, %v", r, err)
		}
		if err := e.visitors.RevokeMyCards(e.ctx, tok, nil); err != nil {
			t.Fatal(err)
		}
		_, err = e.scan(gate.Scan{Payload: cards[0].Payload, Direction: gate.Out, IdempotencyKey: "revoked"})
		wantKey(t, "a revoked card", err, "err.personal_qr_invalid")
	})
}

// TestIDCards: a chip ID card's QR makes a person the first time (yellow:
// no declaration) and finds the same person the next time; the 2021 QR
// with a passport number does too; anything else is not a recognised code
// and stores nothing.
func TestIDCards(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		first := e.mustScan("a CCCD", gate.Scan{Payload: cccdPayload + "\r\n", IdempotencyKey: "c1"})
		if first.Kind != "cccd" || first.Decision != ravao.Yellow || first.Name != "Trần T*** B" || first.BirthYear != 1990 {
			t.Errorf("first CCCD scan: %+v", first)
		}
		e.mustScan("out", gate.Scan{Payload: cccdPayload, Direction: gate.Out, IdempotencyKey: "c2"})
		e.clock.Advance(time.Hour)
		second := e.mustScan("the CCCD again", gate.Scan{Payload: cccdPayload, IdempotencyKey: "c3"})
		if second.PersonID != first.PersonID || second.VisitID == first.VisitID {
			t.Errorf("second CCCD scan: %+v, want the same person, a new visit", second)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			p, err := tx.PersonByIDNumberKey(e.vault.Lookup("cccd", "035090001234"))
			if err != nil || p.ID != first.PersonID || p.ConsentChannel != ravao.ConsentProxy {
				t.Errorf("the card's person: %+v, %v", p, err)
			}
			return nil
		})
		passport := "B1234567|Lê Văn Cường|01/02/1985|3|QID0001|"
		p1 := e.mustScan("a 1405 QR with a passport", gate.Scan{Payload: passport, IdempotencyKey: "p1"})
		p2 := e.mustScan("the same again", gate.Scan{Payload: passport, IdempotencyKey: "p2"})
		if p1.Kind != "qr1405" || p1.BirthYear != 1985 || p2.PersonID != p1.PersonID || !p2.Repeated {
			t.Errorf("1405: %+v then %+v", p1, p2)
		}
		before := e.visits()
		for _, junk := range []string{"http://ravao.test/q/ABC", "hello", "|||||", strings.Repeat("9", 196), "\xff\xfe"} {
			_, err := e.scan(gate.Scan{Payload: junk, IdempotencyKey: "j"})
			if ravao.ErrorCode(err) != ravao.Invalid {
				t.Errorf("%q: %v, want Invalid", junk, err)
			}
		}
		if e.visits() != before {
			t.Error("unrecognised codes stored visits")
		}
	})
}

// TestPhoneAndOnBehalf: someone with nothing to scan reads out the SMS
// code sent to their phone; someone never declared is declared by the
// guard, with their consent, and let in.
func TestPhoneAndOnBehalf(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		e.visitor("0912000004", healthy)
		challenge, err := e.gate.RequestPhoneCode(e.ctx, e.staff, e.a, "0912 000 004", "vi")
		if err != nil {
			t.Fatal(err)
		}
		msgs := e.outbox.Messages()
		code := regexp.MustCompile(`\d{6}`).FindString(msgs[len(msgs)-1].Text)
		r := e.mustScan("by phone", gate.Scan{Phone: "0912000004", Challenge: challenge, Code: code, IdempotencyKey: "ph"})
		if r.Kind != gate.KindPhone || r.Decision != ravao.Green {
			t.Errorf("by phone: %+v", r)
		}
		_, err = e.scan(gate.Scan{Phone: "0912000004", Challenge: challenge, Code: code, IdempotencyKey: "ph2"})
		wantKey(t, "the code used again", err, "err.code_expired")

		nobody := visitors.Declaration{Consent: true, Answers: healthy, Profile: visitors.Profile{
			FullName: "Phạm Văn Đức", BirthYear: 1948, Sex: "m", UnitCode: "13321"}}
		noConsent := nobody
		noConsent.Consent = false
		_, err = e.gate.Declare(e.ctx, e.staff, gate.OnBehalf{CheckpointID: e.a, Declaration: noConsent})
		wantKey(t, "without consent", err, "err.consent_on_behalf")
		d, err := e.gate.Declare(e.ctx, e.staff, gate.OnBehalf{CheckpointID: e.a, Declaration: nobody, IdempotencyKey: "ob"})
		if err != nil || d.Decision != ravao.Green || d.VisitID == 0 || d.Name != "Phạm V*** Đ" {
			t.Fatalf("declared on behalf: %+v, %v", d, err)
		}
		again, err := e.gate.Declare(e.ctx, e.staff, gate.OnBehalf{CheckpointID: e.a, Declaration: nobody, IdempotencyKey: "ob"})
		if err != nil || again.PersonID != d.PersonID || again.VisitID != d.VisitID || !again.Repeated {
			t.Errorf("the same form sent again: %+v, %v; want the same person and visit", again, err)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			p, _ := tx.Person(d.PersonID)
			decl, _ := tx.LatestDeclaration(d.PersonID)
			if p.ConsentChannel != ravao.ConsentProxy || decl.ProxyUserID != e.staff.User.ID {
				t.Errorf("person %s, declared by %d", p.ConsentChannel, decl.ProxyUserID)
			}
			return nil
		})
	})
}

// TestScope: staff of gate A can neither scan into gate B, nor see it,
// nor declare there; a venue manager operates every gate of their place.
func TestScope(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, code := e.visitor("0912000005", healthy)
		_, err := e.scan(gate.Scan{CheckpointID: e.b, Payload: code, IdempotencyKey: "b"})
		wantKey(t, "scan into B", err, "err.checkpoint_not_found")
		_, err = e.gate.Summary(e.ctx, e.staff, e.b)
		wantKey(t, "B's summary", err, "err.checkpoint_not_found")
		_, err = e.gate.Sync(e.ctx, e.staff, e.b, []gate.Scan{{Payload: code, IdempotencyKey: "s", DeviceTime: e.clock.T}})
		wantKey(t, "sync into B", err, "err.checkpoint_not_found")
		if n := e.visits(); n != 0 {
			t.Errorf("%d visits after refused scans", n)
		}
		health := e.principal("yte", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
		if _, err := e.gate.Scan(e.ctx, health, gate.Scan{CheckpointID: e.a, Payload: code}); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("a health official scanning: %v, want Forbidden", err)
		}
		var org int64
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			v, _ := tx.Venue(e.market.ID)
			org = v.OrganisationID
			return nil
		})
		manager := e.principal("quanly", ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: org})
		if r, err := e.gate.Scan(e.ctx, manager, gate.Scan{CheckpointID: e.b, Payload: code, IdempotencyKey: "m"}); err != nil || r.Decision != ravao.Green {
			t.Errorf("the manager at gate B: %+v, %v", r, err)
		}
	})
}

// TestSyncAndSummary: 20 scans queued offline sync to 20 visits at their
// device times; the same batch again adds nothing; a scan four days old
// and one from the future are rejected with their reason; the gate's
// counters and latest scans follow.
func TestSyncAndSummary(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		var queue []gate.Scan
		for i := range 20 {
			payload := fmt.Sprintf("0350900%05d||Người Số %d|01011980|Nam|Hà Nam|01012021", i, i)
			queue = append(queue, gate.Scan{Payload: payload, IdempotencyKey: fmt.Sprintf("q%02d", i),
				DeviceTime: e.clock.T.Add(-time.Duration(60-i) * time.Minute)})
		}
		queue = append(queue,
			gate.Scan{Payload: cccdPayload, IdempotencyKey: "old", DeviceTime: e.clock.T.Add(-96 * time.Hour)},
			gate.Scan{Payload: cccdPayload, IdempotencyKey: "future", DeviceTime: e.clock.T.Add(time.Hour)},
			gate.Scan{Payload: "not a code", IdempotencyKey: "junk", DeviceTime: e.clock.T})
		got, err := e.gate.Sync(e.ctx, e.staff, e.a, queue)
		if err != nil || got.Accepted != 20 || got.Duplicates != 0 || len(got.Rejected) != 3 {
			t.Fatalf("sync: %+v, %v", got, err)
		}
		for i, key := range []string{"err.scan_too_old", "err.scan_future", "err.payload_unknown"} {
			wantKey(t, got.Rejected[i].IdempotencyKey, got.Rejected[i].Err, key)
		}
		again, err := e.gate.Sync(e.ctx, e.staff, e.a, queue)
		if err != nil || again.Accepted != 0 || again.Duplicates != 20 {
			t.Errorf("the same batch again: %+v, %v", again, err)
		}
		if n := e.visits(); n != 20 {
			t.Errorf("%d visits, want 20", n)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			vs, _ := tx.CheckpointVisits(e.a, 100)
			oldest := vs[len(vs)-1]
			if oldest.Source != ravao.SourceSync || !oldest.InAt.Equal(e.clock.T.Add(-60*time.Minute).UTC()) {
				t.Errorf("oldest synced visit: %+v", oldest)
			}
			return nil
		})
		sum, err := e.gate.Summary(e.ctx, e.staff, e.a)
		if err != nil || sum.Counts != (ravao.VenueCounts{In: 20, Inside: 20}) || len(sum.Recent) != 10 ||
			!strings.Contains(sum.Recent[0].Name, "***") || sum.Checkpoint.Name != "Cổng A" {
			t.Errorf("summary: %+v, %v", sum.Counts, err)
		}
		if _, err := e.gate.Sync(e.ctx, e.staff, e.a, make([]gate.Scan, gate.MaxSync+1)); ravao.ErrorCode(err) != ravao.TooLarge {
			t.Errorf("an oversized batch: %v", err)
		}
	})
}
