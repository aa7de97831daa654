package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The two visitors of the health official's flow: the case-to-be and the
// person who stood beside them.
const (
	caseName, casePhone       = "Lê Thị Hoa", "0971 222 333"
	exposedName, exposedPhone = "Đặng Văn Minh", "0983 444 555"
)

// TestBrowserHealthOfficialWorksACase is issue 6's whole flow in one
// Chromium, with three people on three profiles of their own (cookies and
// storage apart): two visitors check in at the workshop on their phones a
// moment apart; the health official opens a case for the first one by
// phone, sees the second on the worked list, marks them called, downloads
// a CSV export and publishes the case's exposure windows; the second
// visitor's phone then shows the alert on their own page and on the
// poster's landing page.
func TestBrowserHealthOfficialWorksACase(t *testing.T) {
	f := newVPFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.do("start Chromium")

	checkInOnPhone(b.profile(), f.code, caseName, casePhone)
	exposed := b.profile()
	checkInOnPhone(exposed, f.code, exposedName, exposedPhone)
	exposed.alertChecked("the exposed visitor's pass")
	if got := exposed.alertShown(); got != "" {
		t.Fatalf("pass before any window: got the alert %q", got)
	}

	official := b.profile()
	official.login("health", staffPassword, "/cases", "#open-form")
	official.fill("the case form", [][2]string{{"f-phone", casePhone}, {"f-reason", "F0: RT-PCR dương tính ngày hôm nay"}})
	official.do("open the case", chromedp.Click(chromedp.ID("open-submit")), chromedp.WaitVisible(chromedp.ID("person-name")))
	casePage, _, _ := strings.Cut(official.location(), "?")
	if !strings.HasPrefix(casePage, "/cases/") {
		t.Fatalf("after opening: at %q, want the case's page", casePage)
	}
	if got := official.text("#person-name"); got != caseName {
		t.Errorf("case header: got %q, want %q", got, caseName)
	}
	if got := official.text("#done"); !strings.Contains(got, "tìm thấy 1 người tiếp xúc") {
		t.Errorf("case opened: got %q, want one contact found", got)
	}
	row := official.contactRow(exposedName)

	official.markCalled(casePage, row)
	official.downloadCSV(exposedName)

	message := "Bạn đã ở Xưởng may số 1 cùng lúc với một ca bệnh. Hãy tự cách ly và gọi trạm y tế phường Quang Trung."
	official.do("back to the case", chromedp.Navigate(ts.URL+casePage), chromedp.WaitVisible(chromedp.ID("publish-form")))
	official.fill("the publish form", [][2]string{{"f-severity", "high"}, {"f-message-vi", message}})
	official.do("publish", chromedp.Click(chromedp.ID("publish-submit")), chromedp.WaitVisible(chromedp.ID("done")))
	if got := official.text("#done"); !strings.Contains(got, "Đã công bố 1 khoảng thời gian") {
		t.Errorf("after publishing: got %q, want one window published", got)
	}

	// The phone is in Vietnam: its script shows the window's times as the
	// server does on /me.
	var shown []string
	for _, page := range []string{"/me", "/q/" + f.code} {
		exposed.do("open "+page, chromedp.Navigate(ts.URL+page), chromedp.WaitReady(chromedp.ID("exposure-alert")))
		exposed.alertChecked(page)
		got := exposed.alertShown()
		if !strings.Contains(got, message) || !strings.Contains(got, "Xưởng may số 1") {
			t.Errorf("%s on the exposed phone: got the alert %q, want the message and the place", page, got)
		}
		shown = append(shown, exposed.text("#exposure-alert li strong"))
	}
	if shown[0] != shown[1] {
		t.Errorf("the window on /me is %q, on the landing page %q", shown[0], shown[1])
	}
}

// profile is another person on the same Chromium: a tab in a browser
// context of its own, which shares no cookies or storage with the others.
func (b *browserSession) profile() *browserSession {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	return &browserSession{t: b.t, ctx: ctx, base: b.base}
}

// checkInOnPhone declares on a phone through the poster's URL, which
// checks the visitor in; the phone keeps the visit.
func checkInOnPhone(b *browserSession, code, name, phone string) {
	b.t.Helper()
	b.do(name+": emulate a phone", chromedp.Emulate(midRangePhone))
	// A phone set to another time zone (a traveller's) still shows the
	// alert's times in the deployment's, as /me does.
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Berlin"}); err != nil {
		b.t.Fatalf("%s: the phone's time zone: %v", name, err)
	}
	b.do(name+": open the poster's URL", chromedp.Navigate(b.base+"/q/"+code), chromedp.WaitVisible(chromedp.ID("start")))
	b.do(name+": start", chromedp.Click(chromedp.ID("start")), chromedp.WaitVisible(chromedp.ID("f-consent")))
	b.do(name+": consent", chromedp.Click(chromedp.ID("f-consent")), chromedp.Click(chromedp.ID("consent-submit")),
		chromedp.WaitVisible(chromedp.ID("f-full-name")))
	b.fill(name+": the declaration", [][2]string{
		{"f-full-name", name}, {"f-phone", phone}, {"f-birth-year", "1988"}, {"f-sex", "f"}, {"f-unit", "13321"},
	})
	b.do(name+": answer and check in", chromedp.Click(chromedp.ID("f-symptoms-none")), chromedp.Click(chromedp.ID("f-contact-no")),
		chromedp.Click(chromedp.ID("f-travel-no")), chromedp.Click(chromedp.ID("declare-submit")), chromedp.WaitVisible(chromedp.ID("checkout")))
}

