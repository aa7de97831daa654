package server

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/tracing"
)

// axePages are the visitor pages checked with axe-core, each in the state
// a visitor meets it in. A row names whose device the browser is (see
// newAxeVisitors), the path with {code}, {open-pass}, {closed-pass} and
// {red-pass} filled in, what the visitor does there first, and a selector
// that only the state under test shows. Add a page by adding a row.
var axePages = []axePage{
	{name: "landing, new device", path: "/q/{code}", ready: "#start"},
	{name: "landing, known device", device: "adult", path: "/q/{code}", ready: `input[name="dependant"]`},
	{name: "consent", path: "/q/{code}/consent", ready: "#f-consent"},
	{name: "declaration", path: "/q/{code}/declare?consent=yes", ready: "#f-full-name"},
	{name: "declaration with errors", path: "/q/{code}/declare?consent=yes", ready: ".field-error",
		act: []chromedp.Action[chromedp.Void]{ // the browser's own checks would stop an empty form
			chromedp.Evaluate[chromedp.Void](`document.getElementById('declare-form').noValidate = true`),
			chromedp.Click(chromedp.ID("declare-submit")),
		}},
	{name: "green pass", device: "adult", path: "{open-pass}", ready: ".pass-green ~ section #checkout"},
	{name: "red pass", device: "red", path: "{red-pass}", ready: ".pass-red #health-desk"},
	{name: "checked-out pass", device: "adult", path: "{closed-pass}", ready: "#checked-out"},
	{name: "my page, unknown device", path: "/me", ready: "#me-unknown"},
	{name: "my page, visits and a dependant", device: "adult", path: "/me", ready: "ul.dependants"},
	{name: "personal QR", device: "adult", path: "/me/qr", ready: "#qr-expires"},
	{name: "my data", device: "adult", path: "/me/data", ready: "#erase-form"},
	{name: "my data, erase unconfirmed", device: "adult", path: "/me/data", ready: "#e-confirm",
		act: []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.ID("erase-submit"))}},
	{name: "printed cards", device: "adult", path: "/me/cards", ready: "#print-cards"},
	{name: "stale declaration", device: "stale", path: "/q/{code}", ready: `input[name="answering"]`,
		act: []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.ID("checkin"))}},
}

// axePage is a visitor page in one state.
type axePage struct {
	name   string
	device string // "" for a browser that has never declared
	path   string
	act    []chromedp.Action[chromedp.Void] // after loading path
	ready  string                           // CSS selector, waited for in the DOM
}

// axeRun runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page and
// returns the violations in the shape of axeViolation.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		targets: v.nodes.map(n => n.target.join(' '))})))`

// axeViolation is a rule a page breaks, with the elements that break it.
type axeViolation struct {
	ID, Impact, Help string
	Targets          []string
}

// TestAxeVisitorPages runs axe-core's WCAG 2.1 AA rules on every visitor
// page, on a phone, in Vietnamese and in English, and fails on each
// serious or critical violation.
func TestAxeVisitorPages(t *testing.T) {
	script := axeScript(t)
	f := newVPFixture(t)
	v := newAxeVisitors(f)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))

	for _, lang := range []string{"vi", "en"} {
		if lang == "en" {
			b.do("switch to English", chromedp.Navigate(ts.URL+"/lang/en?next=/me"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
		}
		for _, p := range axePages {
			what := lang + ", " + p.name
			token, ok := v.devices[p.device]
			if !ok {
				t.Fatalf("%s: no device %q", what, p.device)
			}
			b.setDevice(token)
			steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(ts.URL + v.paths.Replace(p.path))}, p.act...)
			b.do(what, append(steps, chromedp.WaitReady(chromedp.CSS(`html[lang="`+lang+`"] `+p.ready)))...)
			for _, x := range b.axe(script) {
				if x.Impact == "serious" || x.Impact == "critical" {
					t.Errorf("%s (%s): %s %s: %s; at %s", what, b.location(), x.Impact, x.ID, x.Help, strings.Join(x.Targets, ", "))
				} else {
					t.Logf("%s: %s %s: %s; at %s", what, x.Impact, x.ID, x.Help, strings.Join(x.Targets, ", "))
				}
			}
		}
	}
}

