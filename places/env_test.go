package places_test

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

const (
	baseURL  = "http://ravao.test"
	password = "correct horse battery"
)

// env is a places service over a fresh database holding a small unit tree
// and one account per official role, with a clock the test moves.
type env struct {
	engine string
	store  ravao.Store
	vault  *vault.Vault
	auth   *auth.Service
	cat    *i18n.Catalogue
	outbox *sms.Outbox
	clock  *ravao.FixedClock
	svc    *places.Service
	ctx    context.Context

	admin   *ravao.Principal
	local   *ravao.Principal // local official of commune 13321
	local37 *ravao.Principal // local official of commune 14000, in province 37
	sector  *ravao.Principal // education supervisor of province 35
	health  *ravao.Principal // health official of province 35
}

// opener opens a store on a fresh database with the given clock.
type opener func(ravao.Clock) (ravao.Store, error)

// engines runs fn once per SQL engine, each on a fresh database; the
// PostgreSQL run skips unless RAVAO_TEST_POSTGRES is set.
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, "sqlite", sqliteOpener(t))) })
	t.Run("postgres", func(t *testing.T) {
		dsn := testenv.PostgresDB(t)
		fn(t, newEnv(t, "postgres", func(c ravao.Clock) (ravao.Store, error) {
			return postgres.Open(context.Background(), dsn, c, postgres.Options{})
		}))
	})
}

func sqliteOpener(tb testing.TB) opener {
	return func(c ravao.Clock) (ravao.Store, error) {
		return sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "ravao.db"), c, sqlite.Options{})
	}
}

func newEnv(tb testing.TB, engine string, open opener) *env {
	tb.Helper()
	clock := &ravao.FixedClock{T: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)}
	st, err := open(clock)
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { st.Close() })
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		tb.Fatal(err)
	}
	v, err := vault.New(key)
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := i18n.New("vi")
	if err != nil {
		tb.Fatal(err)
	}
	cat.OnMissing = func(lang, key string) { tb.Errorf("message %q missing in %s", key, lang) }
	outbox := sms.NewOutbox(nil, 100)
	outbox.Clock = clock
	e := &env{
		engine: engine, store: st, vault: v, cat: cat, outbox: outbox, clock: clock,
		auth: auth.New(st, v, auth.Config{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}, Clock: clock}),
		ctx:  ravao.ContextWithRequestID(context.Background(), "req-places"),
	}
	e.svc = e.service(tb, places.Config{})
	e.seed(tb)
	return e
}

