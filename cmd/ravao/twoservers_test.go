package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/vault"
)

// leasedJobs are the jobs that run until shutdown, each under its lease.
var leasedJobs = []string{"visitors.checkout", "tracing.notify", "progress",
	"audit.seal", "retention.purge", "limits.prune"}

// TestTwoServers runs two `ravao serve` against one PostgreSQL database,
// as two machines behind a load balancer would: a session made on one
// works on the other, an idempotent check-in retried on the other stores
// one visit, each background job runs on one server only (one purge, one
// round of reports, each due visit closed once), and when the first server
// stops the second takes its jobs over without running them again.
func TestTwoServers(t *testing.T) {
	db := testenv.PostgresDB(t)
	key := vault.GenerateKey()
	vars := map[string]string{"RAVAO_DB": db, "RAVAO_KEY": key, "RAVAO_LEASE_TTL": "3s",
		"RAVAO_JOBS_INTERVAL": "200ms", "RAVAO_REPORT_HOUR": "0", "RAVAO_LOG_FORMAT": "json"}
	if code, out, stderr := runRavao(t, vars, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, stderr)
	}
	if code, _, stderr := runRavao(t, vars, "một mật khẩu dài\n", "user", "add", "--login", "admin", "--name", "Quản trị", "--role", "admin"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	code, venue := seedTwoServers(t, db, key)

	a := start(t, vars, "serve", "--addr", "127.0.0.1:0")
	b := start(t, vars, "serve", "--addr", "127.0.0.1:0")

	cookie := signIn(t, a.url)
	if status, body := getCookie(t, b.url+"/api/v1/me", cookie); status != 200 || !strings.Contains(string(body), `"admin"`) {
		t.Errorf("session made on A, used on B: %d %s", status, body)
	}
	visitor := idempotentCheckIn(t, a.url, b.url, code)
	sharedLoginLimit(t, a.url, b.url)

	conn := pgConn(t, db)
	if n := count(t, conn, `SELECT count(*) FROM visits WHERE person_id = $1`, visitor); n != 1 {
		t.Errorf("the check-in sent to A then B: %d visits stored, want 1", n)
	}
	var closed, purged, reports int64
	waitFor(t, "both due visits closed, the purge and yesterday's reports", func() bool {
		closed = count(t, conn, `SELECT count(*) FROM visits WHERE venue_id = $1 AND out_reason = 'auto'`, venue)
		purged = count(t, conn, `SELECT count(*) FROM audit_events WHERE action = 'retention.purge'`)
		reports = count(t, conn, `SELECT count(*) FROM progress_reports WHERE unit_code = ''`)
		return closed == 2 && purged == 1 && reports == 1
	}, func() string {
		return fmt.Sprintf("closed %d, purges %d, reports %d; logs:\n%s\n%s", closed, purged, reports, a.stderr, b.stderr)
	})
	time.Sleep(time.Second) // the other server's rounds, had they run, would show now
	for _, j := range leasedJobs {
		if n := acquired(a, j) + acquired(b, j); n != 1 {
			t.Errorf("job %s: acquired %d times by the two servers, want once", j, n)
		}
	}
	if n := count(t, conn, `SELECT count(DISTINCT holder) FROM leases`); n != 1 {
		t.Errorf("leases held by %d holders; want one (the first server to start holds every job)", n)
	}
	onceEach(t, conn, venue, a, b, "while both run")

	a.stop()
	waitFor(t, "B to take over every job", func() bool {
		for _, j := range leasedJobs {
			if acquired(b, j) != 1 {
				return false
			}
		}
		return true
	}, b.stderr.String)
	time.Sleep(time.Second)
	onceEach(t, conn, venue, a, b, "after B took over")
}

