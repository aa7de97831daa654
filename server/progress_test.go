package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// The sample data of the progress pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{
		"from": "Ngày không hợp lệ.", "to": "Ngày không hợp lệ.", "sector": "Ngành không hợp lệ.",
	}}
	chart := barChart{ID: "c", Title: "Lượt quét mã theo ngày", Desc: "x", Labels: []string{"24/11", "25/11"}, Values: []int{3, 0}, Sep: "."}
	samples["progress.html"] = func() *pageData {
		c := ravao.Counts{Venues: 2, New: 1, Approved: 1, Pending: 1, Active: 1, CheckIns: 3, People: 2, Red: 1, Symptoms: 1}
		return &pageData{Title: "stats.title", Path: "/stats/units/35", Data: &statsData{
			Shown: true, Name: "Tỉnh Hà Nam", Path: "/stats/units/35", Crumbs: []crumb{{Name: "Tỉnh Hà Nam", Href: "/stats/units/35"}, {Name: "Thành phố Phủ Lý"}},
			Form: statsForm{From: "2026-11-24", To: "2026-11-25", Sector: "industry"}, Sectors: sectorChoices(), Failure: fail,
			LastDay: "25/11/2026", Totals: c, Days: []statsDayRow{{Day: "24/11/2026", Counts: c}, {Day: "25/11/2026"}},
			CheckIns: chart.SVG(), Active: chart.SVG(),
			Children:       []statsChildRow{{Name: "Thành phố Phủ Lý", Href: "/stats/units/347", Counts: c}, {Name: "Huyện Kim Bảng", Href: "/stats/units/349", Silent: true}},
			SilentChildren: 1, Types: []statsTypeRow{{Type: ravao.VenueMarket, Counts: c}},
			Places: []statsPlaceRow{{Name: "Chợ Bầu", Href: "/stats/venues/4", Unit: "Phường Quang Trung", Type: ravao.VenueMarket}}, PlacesMore: true,
		}}
	}
	samples["progress_venue.html"] = func() *pageData {
		day := ravao.VenueDay{CheckIns: 3, CheckOuts: 2, People: 2, Red: 1}
		return &pageData{Title: "stats.venue_title", Path: "/stats/venues/4", Data: &statsVenueData{
			Shown: true, ID: 4, Name: "Chợ Bầu", Type: ravao.VenueMarket, Unit: "Phường Quang Trung", UnitURL: "/stats/units/13321",
			Path: "/stats/venues/4", Form: statsForm{From: "2026-11-24", To: "2026-11-25"}, Failure: fail, Totals: day,
			Days: []statsVenueDayRow{{Day: "24/11/2026", VenueDay: day}}, Chart: chart.SVG(),
		}}
	}
}

// statsFixture is the server env with a second, silent place, a manager
// of the first one and visits today and two days ago, rolled up.
type statsFixture struct {
	*env
	factory, silent int64 // the seeded workshop and a market without scans
	today           ravao.Day
}

func newStatsFixture(t *testing.T) *statsFixture {
	t.Helper()
	e := newEnv(t)
	f := &statsFixture{env: e, today: e.srv.progress.Today()}
	ctx := context.Background()
	var org int64
	err := e.store.Update(ctx, func(tx ravao.Tx) error {
		vs, err := tx.Venues(ravao.VenueFilter{Limit: 10})
		if err != nil || len(vs) != 1 {
			return err
		}
		f.factory, org = vs[0].ID, vs[0].OrganisationID
		o := ravao.Organisation{Name: "Ban quản lý chợ", UnitCode: "13321", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&o); err != nil {
			return err
		}
		v := ravao.Venue{OrganisationID: o.ID, Name: "Chợ Bầu", Type: ravao.VenueMarket, Sector: ravao.SectorCommerce, UnitCode: "13321", UnitPath: "35/347/13321/", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&v); err != nil {
			return err
		}
		f.silent = v.ID
		return tx.CreateCheckpoint(&ravao.Checkpoint{VenueID: v.ID, Name: "Cổng chợ", Kind: ravao.CheckpointGate})
	})
	if err != nil || f.factory == 0 {
		t.Fatalf("seed places: %v", err)
	}
	e.addUser(ctx, "manager", "Đỗ Văn Quản Lý", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: org})
	e.addUser(ctx, "district", "Vũ Thị Quận", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "347"})
	e.addUser(ctx, "zone", "Hoàng Văn Khu", staffPassword, ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorIndustry})
	f.visit(f.factory, f.today.Add(-2), 9, ravao.Green)
	f.visit(f.factory, f.today, 1, ravao.Green)
	f.visit(f.factory, f.today, 2, ravao.Red)
	for d := f.today.Add(-2); d <= f.today; d = d.Add(1) {
		if err := e.srv.progress.Rollup(ctx, d); err != nil {
			t.Fatalf("roll up %s: %v", d, err)
		}
	}
	return f
}

// visit stores the seeded person's check-in at a place on day, at the
// given hour in the deployment's zone.
func (f *statsFixture) visit(venue int64, day ravao.Day, hour int, d ravao.Decision) {
	f.t.Helper()
	in := day.Start(time.FixedZone("ICT", 7*3600)).Add(time.Duration(hour) * time.Hour)
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: venue})
		if err != nil {
			return err
		}
		v := ravao.Visit{PersonID: f.person, VenueID: venue, CheckpointID: cps[0].ID, InAt: in.UTC(), Decision: d, Source: ravao.SourceSelf}
		return tx.InsertVisits([]*ravao.Visit{&v})
	})
	if err != nil {
		f.t.Fatalf("visit: %v", err)
	}
}

