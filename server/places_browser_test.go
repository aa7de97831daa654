package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
)

// browserSession drives one Chromium tab against a test server, failing
// the test on the first step that does not work.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newBrowser starts Chromium (or skips) on a Vietnamese phone's language.
func newBrowser(t *testing.T, base string) *browserSession {
	chromium := testenv.Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("accept-lang", "vi-VN,vi"), chromedp.Flag("lang", "vi-VN"),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	return &browserSession{t: t, ctx: ctx, base: base}
}

func (b *browserSession) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browserSession) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

func (b *browserSession) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, b.base)
}

// fill sets the values of inputs and selects by id.
func (b *browserSession) fill(what string, values [][2]string) {
	b.t.Helper()
	steps := make([]chromedp.Action[chromedp.Void], 0, len(values))
	for _, kv := range values {
		steps = append(steps, chromedp.SetValue(chromedp.ID(kv[0]), kv[1]))
	}
	b.do(what, steps...)
}

// login signs in through the login page and waits for next.
func (b *browserSession) login(login, password, next, waitFor string) {
	b.t.Helper()
	b.do("sign in as "+login,
		chromedp.Navigate(b.base+"/login?next="+next), chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SetValue(chromedp.ID("login"), login), chromedp.SetValue(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(chromedp.CSS(waitFor)),
	)
}

func (b *browserSession) logout() {
	b.t.Helper()
	b.do("sign out", chromedp.Click(chromedp.CSS(`form.logout button`)), chromedp.WaitVisible(chromedp.ID("login")))
}

// smsCodeFromOutbox reads the newest code of /dev/outbox in a second tab,
// as a developer trying Ravao out would.
func (b *browserSession) smsCodeFromOutbox() string {
	b.t.Helper()
	tab, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	err := chromedp.Do(tab, chromedp.Navigate(b.base+"/dev/outbox"), chromedp.WaitVisible(chromedp.CSS(`td.sms-text`)))
	text := ""
	if err == nil {
		text, err = chromedp.Run(tab, chromedp.Text(chromedp.CSS(`td.sms-text`)))
	}
	if err != nil {
		b.t.Fatalf("read the outbox: %v", err)
	}
	code := smsCode.FindString(text)
	if code == "" {
		b.t.Fatalf("no code in the SMS %q", text)
	}
	return code
}

// TestBrowserRegisterApprovePrint is the life of a place in a real
// Chromium: a new manager registers it (the SMS code read from the
// development outbox), the ward's official approves it, the manager
// prints its A4 poster, and its code opens the landing page.
func TestBrowserRegisterApprovePrint(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	e.addUser(context.Background(), "phuong.qt", "Vũ Văn Phường", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})

	b.do("step 1", chromedp.Navigate(ts.URL+"/register"), chromedp.WaitVisible(chromedp.ID("f-phone")))
	b.fill("phone and province", [][2]string{{"f-province", "35"}, {"f-phone", "0912 345 000"}})
	b.do("send the code", chromedp.Click(chromedp.CSS(`button.primary`)), chromedp.WaitVisible(chromedp.ID("f-code")))
	if got := b.text(`p.notice`); !strings.Contains(got, "0912345000") {
		t.Errorf("step 2 notice: got %q, want the phone the code went to", got)
	}
	code := b.smsCodeFromOutbox()
	b.fill("the registration form", [][2]string{
		{"f-organisation", "Hộ kinh doanh Phở Hà Nam"}, {"f-name", "Quán phở Hà Nam"}, {"f-type", "restaurant"},
		{"f-unit", "13321"}, {"f-address", "8 Biên Hòa"}, {"f-checkpoints", "Cửa chính\nCửa bếp"},
		{"f-contact-name", "Nguyễn Thị Phở"}, {"f-login", "pho.hanam"}, {"f-display-name", "Nguyễn Thị Phở"},
		{"f-password", "phở-bò-tái-chín-1"}, {"f-code", code},
	})
	b.do("register", chromedp.Click(chromedp.CSS(`#register-form button.primary`)), chromedp.WaitVisible(chromedp.ID("status")))
	place := b.location()
	if !strings.HasPrefix(place, "/places/") || !strings.Contains(b.text("#status"), "Chờ duyệt") {
		t.Fatalf("after registering: at %q with status %q, want the pending place", place, b.text("#status"))
	}
	b.logout()

	b.login("phuong.qt", staffPassword, place, "#approve")
	b.do("approve", chromedp.Click(chromedp.ID("approve")), chromedp.WaitVisible(chromedp.CSS(`p.ok`)))
	if got := b.text("#status"); !strings.Contains(got, "Đã duyệt địa điểm.") {
		t.Errorf("after approving: got %q", got)
	}
	b.logout()

	b.login("pho.hanam", "phở-bò-tái-chín-1", "/home", "ul.roles")
	if got := b.text("main"); !strings.Contains(got, "Quán phở Hà Nam") || !strings.Contains(got, "Đã duyệt") {
		t.Errorf("manager's home: got %q, want the approved place", got)
	}
	b.do("open the place", chromedp.Navigate(ts.URL+place), chromedp.WaitVisible(chromedp.ID("posters-a4")))
	checkPosterDownload(t, b)
	checkLanding(t, b, b.text(`code.code`))
}

// checkPosterDownload fetches the A4 posters with the browser's session
// and checks that a PDF comes back, and that the QR preview loaded.
func checkPosterDownload(t *testing.T, b *browserSession) {
	t.Helper()
	js := `fetch(document.getElementById('posters-a4').href).then(async r => r.status + ' ' +
		r.headers.get('Content-Type') + ' ' + String.fromCharCode(...new Uint8Array(await r.arrayBuffer()).slice(0, 5)))`
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 application/pdf %PDF-" {
		t.Errorf("A4 posters: got %q (%v), want 200 application/pdf %%PDF-", got, err)
	}
	width, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector('img.qr').naturalWidth`))
	if err != nil || width != 256 {
		t.Errorf("QR preview: natural width %d (%v), want 256", width, err)
	}
}

// checkLanding opens a checkpoint's code, then a tampered one.
func checkLanding(t *testing.T, b *browserSession, code string) {
	t.Helper()
	b.do("open the code", chromedp.Navigate(b.base+"/q/"+code), chromedp.WaitVisible(chromedp.CSS(`section.landing`)))
	if got := b.text("h1"); got != "Quán phở Hà Nam" {
		t.Errorf("landing page: got %q, want the venue's name", got)
	}
	tampered := code[:len(code)-2] + string(code[len(code)-1]) + string(code[len(code)-2])
	if tampered == code {
		tampered = code + "0"
	}
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+"/q/"+tampered))
	if err != nil || resp.Status != http.StatusNotFound {
		t.Errorf("tampered code: got %v (%v), want 404", resp, err)
	}
	if got := b.text("main"); strings.Contains(got, "Quán phở") {
		t.Errorf("the 404 page names the place: %q", got)
	}
}
