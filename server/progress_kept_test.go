package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
)

// The sample data of the list of kept reports, for the test that renders
// every template in both languages.
func init() {
	samples["progress_reports.html"] = func() *pageData {
		return &pageData{Title: "report.kept_title", Path: "/stats/units/347/reports", Data: &keptData{
			Name: "Thành phố Phủ Lý", Back: "/stats/units/347/report", KeepDays: 92,
			Reports: []keptRow{{Day: "24/11/2026", MadeAt: "06:00 25/11/2026", Page: "/stats/units/347/report?day=2026-11-24",
				XLSX: "/stats/units/347/report.xlsx?day=2026-11-24", PDF: "/stats/units/347/report.pdf?day=2026-11-24"}},
		}}
	}
}

// keepYesterday makes and keeps yesterday's reports of the fixture.
func (f *statsFixture) keepYesterday() {
	f.t.Helper()
	if _, err := f.srv.progress.MakeReports(context.Background(), f.today.Add(-1)); err != nil {
		f.t.Fatalf("make reports: %v", err)
	}
}

// seedRoster stores a roster of three places that must register in Phủ
// Lý: the silent market (covered), a place missing in Quang Trung and
// one missing at the city itself.
func (f *statsFixture) seedRoster() {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		r := ravao.Roster{UnitCode: "347", UnitPath: "35/347/", FileName: "danh-sach.csv", Entries: 3}
		es := []*ravao.RosterEntry{
			{Line: 2, UnitCode: "13321", UnitPath: "35/347/13321/", Name: "Chợ Bầu", NameKey: ravao.NameKey("Chợ Bầu"), VenueID: f.silent, Match: ravao.MatchConfirmed},
			{Line: 3, UnitCode: "13321", UnitPath: "35/347/13321/", Name: "Xưởng gỗ Thành Công", NameKey: ravao.NameKey("Xưởng gỗ Thành Công")},
			{Line: 4, UnitCode: "347", UnitPath: "35/347/", Name: "Bến xe Phủ Lý", NameKey: ravao.NameKey("Bến xe Phủ Lý")},
		}
		return tx.CreateRoster(&r, es)
	})
	if err != nil {
		f.t.Fatalf("seed roster: %v", err)
	}
}

func TestStatsReportPDF(t *testing.T) {
	f := newStatsFixture(t)
	f.seedRoster()
	rec := f.do(request{method: "GET", path: "/stats/units/347/report.pdf?day=" + f.today.String(), token: f.tokens["district"]})
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d, want 200: %s", rec.Code, rec.Body.String())
	}
	h := rec.Header()
	if ct := h.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type: got %q", ct)
	}
	if cd := h.Get("Content-Disposition"); cd != `attachment; filename=bao-cao-347-`+f.today.String()+`.pdf` {
		t.Errorf("Content-Disposition: got %q, want an attachment named after the unit code and day", cd)
	}
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", cc)
	}
	tool := testenv.Tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Thành phố Phủ Lý", "Phường Quang Trung", "Chợ Bầu", "Phải đăng ký", "33%"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("PDF text lacks %q; got:\n%s", want, out)
		}
	}
	for _, tt := range []struct {
		login, path string
		status      int
	}{
		{"district", "/stats/units/35/report.pdf", 403},
		{"manager", "/stats/units/347/report.pdf", 403},
		{"district", "/stats/units/bad-code/report.pdf", 404},
		{"district", "/stats/units/347/report.pdf?day=" + f.today.Add(1).String(), 400},
	} {
		if status, _ := f.get(tt.login, tt.path); status != tt.status {
			t.Errorf("%s GET %s: got %d, want %d", tt.login, tt.path, status, tt.status)
		}
	}
}

