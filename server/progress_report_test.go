package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ravao/ravao"
)

// The sample data of the daily report, for the test that renders every
// template in both languages.
func init() {
	samples["progress_report.html"] = func() *pageData {
		c := ravao.Counts{Venues: 2, New: 1, Approved: 1, Pending: 1, Active: 1, CheckIns: 3, People: 2, Red: 1, Symptoms: 1}
		return &pageData{Title: "report.title", Path: "/stats/units/347/report", Data: &reportData{
			Name: "Thành phố Phủ Lý", Day: "25/11/2026", DayISO: "2026-11-25", Path: "/stats/units/347/report",
			XLSX: "/stats/units/347/report.xlsx?day=2026-11-25", PDF: "/stats/units/347/report.pdf?day=2026-11-25",
			Kept: "/stats/units/347/reports", MadeAt: "06:00 26/11", Back: "/stats/units/347", Totals: c,
			Coverage: &reportCoverage{Totals: coverageCells{Name: "Thành phố Phủ Lý", Required: 3, Covered: 1, Percent: 33},
				Children: []coverageCells{{Name: "Phường Quang Trung", Required: 2, Covered: 1, Proposed: 1, Percent: 50}}},
			Children:    []statsChildRow{{Name: "Phường Quang Trung", Counts: c}, {Name: "Phường Lê Hồng Phong", Silent: true}},
			SilentUnits: []string{"Phường Lê Hồng Phong"},
			Places:      []statsPlaceRow{{Name: "Chợ Bầu", Href: "/stats/venues/4", Unit: "Phường Quang Trung", Type: ravao.VenueMarket}},
		}}
	}
}

func TestStatsReportFollowsScopes(t *testing.T) {
	f := newStatsFixture(t)
	today := "?day=" + f.today.String()
	for _, tt := range []struct {
		login, path string
		status      int
	}{
		{"health", "/stats/units/35/report" + today, 200},
		{"health", "/stats/units/35/report.xlsx" + today, 200},
		{"health", "/api/v1/stats/units/35/report" + today, 200},
		{"health", "/stats/units/37/report", 403},
		{"health", "/stats/units/37/report.xlsx", 403},
		{"district", "/stats/units/347/report.xlsx", 200},
		{"district", "/stats/units/35/report.xlsx", 403},
		{"zone", "/stats/units/35/report.xlsx?sector=commerce", 403},
		{"manager", "/stats/units/35/report.xlsx", 403},
		{"gate", "/api/v1/stats/units/35/report", 403},
		{"health", "/stats/units/35/report.xlsx?day=2026-13-40", 400},
		{"health", "/stats/units/35/report.xlsx?day=" + f.today.Add(1).String(), 400},
		{"health", "/api/v1/stats/units/35/report?day=" + f.today.Add(1).String(), 400},
		{"health", "/stats/units/bad-code/report.xlsx", 404},
	} {
		if status, _ := f.get(tt.login, tt.path); status != tt.status {
			t.Errorf("%s GET %s: got %d, want %d", tt.login, tt.path, status, tt.status)
		}
	}
}

func TestStatsReportXLSXHasTheDaysRows(t *testing.T) {
	f := newStatsFixture(t)
	rec := f.do(request{method: "GET", path: "/stats/units/35/report.xlsx?day=" + f.today.String(), token: f.tokens["health"]})
	if rec.Code != 200 {
		t.Fatalf("got %d, want 200", rec.Code)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", cc)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, f.today.String()) {
		t.Errorf("Content-Disposition: got %q, want an attachment named after the day", cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 2 || got[0] != "Tổng hợp" || got[1] != "Không hoạt động" {
		t.Fatalf("sheets: got %q", got)
	}
	rows, _ := x.GetRows("Tổng hợp")
	// unit, places, new, approved, pending, active, check-ins, people, red, symptoms
	district := findRow(rows, "Thành phố Phủ Lý")
	if district == nil || district[6] != "2" || district[8] != "1" || district[5] != "1" {
		t.Errorf("the district's row: got %q, want 2 check-ins, 1 red, 1 active place", district)
	}
	if total := findRow(rows, "Tổng cộng: Tỉnh Hà Nam"); total == nil || total[6] != "2" || total[1] != "2" {
		t.Errorf("the total: got %q, want 2 places and 2 check-ins", total)
	}
	silent, _ := x.GetRows("Không hoạt động")
	if market := findRow(silent, "Địa điểm"); market == nil || market[1] != "Chợ Bầu" || market[3] != "Phường Quang Trung" {
		t.Errorf("the silent market: got %q in %q", market, silent)
	}
	if findRowWith(silent, "Xưởng may số 1") {
		t.Error("the workshop had check-ins that day, but it is listed as without activity")
	}
}

func TestStatsReportPageShowsTheDay(t *testing.T) {
	f := newStatsFixture(t)
	status, body := f.get("district", "/stats/units/347/report?day="+f.today.String())
	if status != http.StatusOK {
		t.Fatalf("got %d, want 200", status)
	}
	for _, want := range []string{
		`<dd id="t-checkins">2</dd>`, `<dd id="t-red">1</dd>`, "Phường Quang Trung", `">Chợ Bầu</a>`,
		`href="/stats/units/347/report.xlsx?day=` + f.today.String() + `"`, `id="no-coverage"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("report page: missing %s", want)
		}
	}
	// Yesterday by default: the fixture has no visit then.
	if _, body := f.get("district", "/stats/units/347/report"); !strings.Contains(body, `<dd id="t-checkins">0</dd>`) || !strings.Contains(body, f.today.Add(-1).String()) {
		t.Error("report without a day: want yesterday's, with no check-in")
	}
	if _, body := f.get("district", "/stats/units/347"); !strings.Contains(body, `href="/stats/units/347/report" id="report-link"`) {
		t.Error("progress page: no link to the daily report")
	}
}

// findRow is the first row whose first cell is first, or nil.
func findRow(rows [][]string, first string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	return nil
}

// findRowWith reports whether a cell of rows holds s.
func findRowWith(rows [][]string, s string) bool {
	for _, r := range rows {
		for _, c := range r {
			if c == s {
				return true
			}
		}
	}
	return false
}
