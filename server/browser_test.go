package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao/internal/testenv"
)

// TestBrowserLogin drives a real Chromium through the login page in both
// languages, signs in as the seeded administrator and out again.
func TestBrowserLogin(t *testing.T) {
	chromium := testenv.Chromium(t)
	e := newEnv(t)
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		// A Vietnamese phone: the page must come up in Vietnamese.
		chromedp.Flag("accept-lang", "vi-VN,vi"), chromedp.Flag("lang", "vi-VN"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

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
