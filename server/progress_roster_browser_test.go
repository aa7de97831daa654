package server

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRosterCoverage signs in as a ward's official in a real
// Chromium, follows the coverage link of the ward's progress page,
// uploads a roster with the file input, reads the figures, opens the
// missing list and confirms the proposed market: coverage goes up.
func TestBrowserRosterCoverage(t *testing.T) {
	f := newRosterFixture(t)
	file := filepath.Join(t.TempDir(), "danh-sach.csv")
	if err := os.WriteFile(file, []byte(goodRoster), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.login("ward", staffPassword, "/stats", "#totals")
	want := func(where, sel, value string) {
		t.Helper()
		if got := b.text(sel); got != value {
			t.Errorf("%s: %s reads %q, want %q", where, sel, got, value)
		}
	}

	b.do("open the coverage", chromedp.Click(chromedp.ID("coverage-link")), chromedp.WaitVisible(chromedp.ID("empty")))
	want("empty coverage", "#unit-name", "Phường Quang Trung")
	b.do("upload the roster", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Click(chromedp.ID("upload-submit")), chromedp.WaitVisible(chromedp.ID("done")))
	want("after the upload", "#c-required", "3")
	want("after the upload", "#c-covered", "1")
	want("after the upload", "#c-proposed", "1")
	want("after the upload", "#c-percent", "33")

	b.do("open the missing list", chromedp.Click(chromedp.ID("missing-link")), chromedp.WaitVisible(chromedp.ID("missing")))
	want("missing list", "#missing a.proposed", "Chợ Bầu")
	b.do("confirm the market", chromedp.Click(chromedp.CSS("#missing button.confirm")), chromedp.WaitVisible(chromedp.ID("done")))
	want("after confirming", "#missing tbody .entry-name", "Cửa hàng Minh Phát")
	b.do("back to the coverage", chromedp.Click(chromedp.ID("coverage-link")), chromedp.WaitVisible(chromedp.ID("totals")))
	want("coverage again", "#c-covered", "2")
	want("coverage again", "#c-percent", "66")
}
