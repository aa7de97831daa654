package server

import (
	"net/http"
	"testing"
)

// statsUnitOut is the part of a unit's progress the tests read.
type statsUnitOut struct {
	Unit *struct {
		Code string `json:"code"`
	} `json:"unit"`
	Sector, From, To string
	Totals           statsCountsJSON
	Series           []statsDayJSON
	Children         []statsChildJSON
	SilentChildren   []unitJSON          `json:"silent_children"`
	Silent           []silentVenueJSON   `json:"silent"`
	Places           []placeActivityJSON `json:"places"`
}

func TestStatsAPI(t *testing.T) {
	f := newStatsFixture(t)
	var v statsUnitOut
	rec := f.do(request{method: "GET", path: "/api/v1/stats/units/35", token: f.tokens["health"]})
	if rec.Code != http.StatusOK {
		t.Fatalf("province as its official: got %d, want 200", rec.Code)
	}
	decode(t, rec.Body, &v)
	if v.Unit == nil || v.Unit.Code != "35" || v.To != f.today.String() || v.From != f.today.Add(-13).String() || len(v.Series) != 14 {
		t.Errorf("got unit %v from %s to %s with %d days, want 35 over the two weeks to %s", v.Unit, v.From, v.To, len(v.Series), f.today)
	}
	if v.Totals.CheckIns != 3 || v.Totals.Red != 1 || v.Totals.Venues != 2 || v.Series[13].CheckIns != 2 || v.Series[11].CheckIns != 1 {
		t.Errorf("got totals %+v, last day %+v: want 3 check-ins (1 red) at 2 places, 2 today and 1 two days ago", v.Totals, v.Series[13])
	}
	if len(v.Children) != 1 || v.Children[0].Unit.Code != "347" || v.Children[0].CheckIns != 3 {
		t.Errorf("got children %+v, want Phủ Lý with 3 check-ins", v.Children)
	}
	if len(v.Silent) != 1 || v.Silent[0].VenueID != f.silent {
		t.Errorf("got silent places %+v, want the market only", v.Silent)
	}

	if len(v.Places) != 0 {
		t.Errorf("province: got %d places, want the places listed only for a commune", len(v.Places))
	}
	var commune statsUnitOut
	rec = f.do(request{method: "GET", path: "/api/v1/stats/units/13321", token: f.tokens["health"]})
	decode(t, rec.Body, &commune)
	if rec.Code != 200 || len(commune.Places) != 2 || commune.Places[0].VenueID != f.silent || commune.Places[0].CheckIns != 0 ||
		commune.Places[1].VenueID != f.factory || commune.Places[1].CheckIns != 3 || commune.Places[1].ActiveDays != 2 || commune.Places[1].Red != 1 {
		t.Errorf("the commune's places: got %d, %+v; want the market (no scan) then the workshop (3 check-ins on 2 days, 1 red)", rec.Code, commune.Places)
	}

	var sec statsUnitOut
	rec = f.do(request{method: "GET", path: "/api/v1/stats/sectors/commerce?unit=35&from=" + f.today.String(), token: f.tokens["health"]})
	decode(t, rec.Body, &sec)
	if rec.Code != 200 || sec.Sector != "commerce" || sec.Totals.CheckIns != 0 || sec.Totals.Venues != 1 || len(sec.Series) != 1 {
		t.Errorf("commerce today: got %d, %+v; want the market alone, without check-ins", rec.Code, sec)
	}

	var day struct {
		Venue struct{ ID int64 } `json:"venue"`
		Days  []statsVenueDayJSON
	}
	rec = f.do(request{method: "GET", path: "/api/v1/stats/venues/" + idString(f.factory) + "?from=" + f.today.Add(-2).String(), token: f.tokens["manager"]})
	decode(t, rec.Body, &day)
	if rec.Code != 200 || day.Venue.ID != f.factory || len(day.Days) != 3 || day.Days[0].CheckIns != 1 || day.Days[2].CheckIns != 2 || day.Days[2].Red != 1 {
		t.Errorf("the workshop's days as its manager: got %d, %+v", rec.Code, day)
	}
}

func TestStatsAPIScopesAndBadInput(t *testing.T) {
	f := newStatsFixture(t)
	for _, tt := range []struct {
		login, path string
		status      int
		field       string
	}{
		{"health", "/api/v1/stats/units/37", 403, ""},
		{"manager", "/api/v1/stats/units/35", 403, ""},
		{"manager", "/api/v1/stats/sectors/industry?unit=35", 403, ""},
		{"gate", "/api/v1/stats/venues/" + idString(f.factory), 403, ""},
		{"manager", "/api/v1/stats/venues/" + idString(f.silent), 404, ""},
		{"zone", "/api/v1/stats/sectors/commerce?unit=35", 403, ""},
		{"zone", "/api/v1/stats/sectors/industry?unit=35", 200, ""},
		{"health", "/api/v1/stats/units/35?from=2026-02-30", 400, "from"},
		{"health", "/api/v1/stats/units/35?to=25/11/2026", 400, "to"},
		{"health", "/api/v1/stats/units/35?to=" + f.today.Add(1).String(), 400, "to"},
		{"health", "/api/v1/stats/units/35?from=" + f.today.String() + "&to=" + f.today.Add(-1).String(), 400, "to"},
		{"health", "/api/v1/stats/units/35?from=2000-01-01", 400, "from"},
		{"health", "/api/v1/stats/units/35?sector=space", 400, "sector"},
		{"health", "/api/v1/stats/units/x-y", 400, "unit"},
		{"health", "/api/v1/stats/sectors/space?unit=35", 400, "sector"},
		{"health", "/api/v1/stats/venues/abc", 400, "id"},
		{"manager", "/api/v1/stats/venues/" + idString(f.factory) + "?from=x", 400, "from"},
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
