package visitors_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

var ict = svctest.ICT

// env is a visitors service over a fresh database with a market (default
// stay one hour, closes at 19:00) and a factory, and a clock the test moves.
type env struct {
	t       testing.TB
	ctx     context.Context
	store   ravao.Store
	vault   *vault.Vault
	clock   *ravao.FixedClock
	places  *places.Service
	outbox  *sms.Outbox
	svc     *visitors.Service
	open    svctest.Opener
	market  places.VenueView
	factory places.VenueView
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
	key, _ := vault.ParseKey(vault.GenerateKey())
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := svctest.Units(ctx, st); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, vault: v, clock: clock, open: open}
	e.start(st)
	t.Cleanup(func() { e.store.Close() }) // the store of the latest start
	e.market = e.place("Chợ Bầu", ravao.VenueMarket)
	e.factory = e.place("Nhà máy may Đồng Văn", ravao.VenueZoneBusiness)
	return e
}

// start builds the services over st, as the server does when it starts.
func (e *env) start(st ravao.Store) {
	e.t.Helper()
	svc := svctest.Start(e.t, st, e.vault, e.clock)
	e.store, e.places, e.svc, e.outbox = st, svc.Places, svc.Visitors, svc.Outbox
}

// restart closes the store and starts again over the same database, with
// nothing kept in memory.
func (e *env) restart() {
	e.t.Helper()
	if err := e.store.Close(); err != nil {
		e.t.Fatal(err)
	}
	st, err := e.open(e.clock)
	if err != nil {
		e.t.Fatal(err)
	}
	e.start(st)
}

func (e *env) place(name string, t ravao.VenueType) places.VenueView {
	e.t.Helper()
	vv, err := e.places.CreatePlace(e.ctx, nil, places.NewPlace{Organisation: name, Venue: places.VenueInput{
		Name: name, Type: string(t), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng 1"}, {Name: "Cổng 2"}}}, "vi")
	if err != nil {
		e.t.Fatalf("place %s: %v", name, err)
	}
	if t == ravao.VenueMarket { // closes at 19:00
		err = e.store.Update(e.ctx, func(tx ravao.Tx) error {
			v, err := tx.Venue(vv.ID)
			if err != nil {
				return err
			}
			v.ClosesAt = 19 * time.Hour
			return tx.UpdateVenue(&v)
		})
		if err != nil {
			e.t.Fatal(err)
		}
	}
	return vv
}

var healthy = questions.Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}

func profile(phone string) visitors.Profile {
	return visitors.Profile{FullName: "Nguyễn Văn An", Phone: phone, BirthYear: 1990, Sex: "m", UnitCode: "13321"}
}

func (e *env) declare(phone string, answers questions.Answers) string {
	e.t.Helper()
	d, err := e.svc.Declare(e.ctx, visitors.Declaration{Consent: true, Profile: profile(phone), Answers: answers})
	if err != nil {
		e.t.Fatalf("Declare: %v", err)
	}
	return d.Token
}

func (e *env) visits(token string) []ravao.Visit {
	e.t.Helper()
	vs, err := e.svc.Visits(e.ctx, token, time.Time{})
	if err != nil {
		e.t.Fatalf("Visits: %v", err)
	}
	return vs
}

func wantKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	svctest.WantKey(t, what, err, key)
}

// TestFirstVisitThenOneTap: consent and declaration, a green pass, a
// second scan at another gate of the same venue keeps one visit, check-out
// by tap, then a one-tap check-in later the same day.
func TestFirstVisitThenOneTap(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912345678", healthy)
		pass, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok})
		if err != nil {
			t.Fatalf("CheckIn: %v", err)
		}
		if pass.Visit.Decision != ravao.Green || pass.Venue.ID != e.market.ID || pass.Repeated {
			t.Errorf("first pass: %+v", pass)
		}
		if want := e.clock.T.Add(time.Hour); !pass.Visit.DueAt.Equal(want) {
			t.Errorf("due at %s, want the market's one-hour stay %s", pass.Visit.DueAt, want)
		}
		again, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[1].Code, Device: tok})
		if err != nil || again.Visit.ID != pass.Visit.ID || !again.Repeated {
			t.Errorf("second gate of the same venue: %+v, %v; want the same visit", again.Visit, err)
		}
		out, err := e.svc.CheckOut(e.ctx, tok, pass.Visit.ID)
		if err != nil || out.OutReason != ravao.OutTap || out.OutAt.IsZero() {
			t.Errorf("CheckOut: %+v, %v", out, err)
		}
		if _, err := e.svc.CheckOut(e.ctx, tok, pass.Visit.ID); ravao.ErrorCode(err) != ravao.Conflict {
			t.Errorf("second check-out: %v, want Conflict", err)
		}
		e.clock.Advance(3 * time.Hour)
		later, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok})
		if err != nil || later.Visit.ID == pass.Visit.ID {
			t.Errorf("one-tap check-in later: %+v, %v", later.Visit, err)
		}
		if n := len(e.visits(tok)); n != 2 {
			t.Errorf("%d visits, want 2", n)
		}
	})
}

