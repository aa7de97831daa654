package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

func TestAPIBadInputIsRefusedInTheCallersLanguage(t *testing.T) {
	e := newEnv(t)
	big := `{"login":"` + strings.Repeat("a", 2<<20) + `","password":"x"}`
	tests := []struct {
		name        string
		r           request
		status      int
		code        ravao.Code
		key         string
		field, fkey string
		audited     bool // sign-in failures are audited by design
	}{
		{"wrong password", request{method: "POST", path: "/api/v1/session", body: `{"login":"admin","password":"wrong"}`}, 401, ravao.Unauthorized, "err.login_failed", "", "", true},
		{"malformed JSON", request{method: "POST", path: "/api/v1/session", body: `{"login":`}, 400, ravao.Invalid, "err.json", "", "", false},
		{"wrong type", request{method: "POST", path: "/api/v1/session", body: `{"login":1,"password":"x"}`}, 400, ravao.Invalid, "err.json", "", "", false},
		{"unknown field", request{method: "POST", path: "/api/v1/session", body: `{"login":"admin","password":"x","admin":true}`}, 400, ravao.Invalid, "err.json", "", "", false},
		{"trailing data", request{method: "POST", path: "/api/v1/session", body: `{"login":"admin","password":"x"} {}`}, 400, ravao.Invalid, "err.json", "", "", false},
		{"oversized body", request{method: "POST", path: "/api/v1/session", body: big}, 413, ravao.TooLarge, "err.too_large", "", "", false},
		{"unknown unit", request{method: "GET", path: "/api/v1/units/99999"}, 404, ravao.NotFound, "err.unit_not_found", "", "", false},
		{"unknown parent unit", request{method: "GET", path: "/api/v1/units?parent=99999"}, 404, ravao.NotFound, "err.unit_not_found", "", "", false},
		{"malformed unit code", request{method: "GET", path: "/api/v1/units/35-x"}, 400, ravao.Invalid, "err.invalid_fields", "code", "err.unit_code", false},
		{"invalid CCCD", request{method: "POST", path: "/api/v1/people/lookup", body: `{"id_number":"12345","reason":"ca bệnh số 7"}`, token: "health"}, 400, ravao.Invalid, "err.invalid_fields", "id_number", "err.cccd", false},
		{"invalid phone", request{method: "POST", path: "/api/v1/people/lookup", body: `{"phone":"12ab","reason":"ca bệnh số 7"}`, token: "health"}, 400, ravao.Invalid, "err.invalid_fields", "phone", "err.phone", false},
		{"missing reason", request{method: "POST", path: "/api/v1/people/lookup", body: `{"phone":"` + personPhone + `"}`, token: "health"}, 400, ravao.Invalid, "err.invalid_fields", "reason", "err.reason", false},
		{"nothing to look up", request{method: "POST", path: "/api/v1/people/lookup", body: `{"reason":"ca bệnh"}`, token: "health"}, 400, ravao.Invalid, "err.invalid_fields", "phone", "err.lookup_what", false},
		{"invalid new user", request{method: "POST", path: "/api/v1/users", body: `{"login":"A","display_name":"","password":"x"}`, token: "admin"}, 400, ravao.Invalid, "", "", "", false},
		{"bad user id", request{method: "POST", path: "/api/v1/users/abc/disable", token: "admin"}, 400, ravao.Invalid, "err.invalid_fields", "id", "err.id", false},
	}
	for _, tt := range tests {
		for _, lang := range []string{"", "en"} {
			t.Run(fmt.Sprintf("%s/%s", tt.name, lang), func(t *testing.T) {
				r := tt.r
				r.lang, r.token = lang, e.tokens[r.token]
				before := e.counts()
				rec := e.do(r)
				if rec.Code != tt.status {
					t.Fatalf("got status %d, want %d: %s", rec.Code, tt.status, rec.Body)
				}
				got := apiError(t, rec)
				want := "vi"
				if lang == "en" {
					want = "en"
				}
				if got.Code != tt.code {
					t.Errorf("got code %q, want %q", got.Code, tt.code)
				}
				if tt.key != "" && got.Message != e.srv.cat.T(want, tt.key) {
					t.Errorf("got message %q, want %q", got.Message, e.srv.cat.T(want, tt.key))
				}
				if tt.field != "" && got.Fields[tt.field] != e.srv.cat.T(want, tt.fkey) {
					t.Errorf("field %s: got %q, want %q", tt.field, got.Fields[tt.field], e.srv.cat.T(want, tt.fkey))
				}
				after := e.counts()
				if after.users != before.users || (!tt.audited && after.audit != before.audit) {
					t.Errorf("the request changed data: before %+v, after %+v", before, after)
				}
			})
		}
	}
}

