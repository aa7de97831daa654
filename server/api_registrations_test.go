package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// requestCode asks for a registration code for phone and reads it from the
// SMS outbox.
func requestCode(t *testing.T, e *env, phone string) (challenge, code string) {
	t.Helper()
	rec := e.do(request{method: "POST", path: "/api/v1/registrations/code", body: `{"phone":"` + phone + `"}`})
	var got struct {
		Challenge        string `json:"challenge"`
		ExpiresInSeconds int    `json:"expires_in_seconds"`
	}
	decode(t, rec.Body, &got)
	if rec.Code != http.StatusCreated || got.Challenge == "" || got.ExpiresInSeconds != 600 {
		t.Fatalf("request code: got %d %+v, want 201 with a challenge valid 600 s", rec.Code, got)
	}
	msgs := e.outbox.Messages()
	if len(msgs) == 0 {
		t.Fatal("no SMS in the outbox")
	}
	code = sixDigits.FindString(msgs[0].Text)
	if code == "" || msgs[0].To.Reveal() != "0912000111" {
		t.Fatalf("SMS: got %q to %q, want a six-digit code to 0912000111", msgs[0].Text, msgs[0].To.Reveal())
	}
	return got.Challenge, code
}

// registration is a registration body for a garment workshop in 13321.
func registration(challenge, code string) string {
	b, _ := json.Marshal(map[string]any{
		"challenge": challenge, "code": code, "organisation": "Công ty TNHH May Thanh Châu",
		"venue": map[string]any{
			"name": "Xưởng may Thanh Châu", "type": "business", "unit_code": "13321", "address": "25 Lê Hoàn",
			"contact_name": "Trịnh Thị Mai", "contact_phone": "+84 912 000 111",
		},
		"checkpoints": []map[string]string{{"name": "Cổng chính"}, {"name": "Cổng kho", "kind": "gate"}},
		"login":       "mai.thanhchau", "display_name": "Trịnh Thị Mai", "password": "mật-khẩu-dài-12345",
	})
	return string(b)
}

func TestPlacesAPIRegistrationFlow(t *testing.T) {
	f := newPlaceFixture(t)
	challenge, code := requestCode(t, f.env, "0912 000 111")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	before, venues := f.placesState(), f.venueCount()
	rec := f.do(request{method: "POST", path: "/api/v1/registrations", body: registration(challenge, wrong), lang: "en"})
	if got := apiError(t, rec); rec.Code != 400 || got.Fields["code"] != f.srv.cat.T("en", "err.code_wrong") {
		t.Errorf("wrong code: got %d %+v, want 400 with the code refused in English", rec.Code, got)
	}
	if f.placesState() != before || f.venueCount() != venues {
		t.Errorf("a registration with a wrong code changed data")
	}
	rec = f.do(request{method: "POST", path: "/api/v1/registrations", body: registration(challenge, code)})
	if rec.Code != http.StatusCreated {
		t.Fatalf("register: got %d, want 201: %s", rec.Code, rec.Body)
	}
	var reg struct {
		Venue venueDetailJSON
		User  userJSON
	}
	decode(t, rec.Body, &reg)
	v := reg.Venue
	if v.Status != ravao.VenuePending || v.Name != "Xưởng may Thanh Châu" || v.Organisation.Name != "Công ty TNHH May Thanh Châu" ||
		len(v.Checkpoints) != 2 || v.Contact == nil || v.Contact.Phone != "0912000111" || reg.User.Login != "mai.thanhchau" {
		t.Fatalf("registered: got %+v", reg)
	}
	if v.Place != "25 Lê Hoàn, Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam" {
		t.Errorf("place line: got %q", v.Place)
	}
	session := sessionFrom(t, rec)
	if again := f.do(request{method: "POST", path: "/api/v1/registrations", body: registration(challenge, code)}); again.Code != 400 {
		t.Errorf("the same code twice: got %d, want 400", again.Code)
	}
	checkManagerSees(t, f, session, v.ID)
	rec = f.as(localX, "POST", fmt.Sprintf("/api/v1/venues/%d/approve", v.ID), "")
	var approved venueJSON
	decode(t, rec.Body, &approved)
	if rec.Code != 200 || approved.Status != ravao.VenueApproved {
		t.Fatalf("approve: got %d %+v, want 200 approved", rec.Code, approved)
	}
	rec = f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/venues/%d/posters.pdf?size=A5", v.ID), cookies: []*http.Cookie{session}})
	if rec.Code != 200 || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("posters: got %d %q, want a PDF", rec.Code, rec.Header().Get("Content-Type"))
	}
	if n := pdfPages(rec.Body.Bytes()); n != 2 {
		t.Errorf("posters: got %d pages, want 2", n)
	}
	if cd, want := rec.Header().Get("Content-Disposition"), fmt.Sprintf(`attachment; filename="ravao-poster-venue-%d.pdf"`, v.ID); cd != want {
		t.Errorf("Content-Disposition: got %q, want %q", cd, want)
	}
	for _, secret := range []string{"0912000111", "912 000 111", "Trịnh Thị Mai"} {
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("the logs contain personal data %q", secret)
		}
	}
}