// TestRedAndStaleDeclaration: symptoms give red; after the validity period
// the questions come back; answering them with the check-in gives a pass.
func TestRedAndStaleDeclaration(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912345679", questions.Answers{"symptoms": {"fever", "cough"}, "contact": {"no"}, "travel": {"no"}})
		pass, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.factory.Checkpoints[0].Code, Device: tok})
		if err != nil || pass.Visit.Decision != ravao.Red {
			t.Fatalf("declared fever: %+v, %v; want red", pass.Visit, err)
		}
		e.clock.Advance(25 * time.Hour)
		_, err = e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok})
		wantKey(t, "stale declaration", err, "err.declaration_needed")
		pass, err = e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok, Answers: healthy})
		if err != nil || pass.Visit.Decision != ravao.Green {
			t.Errorf("re-declared: %+v, %v; want green", pass.Visit, err)
		}
	})
}

// TestMovingClosesTheOtherVenue: entering another venue ends the visit at
// the first one.
func TestMovingClosesTheOtherVenue(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912345670", healthy)
		first, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(20 * time.Minute)
		if _, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.factory.Checkpoints[0].Code, Device: tok}); err != nil {
			t.Fatal(err)
		}
		for _, v := range e.visits(tok) {
			if v.ID == first.Visit.ID && (v.OutReason != ravao.OutMove || !v.OutAt.Equal(e.clock.T)) {
				t.Errorf("market visit after moving: %+v", v)
			}
		}
	})
}

// TestAutoCheckout: visits close at the default stay, at closing time and
// at 24 hours, each once, at its due time, also across a restart.
func TestAutoCheckout(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		a, b, c := e.declare("0912000001", healthy), e.declare("0912000002", healthy), e.declare("0912000008", healthy)
		// The factory says nothing of how long people stay: only the cap.
		err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			v, err := tx.Venue(e.factory.ID)
			if err != nil {
				return err
			}
			v.DefaultStay = 0
			return tx.UpdateVenue(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.T = time.Date(2026, 7, 1, 8, 0, 0, 0, ict)
		stay, _ := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: a})
		capped, _ := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.factory.Checkpoints[0].Code, Device: c})
		e.clock.T = time.Date(2026, 7, 1, 18, 30, 0, 0, ict)
		closing, _ := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: b})
		want := map[int64]time.Time{
			stay.Visit.ID:    time.Date(2026, 7, 1, 9, 0, 0, 0, ict),
			closing.Visit.ID: time.Date(2026, 7, 1, 19, 0, 0, 0, ict),
			capped.Visit.ID:  time.Date(2026, 7, 2, 8, 0, 0, 0, ict),
		}
		// 20:00: the stay and the closing time are past, the cap is not.
		e.clock.T = time.Date(2026, 7, 1, 20, 0, 0, 0, ict)
		if n, err := e.svc.CloseDue(e.ctx); err != nil || n != 2 {
			t.Errorf("at 20:00: closed %d, %v; want 2", n, err)
		}
		e.restart()
		e.clock.T = time.Date(2026, 7, 2, 12, 0, 0, 0, ict)
		for run := range 3 {
			n, err := e.svc.CloseDue(e.ctx)
			if err != nil || run == 0 && n != 1 || run > 0 && n != 0 {
				t.Errorf("after the restart, run %d: closed %d, %v", run, n, err)
			}
		}
		for _, tok := range []string{a, b, c} {
			for _, v := range e.visits(tok) {
				if v.OutReason != ravao.OutAuto || !v.OutAt.Equal(want[v.ID]) {
					t.Errorf("visit %d: out %s (%s), want %s", v.ID, v.OutAt.In(ict), v.OutReason, want[v.ID])
				}
			}
		}
	})
}

