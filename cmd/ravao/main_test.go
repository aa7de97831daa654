package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/vault"
)

// ravao runs the program in process with the given environment variables
// and standard input, and returns its exit code and output.
func runRavao(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb testenv.Buffer
	env := &environment{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

// started is a server running in process.
type started struct {
	url    string
	stdout *testenv.Buffer
	stderr *testenv.Buffer
	stop   func() int
}

func start(t *testing.T, vars map[string]string, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{stdout: &testenv.Buffer{}, stderr: &testenv.Buffer{}}
	ready := make(chan string, 1)
	env := &environment{stdin: strings.NewReader(""), stdout: s.stdout, stderr: s.stderr,
		getenv: func(k string) string { return vars[k] }, ready: func(a string) { ready <- a }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, env) }()
	select {
	case addr := <-ready:
		s.url = "http://" + addr
	case code := <-done:
		cancel()
		t.Fatalf("ravao %v exited with %d before listening:\n%s", args, code, s.stderr.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("server did not start within 60 s")
	}
	var once sync.Once
	exit := -1
	s.stop = func() int {
		once.Do(func() { cancel(); exit = <-done })
		return exit
	}
	t.Cleanup(func() { s.stop() })
	return s
}

func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func login(t *testing.T, base, user, password, code string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": user, "password": password, "totp": code})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestUsageErrors(t *testing.T) {
	if code, _, stderr := runRavao(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "Usage:") {
		t.Errorf("unknown command: exit %d, stderr %q; want 2 and the usage", code, stderr)
	}
	if code, _, stderr := runRavao(t, nil, "", "migrate", "--db", "mysql://x"); code != 1 || !strings.Contains(stderr, "sqlite:PATH or postgres://") {
		t.Errorf("bad --db: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runRavao(t, map[string]string{"RAVAO_DB": "sqlite:" + filepath.Join(t.TempDir(), "x.db")}, "", "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(stderr, "ravao keygen") {
		t.Errorf("serve without a key: exit %d, stderr %q; want advice to run keygen", code, stderr)
	}
	if code, _, stderr := runRavao(t, map[string]string{"RAVAO_KEY": vault.GenerateKey(), "RAVAO_DB": "sqlite:" + filepath.Join(t.TempDir(), "y.db")}, "", "serve", "--addr", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/8,nonsense"); code != 1 || !strings.Contains(stderr, "nonsense") {
		t.Errorf("bad --trusted-proxies: exit %d, stderr %q", code, stderr)
	}
	if code, out, _ := runRavao(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "ravao ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestOperatorFlow walks what the README tells an operator to do: make a
// key, migrate, add an administrator, issue a token, serve, call the API,
// disable the account, and stop with SIGTERM's graceful shutdown.
func TestOperatorFlow(t *testing.T) {
	dir := t.TempDir()
	code, key, stderr := runRavao(t, nil, "", "keygen")
	if code != 0 {
		t.Fatalf("keygen: %d %s", code, stderr)
	}
	keyFile := filepath.Join(dir, "ravao.key")
	os.WriteFile(keyFile, []byte(key), 0o600)
	vars := map[string]string{"RAVAO_DB": "sqlite:" + filepath.Join(dir, "ravao.db"), "RAVAO_KEY_FILE": keyFile}

	if code, out, stderr := runRavao(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate: exit %d, %q %q", code, out, stderr)
	}
	if code, out, _ := runRavao(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: exit %d, %q", code, out)
	}
	if code, _, stderr := runRavao(t, vars, "short\n", "user", "add", "--login", "admin", "--name", "Quản trị", "--role", "admin"); code != 1 || !strings.Contains(stderr, "password") {
		t.Errorf("weak password: exit %d, stderr %q; want a password error", code, stderr)
	}
	if code, out, stderr := runRavao(t, vars, "một mật khẩu dài\n", "user", "add", "--login", "admin", "--name", "Quản trị", "--role", "admin"); code != 0 {
		t.Fatalf("user add: exit %d, %q %q", code, out, stderr)
	}
	if code, _, stderr := runRavao(t, vars, "một mật khẩu dài\n", "user", "add", "--login", "yte", "--name", "Y tế", "--role", "health_official"); code != 1 || !strings.Contains(stderr, "unit") {
		t.Errorf("health official without a unit: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := runRavao(t, vars, "", "user", "token", "admin", "--ttl", "1h")
	if code != 0 {
		t.Fatalf("user token: %d %s", code, stderr)
	}
	token := strings.TrimSpace(out)
	if code, out, _ := runRavao(t, vars, "", "user", "list"); code != 0 || !strings.Contains(out, "admin") {
		t.Errorf("user list: exit %d, %q", code, out)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, out, stderr := runRavao(t, vars, "", "backup", backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d, %q %q", code, out, stderr)
	}
	restored := map[string]string{"RAVAO_DB": "sqlite:" + backup, "RAVAO_KEY_FILE": keyFile}
	if code, out, _ := runRavao(t, restored, "", "user", "list"); code != 0 || !strings.Contains(out, "admin") {
		t.Errorf("user list on the backup: exit %d, %q", code, out)
	}

	if code, _, stderr := runRavao(t, vars, "un mot de passe long\n", "user", "add", "--login", "dpo", "--name", "Bảo vệ dữ liệu", "--role", "dpo"); code != 0 {
		t.Fatalf("user add dpo: %d %s", code, stderr)
	}
	code, out, stderr = runRavao(t, vars, "", "user", "totp", "dpo")
	otpURL, err := url.Parse(strings.TrimSpace(out))
	if code != 0 || err != nil || otpURL.Scheme != "otpauth" {
		t.Fatalf("user totp: exit %d, %q %q", code, out, stderr)
	}

	srv := start(t, vars, "serve", "--addr", "127.0.0.1:0", "--log-format", "text")
	if status := login(t, srv.url, "dpo", "un mot de passe long", ""); status != 401 {
		t.Errorf("sign-in with TOTP on but no code: %d, want 401", status)
	}
	code6, err := totp.GenerateCode(otpURL.Query().Get("secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if status := login(t, srv.url, "dpo", "un mot de passe long", code6); status != 200 {
		t.Errorf("sign-in with the TOTP code: %d, want 200", status)
	}
	if status, body := get(t, srv.url+"/healthz", ""); status != 200 {
		t.Errorf("healthz: %d %s", status, body)
	}
	status, body := get(t, srv.url+"/api/v1/me", token)
	if status != 200 || !strings.Contains(string(body), `"admin"`) {
		t.Errorf("/api/v1/me with the token: %d %s", status, body)
	}
	if code, _, stderr := runRavao(t, vars, "", "user", "disable", "admin"); code != 0 {
		t.Fatalf("user disable: %d %s", code, stderr)
	}
	// The running server remembers a token for 2 seconds
	// (auth.Config.BearerTTL): it must refuse it within that, and for good.
	disabled := time.Now()
	for {
		status, _ := get(t, srv.url+"/api/v1/me", token)
		if status == 401 {
			break
		}
		if status != 200 || time.Since(disabled) > 3*time.Second {
			t.Fatalf("token of a disabled user: status %d %v after the disable, want 401 within 2 s", status, time.Since(disabled))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	if status, _ := get(t, srv.url+"/api/v1/me", token); status != 401 {
		t.Errorf("token of a disabled user, later: status %d, want 401", status)
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("graceful stop: exit %d, want 0; stderr:\n%s", code, srv.stderr.String())
	}
	if strings.Contains(srv.stderr.String(), token) {
		t.Error("the API token appears in the logs")
	}
}

// TestDemo starts `ravao demo` and signs in with every login it prints:
// each works and lands on a home page that names the account's role.
func TestDemo(t *testing.T) {
	srv := start(t, nil, "demo", "--addr", "127.0.0.1:0")
	out := srv.stdout.String()
	m := regexp.MustCompile(`Password for every account: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("demo did not print the password:\n%s", out)
	}
	password := m[1]
	rows := regexp.MustCompile(`(?m)^  ([a-z]+)\s+([a-z_]+)\b`).FindAllStringSubmatch(out, -1)
	roles := map[string]bool{}
	var residents []byte // the commune official's residents, as JSON
	for _, row := range rows {
		login, role := row[1], row[2]
		if login == "LOGIN" {
			continue
		}
		roles[role] = true
		body, _ := json.Marshal(map[string]string{"login": login, "password": password})
		resp, err := http.Post(srv.url+"/api/v1/session", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), role) {
			t.Errorf("login %s: %d %s", login, resp.StatusCode, b)
			continue
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "ravao_session" {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatalf("login %s set no session cookie", login)
		}
		req, _ := http.NewRequest("GET", srv.url+"/home", nil)
		req.AddCookie(cookie)
		home, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		hb, _ := io.ReadAll(home.Body)
		home.Body.Close()
		if home.StatusCode != 200 || !strings.Contains(string(hb), "role-"+role) {
			t.Errorf("home of %s: status %d, no role-%s marker", login, home.StatusCode, role)
		}
		if login == "yte" {
			demoOutbreak(t, srv.url, cookie)
		}
		if login == "tinh" {
			demoCoverage(t, srv.url, cookie)
		}
		if login == "canboxa" {
			req, _ := http.NewRequest("GET", srv.url+"/api/v1/residents", nil)
			req.AddCookie(cookie)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			residents, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	}
	if n := strings.Count(string(residents), `"id"`); n != 12 {
		t.Errorf("canboxa lists %d residents, want the demo's 12: %s", n, residents)
	}
	for _, r := range []string{"admin", "health_official", "local_official", "sector_supervisor", "venue_manager", "gate_staff", "dpo"} {
		if !roles[r] {
			t.Errorf("the demo prints no login for role %s:\n%s", r, out)
		}
	}
	status, body := get(t, srv.url+"/login", "")
	if status != 200 || !strings.Contains(string(body), `lang="vi"`) {
		t.Errorf("login page: %d, not in Vietnamese", status)
	}
	demoPlaces(t, srv.url, out)
	if !strings.Contains(out, "Truy vết: đăng nhập yte, mở ca bệnh với số 0987 000 111") {
		t.Errorf("the demo does not say how to trace its staged outbreak:\n%s", out)
	}
	if m := regexp.MustCompile(`Try the visitor flow[^:]*: (http://\S+/q/[0-9A-Z]+)`).FindStringSubmatch(out); m == nil {
		t.Errorf("the demo prints no URL to try the visitor flow")
	} else if status, body := get(t, m[1], ""); status != 200 || !strings.Contains(string(body), "/consent") {
		t.Errorf("visitor flow URL: %d, no way to start the check-in", status)
	}
}

// demoCoverage reads the province's coverage as its official: of the
// demo list's 8 places, 3 are registered (two by tax code, the café by
// its phone) and 2 proposed by name.
func demoCoverage(t *testing.T, base string, cookie *http.Cookie) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/stats/units/35/coverage", nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Totals struct{ Required, Covered, Proposed int } `json:"totals"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo coverage: %d %v", resp.StatusCode, err)
	}
	if got.Totals.Required != 8 || got.Totals.Covered != 3 || got.Totals.Proposed != 2 {
		t.Errorf("demo coverage: %+v, want 8 required, 3 covered, 2 proposed", got.Totals)
	}
}

// demoOutbreak follows the printed instruction as the health official:
// a case opened with the staged phone finds the staged contacts, four of
// them close.
func demoOutbreak(t *testing.T, base string, cookie *http.Cookie) {
	t.Helper()
	call := func(method, path, body string) []byte {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return b
	}
	var opened struct {
		Case struct{ ID int64 } `json:"case"`
	}
	if err := json.Unmarshal(call("POST", "/api/v1/cases", `{"phone":"0987 000 111","reason":"Dương tính SARS-CoV-2"}`), &opened); err != nil || opened.Case.ID == 0 {
		t.Fatalf("open the demo's case: %v", err)
	}
	var got struct {
		Exposures []struct{ Class string } `json:"exposures"`
	}
	if err := json.Unmarshal(call("GET", fmt.Sprintf("/api/v1/cases/%d/exposures", opened.Case.ID), ""), &got); err != nil {
		t.Fatal(err)
	}
	nclose := 0
	for _, e := range got.Exposures {
		if e.Class == "close" {
			nclose++
		}
	}
	if len(got.Exposures) != 8 || nclose != 4 {
		t.Errorf("the demo's case has %d contacts, %d close; want the staged 8, 4 close", len(got.Exposures), nclose)
	}
}

// demoPlaces checks that the demo prints a working poster URL for every
// kind of place the directive names.
func demoPlaces(t *testing.T, base, out string) {
	t.Helper()
	for _, name := range []string{"Trung tâm Phục vụ hành chính công tỉnh", "Nhà máy may Đồng Văn", "Trường THPT Chuyên Biên Hòa",
		"Bệnh viện Đa khoa tỉnh Hà Nam", "Chợ Bầu", "Bến xe Phủ Lý", "Xe buýt tuyến 01"} {
		m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + `.*\s(http://\S+/q/[0-9A-Z]+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Errorf("the demo prints no poster URL for %s", name)
			continue
		}
		status, body := get(t, m[1], "")
		if status != 200 || !strings.Contains(string(body), name) {
			t.Errorf("GET %s: %d, page does not name %s", m[1], status, name)
		}
	}
}

// TestUnitsImport imports both national lists through the command, on
// SQLite and PostgreSQL, twice: the second run adds nothing.
func TestUnitsImport(t *testing.T) {
	files := map[string]string{
		"vn-units-2025-03.json": "imported 10794 units of version 2025-03",
		"vn-units-2026-07.json": "imported 3355 units of version 2026-07",
	}
	dbs := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "u.db") },
		"postgres": func(t *testing.T) string { return testenv.PostgresDB(t) },
	}
	for engine, db := range dbs {
		t.Run(engine, func(t *testing.T) {
			vars := map[string]string{"RAVAO_DB": db(t)}
			for file, want := range files {
				path := testenv.Shared(t, "data/admin-units/"+file)
				start := time.Now()
				code, out, stderr := runRavao(t, vars, "", "units", "import", path)
				if code != 0 || !strings.Contains(out, want) {
					t.Fatalf("import %s: exit %d, %q %q; want %q", file, code, out, stderr, want)
				}
				t.Logf("%s: %s imported in %s", engine, file, time.Since(start).Round(time.Millisecond))
				if code, out, _ := runRavao(t, vars, "", "units", "import", path); code != 0 || !strings.Contains(out, "(0 new)") {
					t.Errorf("re-import %s: exit %d, %q; want 0 new", file, code, out)
				}
			}
		})
	}
}