// sessionFrom is the session cookie a response set.
func sessionFrom(t *testing.T, rec interface{ Result() *http.Response }) *http.Cookie {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

// checkManagerSees checks what the new manager's session sees: their place
// with its contact, and only it.
func checkManagerSees(t *testing.T, f *placeFixture, session *http.Cookie, id int64) {
	t.Helper()
	rec := f.do(request{method: "GET", path: "/api/v1/venues", cookies: []*http.Cookie{session}})
	var l venueList
	decode(t, rec.Body, &l)
	if rec.Code != 200 || l.Total != 1 || len(l.Venues) != 1 || l.Venues[0].ID != id {
		t.Errorf("new manager's list: got %d %+v, want only their place", rec.Code, l)
	}
	rec = f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/venues/%d", id), cookies: []*http.Cookie{session}})
	var v venueDetailJSON
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.Contact == nil || v.Contact.Name != "Trịnh Thị Mai" {
		t.Errorf("new manager's place: got %d %+v, want it with its contact", rec.Code, v)
	}
	rec = f.as("health", "GET", fmt.Sprintf("/api/v1/venues/%d", id), "")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "0912000111") || strings.Contains(rec.Body.String(), `"contact"`) {
		t.Errorf("health official: got %d, want the place without its contact: %s", rec.Code, rec.Body)
	}
	if rec := f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/venues/%d", f.venueA), cookies: []*http.Cookie{session}}); rec.Code != 404 {
		t.Errorf("new manager reading another organisation's place: got %d, want 404", rec.Code)
	}
}

// withTaxCode is a registration body with its tax_code set.
func withTaxCode(t *testing.T, body, taxCode string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	m["tax_code"] = taxCode
	b, _ := json.Marshal(m)
	return string(b)
}

func TestPlacesAPIRegistrationTaxCode(t *testing.T) {
	f := newPlaceFixture(t)
	challenge, code := requestCode(t, f.env, "0912 000 111")
	before, venues := f.placesState(), f.venueCount()
	rec := f.do(request{method: "POST", path: "/api/v1/registrations", body: withTaxCode(t, registration(challenge, code), "0101-234567")})
	if got := apiError(t, rec); rec.Code != 400 || got.Fields["tax_code"] != f.srv.cat.T("vi", "err.tax_code") || len(got.Fields) != 1 {
		t.Errorf("bad tax code: got %d %+v, want 400 with the tax code refused in Vietnamese", rec.Code, got)
	}
	if f.placesState() != before || f.venueCount() != venues {
		t.Errorf("a registration with a bad tax code changed data")
	}
	rec = f.do(request{method: "POST", path: "/api/v1/registrations", body: withTaxCode(t, registration(challenge, code), "0101.234.567")})
	if rec.Code != http.StatusCreated {
		t.Fatalf("register: got %d, want 201: %s", rec.Code, rec.Body)
	}
	var reg struct{ Venue venueDetailJSON }
	decode(t, rec.Body, &reg)
	var org ravao.Organisation
	var v ravao.Venue
	err := f.store.View(context.Background(), func(tx ravao.Tx) (err error) {
		if v, err = tx.Venue(reg.Venue.ID); err != nil {
			return err
		}
		org, err = tx.Organisation(v.OrganisationID)
		return err
	})
	if err != nil || org.TaxCode != "0101234567" {
		t.Errorf("stored organisation %+v, %v; want tax code 0101234567", org, err)
	}
	if want := f.vault.Lookup("phone", "0912000111"); !bytes.Equal(v.ContactKey, want) {
		t.Errorf("contact key %x, want %x", v.ContactKey, want)
	}
}