// TestIdempotentCheckIn: 200 concurrent identical requests with one key
// make one visit; the same key with another body is refused.
func TestIdempotentCheckIn(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912000003", healthy)
		in := visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok, IdempotencyKey: "retry-1", Source: ravao.SourceAPI}
		var wg sync.WaitGroup
		ids := make(chan int64, 200)
		for range 200 {
			wg.Go(func() {
				p, err := e.svc.CheckIn(e.ctx, in)
				if err != nil {
					t.Errorf("CheckIn: %v", err)
					return
				}
				ids <- p.Visit.ID
			})
		}
		wg.Wait()
		close(ids)
		seen := map[int64]bool{}
		for id := range ids {
			seen[id] = true
		}
		if len(seen) != 1 || len(e.visits(tok)) != 1 {
			t.Errorf("%d distinct answers, %d visits; want 1 and 1", len(seen), len(e.visits(tok)))
		}
		other := in
		other.Code = e.factory.Checkpoints[0].Code
		if _, err := e.svc.CheckIn(e.ctx, other); ravao.ErrorCode(err) != ravao.Mismatch {
			t.Errorf("same key, other body: %v, want Mismatch", err)
		}
	})
}

// TestDependants: a child without a phone is added and enters with the adult.
func TestDependants(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912000004", healthy)
		child := visitors.Profile{FullName: "Nguyễn Bảo Ngọc", BirthYear: 2019, Sex: "f", UnitCode: "13321"}
		id, err := e.svc.AddDependant(e.ctx, tok, child)
		if err != nil {
			t.Fatalf("AddDependant: %v", err)
		}
		deps, err := e.svc.Dependants(e.ctx, tok)
		if err != nil || len(deps) != 1 || deps[0].ID != id || strings.Contains(deps[0].Name, "Bảo Ngọc") {
			t.Errorf("Dependants: %+v, %v (name must be masked)", deps, err)
		}
		pass, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok, Dependants: []int64{id}})
		if err != nil || len(pass.Dependants) != 1 || pass.Dependants[0].PersonID != id {
			t.Fatalf("check-in with the child: %+v, %v", pass, err)
		}
		if n := len(e.visits(tok)); n != 2 {
			t.Errorf("%d visits listed for the device, want the adult's and the child's", n)
		}
		// Already inside, the adult ticks a second child: the child enters
		// with the same visit.
		second, err := e.svc.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Nguyễn Minh Khang", BirthYear: 2021, UnitCode: "13321"})
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.market.Checkpoints[1].Code, Device: tok, Dependants: []int64{id, second}})
		if err != nil || again.Visit.ID != pass.Visit.ID || len(again.Dependants) != 1 || again.Dependants[0].PersonID != second {
			t.Errorf("second child while inside: %+v, %v", again, err)
		}
		if n := len(e.visits(tok)); n != 3 {
			t.Errorf("%d visits listed for the device, want the adult's and the two children's", n)
		}
		other := e.declare("0912000005", healthy)
		_, err = e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: e.factory.Checkpoints[0].Code, Device: other, Dependants: []int64{id}})
		wantKey(t, "someone else's dependant", err, "err.dependant_unknown")
	})
}