// TestStatsKeptReports lists the kept reports of the whole deployment
// (the fixture's places were all registered today, so yesterday's report
// of a unit is only the deployment's).
func TestStatsKeptReports(t *testing.T) {
	f := newStatsFixture(t)
	yesterday := f.today.Add(-1).String()
	if _, body := f.get("admin", "/stats/units/all/reports"); !strings.Contains(body, `id="kept-none"`) {
		t.Error("kept list before any report: want the sentence saying there is none")
	}
	f.keepYesterday()
	status, body := f.get("admin", "/stats/units/all/reports")
	if status != http.StatusOK {
		t.Fatalf("kept list: got %d", status)
	}
	for _, want := range []string{
		"Toàn bộ địa bàn", dayText(f.today.Add(-1)),
		`href="/stats/units/all/report?day=` + yesterday + `"`, `href="/stats/units/all/report.xlsx?day=` + yesterday + `"`,
		`href="/stats/units/all/report.pdf?day=` + yesterday + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("kept list: missing %s", want)
		}
	}
	rec := f.do(request{method: "GET", path: "/api/v1/stats/units/all/reports", token: f.tokens["admin"]})
	var got struct {
		Reports []struct {
			Day    string    `json:"day"`
			MadeAt time.Time `json:"made_at"`
		} `json:"reports"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got.Reports) != 1 || got.Reports[0].Day != yesterday || got.Reports[0].MadeAt.IsZero() {
		t.Errorf("kept list API: got %d %s", rec.Code, rec.Body.String())
	}
	// The report of yesterday is the kept one, and says when it was made.
	if _, body := f.get("admin", "/stats/units/all/report"); !strings.Contains(body, `id="report-made-at"`) {
		t.Error("yesterday's report page: no made-at line for a kept report")
	}
	rec = f.do(request{method: "GET", path: "/api/v1/stats/units/all/report", token: f.tokens["admin"]})
	if !strings.Contains(rec.Body.String(), `"made_at":"20`) {
		t.Errorf("yesterday's report API: want made_at, got %s", rec.Body.String())
	}
	// A unit with nothing kept lists none; scope holds.
	rec = f.do(request{method: "GET", path: "/api/v1/stats/units/347/reports", token: f.tokens["district"]})
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"reports":[]}` {
		t.Errorf("the city's kept list: got %d %s, want an empty list", rec.Code, rec.Body.String())
	}
	for _, tt := range []struct {
		login, path string
		status      int
	}{
		{"district", "/stats/units/35/reports", 403},
		{"district", "/api/v1/stats/units/35/reports", 403},
		{"manager", "/stats/units/347/reports", 403},
		{"district", "/stats/units/bad-code/reports", 404},
		{"district", "/stats/units/347/reports?sector=nope", 400},
	} {
		if status, _ := f.get(tt.login, tt.path); status != tt.status {
			t.Errorf("%s GET %s: got %d, want %d", tt.login, tt.path, status, tt.status)
		}
	}
}

func TestStatsReportCoverage(t *testing.T) {
	f := newStatsFixture(t)
	f.seedRoster()
	status, body := f.get("district", "/stats/units/347/report?day="+f.today.String())
	if status != http.StatusOK {
		t.Fatalf("got %d, want 200", status)
	}
	for _, want := range []string{
		`id="coverage"`, `<dd id="c-required">3</dd>`, `<dd id="c-covered">1</dd>`, `<dd id="c-percent">33%</dd>`,
		`<th scope="row">Phường Quang Trung</th><td>2</td><td>1</td><td>0</td><td>50%</td>`,
		`id="report-pdf" href="/stats/units/347/report.pdf?day=` + f.today.String() + `"`, `id="report-kept" href="/stats/units/347/reports"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("report page: missing %s", want)
		}
	}
	if strings.Contains(body, `id="no-coverage"`) || strings.Contains(body, `id="report-made-at"`) {
		t.Error("report page: says there is no coverage, or that today's report was kept")
	}
	rec := f.do(request{method: "GET", path: "/api/v1/stats/units/347/report?day=" + f.today.String(), token: f.tokens["district"]})
	var got struct {
		Coverage *struct {
			Required, Covered, Percent int
			Children                   []struct {
				Unit     struct{ Code string }
				Required int
			}
		}
		MadeAt *time.Time `json:"made_at"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Coverage == nil || got.Coverage.Required != 3 || got.Coverage.Covered != 1 ||
		got.Coverage.Percent != 33 || len(got.Coverage.Children) != 1 || got.Coverage.Children[0].Required != 2 || got.MadeAt != nil {
		t.Errorf("report API: got %s", rec.Body.String())
	}
	xlsx := f.do(request{method: "GET", path: "/stats/units/347/report.xlsx?day=" + f.today.String(), token: f.tokens["district"]})
	x, err := excelize.OpenReader(bytes.NewReader(xlsx.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Tổng hợp")
	if qt := findRow(rows, "Phường Quang Trung"); len(qt) < 4 || qt[len(qt)-4] != "2" || qt[len(qt)-1] != "50" {
		t.Errorf("workbook's Quang Trung row: got %q, want 2 to register, 50%%", qt)
	}
	if h := rows[0]; h[len(h)-4] != "Phải đăng ký" {
		t.Errorf("workbook header: got %q, want coverage columns", h)
	}
	rec = f.do(request{method: "GET", path: "/api/v1/stats/units/35/report?day=" + f.today.String(), token: f.tokens["health"]})
	if !strings.Contains(rec.Body.String(), `"coverage":{`) {
		t.Errorf("the province's report API: want the city's roster counted, got %s", rec.Body.String())
	}
}
