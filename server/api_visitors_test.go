package server

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlite"
)

// visitorFixture is a placeFixture with the codes of an approved venue
// (A), another approved venue (C) and a pending one (B).
type visitorFixture struct {
	*placeFixture
	codeA, codeB, codeC string
}

func newVisitorFixture(t testing.TB) *visitorFixture {
	t.Helper()
	f := newPlaceFixture(t)
	return &visitorFixture{placeFixture: f,
		codeA: f.checkpointOf("admin", f.venueA, f.cpA).Code,
		codeB: f.checkpointOf("admin", f.venueB, f.cpB).Code,
		codeC: f.checkpointOf("admin", f.venueC, f.cpC).Code,
	}
}

const healthyAnswers = `{"symptoms":["none"],"contact":["no"],"travel":["no"]}`

func declarationBody(phone, answers string) string {
	return `{"consent":true,"profile":{"full_name":"Nguyễn Thị Khách","phone":"` + phone +
		`","birth_year":1985,"sex":"f","unit_code":"13321"},"answers":` + answers + `}`
}

// visitorCall is a visitor's API call with a device token, a language and
// extra headers.
type visitorCall struct {
	method, path, body, device, lang string
	headers                          map[string]string
}

func (e *env) visitor(c visitorCall) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.device != "" {
		req.Header.Set("X-Ravao-Device", c.device)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// declare makes a device for a new person and returns its token.
func (e *env) declareDevice(phone string) string {
	e.t.Helper()
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody(phone, healthyAnswers)})
	if rec.Code != http.StatusCreated {
		e.t.Fatalf("declare: got %d %s", rec.Code, rec.Body)
	}
	var d declaredJSON
	decode(e.t, rec.Body, &d)
	return d.Device
}

