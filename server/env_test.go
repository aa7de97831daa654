package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/breaches"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/rights"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

// Seeded people and accounts.
const (
	adminPassword = "mật-khẩu-quản-trị-1"
	staffPassword = "mật-khẩu-cổng-1234"
	personPhone   = "0912345678"
	personCCCD    = "035090012345"
)

// env is a server over a real SQLite database in a temporary directory,
// seeded with units, a checkpoint, three accounts with API tokens and a
// person.
type env struct {
	t       testing.TB
	srv     *Server
	store   ravao.Store
	auth    *auth.Service
	places  *places.Service
	visits  *visitors.Service
	tracing *tracing.Service
	outbox  *sms.Outbox
	vault   *vault.Vault
	logs    *testenv.Buffer
	ids     map[string]int64  // account ids by login
	tokens  map[string]string // API tokens by login
	person  int64
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ravao.db"), ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.Buffer{}
	e := wire(t, st, v, slog.New(slog.NewJSONHandler(logs, nil)), "test-1")
	e.srv.cat.OnMissing = func(lang, key string) { t.Errorf("message %q missing in %s", key, lang) }
	e.logs = logs
	e.seed(ctx)
	return e
}

// wire builds the services and the server over st as `ravao serve` does,
// with fast password hashing and the SMS outbox, into an env without seed
// data.
func wire(t testing.TB, st ravao.Store, v *vault.Vault, logger *slog.Logger, version string) *env {
	t.Helper()
	a := auth.New(st, v, auth.Config{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}})
	cat, err := i18n.New("vi")
	if err != nil {
		t.Fatal(err)
	}
	outbox := sms.NewOutbox(logger, 100)
	pl, err := places.New(st, v, a, outbox, cat, places.Config{BaseURL: "http://ravao.test"})
	if err != nil {
		t.Fatal(err)
	}
	vis, err := visitors.New(st, v, pl, questions.Default(), visitors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	gates, err := gate.New(st, v, pl, vis, gate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tracing.New(st, v, outbox, tracing.Config{Verifier: vis.Verifier()})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := progress.New(st, progress.Config{Vault: v})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := auditlog.New(st, v, auditlog.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rts, err := rights.New(st, v, pl, vis, rights.Config{})
	if err != nil {
		t.Fatal(err)
	}
	brs, err := breaches.New(st, v, breaches.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: "http://ravao.test", Version: version}, Deps{
		Store: st, Auth: a, Places: pl, Visitors: vis, Gate: gates, Tracing: tr, Progress: prog, Audit: audit, Rights: rts, Breaches: brs, Outbox: outbox, Vault: v, Logger: logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, store: st, auth: a, places: pl, visits: vis, tracing: tr, outbox: outbox, vault: v, ids: map[string]int64{}, tokens: map[string]string{}}
}

// seed fills the database.
func (e *env) seed(ctx context.Context) {
	e.t.Helper()
	var cp ravao.Checkpoint
	err := e.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.PutUnits(sampleUnits()); err != nil {
			return err
		}
		if err := tx.PutSetting("units.active_version", "demo"); err != nil {
			return err
		}
		o := ravao.Organisation{Name: "Công ty May Hà Nam", UnitCode: "13321", Sector: ravao.SectorIndustry}
		if err := tx.CreateOrganisation(&o); err != nil {
			return err
		}
		v := ravao.Venue{OrganisationID: o.ID, Name: "Xưởng may số 1", Type: ravao.VenueZoneBusiness, Sector: ravao.SectorIndustry, UnitCode: "13321", UnitPath: "35/347/13321/", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&v); err != nil {
			return err
		}
		cp = ravao.Checkpoint{VenueID: v.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&cp)
	})
	if err != nil {
		e.t.Fatalf("seed places: %v", err)
	}
	e.addUser(ctx, "admin", "Trần Thị Quản Trị", adminPassword, ravao.RoleAssignment{Role: ravao.RoleAdmin})
	e.addUser(ctx, "gate", "Lê Văn Bảo Vệ", staffPassword, ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: cp.ID})
	e.addUser(ctx, "health", "Phạm Thị Y Tế", staffPassword, ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
	e.addPerson(ctx)
}

func (e *env) addUser(ctx context.Context, login, name, password string, role ravao.RoleAssignment) {
	e.t.Helper()
	u, err := e.auth.CreateUser(ctx, nil, auth.NewUser{Login: login, DisplayName: name, Password: password, Lang: "vi", Roles: []ravao.RoleAssignment{role}})
	if err != nil {
		e.t.Fatalf("create %s: %v", login, err)
	}
	tok, err := e.auth.IssueToken(ctx, nil, u.ID, "test", time.Hour)
	if err != nil {
		e.t.Fatalf("token for %s: %v", login, err)
	}
	e.ids[login], e.tokens[login] = u.ID, tok
}

func (e *env) addPerson(ctx context.Context) {
	e.t.Helper()
	p := ravao.Person{
		ID: vault.NewID(), FullName: "Nguyễn Văn An", Phone: personPhone, IDNumber: personCCCD,
		BirthYear: 1990, Sex: ravao.SexMale, UnitCode: "13321",
		ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: time.Now().UTC().Truncate(time.Millisecond),
	}
	rec, err := e.vault.SealPerson(p)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.Update(ctx, func(tx ravao.Tx) error { return tx.CreatePerson(&rec) }); err != nil {
		e.t.Fatalf("seed person: %v", err)
	}
	e.person = rec.ID
}

// sampleUnits is a small piece of Hà Nam.
func sampleUnits() []ravao.Unit {
	return []ravao.Unit{
		{Version: "demo", Code: "35", Level: 1, Name: "Hà Nam", FullName: "Tỉnh Hà Nam", NameEn: "Ha Nam", FullNameEn: "Ha Nam Province"},
		{Version: "demo", Code: "37", Level: 1, Name: "Ninh Bình", FullName: "Tỉnh Ninh Bình", NameEn: "Ninh Binh", FullNameEn: "Ninh Binh Province"},
		{Version: "demo", Code: "347", ParentCode: "35", Level: 2, Name: "Phủ Lý", FullName: "Thành phố Phủ Lý", NameEn: "Phu Ly", FullNameEn: "Phu Ly City"},
		{Version: "demo", Code: "13321", ParentCode: "347", Level: 3, Name: "Quang Trung", FullName: "Phường Quang Trung", NameEn: "Quang Trung", FullNameEn: "Quang Trung Ward"},
	}
}

// request is one call to the server.
type request struct {
	method, path, body string
	token              string // API token, sent as Bearer
	lang               string // Accept-Language
	cookies            []*http.Cookie
	form               bool // body is a form, not JSON
}

// do serves r without a network.
func (e *env) do(r request) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
		if r.form {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.lang != "" {
		req.Header.Set("Accept-Language", r.lang)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// apiError decodes an API error body.
func apiError(t *testing.T, rec *httptest.ResponseRecorder) errorDetail {
	t.Helper()
	var b errorBody
	if err := json.NewDecoder(rec.Body).Decode(&b); err != nil {
		t.Fatalf("error body is not JSON: %v", err)
	}
	return b.Error
}

// decode decodes a JSON body into v.
func decode(t testing.TB, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

// counts are the rows a bad request must not change.
type counts struct{ users, audit int }

func (e *env) counts() counts {
	e.t.Helper()
	var c counts
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		users, err := tx.Users(ravao.UserFilter{})
		if err != nil {
			return err
		}
		events, err := tx.AuditEvents(ravao.AuditFilter{Limit: 100000})
		if err != nil {
			return err
		}
		c.users, c.audit = len(users), len(events)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}
