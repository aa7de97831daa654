package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

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
	checkReportDownload(t, b)

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

// checkReportDownload opens the district's daily report (yesterday's, by
// default), fetches its workbook with the browser's session and reads the
// commune's row: the market's one check-in yesterday.
func checkReportDownload(t *testing.T, b *browserSession) {
	t.Helper()
	b.do("open the daily report", chromedp.Click(chromedp.ID("report-link")), chromedp.WaitVisible(chromedp.ID("report-xlsx")))
	js := `fetch(document.getElementById('report-xlsx').href, {credentials: 'same-origin'}).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (const c of bytes) s += String.fromCharCode(c);
		return btoa(s);
	})`
	enc, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the report: %v", err)
	}
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Fatalf("the report: got %d bytes (%v), want a zip starting with PK", len(data), err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Tổng hợp")
	// unit, places, new, approved, pending, active, check-ins, ...
	if commune := findRow(rows, "Phường Quang Trung"); commune == nil || commune[5] != "1" || commune[6] != "1" {
		t.Errorf("the commune's row yesterday: got %q, want 1 active place and 1 check-in", commune)
	}
	silent, _ := x.GetRows("Không hoạt động")
	if len(silent) == 0 || findRowWith(silent, "Chợ Bầu") {
		t.Errorf("no activity yesterday: got %q, want a header and not the market", silent)
	}
	b.do("back to the district", chromedp.Click(chromedp.ID("report-back")), chromedp.WaitVisible(chromedp.CSS(`#unit-name`)))
}