// visitorSQL reads the database file behind the store directly: the
// store has no listing of every person, device and declaration.
func (e *env) visitorSQL() *sql.DB {
	e.t.Helper()
	db, err := sql.Open("sqlite", e.store.(*sqlite.Store).Path())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// visitorState is every person, device, declaration and visit with what a
// call may change, and the accounts and audit events: a refused call must
// leave it as it was.
func (e *env) visitorState() string {
	e.t.Helper()
	db := e.visitorSQL()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id || ' ' || COALESCE(guardian_id, 0) FROM people ORDER BY id`,
		`SELECT id || ' ' || person_id FROM devices ORDER BY id`,
		`SELECT id || ' ' || person_id || ' ' || created_at FROM declarations ORDER BY id`,
		`SELECT id || ' ' || person_id || ' ' || COALESCE(out_at, '') || ' ' || COALESCE(out_reason, '') FROM visits ORDER BY id`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			e.t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				e.t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String() + fmt.Sprint(e.counts())
}

func TestVisitorDeclarationSetsDeviceCookie(t *testing.T) {
	e := newVisitorFixture(t)
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("0987000001", `{"symptoms":["fever"],"contact":["no"],"travel":["no"]}`)})
	if rec.Code != http.StatusCreated {
		t.Fatalf("declare: got %d %s", rec.Code, rec.Body)
	}
	var d declaredJSON
	decode(t, rec.Body, &d)
	if d.Device == "" || d.PersonID == 0 || !d.Risk {
		t.Errorf("declared: %+v, want a device, a person and risk", d)
	}
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == deviceCookie {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != d.Device || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode ||
		cookie.Path != "/" || cookie.MaxAge != 400*24*3600 {
		t.Errorf("device cookie: %+v", cookie)
	}
	// The cookie alone names the device too.
	rec = e.do(request{method: "GET", path: "/api/v1/me/visits", cookies: []*http.Cookie{{Name: deviceCookie, Value: d.Device}}})
	if rec.Code != http.StatusOK {
		t.Errorf("visits by cookie: got %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(e.logs.String(), "Nguyễn Thị Khách") || strings.Contains(e.logs.String(), "0987000001") || strings.Contains(e.logs.String(), d.Device) {
		t.Error("personal data or the device token reached the logs")
	}
}

func TestVisitorBadInputChangesNothing(t *testing.T) {
	e := newVisitorFixture(t)
	tok := e.declareDevice("0987000002")
	before := e.visitorState()
	cases := []struct {
		name          string
		call          visitorCall
		status        int
		field, vi, en string
	}{
		{"no consent", visitorCall{method: "POST", path: "/api/v1/declarations",
			body: strings.Replace(declarationBody("0987000003", healthyAnswers), `"consent":true`, `"consent":false`, 1)},
			400, "consent", "", ""},
		{"bad phone", visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("12345", healthyAnswers)}, 400, "phone", "", ""},
		{"phone known", visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("0987000002", healthyAnswers)}, 409, "phone", "", ""},
		{"made-up link code", visitorCall{method: "POST", path: "/api/v1/declarations", body: strings.Replace(declarationBody("0987000002", healthyAnswers), `"consent":true`, `"consent":true,"challenge":"x","code":"123456"`, 1)}, 400, "code", "", ""},
		{"my cards of a stranger", visitorCall{method: "POST", path: "/api/v1/me/cards", device: tok, body: fmt.Sprintf(`{"people":[%d]}`, e.person)}, 404, "", "", ""},
		{"erase without a device", visitorCall{method: "DELETE", path: "/api/v1/me"}, 401, "", "", ""},
		{"no answers", visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("0987000004", `{}`)}, 400, "q.symptoms", "", ""},
		{"unknown field", visitorCall{method: "POST", path: "/api/v1/declarations", body: `{"consent":true,"x":1}`}, 400, "", "", ""},
		{"check-in no code", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":""}`}, 404, "", "", ""},
		{"check-in unknown code", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":"ZZZZZZZZ"}`}, 404, "", "", ""},
		{"check-in pending venue", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":"` + e.codeB + `"}`}, 409, "", "", ""},
		{"check-in bad answers", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":"` + e.codeA + `","answers":{"symptoms":["plague"]}}`}, 400, "", "", ""},
		{"check-in stranger dependant", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: fmt.Sprintf(`{"code":%q,"dependants":[%d]}`, e.codeA, e.person)}, 400, "dependants", "", ""},
		{"check-in bad JSON", visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":`}, 400, "", "", ""},
		{"checkout bad id", visitorCall{method: "POST", path: "/api/v1/visits/x/checkout", device: tok}, 404, "", "", ""},
		{"checkout unknown visit", visitorCall{method: "POST", path: "/api/v1/visits/999999/checkout", device: tok}, 404, "", "", ""},
		{"dependant no name", visitorCall{method: "POST", path: "/api/v1/me/dependants", device: tok, body: `{"full_name":"","birth_year":2018,"sex":"m","unit_code":"13321"}`}, 400, "full_name", "", ""},
		{"dependant bad unit", visitorCall{method: "POST", path: "/api/v1/me/dependants", device: tok, body: `{"full_name":"Nguyễn Văn Bé","birth_year":2018,"sex":"m","unit_code":"99999"}`}, 400, "unit", "", ""},
	}
	for _, c := range cases {
		var messages [2]string
		for i, lang := range []string{"vi", "en"} {
			call := c.call
			call.lang = lang
			rec := e.visitor(call)
			if rec.Code != c.status {
				t.Errorf("%s (%s): got %d %s, want %d", c.name, lang, rec.Code, rec.Body, c.status)
				continue
			}
			got := apiError(t, rec)
			messages[i] = got.Message
			if c.field != "" {
				messages[i] = got.Fields[c.field]
				if messages[i] == "" {
					t.Errorf("%s (%s): no message for %s in %+v", c.name, lang, c.field, got)
				}
			}
		}
		if messages[0] == "" || messages[0] == messages[1] {
			t.Errorf("%s: messages vi %q, en %q: want both, in two languages", c.name, messages[0], messages[1])
		}
	}
	if after := e.visitorState(); after != before {
		t.Errorf("refused calls changed the state:\n%s\nwant\n%s", after, before)
	}
}

func TestVisitorCallsWithoutDeviceAre401(t *testing.T) {
	e := newVisitorFixture(t)
	before := e.visitorState()
	calls := []visitorCall{
		{method: "POST", path: "/api/v1/checkins", body: `{"code":"` + e.codeA + `"}`},
		{method: "POST", path: "/api/v1/visits/1/checkout"},
		{method: "GET", path: "/api/v1/me/visits"},
		{method: "POST", path: "/api/v1/me/dependants", body: `{"full_name":"Nguyễn Văn Bé","birth_year":2018,"sex":"m","unit_code":"13321"}`},
		{method: "GET", path: "/api/v1/me/dependants"},
		{method: "POST", path: "/api/v1/me/personal-qr"},
	}
	for _, c := range calls {
		for _, device := range []string{"", "not-a-device"} {
			c.device, c.lang = device, "en"
			rec := e.visitor(c)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s %s device %q: got %d, want 401", c.method, c.path, device, rec.Code)
				continue
			}
			if got := apiError(t, rec); got.Code != ravao.Unauthorized || got.Message == "" {
				t.Errorf("%s %s: error %+v", c.method, c.path, got)
			}
		}
	}
	if after := e.visitorState(); after != before {
		t.Errorf("calls without a device changed the state")
	}
}

