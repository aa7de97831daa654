package server

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowserDeviceKeptInLocalStorage: the pass puts the device token and
// the visit in local storage; when the browser loses its cookie, /me gets
// it back from local storage and shows the visitor their visits, the
// on-device list included; erasing clears local storage too.
func TestBrowserDeviceKeptInLocalStorage(t *testing.T) {
	f := newVPFixture(t)
	device, pass := f.declareForm(vpDeclaration(nil))
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.setDevice(device)
	b.do("open the pass", chromedp.Navigate(ts.URL+pass), chromedp.WaitVisible(chromedp.ID("checkout")))
	stored, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`localStorage.getItem('ravao_device') + ' ' + JSON.parse(localStorage.getItem('ravao_visits'))[0].venue`))
	if err != nil || stored != device+" Xưởng may số 1" {
		t.Fatalf("local storage after the pass: %q (%v)", stored, err)
	}

	if _, err := chromedp.Call(b.ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: deviceCookie, URL: b.base}); err != nil {
		t.Fatal(err)
	}
	b.do("my page without the cookie", chromedp.Navigate(ts.URL+"/me"), chromedp.WaitVisible(chromedp.ID("my-data")))
	if got := b.text("#device-visits li"); got == "" {
		t.Error("the visits kept on the device are not listed")
	}
	cookies, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	if err != nil || len(cookies.Cookies) != 1 || cookies.Cookies[0].Value != device || !cookies.Cookies[0].HTTPOnly {
		t.Errorf("the device cookie was not set again from local storage: %+v (%v)", cookies, err)
	}

	b.do("my data", chromedp.Navigate(ts.URL+"/me/data"), chromedp.WaitVisible(chromedp.ID("erase-form")))
	b.do("erase", chromedp.Click(chromedp.ID("f-confirm")), chromedp.Click(chromedp.ID("erase-submit")), chromedp.WaitVisible(chromedp.ID("erased")))
	left, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`localStorage.length`))
	if err != nil || left != 0 {
		t.Errorf("local storage after erasure: %d items (%v)", left, err)
	}
}
