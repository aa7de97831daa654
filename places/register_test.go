package places_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/places"
)

const phone = "0912345678"

func TestRegister(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := registration("hieutruong", "+84 912 345 678")
		r := e.register(t, e.svc, in)
		if n := len(e.outbox.Messages()); n != 1 {
			t.Errorf("outbox holds %d messages, want 1", n)
		}
		v := r.Venue
		if v.Status != ravao.VenuePending || v.UnitPath != "35/347/13321/" {
			t.Errorf("venue status %s, path %q; want pending, 35/347/13321/", v.Status, v.UnitPath)
		}
		if v.Organisation.Name != "Trường THCS Quang Trung" || v.OrganisationID != v.Organisation.ID || v.Sector != ravao.SectorEducation {
			t.Errorf("organisation %+v, venue sector %s; want the school's, education", v.Organisation, v.Sector)
		}
		if want := "12 Lê Lợi, Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam"; v.Place != want {
			t.Errorf("place line %q, want %q", v.Place, want)
		}
		checkCheckpoints(t, v, "Cổng chính", "Cổng sau")
		checkContact(t, e, v.ID, phone)
		if !r.Principal.Can(ravao.PermManagePlaces, v.Target()) || r.Session == "" {
			t.Errorf("registrant principal %+v cannot manage the venue (session %q)", r.Principal.Roles, r.Session)
		}
		_, p, err := e.auth.Login(e.ctx, auth.Credentials{Login: "hieutruong", Password: password, ClientIP: "192.0.2.1"})
		if err != nil {
			t.Fatalf("registrant signs in: %v", err)
		}
		if !p.Can(ravao.PermManagePlaces, v.Target()) || !p.Has(ravao.RoleVenueManager) {
			t.Errorf("signed-in registrant %+v cannot manage the venue", p.Roles)
		}
		if evs := e.audit(t, "venue.register"); len(evs) != 1 || evs[0].ObjectID != itoa(v.ID) || evs[0].RequestID != "req-places" {
			t.Errorf("venue.register audit: %+v", evs)
		}
	})
}

// checkCheckpoints checks a venue's checkpoints by name, and that each has
// a code that its URL carries.
func checkCheckpoints(t *testing.T, v places.VenueView, names ...string) {
	t.Helper()
	if len(v.Checkpoints) != len(names) {
		t.Fatalf("venue has %d checkpoints, want %d", len(v.Checkpoints), len(names))
	}
	for i, c := range v.Checkpoints {
		if c.Name != names[i] || c.Kind != ravao.CheckpointGate || c.VenueID != v.ID {
			t.Errorf("checkpoint %d: %+v, want gate %q of venue %d", i, c.Checkpoint, names[i], v.ID)
		}
		if c.Code == "" || c.URL != baseURL+"/q/"+c.Code {
			t.Errorf("checkpoint %d: code %q, URL %q", i, c.Code, c.URL)
		}
	}
}

// checkContact checks that a venue's contact is sealed in the store and
// opens to the phone.
func checkContact(t *testing.T, e *env, venueID int64, phone string) {
	t.Helper()
	raw := e.stored(t, venueID)
	if len(raw.Contact) == 0 || bytes.Contains(raw.Contact, []byte(phone)) || bytes.Contains(raw.Contact, []byte(phone[1:])) {
		t.Errorf("stored contact %q is empty or holds the phone in clear", raw.Contact)
	}
	c, err := e.svc.OpenContact(raw)
	if err != nil || c.Phone.Reveal() != phone || c.Name.Reveal() != "Trần Văn Bình" {
		t.Errorf("OpenContact: %q %q, %v; want Trần Văn Bình, %s", c.Name.Reveal(), c.Phone.Reveal(), err, phone)
	}
}

func TestRegisterAutoApproveAndDefaultGate(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := registration("quanly", phone)
		in.Checkpoints = nil
		r := e.register(t, e.service(t, places.Config{AutoApprove: true}), in)
		if r.Venue.Status != ravao.VenueApproved {
			t.Errorf("status %s, want approved", r.Venue.Status)
		}
		checkCheckpoints(t, r.Venue, "Cổng chính")
	})
}

func TestRegisterWrongCode(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := registration("quanly", phone)
		secret, err := e.svc.RequestCode(e.ctx, phone, "register", "vi")
		if err != nil {
			t.Fatal(err)
		}
		right := e.smsCode(t, phone)
		in.Challenge, in.Code = secret, wrong(right)
		before := e.counts(t)
		for i := 1; i <= 5; i++ {
			_, err := e.svc.Register(e.ctx, in)
			e.wantField(t, err, "code", "err.code_wrong")
			if got := e.attempts(t, secret); got != i {
				t.Fatalf("after %d wrong codes: %d attempts counted", i, got)
			}
		}
		in.Code = right
		_, err = e.svc.Register(e.ctx, in)
		e.wantField(t, err, "code", "err.code_attempts")
		if after := e.counts(t); after != before {
			t.Errorf("counts went from %+v to %+v", before, after)
		}
	})
}

// wrong is a six-digit code other than code.
func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// attempts reads the wrong answers counted on a challenge.
func (e *env) attempts(t *testing.T, secret string) int {
	t.Helper()
	var c ravao.PhoneChallenge
	e.view(t, func(tx ravao.Tx) (err error) { c, err = tx.PhoneChallengeByHash(e.vault.TokenHash(secret)); return err })
	return c.Attempts
}