func TestVisitorCheckinPassVisitsAndCheckout(t *testing.T) {
	e := newVisitorFixture(t)
	tok := e.declareDevice("0987000010")
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/me/dependants", device: tok,
		body: `{"full_name":"Nguyễn Văn Bé","birth_year":2018,"sex":"m","unit_code":"13321"}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add dependant: got %d %s", rec.Code, rec.Body)
	}
	var dep struct{ ID int64 }
	decode(t, rec.Body, &dep)
	rec = e.visitor(visitorCall{method: "GET", path: "/api/v1/me/dependants", device: tok})
	var deps dependantsJSON
	decode(t, rec.Body, &deps)
	if rec.Code != 200 || len(deps.Dependants) != 1 || deps.Dependants[0].ID != dep.ID || strings.Contains(deps.Dependants[0].Name, "Nguyễn Văn Bé") {
		t.Fatalf("dependants: got %d %+v, want one with a masked name", rec.Code, deps)
	}

	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: tok,
		body: fmt.Sprintf(`{"code":%q,"dependants":[%d]}`, e.codeA, dep.ID)})
	if rec.Code != http.StatusCreated {
		t.Fatalf("check-in: got %d %s", rec.Code, rec.Body)
	}
	var pass passJSON
	decode(t, rec.Body, &pass)
	v := pass.Visit
	if v.ID == 0 || v.VenueID != e.venueA || v.CheckpointID != e.cpA || v.Decision != ravao.Green || v.Source != ravao.SourceAPI ||
		v.OutAt != nil || v.InAt.IsZero() || pass.Venue.Name != "Xưởng may số 1" || pass.Checkpoint.Name != "Cổng chính" ||
		pass.Venue.Place == "" || pass.Repeated || len(pass.Dependants) != 1 {
		t.Errorf("pass: %+v", pass)
	}
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, body: `{"code":"` + e.codeA + `"}`})
	var again passJSON
	decode(t, rec.Body, &again)
	if rec.Code != http.StatusOK || !again.Repeated || again.Visit.ID != v.ID {
		t.Errorf("second scan: got %d %+v, want 200 and the same visit", rec.Code, again)
	}

	rec = e.visitor(visitorCall{method: "GET", path: "/api/v1/me/visits", device: tok})
	var mine visitsJSON
	decode(t, rec.Body, &mine)
	if rec.Code != 200 || len(mine.Visits) != 2 {
		t.Errorf("my visits: got %d %+v, want the adult's and the dependant's", rec.Code, mine)
	}

	other := e.declareDevice("0987000011")
	before := e.visitorState()
	rec = e.visitor(visitorCall{method: "POST", path: fmt.Sprintf("/api/v1/visits/%d/checkout", v.ID), device: other})
	if rec.Code != http.StatusNotFound {
		t.Errorf("another device's check-out: got %d, want 404", rec.Code)
	}
	if e.visitorState() != before {
		t.Error("another device's check-out changed the visit")
	}
	rec = e.visitor(visitorCall{method: "POST", path: fmt.Sprintf("/api/v1/visits/%d/checkout", v.ID), device: tok})
	var out visitJSON
	decode(t, rec.Body, &out)
	if rec.Code != http.StatusOK || out.ID != v.ID || out.OutAt == nil {
		t.Errorf("check-out: got %d %+v", rec.Code, out)
	}
	rec = e.visitor(visitorCall{method: "POST", path: fmt.Sprintf("/api/v1/visits/%d/checkout", v.ID), device: tok})
	if rec.Code != http.StatusConflict {
		t.Errorf("second check-out: got %d, want 409", rec.Code)
	}
}

func TestCheckinIdempotencyKey(t *testing.T) {
	e := newVisitorFixture(t)
	tok := e.declareDevice("0987000020")
	body := `{"code":"` + e.codeA + `"}`
	const n = 50
	var wg sync.WaitGroup
	recs := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("POST", "/api/v1/checkins", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Ravao-Device", tok)
			req.Header.Set("Idempotency-Key", "tap-1")
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			recs[i] = rec
		}()
	}
	wg.Wait()
	// Every retry gets the first answer: the same status and the same body.
	first := recs[0].Body.String()
	for i, rec := range recs {
		if rec.Code != http.StatusCreated || rec.Body.String() != first {
			t.Errorf("call %d: got %d %s, want 201 and the first answer %s", i, rec.Code, rec.Body, first)
		}
	}
	rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/visits", device: tok})
	var mine visitsJSON
	decode(t, rec.Body, &mine)
	if len(mine.Visits) != 1 {
		t.Errorf("%d visits stored, want 1", len(mine.Visits))
	}

	before := e.visitorState()
	for _, lang := range []string{"vi", "en"} {
		rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, lang: lang,
			body: `{"code":"` + e.codeC + `"}`, headers: map[string]string{"Idempotency-Key": "tap-1"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("same key, other body (%s): got %d %s, want 422", lang, rec.Code, rec.Body)
		} else if got := apiError(t, rec); got.Message == "" {
			t.Errorf("422 without a message")
		}
	}
	if e.visitorState() != before {
		t.Error("a refused key reuse changed the state")
	}
}

func TestCheckinStaleDeclarationThenAnswers(t *testing.T) {
	e := newVisitorFixture(t)
	tok := e.declareDevice("0987000030")
	// Age the declaration past its validity (one day).
	old := (48 * time.Hour).Milliseconds()
	if _, err := e.visitorSQL().Exec(`UPDATE declarations SET created_at = created_at - ?`, old); err != nil {
		t.Fatal(err)
	}
	before := e.visitorState()
	for _, lang := range []string{"vi", "en"} {
		rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: tok, lang: lang, body: `{"code":"` + e.codeA + `"}`})
		if rec.Code != http.StatusConflict {
			t.Fatalf("stale declaration (%s): got %d %s, want 409", lang, rec.Code, rec.Body)
		}
		if got := apiError(t, rec); got.Code != ravao.Conflict || got.Message == "" {
			t.Errorf("stale declaration: %+v", got)
		}
	}
	if e.visitorState() != before {
		t.Error("a refused check-in changed the state")
	}
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: tok,
		body: `{"code":"` + e.codeA + `","answers":{"symptoms":["cough"],"contact":["no"],"travel":["no"]}}`})
	var pass passJSON
	decode(t, rec.Body, &pass)
	if rec.Code != http.StatusCreated || pass.Visit.Decision != ravao.Red {
		t.Errorf("with answers: got %d %+v, want 201 and red for a cough", rec.Code, pass)
	}
}

func TestPersonalQRIsTheDevicesPerson(t *testing.T) {
	e := newVisitorFixture(t)
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("0987000040", healthyAnswers)})
	var d declaredJSON
	decode(t, rec.Body, &d)
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/me/personal-qr", device: d.Device})
	if rec.Code != http.StatusOK {
		t.Fatalf("personal QR: got %d %s", rec.Code, rec.Body)
	}
	var qr personalQRJSON
	decode(t, rec.Body, &qr)
	if qr.Payload == "" {
		t.Fatal("empty payload")
	}
	for _, r := range qr.Payload {
		if r < '0' || r > '9' {
			t.Fatalf("payload %q is not digits only", qr.Payload)
		}
	}
	if !qr.ExpiresAt.After(time.Now()) || qr.ExpiresAt.After(time.Now().Add(10*time.Minute)) {
		t.Errorf("expires at %s, want within minutes", qr.ExpiresAt)
	}
	claims, err := e.visits.Verifier().Parse(qr.Payload, time.Now())
	if err != nil {
		t.Fatalf("payload does not verify: %v", err)
	}
	if claims.PersonID != d.PersonID || !claims.Green {
		t.Errorf("claims %+v, want person %d, green", claims, d.PersonID)
	}
}
