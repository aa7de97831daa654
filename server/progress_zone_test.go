package server

import (
	"context"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao"
)

// The sample data of the list of zones, for the test that renders every
// template in both languages.
func init() {
	samples["progress_zone.html"] = func() *pageData {
		return &pageData{Title: "zone.list_title", Path: "/stats/units/35/zones", Data: &statsZonesData{
			Shown: true, Name: "Tỉnh Hà Nam", Path: "/stats/units/35/zones", Crumbs: []crumb{{Name: "Tỉnh Hà Nam", Href: "/stats/units/35"}},
			Form: statsForm{Sector: "industry"}, Sectors: sectorChoices(),
			Failure: formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"sector": "Ngành không hợp lệ."}},
			Zones:   []statsZoneRow{{Zone: "KCN Đồng Văn I", Href: statsZoneURL("35", "KCN Đồng Văn I", ""), Venues: 12}},
		}}
	}
}

// zoneName is the zone of the fixture's workshop and of a silent mill.
const zoneName = "KCN Châu Sơn"

// zoneFixture is the stats fixture with the workshop in a zone, a second
// place in it without scans (the mill) and the market outside any zone.
type zoneFixture struct {
	*statsFixture
	mill int64
}

func newZoneFixture(t *testing.T) *zoneFixture {
	t.Helper()
	f := &zoneFixture{statsFixture: newStatsFixture(t)}
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		v, err := tx.Venue(f.factory)
		if err != nil {
			return err
		}
		v.Zone = zoneName
		if err := tx.UpdateVenue(&v); err != nil {
			return err
		}
		mill := ravao.Venue{OrganisationID: v.OrganisationID, Name: "Nhà máy sợi Hà Nam", Type: ravao.VenueZoneBusiness, Sector: ravao.SectorIndustry,
			UnitCode: "13321", UnitPath: "35/347/13321/", Zone: zoneName, Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&mill); err != nil {
			return err
		}
		f.mill = mill.ID
		return nil
	})
	if err != nil {
		t.Fatalf("seed the zone: %v", err)
	}
	return f
}

// zonePath is the path of the zone's page under unit, with more query.
func zonePath(unit, more string) string {
	return "/stats/units/" + unit + "/zones/view?zone=" + url.QueryEscape(zoneName) + more
}

func TestZonePages(t *testing.T) {
	f := newZoneFixture(t)
	for _, tt := range []struct {
		login, path, lang string
		status            int
		want              []string
	}{
		{"health", "/stats/units/35/zones", "vi", 200, []string{
			`<span id="unit-name">Tỉnh Hà Nam</span>`, `href="/stats/units/35/zones/view?zone=KCN&#43;Ch%C3%A2u&#43;S%C6%A1n">KCN Châu Sơn</a></th><td>2</td>`,
		}},
		{"health", "/stats/units/35/zones", "en", 200, []string{"Industrial and economic zones", "Ha Nam Province"}},
		{"health", "/stats/units/37/zones", "vi", 403, nil},
		{"district", "/stats/units/347/zones?sector=commerce", "vi", 200, []string{`id="zones-none"`}},
		{"zone", "/stats/units/35/zones", "vi", 200, []string{zoneName}},
		{"gate", "/stats/units/35/zones", "vi", 403, nil},
		{"health", "/stats/units/35/zones?sector=space", "vi", 400, []string{`id="e-sector"`}},
		{"health", zonePath("35", ""), "en", 200, []string{`<span id="unit-name">KCN Châu Sơn</span>`, "Industrial zones"}},
		{"district", zonePath("35", ""), "vi", 403, nil},
		{"health", "/stats/units/35/zones/view", "vi", 400, []string{"Thông tin này là bắt buộc."}},
		{"health", zonePath("35", "&from=2026-13-40"), "vi", 400, []string{`id="e-from"`, `name="zone" value="KCN Châu Sơn"`}},
	} {
		rec := f.do(request{method: "GET", path: tt.path, token: f.tokens[tt.login], lang: tt.lang})
		if rec.Code != tt.status {
			t.Errorf("%s GET %s: got %d, want %d", tt.login, tt.path, rec.Code, tt.status)
			continue
		}
		for _, want := range tt.want {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("%s GET %s (%s): missing %s", tt.login, tt.path, tt.lang, want)
			}
		}
	}
	if rec := f.do(request{method: "GET", path: "/stats/units/all/zones", token: f.tokens["health"]}); rec.Header().Get("Location") != "/stats/units/35/zones" {
		t.Errorf("all zones as the province's official: got %d to %q, want /stats/units/35/zones", rec.Code, rec.Header().Get("Location"))
	}
}

