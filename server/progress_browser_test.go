package server

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao"
)

// TestBrowserStatsDrillDown signs in as the province's health official in
// a real Chromium and drills from the province to the district, to the
// commune, to a market that had a check-in yesterday but none today,
// reading the figures at each step.
func TestBrowserStatsDrillDown(t *testing.T) {
	f := newStatsFixture(t)
	yesterday := f.today.Add(-1)
	f.visit(f.silent, yesterday, 10, ravao.Green)
	if err := f.srv.progress.Rollup(context.Background(), yesterday); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.login("health", staffPassword, "/stats", "#totals")

	want := func(where, sel, value string) {
		t.Helper()
		if got := b.text(sel); got != value {
			t.Errorf("%s: %s reads %q, want %q", where, sel, got, value)
		}
	}
	if loc := b.location(); loc != "/stats/units/35" {
		t.Errorf("/stats took the official to %s, want /stats/units/35", loc)
	}
	want("province", "#unit-name", "Tỉnh Hà Nam")
	want("province", "#t-checkins", "4")
	want("province", "#t-venues", "2")

	b.do("open the district", chromedp.Click(chromedp.CSS(`#children a[href="/stats/units/347"]`)), chromedp.WaitVisible(chromedp.CSS(`#unit-name`)))
	want("district", "#unit-name", "Thành phố Phủ Lý")
	want("district", "nav.crumbs li:first-child a", "Tỉnh Hà Nam")

	b.do("open the commune", chromedp.Click(chromedp.CSS(`#children a[href="/stats/units/13321"]`)), chromedp.WaitVisible(chromedp.CSS(`#silent-places`)))
	want("commune", "#unit-name", "Phường Quang Trung")
	want("commune", "#t-active", "3") // the workshop on two days, the market on one
	want("commune", "#silent-places a", "Chợ Bầu")

	b.do("open the silent market", chromedp.Click(chromedp.CSS(`#silent-places a`)), chromedp.WaitVisible(chromedp.CSS(`#venue-name`)))
	want("market", "#venue-name", "Chợ Bầu")
	want("market", "#t-checkins", "1")
	want("market", "#days tbody tr:nth-last-child(2) td:nth-of-type(1)", "1") // yesterday
	want("market", "#days tbody tr:last-child td:nth-of-type(1)", "0")        // today

	b.do("narrow to today", chromedp.SetValue(chromedp.ID("f-from"), f.today.String()), chromedp.Click(chromedp.ID("range-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#days tbody tr:only-child`)))
	want("market today", "#t-checkins", "0")
	b.do("back to the commune", chromedp.Click(chromedp.ID("venue-unit")), chromedp.WaitVisible(chromedp.CSS(`#unit-name`)))
	want("commune again", "#unit-name", "Phường Quang Trung")
}