// contactRow is the id of the worked list's row naming someone, e.g.
// "contact-7"; the test fails when nobody by that name is listed.
func (b *browserSession) contactRow(name string) string {
	b.t.Helper()
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(function (name) {
		for (const a of document.querySelectorAll('table.contacts tbody a[id^="cn-"]')) {
			if (a.textContent.trim() === name) return a.closest('tr').id;
		}
		return '';
	})(`+jsString(name)+`)`))
	if err != nil || id == "" {
		list, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector('#contacts') || document.body).innerText`))
		b.t.Fatalf("%s is not on the worked list (%v): %q", name, err, list)
	}
	return id
}

// markCalled sets a contact's status to "called" with the quick form in
// their row, then reads it back on the case's page and the contact's.
func (b *browserSession) markCalled(casePage, row string) {
	b.t.Helper()
	sel := "#" + row + " select[name=status]"
	// The form comes back to the same page: the mark on the old document
	// tells the new one apart.
	b.do("mark called", chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = '1'`),
		chromedp.SetValue(chromedp.CSS(sel), "called"), chromedp.Click(chromedp.CSS("#"+row+" button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) #"+row)))
	if got := b.location(); !strings.HasPrefix(got, casePage+"#") {
		b.t.Errorf("mark called: at %q, want the case's page", got)
	}
	shown, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(function () {
		const s = document.querySelector(`+jsString(sel)+`);
		return s.options[s.selectedIndex].text;
	})()`))
	if err != nil || shown != "Đã gọi" {
		b.t.Errorf("status on the case's page: got %q (%v), want Đã gọi", shown, err)
	}
	b.do("open the contact", chromedp.Click(chromedp.CSS("#"+row+` a[id^="cn-"]`)), chromedp.WaitVisible(chromedp.ID("contact-status")))
	if got := b.text("#contact-status"); got != "Đã gọi" {
		b.t.Errorf("status on the contact's page: got %q, want Đã gọi", got)
	}
	if got := b.text("table.history tbody"); !strings.Contains(got, "Đã gọi") || !strings.Contains(got, "Phạm Thị Y Tế") {
		b.t.Errorf("contact's history: got %q, want the call by the official", got)
	}
	b.do("back to the case", chromedp.Navigate(b.base+casePage), chromedp.WaitVisible(chromedp.ID("export-form")))
}

// csvDownload is what the browser's fetch of an export's file got.
type csvDownload struct {
	Status      int
	Type        string
	Disposition string
	Bytes       []int
}

// downloadCSV asks for a CSV export of the case whose page is open,
// which is ready at once (below the approval size), and fetches its file
// with the browser's session: UTF-8 with a byte order mark, for Excel,
// naming the contact.
func (b *browserSession) downloadCSV(contact string) {
	b.t.Helper()
	b.fill("the export form", [][2]string{{"f-format", "csv"}, {"f-export-reason", "Gửi danh sách F1 cho trạm y tế phường"}})
	b.do("request the export", chromedp.Click(chromedp.ID("export-submit")), chromedp.WaitVisible(chromedp.ID("export-status")))
	if got := b.text("#export-status"); got != "Sẵn sàng" {
		b.t.Fatalf("export: got the status %q, want Sẵn sàng", got)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[csvDownload](`fetch(document.getElementById('download').href).then(async r => ({
		status: r.status, type: r.headers.get('Content-Type') || '', disposition: r.headers.get('Content-Disposition') || '',
		bytes: Array.from(new Uint8Array(await r.arrayBuffer())),
	}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("download the export: %v", err)
	}
	body := make([]byte, len(got.Bytes))
	for i, c := range got.Bytes {
		body[i] = byte(c)
	}
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") || !strings.HasPrefix(got.Disposition, "attachment;") {
		b.t.Errorf("download: got %d %q %q, want 200, text/csv, an attachment", got.Status, got.Type, got.Disposition)
	}
	text, ok := strings.CutPrefix(string(body), "\uFEFF")
	if !ok || !strings.Contains(text, contact) {
		b.t.Errorf("the CSV: got %q, want a byte order mark and %s", body, contact)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
