package server

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
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

// setDevice makes the browser a visitor's device, sending token in the
// device cookie as after a declaration; "" makes it a device never seen.
// The page script's copy of a token in local storage goes either way.
func (b *browserSession) setDevice(token string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: b.base, StorageTypes: "local_storage"}); err != nil {
		b.t.Fatalf("clear local storage: %v", err)
	}
	var err error
	if token == "" {
		_, err = chromedp.Call(b.ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: deviceCookie, URL: b.base})
	} else {
		httpOnly := true
		_, err = chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{
			Name: deviceCookie, Value: token, URL: b.base, Path: "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax,
		})
	}
	if err != nil {
		b.t.Fatalf("device cookie: %v", err)
	}
}

// TestBrowserDependantFlow is a parent who has declared adding a child on
// their own page, then scanning the poster again and checking in with the
// child ticked, in one tap.
func TestBrowserDependantFlow(t *testing.T) {
	f := newVPFixture(t)
	device, first := f.declareForm(vpDeclaration(nil))
	wantRedirect(t, "check-out", f.visit("POST", first+"/checkout", device, url.Values{}), first)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.setDevice(device)

	b.do("open my page", chromedp.Navigate(ts.URL+"/me"), chromedp.WaitVisible(chromedp.ID("dependant-form")))
	b.fill("the child", [][2]string{{"f-full-name", "Trần Văn Bé"}, {"f-birth-year", "2018"}, {"f-sex", "m"}, {"f-unit", "13321"}})
	b.do("add the child", chromedp.Click(chromedp.ID("dependant-submit")), chromedp.WaitVisible(chromedp.CSS("ul.dependants")))
	if got := b.text("ul.dependants"); got != "Trần V*** B" {
		t.Errorf("dependants: got %q, want the masked name Trần V*** B", got)
	}
	if got := b.text(`main p[role="status"]`); got != "Đã thêm người đi cùng." {
		t.Errorf("after adding: got %q, want the confirmation", got)
	}

	b.do("scan again", chromedp.Navigate(ts.URL+"/q/"+f.code), chromedp.WaitVisible(chromedp.CSS(`input[name="dependant"]`)))
	if got := b.text("label.check"); got != "Trần V*** B" {
		t.Errorf("landing: got checkbox %q, want the child's masked name", got)
	}
	b.do("tick the child and check in", chromedp.Click(chromedp.CSS(`input[name="dependant"]`)),
		chromedp.Click(chromedp.ID("checkin")), chromedp.WaitVisible(chromedp.ID("checkout")))
	if got, want := b.facts(), "Người đi cùng=1"; !strings.Contains(got, want) || b.text("#decision") != "Được vào" {
		t.Errorf("pass: got %q, decision %q, want a green pass with %s", got, b.text("#decision"), want)
	}
	wantOpenVisits(t, f, device, b.location())
}

// facts is the pass's (or a page's) list of facts as "term=value" lines.
func (b *browserSession) facts() string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('dl.facts dt')]
		.map(dt => dt.textContent.trim() + '=' + dt.nextElementSibling.textContent.trim()).join('\n')`))
	if err != nil {
		b.t.Fatalf("facts: %v", err)
	}
	return v
}

// wantOpenVisits checks that the visitor behind device and their only
// dependant are both inside the fixture's place, the visitor's visit
// being the pass at pass.
func wantOpenVisits(t *testing.T, f *vpFixture, device, pass string) {
	t.Helper()
	ctx := context.Background()
	deps, err := f.srv.visits.Dependants(ctx, device)
	if err != nil || len(deps) != 1 {
		t.Fatalf("dependants: got %v, %v, want the child", deps, err)
	}
	visits, err := f.srv.visits.Visits(ctx, device, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var adult, child bool
	for _, v := range visits {
		if v.OutAt.IsZero() && v.VenueID == f.venue {
			adult = adult || passPath(v.ID) == pass
			child = child || v.PersonID == deps[0].ID
		}
	}
	if !adult || !child {
		t.Errorf("open visits at the place: visitor's (%s) %v, child's %v; want both", pass, adult, child)
	}
}
