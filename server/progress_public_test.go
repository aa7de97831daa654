package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao/progress"
)

// The sample data of the public progress page, for the test that renders
// every template in both languages.
func init() {
	samples["progress_public.html"] = func() *pageData {
		small, big := progress.PublicCount{N: 3, Hidden: true}, progress.PublicCount{N: 40}
		return &pageData{Title: "public.title", Path: "/public/progress/35", Data: &publicData{
			Shown: true, Name: "Tỉnh Hà Nam", Path: "/public/progress/35", Day: "2026-11-24", DayText: "24/11/2026",
			Crumbs:  []crumb{{Name: "Cả nước", Href: "/public/progress?day=2026-11-24"}},
			Failure: formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"day": "Ngày không hợp lệ."}},
			Rows:    []publicRow{{Name: "Thành phố Phủ Lý", Href: "/public/progress/347?day=2026-11-24", Venues: big, Active: small, CheckIns: big}},
			Total:   publicRow{Name: "Tổng", Venues: big, Active: small, CheckIns: big}, Hidden: true,
		}}
	}
}

// publicFixture is the stats fixture served with the public page on.
func publicFixture(t *testing.T) *statsFixture {
	t.Helper()
	f := newStatsFixture(t)
	cfg := f.srv.cfg
	cfg.PublicProgress = true
	srv, err := New(cfg, Deps{Store: f.store, Auth: f.auth, Places: f.places, Progress: f.srv.progress, Vault: f.vault, Logger: f.srv.log})
	if err != nil {
		t.Fatal(err)
	}
	srv.cat.OnMissing = f.srv.cat.OnMissing
	f.srv = srv
	return f
}

func TestPublicProgressOffByDefault(t *testing.T) {
	f := newStatsFixture(t)
	for _, path := range []string{"/public/progress", "/public/progress/35"} {
		if status, _ := f.get("", path); status != http.StatusNotFound {
			t.Errorf("GET %s with the public page off: got %d, want 404", path, status)
		}
	}
}

// cells are the figures in a page's table cells.
var cells = regexp.MustCompile(`<td>([^<]*)</td>`)

func TestPublicProgressHidesSmallCounts(t *testing.T) {
	f := publicFixture(t)
	// Two days ago the workshop had one check-in: Phủ Lý had 1 place
	// active and 1 check-in, below 10; no place was registered yet (the
	// fixture makes them today) and Ninh Bình had nothing: zeros show.
	day := f.today.Add(-2).String()
	for _, tt := range []struct {
		path   string
		want   []string
		hidden int
	}{
		{"/public/progress?day=" + day, []string{"Tỉnh Hà Nam", "Tỉnh Ninh Bình", `id="public-hidden"`}, 4},
		{"/public/progress/35?day=" + day, []string{"Thành phố Phủ Lý", `href="/public/progress/347?day=` + day + `"`}, 4},
		{"/public/progress/13321?day=" + day, []string{"Phường Quang Trung"}, 2},
	} {
		rec := f.do(request{method: "GET", path: tt.path})
		body := rec.Body.String()
		if rec.Code != 200 {
			t.Fatalf("GET %s: got %d, want 200", tt.path, rec.Code)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=300" {
			t.Errorf("GET %s: Cache-Control %q, want public, max-age=300", tt.path, cc)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: missing %s", tt.path, w)
			}
		}
		hidden := 0
		for _, m := range cells.FindAllStringSubmatch(body, -1) {
			if v := m[1]; len(v) == 1 && v >= "1" && v <= "9" {
				t.Errorf("GET %s: a cell shows %s", tt.path, v)
			}
			if m[1] == "&lt;10" {
				hidden++
			}
		}
		if hidden != tt.hidden {
			t.Errorf("GET %s: %d cells show <10, want %d: %v", tt.path, hidden, tt.hidden, cells.FindAllString(body, -1))
		}
		for _, name := range []string{"Xưởng may", "Chợ Bầu", "Công ty May", "Nguyễn Văn An"} {
			if strings.Contains(body, name) {
				t.Errorf("GET %s: the public page names %s", tt.path, name)
			}
		}
	}
}

func TestPublicProgressRefusesTodayAndUnknownUnits(t *testing.T) {
	f := publicFixture(t)
	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"/public/progress?day=" + f.today.String(), 400, `id="e-day"`},
		{"/public/progress?day=2026-13-40", 400, `id="e-day"`},
		{"/public/progress/bad-code", 404, ""},
		{"/public/progress/99", 404, ""},
		{"/public/progress", 200, `id="public"`}, // yesterday by default
	} {
		status, body := f.get("", tt.path)
		if status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: got %d, want %d with %q", tt.path, status, tt.status, tt.want)
		}
	}
}