// axeCasePages are the health officials' tracing pages checked with
// axe-core, each in the state the official meets it in: the path with
// {case}, {contact} and {export} filled in, what the official does there
// first, and a selector that only that state shows. Add a page by adding a
// row.
var axeCasePages = []axePage{
	{name: "cases", path: "/cases", ready: "table.cases"},
	{name: "open a case, with errors", path: "/cases", ready: "#e-person",
		act: []chromedp.Action[chromedp.Void]{ // the browser's own checks would stop an empty form
			chromedp.Evaluate[chromedp.Void](`document.getElementById('open-form').noValidate = true`),
			chromedp.Click(chromedp.ID("open-submit")),
		}},
	{name: "a case", path: "/cases/{case}", ready: "table.contacts"},
	{name: "a case, settings with errors", path: "/cases/{case}", ready: "#e-buffer",
		act: []chromedp.Action[chromedp.Void]{
			chromedp.Evaluate[chromedp.Void](`document.getElementById('settings-form').noValidate = true`),
			chromedp.SetValue(chromedp.ID("f-buffer"), "-5"),
			chromedp.Click(chromedp.ID("settings-submit")),
		}},
	{name: "a contact", path: "/contacts/{contact}", ready: "table.history"},
	{name: "an export", path: "/exports/{export}", ready: "#download"},
}

// TestAxeCasePages runs axe-core's WCAG 2.1 AA rules on every tracing
// page, signed in as a health official on a phone, in Vietnamese and in
// English, and fails on each serious or critical violation.
func TestAxeCasePages(t *testing.T) {
	script := axeScript(t)
	f := newCaseFixture(t)
	ctx, health := context.Background(), f.principalOf("health")
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	binh := f.contactsOf(c.ID)["Bình"].Contact.ID
	status := ravao.ContactCalled
	if _, err := f.tracing.UpdateContact(ctx, health, binh, tracing.ContactUpdate{Status: &status, Note: "Đã gọi"}); err != nil {
		t.Fatal(err)
	}
	x, err := f.tracing.RequestExport(ctx, health, c.ID, "csv", "Gửi trạm y tế")
	if err != nil {
		t.Fatal(err)
	}
	paths := strings.NewReplacer("{case}", strconv.FormatInt(c.ID, 10), "{contact}", strconv.FormatInt(binh, 10), "{export}", strconv.FormatInt(x.ID, 10))
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.login("health", staffPassword, "/cases", "table.cases")
	for _, lang := range []string{"vi", "en"} {
		if lang == "en" {
			b.do("switch to English", chromedp.Navigate(ts.URL+"/lang/en?next=/cases"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
		}
		for _, p := range axeCasePages {
			what := lang + ", " + p.name
			steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(ts.URL + paths.Replace(p.path))}, p.act...)
			b.do(what, append(steps, chromedp.WaitReady(chromedp.CSS(`html[lang="`+lang+`"] `+p.ready)))...)
			b.checkAxe(script, what+" ("+b.location()+")")
		}
	}
}

// axeScript is the text of axe-core, installed by npm in testtools/.
func axeScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../testtools/node_modules/axe-core/axe.min.js")
	if err != nil {
		testenv.Missing(t, "axe-core", "npm ci --prefix testtools")
	}
	return string(b)
}

// axe injects axe-core into the page and returns its violations. Scripts
// evaluated through the DevTools protocol are not subject to the page's
// Content-Security-Policy.
func (b *browserSession) axe(script string) []axeViolation {
	b.t.Helper()
	if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](script+"\n;typeof axe.run === 'function'")); err != nil || !ok {
		b.t.Fatalf("inject axe-core: %v, %v", ok, err)
	}
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe-core at %s: %v", b.location(), err)
	}
	return out
}