func TestPlacesAPIRegistrationCodesAreLimited(t *testing.T) {
	e := newEnv(t)
	var rec interface{ Result() *http.Response }
	statuses := []int{}
	for i := 0; i < 7; i++ {
		r := e.do(request{method: "POST", path: "/api/v1/registrations/code", body: fmt.Sprintf(`{"phone":"09120001%02d"}`, i)})
		statuses = append(statuses, r.Code)
		rec = r
	}
	if fmt.Sprint(statuses) != "[201 201 201 201 201 429 429]" {
		t.Errorf("code requests from one client: got %v, want five then 429", statuses)
	}
	if rec.Result().Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	if n := len(e.outbox.Messages()); n != 5 {
		t.Errorf("SMS sent: got %d, want 5", n)
	}
}

func TestPlacesAPICheckpointsAndInvitations(t *testing.T) {
	f := newPlaceFixture(t)
	a := fmt.Sprint(f.venueA)
	rec := f.as(managerA, "PUT", "/api/v1/venues/"+a, venueInput("Xưởng may số 1 – Châu Sơn", "13321"))
	var v venueJSON
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.Name != "Xưởng may số 1 – Châu Sơn" || v.Zone != "KCN Châu Sơn" || v.Capacity != 800 {
		t.Fatalf("update: got %d %+v", rec.Code, v)
	}
	rec = f.as(managerA, "POST", "/api/v1/venues/"+a+"/checkpoints", `{"name":"Cổng phụ","kind":"gate"}`)
	var cp checkpointJSON
	decode(t, rec.Body, &cp)
	if rec.Code != http.StatusCreated || cp.Name != "Cổng phụ" || cp.VenueID != f.venueA || !strings.HasPrefix(cp.URL, "http://ravao.test/q/") {
		t.Fatalf("add checkpoint: got %d %+v", rec.Code, cp)
	}
	rec = f.as(managerA, "POST", "/api/v1/invitations", fmt.Sprintf(`{"checkpoint_ids":[%d,%d]}`, f.cpA, cp.ID))
	var inv struct {
		Code, URL string
		ExpiresAt string `json:"expires_at"`
	}
	decode(t, rec.Body, &inv)
	if rec.Code != http.StatusCreated || len(inv.Code) != 12 || inv.URL != "http://ravao.test/invite/"+inv.Code || inv.ExpiresAt == "" {
		t.Fatalf("invite: got %d %+v", rec.Code, inv)
	}
	body := `{"login":"baove.chauson","display_name":"Lê Văn Gác","password":"mật-khẩu-dài-12345"}`
	rec = f.do(request{method: "POST", path: "/api/v1/invitations/" + strings.ToLower(inv.Code) + "/accept", body: body})
	var p principalJSON
	decode(t, rec.Body, &p)
	if rec.Code != http.StatusCreated || p.User.Login != "baove.chauson" || len(p.Roles) != 2 || p.Roles[0].Role != ravao.RoleGateStaff {
		t.Fatalf("accept: got %d %+v", rec.Code, p)
	}
	session := sessionFrom(t, rec)
	if rec := f.do(request{method: "GET", path: "/api/v1/me", cookies: []*http.Cookie{session}}); rec.Code != 200 {
		t.Errorf("the new gate staff's session: got %d, want 200", rec.Code)
	}
	body = strings.Replace(body, "baove.chauson", "baove.khac", 1)
	rec = f.do(request{method: "POST", path: "/api/v1/invitations/" + inv.Code + "/accept", body: body})
	if got := apiError(t, rec); rec.Code != 404 || got.Message != f.srv.cat.T("vi", "err.invite_invalid") {
		t.Errorf("second accept: got %d %+v, want 404", rec.Code, got)
	}
	rec = f.as(managerA, "POST", "/api/v1/invitations", fmt.Sprintf(`{"checkpoint_ids":[%d]}`, f.cpC))
	if rec.Code != 404 {
		t.Errorf("invite to another organisation's checkpoint: got %d, want 404", rec.Code)
	}
}
