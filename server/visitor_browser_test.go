package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// midRangePhone is a common Android phone of the kind most visitors carry.
var midRangePhone = device.Info{
	Name:      "Mid-range Android",
	UserAgent: "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
	Width:     412, Height: 915, Scale: 2.625, Mobile: true, Touch: true,
}

// TestBrowserVisitorFlow is a visitor's first and second time at a place
// on a phone: the poster's URL, consent, the declaration, the pass,
// check-out, then one tap to check in again.
func TestBrowserVisitorFlow(t *testing.T) {
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
	b.do("answer the questions", chromedp.Click(chromedp.ID("f-symptoms-none")), chromedp.Click(chromedp.ID("f-contact-no")),
		chromedp.Click(chromedp.ID("f-travel-no")), chromedp.Click(chromedp.ID("declare-submit")), chromedp.WaitVisible(chromedp.ID("checkout")))
	first := b.location()
	if got := b.text("#decision"); got != "Được vào" {
		t.Errorf("decision: got %q, want green", got)
	}
	if got := b.text("#venue"); got != "Xưởng may số 1" {
		t.Errorf("pass: got venue %q", got)
	}
	checkPassOnPhone(t, b)

	b.do("check out", chromedp.Click(chromedp.ID("checkout")), chromedp.WaitVisible(chromedp.ID("checked-out")))
	b.do("scan again", chromedp.Navigate(ts.URL+"/q/"+f.code), chromedp.WaitVisible(chromedp.ID("checkin")))
	b.do("one tap", chromedp.Click(chromedp.ID("checkin")), chromedp.WaitVisible(chromedp.ID("checkout")))
	if again := b.location(); !strings.HasPrefix(again, "/pass/") || again == first {
		t.Errorf("one-tap check-in: at %q, want a new pass (first was %q)", again, first)
	}
}

// checkPassOnPhone checks that the pass moves and fits the phone's width.
func checkPassOnPhone(t *testing.T, b *browserSession) {
	t.Helper()
	anim, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.ss i')).animationName + ' ' +
		getComputedStyle(document.querySelector('.pass-stripe span')).animationName`))
	if err != nil || anim != "spin slide" {
		t.Errorf("pass animations: got %q (%v), want spin slide", anim, err)
	}
	width, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 412 {
		t.Errorf("pass width: %d (%v), want at most the phone's 412", width, err)
	}
	height, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.getElementById('checkout').getBoundingClientRect().height`))
	if err != nil || height < 44 {
		t.Errorf("check-out button: %d px high (%v), want at least 44", height, err)
	}
}