func TestRegisterCodeExpiredReusedOtherPhone(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ask := func(phone string) places.Registration {
			t.Helper()
			in := registration("quanly", phone)
			secret, err := e.svc.RequestCode(e.ctx, phone, "register", "vi")
			if err != nil {
				t.Fatal(err)
			}
			in.Challenge, in.Code = secret, e.smsCode(t, phone)
			return in
		}
		in := ask(phone)
		e.clock.Advance(10 * time.Minute)
		_, err := e.svc.Register(e.ctx, in)
		e.wantField(t, err, "code", "err.code_expired")

		in = ask(phone)
		in.Venue.ContactPhone = "0987654321"
		_, err = e.svc.Register(e.ctx, in)
		e.wantField(t, err, "contact_phone", "err.code_phone")

		in.Venue.ContactPhone = phone
		if _, err := e.svc.Register(e.ctx, in); err != nil {
			t.Fatalf("register with the right phone: %v", err)
		}
		in.Login, in.Organisation = "quanly2", "Trường Tiểu học Lê Hồng Phong"
		before := e.counts(t)
		_, err = e.svc.Register(e.ctx, in)
		e.wantField(t, err, "code", "err.code_expired")
		if after := e.counts(t); after != before {
			t.Errorf("reused code: counts went from %+v to %+v", before, after)
		}

		in = ask(phone)
		in.Challenge = "not-a-challenge"
		_, err = e.svc.Register(e.ctx, in)
		e.wantField(t, err, "code", "err.code_expired")
	})
}

func TestRequestCodeLimit(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		for i := range 5 {
			if _, err := e.svc.RequestCode(e.ctx, phone, "register", "vi"); err != nil {
				t.Fatalf("code %d: %v", i+1, err)
			}
		}
		_, err := e.svc.RequestCode(e.ctx, "091 234 5678", "register", "vi")
		e.wantErr(t, err, ravao.TooMany, "err.code_too_many")
		if n := len(e.outbox.Messages()); n != 5 {
			t.Errorf("%d SMS sent, want 5", n)
		}
		if _, err := e.svc.RequestCode(e.ctx, "0987654321", "register", "vi"); err != nil {
			t.Errorf("another phone: %v", err)
		}
		e.clock.Advance(time.Hour + time.Millisecond)
		if _, err := e.svc.RequestCode(e.ctx, phone, "register", "vi"); err != nil {
			t.Errorf("an hour later: %v", err)
		}
		_, err = e.svc.RequestCode(e.ctx, "12345", "register", "vi")
		e.wantField(t, err, "phone", "err.phone")
	})
}

func TestRegisterInvalid(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		secret, err := e.svc.RequestCode(e.ctx, phone, "register", "vi")
		if err != nil {
			t.Fatal(err)
		}
		code := e.smsCode(t, phone)
		valid := registration("quanly", phone)
		valid.Challenge, valid.Code = secret, code
		cases := []struct {
			name, field, key string
			edit             func(*places.Registration)
		}{
			{"no organisation", "organisation", "err.place_name", func(r *places.Registration) { r.Organisation = "  " }},
			{"no venue name", "name", "err.place_name", func(r *places.Registration) { r.Venue.Name = "123" }},
			{"unknown type", "type", "err.venue_type", func(r *places.Registration) { r.Venue.Type = "casino" }},
			{"bad unit code", "unit", "err.unit_code", func(r *places.Registration) { r.Venue.UnitCode = "35/347" }},
			{"unknown unit", "unit", "err.unit_unknown", func(r *places.Registration) { r.Venue.UnitCode = "99999" }},
			{"no phone", "contact_phone", "err.required", func(r *places.Registration) { r.Venue.ContactPhone = "" }},
			{"bad phone", "contact_phone", "err.phone", func(r *places.Registration) { r.Venue.ContactPhone = "0112" }},
			{"long stay", "default_stay", "err.default_stay", func(r *places.Registration) { r.Venue.DefaultStayMinutes = 25 * 60 }},
			{"plate on a gate", "checkpoints", "err.plate_not_vehicle", func(r *places.Registration) { r.Checkpoints[0].Plate = "90B-123.45" }},
			{"too many checkpoints", "checkpoints", "err.too_many_checkpoints", func(r *places.Registration) {
				r.Checkpoints = make([]places.CheckpointInput, places.MaxCheckpoints+1)
			}},
			{"bad login", "login", "err.login", func(r *places.Registration) { r.Login = "A B" }},
			{"short password", "password", "err.password_short", func(r *places.Registration) { r.Password = "ngắn" }},
			{"no code", "code", "err.code_required", func(r *places.Registration) { r.Code = "" }},
		}
		before := e.counts(t)
		for _, c := range cases {
			in := valid
			in.Checkpoints = append([]places.CheckpointInput(nil), valid.Checkpoints...)
			c.edit(&in)
			_, err := e.svc.Register(e.ctx, in)
			if err == nil {
				t.Fatalf("%s: registered", c.name)
			}
			e.wantField(t, err, c.field, c.key)
		}
		if after := e.counts(t); after != before {
			t.Errorf("counts went from %+v to %+v", before, after)
		}
		if n := e.attempts(t, secret); n != 0 {
			t.Errorf("invalid forms counted %d wrong codes", n)
		}
		if _, err := e.svc.Register(e.ctx, valid); err != nil {
			t.Errorf("the same code after invalid forms: %v", err)
		}
	})
}

func TestRegisterLoginTaken(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := registration("admin", phone)
		secret, err := e.svc.RequestCode(e.ctx, phone, "register", "vi")
		if err != nil {
			t.Fatal(err)
		}
		in.Challenge, in.Code = secret, e.smsCode(t, phone)
		before := e.counts(t)
		_, err = e.svc.Register(e.ctx, in)
		e.wantErr(t, err, ravao.Conflict, "err.login_taken")
		if after := e.counts(t); after != before {
			t.Errorf("counts went from %+v to %+v", before, after)
		}
		in.Login = "quanly"
		if _, err := e.svc.Register(e.ctx, in); err != nil {
			t.Errorf("the same code with a free login: %v", err)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