// seedTwoServers stores the units, an approved place and a person with two
// visits past their automatic check-out (one of yesterday, for the morning
// reports), and returns the place's poster code and its venue.
func seedTwoServers(t *testing.T, db, key string) (string, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, db, ravao.SystemClock{}, postgres.Options{TZ: svctest.ICT})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := svctest.Units(ctx, st); err != nil {
		t.Fatal(err)
	}
	k, _ := vault.ParseKey(key)
	v, err := vault.New(k)
	if err != nil {
		t.Fatal(err)
	}
	svc := svctest.Start(t, st, v, ravao.SystemClock{})
	place, err := svc.Places.CreatePlace(ctx, nil, places.NewPlace{Organisation: "Chợ Bầu", Venue: places.VenueInput{
		Name: "Chợ Bầu", Type: string(ravao.VenueMarket), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng A"}}}, "vi")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	rec, err := v.SealPerson(ravao.Person{ID: vault.NewID(), FullName: "Trần Văn Minh", BirthYear: 1980,
		Sex: ravao.SexMale, UnitCode: "13321", ConsentVersion: "1", ConsentChannel: ravao.ConsentOfficial, ConsentAt: now.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	cp := place.Checkpoints[0]
	err = st.Update(ctx, func(tx ravao.Tx) error {
		if err := tx.CreatePerson(&rec); err != nil {
			return err
		}
		return tx.InsertVisits([]*ravao.Visit{
			{PersonID: rec.ID, VenueID: place.Venue.ID, CheckpointID: cp.ID, InAt: now.Add(-26 * time.Hour),
				DueAt: now.Add(-25 * time.Hour), Decision: ravao.Green, Source: ravao.SourceSelf},
			{PersonID: rec.ID, VenueID: place.Venue.ID, CheckpointID: cp.ID, InAt: now.Add(-2 * time.Hour),
				DueAt: now.Add(-time.Hour), Decision: ravao.Green, Source: ravao.SourceSelf},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return cp.Code, place.Venue.ID
}

// onceEach checks that the jobs' work was done once: one purge, one round
// of reports, each due visit checked out once in the venue's counts.
func onceEach(t *testing.T, conn *pgx.Conn, venue int64, a, b *started, when string) {
	t.Helper()
	if n := count(t, conn, `SELECT count(*) FROM audit_events WHERE action = 'retention.purge'`); n != 1 {
		t.Errorf("%s: %d retention.purge audit events, want 1", when, n)
	}
	if n := count(t, conn, `SELECT count(*) FROM progress_reports GROUP BY unit_code, sector, day ORDER BY count(*) DESC LIMIT 1`); n != 1 {
		t.Errorf("%s: %d kept reports for one unit and day, want 1", when, n)
	}
	if n := count(t, conn, `SELECT coalesce(sum(checkouts), 0) FROM venue_days WHERE venue_id = $1`, venue); n != 2 {
		t.Errorf("%s: venue counts %d check-outs, want the 2 due visits once each", when, n)
	}
	for _, msg := range []string{`"msg":"retention purge"`, `"msg":"progress reports"`, `"msg":"automatic check-out"`} {
		if n := strings.Count(a.stderr.String(), msg) + strings.Count(b.stderr.String(), msg); n != 1 {
			t.Errorf("%s: %s logged %d times by the two servers, want once", when, msg, n)
		}
	}
}

// idempotentCheckIn declares a visitor on A, checks in on A, and sends the
// same check-in with the same Idempotency-Key to B, as a phone whose
// answer was lost retries through the load balancer: B gives A's answer.
// It returns the visitor.
func idempotentCheckIn(t *testing.T, urlA, urlB, code string) int64 {
	t.Helper()
	status, body := postJSON(t, urlA+"/api/v1/declarations", `{"consent":true,"profile":{"full_name":"Nguyễn Thị Khách","phone":"0987 000 041",`+
		`"birth_year":1985,"sex":"f","unit_code":"13321"},"answers":{"symptoms":["none"],"contact":["no"],"travel":["no"]}}`, nil)
	var d struct {
		Device   string `json:"device"`
		PersonID int64  `json:"person_id"`
	}
	if status != 201 || json.Unmarshal(body, &d) != nil || d.Device == "" {
		t.Fatalf("declare on A: %d %s", status, body)
	}
	h := map[string]string{"X-Ravao-Device": d.Device, "Idempotency-Key": "phone-retry-1"}
	in := `{"code":"` + code + `"}`
	_, first := postJSON(t, urlA+"/api/v1/checkins", in, h)
	status, again := postJSON(t, urlB+"/api/v1/checkins", in, h)
	if status != 201 || !bytes.Equal(first, again) || !bytes.Contains(first, []byte(`"visit":{"id":`)) {
		t.Errorf("check-in retried on B: %d %s; want 201 and A's answer %s", status, again, first)
	}
	return d.PersonID
}

// sharedLoginLimit fails sign-ins on A until the limit of 10 a minute per
// client is spent, then tries once on B, which must refuse too: the
// servers count in the database (--shared-limits auto, with PostgreSQL).
// A minute boundary in between resets the count, and the round is tried
// again.
func sharedLoginLimit(t *testing.T, urlA, urlB string) {
	t.Helper()
	wrong := `{"login":"nobody","password":"not the password"}`
	for range 2 {
		window := time.Now().Truncate(time.Minute)
		for range 10 {
			postJSON(t, urlA+"/api/v1/session", wrong, nil)
		}
		status, body := postJSON(t, urlB+"/api/v1/session", wrong, nil)
		if time.Now().Truncate(time.Minute).Equal(window) {
			if status != http.StatusTooManyRequests {
				t.Errorf("sign-in on B after 10 on A: %d %s, want 429", status, body)
			}
			return
		}
	}
}

// signIn signs the administrator in and returns the session cookie.
func signIn(t *testing.T, base string) *http.Cookie {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/session", "application/json",
		strings.NewReader(`{"login":"admin","password":"một mật khẩu dài"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "ravao_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign-in on A: %d, no session cookie", resp.StatusCode)
	return nil
}

func getCookie(t *testing.T, url string, c *http.Cookie) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.AddCookie(c)
	return do(t, req)
}

func postJSON(t *testing.T, url, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// acquired counts the times a server logged taking job's lease.
func acquired(s *started, job string) int {
	n := 0
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		if strings.Contains(line, `"msg":"lease acquired"`) && strings.Contains(line, `"job":"`+job+`"`) {
			n++
		}
	}
	return n
}

func pgConn(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func count(t *testing.T, conn *pgx.Conn, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitFor polls cond for up to 30 seconds; on timeout, the test fails
// with what and state.
func waitFor(t *testing.T, what string, cond func() bool, state func() string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s: %s", what, state())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