// TestBadDeclarationStoresNothing: each bad field gets its error and no
// person or device is stored.
func TestBadDeclarationStoresNothing(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		e.declare("0912000006", healthy)
		for _, tc := range []struct {
			name, field, key string
			edit             func(*visitors.Declaration)
		}{
			{"no consent", "consent", "err.consent", func(d *visitors.Declaration) { d.Consent = false }},
			{"phone too short", "phone", "err.phone", func(d *visitors.Declaration) { d.Profile.Phone = "0912" }},
			{"phone known", "phone", "err.phone_link", func(d *visitors.Declaration) { d.Profile.Phone = "+84 912 000 006" }},
			{"made-up code", "code", "err.code_expired", func(d *visitors.Declaration) { d.Challenge, d.Code = "made-up", "123456" }},
			{"bad CCCD", "id_number", "err.cccd", func(d *visitors.Declaration) { d.Profile.IDNumber = "12345" }},
			{"future birth year", "birth_year", "err.birth_year", func(d *visitors.Declaration) { d.Profile.BirthYear = 2099 }},
			{"long name", "full_name", "err.full_name", func(d *visitors.Declaration) { d.Profile.FullName = strings.Repeat("Nguyễn ", 40) }},
			{"invalid UTF-8", "full_name", "err.full_name", func(d *visitors.Declaration) { d.Profile.FullName = "An\xff" }},
			{"unknown unit", "unit", "err.unit_unknown", func(d *visitors.Declaration) { d.Profile.UnitCode = "99999" }},
			{"no answers", "q.symptoms", "", func(d *visitors.Declaration) { d.Answers = nil }},
		} {
			d := visitors.Declaration{Consent: true, Profile: profile("0912000099"), Answers: healthy}
			tc.edit(&d)
			_, err := e.svc.Declare(e.ctx, d)
			fe, ok := err.(*ravao.Error)
			if !ok || fe.Fields[tc.field] == "" || tc.key != "" && fe.Fields[tc.field] != tc.key {
				t.Errorf("%s: got %v, want %s on %s", tc.name, err, tc.key, tc.field)
			}
		}
		err := e.store.View(e.ctx, func(tx ravao.Tx) error {
			_, err := tx.PersonByPhoneKey(e.vault.Lookup("phone", "0912000099"))
			return err
		})
		if !ravao.IsNotFound(err) {
			t.Errorf("a refused declaration stored its person: %v", err)
		}
	})
}

// TestReplayWithDependants: a retried check-in with a dependant gives the
// first answer again, dependants included, and writes nothing more.
func TestReplayWithDependants(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		tok := e.declare("0912000007", healthy)
		id, err := e.svc.AddDependant(e.ctx, tok, visitors.Profile{FullName: "Trần Bảo An", BirthYear: 2018, UnitCode: "13321"})
		if err != nil {
			t.Fatal(err)
		}
		in := visitors.CheckIn{Code: e.market.Checkpoints[0].Code, Device: tok, Dependants: []int64{id}, IdempotencyKey: "k-7"}
		first, err := e.svc.CheckIn(e.ctx, in)
		if err != nil || first.Replayed || len(first.Dependants) != 1 {
			t.Fatalf("first: %+v, %v", first, err)
		}
		again, err := e.svc.CheckIn(e.ctx, in)
		if err != nil || !again.Replayed || again.Repeated || again.Visit.ID != first.Visit.ID ||
			len(again.Dependants) != 1 || again.Dependants[0].ID != first.Dependants[0].ID {
			t.Errorf("replay: %+v, %v; want the first answer", again, err)
		}
		if n := len(e.visits(tok)); n != 2 {
			t.Errorf("%d visits after the replay, want 2", n)
		}
	})
}

// TestCheckInSeesPlaceChangesAtOnce: the check-in reads its place outside
// a transaction and may answer from memory (sqlstore's place cache), yet
// a venue suspended, a code revoked or reissued, and a venue reinstated on
// this server take effect at the very next scan.
func TestCheckInSeesPlaceChangesAtOnce(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		admin := svctest.Staff(e.t, e.store, "quantri", ravao.RoleAssignment{Role: ravao.RoleAdmin})
		tok := e.declare("0912000111", healthy)
		at := func(code string) error {
			_, err := e.svc.CheckIn(e.ctx, visitors.CheckIn{Code: code, Device: tok})
			return err
		}
		cp := e.market.Checkpoints[0]
		for range 2 { // the second answered from memory
			if err := at(cp.Code); err != nil {
				t.Fatalf("check-in: %v", err)
			}
		}
		if _, err := e.places.Suspend(e.ctx, admin, e.market.ID, "Không quét mã"); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "check-in at a suspended venue", at(cp.Code), "err.venue_not_active")
		if _, err := e.places.Reinstate(e.ctx, admin, e.market.ID, "Đã khắc phục"); err != nil {
			t.Fatal(err)
		}
		if err := at(cp.Code); err != nil {
			t.Fatalf("check-in at the reinstated venue: %v", err)
		}
		if _, err := e.places.Revoke(e.ctx, admin, cp.ID); err != nil {
			t.Fatal(err)
		}
		if err := at(cp.Code); err == nil {
			t.Fatal("check-in with a revoked code: accepted")
		}
		fresh, err := e.places.Reissue(e.ctx, admin, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := at(cp.Code); err == nil {
			t.Fatal("check-in with the code a reissue replaced: accepted")
		}
		if err := at(fresh.Code); err != nil {
			t.Fatalf("check-in with the reissued code: %v", err)
		}
	})
}