// get fetches path as login.
func (f *statsFixture) get(login, path string) (int, string) {
	f.t.Helper()
	rec := f.do(request{method: "GET", path: path, token: f.tokens[login]})
	return rec.Code, rec.Body.String()
}

func TestStatsPagesFollowScopes(t *testing.T) {
	f := newStatsFixture(t)
	for _, tt := range []struct {
		login, path string
		status      int
		want        string
	}{
		{"health", "/stats", http.StatusSeeOther, ""},
		{"health", "/stats/units/35", 200, "Thành phố Phủ Lý"},
		{"health", "/stats/units/13321", 200, "Chợ Bầu"},
		{"health", "/stats/units/37", 403, ""},
		{"district", "/stats/units/347", 200, "Phường Quang Trung"},
		{"district", "/stats/units/35", 403, ""},
		{"admin", "/stats/units/all", 200, "Tỉnh Ninh Bình"},
		{"manager", "/stats/units/35", 403, ""},
		{"manager", "/stats", 403, ""},
		{"gate", "/stats/units/35", 403, ""},
		{"manager", "/stats/venues/" + idString(f.factory), 200, "Xưởng may số 1"},
		{"manager", "/stats/venues/" + idString(f.silent), 404, ""},
		{"health", "/stats/venues/" + idString(f.silent), 200, "Chợ Bầu"},
		{"district", "/stats/units/bad-code", 404, ""},
	} {
		status, body := f.get(tt.login, tt.path)
		if status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s GET %s: got %d, want %d with %q", tt.login, tt.path, status, tt.status, tt.want)
		}
	}
	rec := f.do(request{method: "GET", path: "/stats", token: f.tokens["health"]})
	if loc := rec.Header().Get("Location"); loc != "/stats/units/35" {
		t.Errorf("/stats as the province's official: got Location %q, want /stats/units/35", loc)
	}
}

func TestStatsPageShowsFiguresAndSilentPlaces(t *testing.T) {
	f := newStatsFixture(t)
	status, body := f.get("health", "/stats/units/13321")
	if status != 200 {
		t.Fatalf("got %d, want 200", status)
	}
	for _, want := range []string{
		`<dd id="t-checkins">3</dd>`, `<dd id="t-red">1</dd>`, `<dd id="t-venues">2</dd>`,
		`role="img"`, `<title id="chart-checkins-title">`, `href="/stats/venues/` + idString(f.silent) + `">Chợ Bầu</a>`,
		`<a href="/stats/units/35">Tỉnh Hà Nam</a>`, // the breadcrumb
	} {
		if !strings.Contains(body, want) {
			t.Errorf("commune page: missing %s", want)
		}
	}
	silent := body[strings.Index(body, `id="silent-places"`):]
	silent = silent[:strings.Index(silent, "</ul>")]
	if strings.Contains(silent, `href="/stats/venues/`+idString(f.factory)+`"`) {
		t.Error("the workshop had check-ins today, but it is listed as silent")
	}
	// The end of the drill-down: every place of the commune, with its days.
	places := body[strings.Index(body, `id="venues"`):]
	places = places[:strings.Index(places, "</table>")]
	for _, want := range []string{`href="/stats/venues/` + idString(f.factory) + `">Xưởng may số 1</a>`, `href="/stats/venues/` + idString(f.silent) + `">Chợ Bầu</a>`} {
		if !strings.Contains(places, want) {
			t.Errorf("commune's places: missing %s", want)
		}
	}
	_, province := f.get("health", "/stats/units/35")
	if !strings.Contains(province, `href="/stats/units/347"`) {
		t.Error("province page: no link to its district")
	}
}

func TestStatsPageRefusesBadDates(t *testing.T) {
	f := newStatsFixture(t)
	future := f.today.Add(3).String()
	for _, tt := range []struct{ query, field string }{
		{"from=2026-13-40", "e-from"},
		{"to=yesterday", "e-to"},
		{"from=" + f.today.String() + "&to=" + f.today.Add(-5).String(), "e-to"},
		{"to=" + future, "e-to"},
		{"from=2020-01-01&to=" + f.today.String(), "e-from"},
		{"sector=space", "e-sector"},
	} {
		status, body := f.get("health", "/stats/units/35?"+tt.query)
		if status != 400 || !strings.Contains(body, `id="`+tt.field+`"`) {
			t.Errorf("?%s: got %d, want 400 with the error beside %s", tt.query, status, tt.field)
		}
	}
	if status, body := f.get("manager", "/stats/venues/"+idString(f.factory)+"?from=nope"); status != 400 || !strings.Contains(body, `id="e-from"`) {
		t.Errorf("venue page with a bad date: got %d, want 400 with the error beside from", status)
	}
}

func TestHomeLinksProgressForMonitors(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		login string
		link  bool
	}{{"health", true}, {"admin", true}, {"gate", false}} {
		body := e.do(request{method: "GET", path: "/home", token: e.tokens[tt.login]}).Body.String()
		if got := strings.Contains(body, `href="/stats"`); got != tt.link {
			t.Errorf("home of %s: link to /stats %v, want %v", tt.login, got, tt.link)
		}
	}
}
