package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// TestBrowserExposureAlert is a visitor who checked in at a place on
// their phone, then an exposure window published there: the landing page
// (matched by the phone's script alone) and their own page show the alert
// in Vietnamese; once the window is withdrawn, both pages are clear again.
func TestBrowserExposureAlert(t *testing.T) {
	script := axeScript(t)
	f := newVPFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))

	b.do("open the poster's URL", chromedp.Navigate(ts.URL+"/q/"+f.code), chromedp.WaitVisible(chromedp.ID("start")))
	b.do("start", chromedp.Click(chromedp.ID("start")), chromedp.WaitVisible(chromedp.ID("f-consent")))
	b.do("consent", chromedp.Click(chromedp.ID("f-consent")), chromedp.Click(chromedp.ID("consent-submit")),
		chromedp.WaitVisible(chromedp.ID("f-full-name")))
	b.fill("the declaration", [][2]string{
		{"f-full-name", "Trần Thị Bình"}, {"f-phone", "0987 654 321"}, {"f-birth-year", "1985"}, {"f-sex", "f"}, {"f-unit", "13321"},
	})
	b.do("answer and check in", chromedp.Click(chromedp.ID("f-symptoms-none")), chromedp.Click(chromedp.ID("f-contact-no")),
		chromedp.Click(chromedp.ID("f-travel-no")), chromedp.Click(chromedp.ID("declare-submit")), chromedp.WaitVisible(chromedp.ID("checkout")))
	b.alertChecked("the pass")
	if got := b.alertShown(); got != "" {
		t.Errorf("pass before any window: got the alert %q", got)
	}

	official := f.principalOf("health")
	message := "Hãy tự cách ly tại nhà và gọi trạm y tế phường Quang Trung."
	now := time.Now()
	w, err := f.tracing.PublishWindow(context.Background(), official, tracing.Publish{
		VenueID: f.venue, From: now.Add(-time.Hour), To: now.Add(time.Hour), Severity: ravao.SeverityHigh,
		MessageVI: message, MessageEN: "Isolate at home.", Reason: "Thông báo của Sở Y tế",
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, page := range []string{"/q/" + f.code, "/me"} {
		b.do("open "+page, chromedp.Navigate(ts.URL+page), chromedp.WaitReady(chromedp.ID("exposure-alert")))
		b.alertChecked(page)
		got := b.alertShown()
		if !strings.Contains(got, message) || !strings.Contains(got, "Xưởng may số 1") || !strings.Contains(got, "Bạn có thể đã tiếp xúc") {
			t.Errorf("%s: got the alert %q, want the message and the place", page, got)
		}
		if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#exposure-alert li').length`)); err != nil || n != 1 {
			t.Errorf("%s: %d alerts (%v), want 1", page, n, err)
		}
		b.checkAxe(script, page+" with the alert")
	}

	if err := f.tracing.Withdraw(context.Background(), official, w.ID); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/q/" + f.code, "/me"} {
		b.do("open "+page+" again", chromedp.Navigate(ts.URL+page), chromedp.WaitReady(chromedp.ID("exposure-alert")))
		b.alertChecked(page + " after the withdrawal")
		if got := b.alertShown(); got != "" {
			t.Errorf("%s after the withdrawal: got the alert %q", page, got)
		}
	}
}

// alertChecked waits until the page's script has matched the exposure
// windows against the visits the phone keeps.
func (b *browserSession) alertChecked(what string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.getElementById('exposure-alert').dataset.checked === '1'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("%s: the script did not check the exposure windows: %v", what, err)
	}
}

// alertShown is the text of the exposure alert; "" when it is hidden.
func (b *browserSession) alertShown() string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(function () {
		var box = document.getElementById('exposure-alert');
		return box.hidden ? '' : box.innerText;
	})()`))
	if err != nil {
		b.t.Fatalf("the exposure alert: %v", err)
	}
	return strings.TrimSpace(v)
}

// TestAxeExposurePages runs axe-core's WCAG 2.1 AA rules on the officials'
// page of exposure windows, on a phone, in Vietnamese and in English: with
// a current and a withdrawn window, and with the form's errors.
func TestAxeExposurePages(t *testing.T) {
	script := axeScript(t)
	f := newPagesFixture(t)
	ctx, health, now := context.Background(), f.principalOf("health"), time.Now()
	for _, from := range []time.Time{now.Add(-3 * time.Hour), now.Add(-2 * time.Hour)} {
		if _, err := f.tracing.PublishWindow(ctx, health, tracing.Publish{VenueID: f.venue, CheckpointID: f.cp, From: from, To: from.Add(time.Hour),
			Severity: ravao.SeverityHigh, Reason: "Thông báo của tỉnh bạn"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.tracing.Withdraw(ctx, health, f.windows()[0].ID); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.login("health", staffPassword, "/exposures", "table.windows")
	for _, lang := range []string{"vi", "en"} {
		if lang == "en" {
			b.do("switch to English", chromedp.Navigate(ts.URL+"/lang/en?next=/exposures"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] table.windows`)))
		}
		b.do(lang+", the list", chromedp.Navigate(ts.URL+"/exposures"), chromedp.WaitReady(chromedp.CSS(`html[lang="`+lang+`"] table.windows`)))
		b.checkAxe(script, lang+", the list")
		b.do(lang+", the form with errors",
			chromedp.Evaluate[chromedp.Void](`document.getElementById('publish-form').noValidate = true`),
			chromedp.Click(chromedp.ID("publish-submit")), chromedp.WaitReady(chromedp.CSS(`html[lang="`+lang+`"] #e-venue`)))
		b.checkAxe(script, lang+", the form with errors")
	}
}