func TestZonePageShowsFigures(t *testing.T) {
	f := newZoneFixture(t)
	status, body := f.get("health", zonePath("35", "&from="+f.today.Add(-2).String()))
	if status != 200 {
		t.Fatalf("got %d, want 200", status)
	}
	for _, want := range []string{
		`<dd id="t-checkins">3</dd>`, `<dd id="t-red">1</dd>`, `<dd id="t-venues">2</dd>`, `<dd id="t-active">2</dd>`,
		`role="img"`, `<title id="chart-checkins-title">`, `<title id="chart-active-title">`, `<table class="stats" id="days">`,
		`<a href="/stats/units/35">Tỉnh Hà Nam</a>`, `<a href="/stats/units/35/zones">Khu công nghiệp</a>`, // unit → zone
		`name="zone" value="KCN Châu Sơn"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("zone page: missing %s", want)
		}
	}
	for _, unwanted := range []string{`id="t-symptoms"`, `id="report-link"`, `id="types"`, `id="children"`, "Chợ Bầu"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("zone page: has %s", unwanted)
		}
	}
	places := body[strings.Index(body, `id="venues"`):]
	places = places[:strings.Index(places, "</table>")]
	for _, want := range []string{`href="/stats/venues/` + idString(f.factory) + `">Xưởng may số 1</a>`, `href="/stats/venues/` + idString(f.mill) + `">Nhà máy sợi Hà Nam</a>`} {
		if !strings.Contains(places, want) {
			t.Errorf("zone's places: missing %s", want)
		}
	}
	silent := body[strings.Index(body, `id="silent-places"`):]
	silent = silent[:strings.Index(silent, "</ul>")]
	if !strings.Contains(silent, `href="/stats/venues/`+idString(f.mill)+`">Nhà máy sợi Hà Nam</a>`) || strings.Contains(silent, "Xưởng may") {
		t.Errorf("zone's silent places: got %s, want the mill alone", silent)
	}
	_, unit := f.get("health", "/stats/units/35")
	if !strings.Contains(unit, `<a href="/stats/units/35/zones" id="zones-link">Khu công nghiệp</a>`) {
		t.Error("unit page: no link to its zones")
	}
}

func TestZoneAPI(t *testing.T) {
	f := newZoneFixture(t)
	var list statsZonesJSON
	rec := f.do(request{method: "GET", path: "/api/v1/stats/zones?unit=35", token: f.tokens["health"]})
	decode(t, rec.Body, &list)
	if want := []statsZoneCountJSON{{Zone: zoneName, Venues: 2}}; rec.Code != 200 || !reflect.DeepEqual(list.Zones, want) {
		t.Errorf("zones of the province: got %d %+v, want %+v", rec.Code, list.Zones, want)
	}
	rec = f.do(request{method: "GET", path: "/api/v1/stats/zones?sector=commerce", token: f.tokens["health"]})
	decode(t, rec.Body, &list)
	if rec.Code != 200 || list.Zones == nil || len(list.Zones) != 0 {
		t.Errorf("commerce zones of the caller's own unit: got %d %+v, want an empty list", rec.Code, list.Zones)
	}

	from := f.today.Add(-2)
	var got statsZoneJSON
	rec = f.do(request{method: "GET", path: "/api/v1/stats/zones/" + url.PathEscape(zoneName) + "?unit=35&from=" + from.String(), token: f.tokens["health"]})
	decode(t, rec.Body, &got)
	health, err := f.auth.Bearer(context.Background(), f.tokens["health"])
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.srv.progress.Zone(context.Background(), health, ravao.StatsQuery{UnitCode: "35", Zone: zoneName, From: from, To: f.today})
	if err != nil {
		t.Fatal(err)
	}
	if want := toStatsZoneJSON(v); rec.Code != 200 || !reflect.DeepEqual(got, want) {
		t.Errorf("zone: got %d %+v, want the service's %+v", rec.Code, got, want)
	}
	if got.Zone != zoneName || got.Unit == nil || got.Unit.Code != "35" || got.Totals.CheckIns != 3 || got.Totals.Venues != 2 || len(got.Series) != 3 ||
		len(got.Places) != 2 || len(got.Silent) != 1 || got.Silent[0].VenueID != f.mill {
		t.Errorf("zone: got %+v; want 3 check-ins at 2 places over 3 days, the mill silent", got)
	}
}

func TestZoneAPIRefusesBadInput(t *testing.T) {
	f := newZoneFixture(t)
	zone := "/api/v1/stats/zones/" + url.PathEscape(zoneName)
	for _, tt := range []struct {
		login, path string
		status      int
		field       string
	}{
		{"health", "/api/v1/stats/zones/%20?unit=35", 400, "zone"},
		{"health", "/api/v1/stats/zones/" + strings.Repeat("K", 201) + "?unit=35", 400, "zone"},
		{"health", zone + "?from=2026-02-30", 400, "from"},
		{"health", zone + "?to=" + f.today.Add(1).String(), 400, "to"},
		{"health", zone + "?unit=x-y", 400, "unit"},
		{"health", "/api/v1/stats/zones?sector=space", 400, "sector"},
		{"health", zone + "?unit=37", 403, ""},
		{"district", "/api/v1/stats/zones?unit=35", 403, ""},
		{"manager", "/api/v1/stats/zones", 403, ""},
		{"zone", zone + "?sector=commerce", 403, ""},
		{"zone", zone, 200, ""},
	} {
		rec := f.do(request{method: "GET", path: tt.path, token: f.tokens[tt.login], lang: "en"})
		if rec.Code != tt.status {
			t.Errorf("%s GET %s: got %d, want %d", tt.login, tt.path, rec.Code, tt.status)
			continue
		}
		if tt.field != "" {
			if e := apiError(t, rec); e.Fields[tt.field] == "" {
				t.Errorf("%s GET %s: got fields %v, want a message for %s", tt.login, tt.path, e.Fields, tt.field)
			}
		}
	}
}

func TestZoneAPIIsDocumented(t *testing.T) {
	f := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Tags       []string
			Parameters []struct{ Name string }
		}
	}
	decode(t, f.do(request{method: "GET", path: "/api/v1/openapi.json"}).Body, &doc)
	for path, params := range map[string][]string{
		"/api/v1/stats/zones":        {"unit", "sector"},
		"/api/v1/stats/zones/{zone}": {"zone", "unit", "sector", "from", "to"},
	} {
		op, ok := doc.Paths[path]["get"]
		if !ok || len(op.Tags) != 1 || op.Tags[0] != "progress" {
			t.Errorf("GET %s: got %+v, want it documented under progress", path, op)
			continue
		}
		var names []string
		for _, p := range op.Parameters {
			names = append(names, p.Name)
		}
		for _, p := range params {
			if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+p+" ") {
				t.Errorf("GET %s: parameters %v, want %s", path, names, p)
			}
		}
	}
}

// TestBrowserZone signs in as the province's industrial-zone board in a
// real Chromium and goes from its unit to its zones, to the zone, to the
// silent mill.
func TestBrowserZone(t *testing.T) {
	f := newZoneFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.login("zone", staffPassword, "/stats", "#totals")
	b.do("open the zones", chromedp.Click(chromedp.ID("zones-link")), chromedp.WaitVisible(chromedp.ID("zones")))
	if got := b.text("#zones a.zone-name"); got != zoneName {
		t.Errorf("zones: got %q, want %q", got, zoneName)
	}
	b.do("open the zone", chromedp.Click(chromedp.CSS("#zones a.zone-name")), chromedp.WaitVisible(chromedp.ID("totals")))
	for sel, want := range map[string]string{"#unit-name": zoneName, "#t-checkins": "3", "#t-venues": "2", "#silent-places a": "Nhà máy sợi Hà Nam"} {
		if got := b.text(sel); got != want {
			t.Errorf("zone: %s reads %q, want %q", sel, got, want)
		}
	}
	b.do("narrow to today", chromedp.SetValue(chromedp.ID("f-from"), f.today.String()), chromedp.Click(chromedp.ID("range-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#days tbody tr:only-child`)))
	if got := b.text("#t-checkins"); got != "2" || b.text("#unit-name") != zoneName {
		t.Errorf("zone today: %q check-ins in %q, want 2 in the zone", got, b.text("#unit-name"))
	}
	b.do("open the silent mill", chromedp.Click(chromedp.CSS("#silent-places a")), chromedp.WaitVisible(chromedp.ID("venue-name")))
	if got := b.text("#venue-name"); got != "Nhà máy sợi Hà Nam" {
		t.Errorf("the mill's page: got %q", got)
	}
}