// service returns a places service over the env's store with cfg, its
// base URL and clock filled in.
func (e *env) service(tb testing.TB, cfg places.Config) *places.Service {
	tb.Helper()
	cfg.BaseURL, cfg.Clock = baseURL, e.clock
	s, err := places.New(e.store, e.vault, e.auth, e.outbox, e.cat, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// units is a piece of Hà Nam (35) and of Ninh Bình (37).
func units() []ravao.Unit {
	u := func(code, parent string, level int, name, full string) ravao.Unit {
		return ravao.Unit{Version: "2025", Code: code, ParentCode: parent, Level: level, Name: name, FullName: full}
	}
	return []ravao.Unit{
		u("35", "", 1, "Hà Nam", "Tỉnh Hà Nam"),
		u("347", "35", 2, "Phủ Lý", "Thành phố Phủ Lý"),
		u("13321", "347", 3, "Quang Trung", "Phường Quang Trung"),
		u("13322", "347", 3, "Lương Khánh Thiện", "Phường Lương Khánh Thiện"),
		u("37", "", 1, "Ninh Bình", "Tỉnh Ninh Bình"),
		u("369", "37", 2, "Ninh Bình", "Thành phố Ninh Bình"),
		u("14000", "369", 3, "Đông Thành", "Phường Đông Thành"),
	}
}

// seed stores the unit tree and the officials' accounts.
func (e *env) seed(tb testing.TB) {
	tb.Helper()
	err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
		if _, err := tx.PutUnits(units()); err != nil {
			return err
		}
		return tx.PutSetting(ravao.ActiveUnitVersionSetting, "2025")
	})
	if err != nil {
		tb.Fatalf("seed units: %v", err)
	}
	e.admin = e.account(tb, "admin", ravao.RoleAssignment{Role: ravao.RoleAdmin})
	e.local = e.account(tb, "xa13321", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
	e.local37 = e.account(tb, "xa14000", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "14000"})
	e.sector = e.account(tb, "sogd35", ravao.RoleAssignment{Role: ravao.RoleSector, Sector: ravao.SectorEducation, UnitCode: "35"})
	e.health = e.account(tb, "yte35", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
}

// account creates a staff account as the system and returns it signed in.
func (e *env) account(tb testing.TB, login string, roles ...ravao.RoleAssignment) *ravao.Principal {
	tb.Helper()
	u, err := e.auth.CreateUser(e.ctx, nil, auth.NewUser{Login: login, DisplayName: "Nguyễn Thị Hoa", Password: password, Lang: "vi", Roles: roles})
	if err != nil {
		tb.Fatalf("create account %s: %v", login, err)
	}
	_, p, err := e.auth.StartSession(e.ctx, u.ID)
	if err != nil {
		tb.Fatalf("session for %s: %v", login, err)
	}
	return p
}

// manager creates a venue manager of an organisation.
func (e *env) manager(tb testing.TB, login string, orgID int64) *ravao.Principal {
	tb.Helper()
	return e.account(tb, login, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: orgID})
}

// place registers a venue of a new organisation as the system (approved),
// with checkpoints of the given names (one default gate when none).
func (e *env) place(tb testing.TB, org, name string, t ravao.VenueType, unit string, checkpoints ...string) places.VenueView {
	tb.Helper()
	in := places.NewPlace{Organisation: org, Venue: venueInput(name, t, unit)}
	for _, c := range checkpoints {
		in.Checkpoints = append(in.Checkpoints, places.CheckpointInput{Name: c})
	}
	v, err := e.svc.CreatePlace(e.ctx, nil, in, "vi")
	if err != nil {
		tb.Fatalf("create place %s: %v", name, err)
	}
	return v
}

// venueInput is a complete venue form.
func venueInput(name string, t ravao.VenueType, unit string) places.VenueInput {
	return places.VenueInput{
		Name: name, Type: string(t), UnitCode: unit, Address: "12 Lê Lợi",
		ContactName: "Trần Văn Bình", ContactPhone: "0912 345 678",
	}
}

// codeRE finds the six-digit code in an SMS.
var codeRE = regexp.MustCompile(`\b\d{6}\b`)

// smsCode returns the code of the newest SMS, checking it went to phone.
func (e *env) smsCode(tb testing.TB, phone string) string {
	tb.Helper()
	msgs := e.outbox.Messages()
	if len(msgs) == 0 {
		tb.Fatal("outbox is empty, want a code")
	}
	if got := msgs[0].To.Reveal(); got != phone {
		tb.Fatalf("SMS sent to %s, want %s", got, phone)
	}
	code := codeRE.FindString(msgs[0].Text)
	if code == "" {
		tb.Fatalf("SMS %q has no six-digit code", msgs[0].Text)
	}
	return code
}

// registration is a valid registration form of a school in 13321, without
// its challenge and code.
func registration(login, phone string) places.Registration {
	in := venueInput("Trường THCS Quang Trung", ravao.VenueSchool, "13321")
	in.ContactPhone = phone
	return places.Registration{
		Organisation: "Trường THCS Quang Trung", Venue: in,
		Checkpoints: []places.CheckpointInput{{Name: "Cổng chính"}, {Name: "Cổng sau"}},
		Login:       login, DisplayName: "Lê Thị Mai", Password: password, Lang: "vi",
	}
}