func TestMessagesAreVietnameseByDefault(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/api/v1/units/99999"})
	if got := apiError(t, rec).Message; got != "Không tìm thấy đơn vị hành chính này." {
		t.Errorf("got %q, want the Vietnamese message", got)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/units/99999", lang: "en-US,en;q=0.9"})
	if got := apiError(t, rec).Message; got != "This administrative unit was not found." {
		t.Errorf("got %q, want the English message", got)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/units/99999", lang: "en", cookies: []*http.Cookie{{Name: "lang", Value: "vi"}}})
	if got := apiError(t, rec).Message; got != "Không tìm thấy đơn vị hành chính này." {
		t.Errorf("with a lang=vi cookie: got %q, want Vietnamese", got)
	}
}

func TestAuthorisation(t *testing.T) {
	e := newEnv(t)
	gateID := fmt.Sprint(e.ids["gate"])
	admin := []request{
		{method: "GET", path: "/api/v1/users"},
		{method: "POST", path: "/api/v1/users", body: `{"login":"newuser","display_name":"Người mới","password":"mật-khẩu-dài-12345"}`},
		{method: "POST", path: "/api/v1/users/" + gateID + "/disable"},
		{method: "POST", path: "/api/v1/users/" + gateID + "/tokens", body: `{"name":"x"}`},
		{method: "GET", path: "/admin/users"},
	}
	for _, r := range admin {
		r.token = e.tokens["gate"]
		if rec := e.do(r); rec.Code != http.StatusForbidden {
			t.Errorf("gate staff %s %s: got %d, want 403", r.method, r.path, rec.Code)
		}
		r.token = ""
		rec := e.do(r)
		if strings.HasPrefix(r.path, "/api/") && rec.Code != http.StatusUnauthorized {
			t.Errorf("no token %s %s: got %d, want 401", r.method, r.path, rec.Code)
		}
		if !strings.HasPrefix(r.path, "/api/") && (rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login")) {
			t.Errorf("no session %s %s: got %d to %q, want 303 to /login", r.method, r.path, rec.Code, rec.Header().Get("Location"))
		}
	}
	lookup := request{method: "POST", path: "/api/v1/people/lookup", body: `{"phone":"` + personPhone + `","reason":"x"}`, token: e.tokens["admin"]}
	if rec := e.do(lookup); rec.Code != http.StatusForbidden {
		t.Errorf("admin looking up a person: got %d, want 403 (tracing is for health officials)", rec.Code)
	}
	if rec := e.do(request{method: "GET", path: "/api/v1/me", token: "not-a-token"}); rec.Code != http.StatusUnauthorized {
		t.Errorf("bad token: got %d, want 401", rec.Code)
	}
	if rec := e.do(request{method: "GET", path: "/api/v1/me", token: e.tokens["gate"]}); rec.Code != http.StatusOK {
		t.Fatalf("gate staff /me: got %d, want 200", rec.Code)
	}
	if rec := e.do(request{method: "POST", path: "/api/v1/users/" + gateID + "/disable", token: e.tokens["admin"]}); rec.Code != http.StatusNoContent {
		t.Fatalf("disable: got %d, want 204: %s", rec.Code, rec.Body)
	}
	if rec := e.do(request{method: "GET", path: "/api/v1/me", token: e.tokens["gate"]}); rec.Code != http.StatusUnauthorized {
		t.Errorf("disabled user's token: got %d, want 401", rec.Code)
	}
}

func TestAdminManagesUsersAndTokens(t *testing.T) {
	e := newEnv(t)
	admin := e.tokens["admin"]
	rec := e.do(request{method: "POST", path: "/api/v1/users", token: admin, body: `{"login":"yte.phuly","display_name":"Cán bộ Y tế Phủ Lý","password":"mật-khẩu-dài-12345","lang":"vi","roles":[{"role":"health_official","unit_code":"347"}]}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create user: got %d, want 201: %s", rec.Code, rec.Body)
	}
	var created principalJSON
	decode(t, rec.Body, &created)
	if created.User.Login != "yte.phuly" || len(created.Roles) != 1 {
		t.Errorf("created: got %+v", created)
	}
	if strings.Contains(rec.Body.String(), "argon") {
		t.Errorf("the password hash leaked into the answer")
	}
	rec = e.do(request{method: "POST", path: fmt.Sprintf("/api/v1/users/%d/tokens", created.User.ID), token: admin, body: `{"name":"script","ttl_days":30}`})
	if rec.Code != http.StatusCreated {
		t.Fatalf("token: got %d, want 201: %s", rec.Code, rec.Body)
	}
	var tok struct{ Token string }
	decode(t, rec.Body, &tok)
	rec = e.do(request{method: "GET", path: "/api/v1/me", token: tok.Token})
	var me principalJSON
	decode(t, rec.Body, &me)
	if rec.Code != 200 || me.User.Login != "yte.phuly" || me.Roles[0].UnitCode != "347" {
		t.Errorf("/me with the new token: got %d %+v", rec.Code, me)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/users?role=health_official", token: admin})
	var list struct{ Users []principalJSON }
	decode(t, rec.Body, &list)
	if len(list.Users) != 2 {
		t.Errorf("health officials: got %d, want 2", len(list.Users))
	}
	rec = e.do(request{method: "GET", path: "/admin/users", token: admin})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Cán bộ Y tế Phủ Lý") || !strings.Contains(rec.Body.String(), "Thành phố Phủ Lý") {
		t.Errorf("users page: got %d, want the new account and its unit named", rec.Code)
	}
}

func TestUnits(t *testing.T) {
	e := newEnv(t)
	var list struct {
		Version string
		Units   []unitJSON
	}
	rec := e.do(request{method: "GET", path: "/api/v1/units"})
	decode(t, rec.Body, &list)
	if rec.Code != 200 || list.Version != "demo" || len(list.Units) != 2 {
		t.Errorf("provinces: got %d %+v, want 2 provinces of version demo", rec.Code, list)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/units?parent=35"})
	decode(t, rec.Body, &list)
	if len(list.Units) != 1 || list.Units[0].Name != "Phủ Lý" {
		t.Errorf("children of 35: got %+v, want Phủ Lý", list.Units)
	}
	var one struct {
		Unit      unitJSON
		Ancestors []unitJSON
	}
	rec = e.do(request{method: "GET", path: "/api/v1/units/13321"})
	decode(t, rec.Body, &one)
	if one.Unit.FullName != "Phường Quang Trung" || len(one.Ancestors) != 2 || one.Ancestors[0].Code != "35" {
		t.Errorf("unit 13321: got %+v", one)
	}
}

func TestPeopleLookupIsAudited(t *testing.T) {
	e := newEnv(t)
	health := e.tokens["health"]
	for _, tt := range []struct {
		name, body string
		found      bool
	}{
		{"by phone as typed", `{"phone":"+84 912 345 678","reason":"Ca bệnh F0 số 12"}`, true},
		{"by CCCD with spaces", `{"id_number":"035 090 012 345","reason":"Ca bệnh F0 số 12"}`, true},
		{"unknown phone", `{"phone":"0987654321","reason":"Ca bệnh F0 số 13"}`, false},
	} {
		before := e.counts()
		rec := e.do(request{method: "POST", path: "/api/v1/people/lookup", body: tt.body, token: health})
		var got struct {
			Found  bool
			Person personJSON
		}
		decode(t, rec.Body, &got)
		if rec.Code != 200 || got.Found != tt.found {
			t.Errorf("%s: got %d found=%v, want 200 found=%v", tt.name, rec.Code, got.Found, tt.found)
		}
		if tt.found && (got.Person.MaskedName != "Nguyễn V*** A" || got.Person.BirthYear != 1990 || got.Person.ID != e.person) {
			t.Errorf("%s: got %+v, want the masked person", tt.name, got.Person)
		}
		if after := e.counts(); after.audit != before.audit+1 {
			t.Errorf("%s: audit events %d -> %d, want one more", tt.name, before.audit, after.audit)
		}
	}
	var events []ravao.AuditEvent
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		events, err = tx.AuditEvents(ravao.AuditFilter{Action: "person.lookup"})
		return err
	})
	if err != nil || len(events) != 3 {
		t.Fatalf("lookup events: got %d (%v), want 3", len(events), err)
	}
	for _, ev := range events {
		if ev.UserID != e.ids["health"] || !strings.HasPrefix(ev.Reason, "Ca bệnh F0") || ev.RequestID == "" {
			t.Errorf("audit event: got %+v, want the official, the reason and the request id", ev)
		}
	}
	for _, secret := range []string{personPhone, "912 345 678", "012345", "Nguyễn"} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the logs contain personal data %q", secret)
		}
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/healthz"})
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
		t.Errorf("healthz: got %d %q", rec.Code, rec.Body)
	}
	e.do(request{method: "GET", path: "/api/v1/units/13321?version=demo"})
	rec = e.do(request{method: "GET", path: "/metrics"})
	body := rec.Body.String()
	for _, want := range []string{
		`ravao_http_requests_total{route="/healthz",method="GET",code="200"} 1`,
		`ravao_http_requests_total{route="/api/v1/units/{code}",method="GET",code="200"} 1`,
		`ravao_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"} 1`,
		`ravao_build_info{version="test-1"`,
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics: missing %q", want)
		}
	}
	if strings.Contains(body, "13321") || strings.Contains(e.logs.String(), "13321") {
		t.Errorf("a raw path reached the metrics or the logs")
	}
	e.store.Close()
	if rec := e.do(request{method: "GET", path: "/healthz"}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed: got %d, want 503", rec.Code)
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	e := newEnv(t)
	h := e.srv.wrap(api("GET", "/api/v1/boom", Public, func(http.ResponseWriter, *http.Request) error { panic("secret detail") }, Doc{}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/boom", nil))
	got := apiError(t, rec)
	if rec.Code != 500 || got.Code != ravao.Internal || strings.Contains(got.Message, "secret") {
		t.Errorf("got %d %+v, want 500 with a generic message", rec.Code, got)
	}
	id := rec.Header().Get("X-Request-Id")
	if !strings.Contains(e.logs.String(), id) || !strings.Contains(e.logs.String(), "secret detail") {
		t.Errorf("the panic was not logged with request id %s", id)
	}
}

func TestStaticAssets(t *testing.T) {
	e := newEnv(t)
	url, err := e.srv.assets.url("app.css")
	if err != nil {
		t.Fatal(err)
	}
	rec := e.do(request{method: "GET", path: url})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("%s: got %d %q %q", url, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
	}
	if rec := e.do(request{method: "GET", path: "/static/000000000000/app.css"}); rec.Code != 404 {
		t.Errorf("stale hash: got %d, want 404", rec.Code)
	}
}

func TestPagesLoginLogoutAndLanguage(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "POST", path: "/login", form: true, body: "login=admin&password=wrong"})
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "Tên đăng nhập hoặc mật khẩu không đúng.") {
		t.Errorf("wrong password: got %d, want 401 with the Vietnamese message", rec.Code)
	}
	rec = e.do(request{method: "POST", path: "/login", form: true, body: "login=admin&password=" + adminPassword + "&next=//evil.example"})
	if rec.Code != 303 || rec.Header().Get("Location") != "/home" {
		t.Fatalf("login: got %d to %q, want 303 to /home", rec.Code, rec.Header().Get("Location"))
	}
	session := rec.Result().Cookies()[0]
	if session.Name != sessionCookie || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Errorf("session cookie: got %+v", session)
	}
	rec = e.do(request{method: "GET", path: "/home", cookies: []*http.Cookie{session}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Trần Thị Quản Trị") {
		t.Errorf("home: got %d, want the admin greeted", rec.Code)
	}
	rec = e.do(request{method: "POST", path: "/logout", cookies: []*http.Cookie{session}})
	if rec.Code != 303 {
		t.Errorf("logout: got %d, want 303", rec.Code)
	}
	if rec := e.do(request{method: "GET", path: "/home", cookies: []*http.Cookie{session}}); rec.Code != 303 {
		t.Errorf("home after logout: got %d, want 303 to /login", rec.Code)
	}
	for _, tt := range []struct{ next, want string }{
		{"/admin/users", "/admin/users"}, {"//evil.example/x", "/home"}, {"https://evil.example", "/home"}, {"/\\evil.example", "/home"},
	} {
		rec := e.do(request{method: "GET", path: "/lang/en?next=" + urlQuery(tt.next)})
		if rec.Code != 303 || rec.Header().Get("Location") != tt.want {
			t.Errorf("lang next=%q: got %d to %q, want %q", tt.next, rec.Code, rec.Header().Get("Location"), tt.want)
		}
	}
	rec = e.do(request{method: "GET", path: "/login", cookies: []*http.Cookie{{Name: "lang", Value: "en"}}})
	if !strings.Contains(rec.Body.String(), ">Password<") {
		t.Errorf("login page with lang=en: English labels missing")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	e := newEnv(t)
	req := httptest.NewRequest("POST", "/login", strings.NewReader("login=admin&password="+adminPassword))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || len(rec.Result().Cookies()) != 0 {
		t.Errorf("cross-site login: got %d with %d cookies, want 403 and no session", rec.Code, len(rec.Result().Cookies()))
	}
}

func urlQuery(s string) string { return url.QueryEscape(s) }

func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t)
	var rec *httptest.ResponseRecorder
	for i := 0; i < 30; i++ {
		rec = e.do(request{method: "POST", path: "/login", form: true, body: "login=nobody&password=wrong"})
		if rec.Code == http.StatusTooManyRequests {
			break
		}
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: got %d, want 401 or 429", i, rec.Code)
		}
	}
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after many attempts: got %d (Retry-After %q), want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if !strings.Contains(rec.Body.String(), e.srv.cat.T("vi", "err.too_many_attempts")) {
		t.Errorf("429 page: the Vietnamese message is missing")
	}
	rec = e.do(request{method: "POST", path: "/api/v1/session", body: `{"login":"nobody","password":"wrong"}`, lang: "en"})
	if got := apiError(t, rec); rec.Code != 429 || got.Code != ravao.TooMany || rec.Header().Get("Retry-After") == "" {
		t.Errorf("API after many attempts: got %d %+v, want 429 rate_limited with Retry-After", rec.Code, got)
	}
}

func TestErrorPageInTheUsersLanguage(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ lang, want string }{{"", "Không tìm thấy trang này."}, {"en", "This page does not exist."}} {
		rec := e.do(request{method: "GET", path: "/no/such/page", lang: tt.lang})
		if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("lang %q: got %d %q, want a 404 page saying %q", tt.lang, rec.Code, rec.Header().Get("Content-Type"), tt.want)
		}
	}
	rec := e.do(request{method: "GET", path: "/api/v1/no-such-thing"})
	if got := apiError(t, rec); rec.Code != 404 || got.Code != ravao.NotFound {
		t.Errorf("unknown API path: got %d %+v, want a JSON 404", rec.Code, got)
	}
}

func TestDevModeReadsFromDisk(t *testing.T) {
	e := newEnv(t)
	srv, err := New(Config{Dev: true}, Deps{Store: e.store, Auth: e.auth, Places: e.places, Vault: e.vault})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/login", nil)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Mật khẩu") {
		t.Errorf("dev mode login page: got %d", rec.Code)
	}
}
