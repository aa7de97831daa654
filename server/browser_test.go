package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLogin drives a real Chromium through the login page in both
// languages, signs in as the seeded administrator and out again.
func TestBrowserLogin(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()
	ctx := newBrowser(t, ts.URL).ctx // a Vietnamese phone: the page must come up in Vietnamese

	text := func(sel chromedp.CSS) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	do("open /login", chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.ID("login")))
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if label := text(`label[for="password"]`); !strings.HasPrefix(title, "Đăng nhập") || label != "Mật khẩu" {
		t.Errorf("Vietnamese login page: got title %q, label %q", title, label)
	}

	do("switch to English", chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #login`)))
	if label := text(`label[for="password"]`); label != "Password" {
		t.Errorf("after switching to English: got label %q, want Password", label)
	}

	do("log in",
		chromedp.SendKeys(chromedp.ID("login"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(`ul.roles`)),
	)
	if home := text("main"); !strings.Contains(home, "Hello, Trần Thị Quản Trị!") || !strings.Contains(home, "Administrator") {
		t.Errorf("home: got %q, want the English greeting and the admin role", home)
	}

	do("log out", chromedp.Click(chromedp.CSS(`form.logout button`)), chromedp.WaitVisible(chromedp.ID("login")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/login") {
		t.Errorf("after logout: at %q (%v), want /login", loc, err)
	}
}