// register runs the whole public registration with svc: a code to phone,
// then the form with that code.
func (e *env) register(tb testing.TB, svc *places.Service, in places.Registration) places.Registered {
	tb.Helper()
	phone, err := ravao.NormalizePhone(in.Venue.ContactPhone)
	if err != nil {
		tb.Fatal(err)
	}
	if in.Challenge, err = svc.RequestCode(e.ctx, phone, "register", "vi"); err != nil {
		tb.Fatalf("request code: %v", err)
	}
	in.Code = e.smsCode(tb, phone)
	r, err := svc.Register(e.ctx, in)
	if err != nil {
		tb.Fatalf("register: %v", err)
	}
	return r
}

// stored reads a venue straight from the store.
func (e *env) stored(tb testing.TB, id int64) ravao.Venue {
	tb.Helper()
	var v ravao.Venue
	e.view(tb, func(tx ravao.Tx) (err error) { v, err = tx.Venue(id); return err })
	return v
}

// checkpoint reads a checkpoint straight from the store.
func (e *env) checkpoint(tb testing.TB, id int64) ravao.Checkpoint {
	tb.Helper()
	var c ravao.Checkpoint
	e.view(tb, func(tx ravao.Tx) (err error) { c, err = tx.Checkpoint(id); return err })
	return c
}

func (e *env) view(tb testing.TB, fn func(tx ravao.Tx) error) {
	tb.Helper()
	if err := e.store.View(e.ctx, fn); err != nil {
		tb.Fatalf("read: %v", err)
	}
}

// audit lists the audit events of one action, newest first.
func (e *env) audit(tb testing.TB, action string) []ravao.AuditEvent {
	tb.Helper()
	var evs []ravao.AuditEvent
	e.view(tb, func(tx ravao.Tx) (err error) {
		evs, err = tx.AuditEvents(ravao.AuditFilter{Action: action, Limit: 100000})
		return err
	})
	return evs
}

// counts are the rows a refused request must not change.
type counts struct{ orgs, venues, users, audit int }

func (e *env) counts(tb testing.TB) counts {
	tb.Helper()
	var c counts
	ids := make([]int64, 5000)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	e.view(tb, func(tx ravao.Tx) error {
		orgs, err := tx.Organisations(ids)
		if err != nil {
			return err
		}
		if c.venues, err = tx.CountVenues(ravao.VenueFilter{}); err != nil {
			return err
		}
		users, err := tx.Users(ravao.UserFilter{})
		if err != nil {
			return err
		}
		evs, err := tx.AuditEvents(ravao.AuditFilter{Limit: 1000000})
		c.orgs, c.users, c.audit = len(orgs), len(users), len(evs)
		return err
	})
	return c
}

// wantErr fails unless err is a *ravao.Error with code and key, and the
// key has a message in every language.
func (e *env) wantErr(tb testing.TB, err error, code ravao.Code, key string) {
	tb.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) {
		tb.Fatalf("got error %v, want %s %s", err, code, key)
	}
	if re.Code != code || re.Key != key {
		tb.Fatalf("got %s %s (%v), want %s %s", re.Code, re.Key, err, code, key)
	}
	e.wantMessage(tb, key)
}

// wantField fails unless err is Invalid with key on field.
func (e *env) wantField(tb testing.TB, err error, field, key string) {
	tb.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) || re.Code != ravao.Invalid {
		tb.Fatalf("got error %v, want invalid field %s: %s", err, field, key)
	}
	if got := re.Fields[field]; got != key {
		tb.Fatalf("field %s: got %q, want %q (error %v)", field, got, key, err)
	}
	e.wantMessage(tb, key)
}

// wantMessage fails unless key can be shown in every language.
func (e *env) wantMessage(tb testing.TB, key string) {
	tb.Helper()
	for _, lang := range i18n.Langs {
		if !e.cat.Has(lang, key) {
			tb.Errorf("message %q missing in %s", key, lang)
		}
	}
}

// ids are the IDs of venues, in order.
func ids(vs []ravao.Venue) []int64 {
	out := []int64{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// sortedIDs returns ids sorted, for comparing sets.
func sortedIDs(ids ...int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