// axeVisitors are the devices and visits behind the pages: "adult" has a
// dependant, a closed visit and an open one with the dependant; "red"
// declared a fever; "stale" declared two days ago and left.
type axeVisitors struct {
	devices map[string]string // "" maps to "", no device
	paths   *strings.Replacer
}

// newAxeVisitors declares and checks in the visitors through the server.
func newAxeVisitors(f *vpFixture) axeVisitors {
	f.t.Helper()
	stale, first := f.declareForm(vpDeclaration(url.Values{"phone": {"0977000222"}, "full_name": {"Lê Văn Cũ"}}))
	wantRedirect(f.t, "check-out", f.visit("POST", first+"/checkout", stale, url.Values{}), first)
	// Only this visitor has declared yet: age every declaration.
	if _, err := f.visitorSQL().Exec(`UPDATE declarations SET created_at = created_at - ?`, (48 * time.Hour).Milliseconds()); err != nil {
		f.t.Fatal(err)
	}

	adult, closed := f.declareForm(vpDeclaration(nil))
	wantRedirect(f.t, "check-out", f.visit("POST", closed+"/checkout", adult, url.Values{}), closed)
	child := url.Values{"full_name": {"Trần Văn Bé"}, "birth_year": {"2018"}, "sex": {"m"}, "province": {"35"}, "unit": {"13321"}}
	wantRedirect(f.t, "add a dependant", f.visit("POST", "/me/dependants", adult, child), "/me?added=1")
	deps, err := f.srv.visits.Dependants(context.Background(), adult)
	if err != nil || len(deps) != 1 {
		f.t.Fatalf("dependants: %v, %v", deps, err)
	}
	open := wantRedirect(f.t, "check in with the child",
		f.visit("POST", "/q/"+f.code+"/checkin", adult, url.Values{"dependant": {strconv.FormatInt(deps[0].ID, 10)}}), "/pass/")

	red, redPass := f.declareForm(vpDeclaration(url.Values{"q.symptoms": {"fever"}, "phone": {"0977000111"}, "full_name": {"Phạm Thị Đào"}}))
	return axeVisitors{
		devices: map[string]string{"": "", "adult": adult, "red": red, "stale": stale},
		paths:   strings.NewReplacer("{code}", f.code, "{open-pass}", open, "{closed-pass}", closed, "{red-pass}", redPass),
	}
}

// axeStatsPages are the progress pages checked with axe-core, the path
// with {market} filled in. Add a page by adding a row.
var axeStatsPages = []axePage{
	{name: "province", path: "/stats/units/35", ready: "#children"},
	{name: "commune", path: "/stats/units/13321", ready: "#silent-places"},
	{name: "province, bad dates", path: "/stats/units/35?from=x&sector=space", ready: "#e-from"},
	{name: "a place", path: "/stats/venues/{market}", ready: "#days"},
}

// TestAxeStatsPages runs axe-core's WCAG 2.1 AA rules on the progress
// pages, signed in as a province's health official on a phone, in
// Vietnamese and in English, and fails on each serious or critical
// violation.
func TestAxeStatsPages(t *testing.T) {
	script := axeScript(t)
	f := newStatsFixture(t)
	paths := strings.NewReplacer("{market}", strconv.FormatInt(f.silent, 10))
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.login("health", staffPassword, "/stats", "#totals")
	for _, lang := range []string{"vi", "en"} {
		if lang == "en" {
			b.do("switch to English", chromedp.Navigate(ts.URL+"/lang/en?next=/stats"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`)))
		}
		for _, p := range axeStatsPages {
			what := lang + ", " + p.name
			b.do(what, chromedp.Navigate(ts.URL+paths.Replace(p.path)), chromedp.WaitReady(chromedp.CSS(`html[lang="`+lang+`"] `+p.ready)))
			b.checkAxe(script, what+" ("+b.location()+")")
		}
	}
}
