package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ravao/ravao"
)

// TestBrowserDataRequest walks a visitor's data request in a real
// Chromium: the data page asks for a code, read from the development SMS
// outbox; the data show and download as JSON with the visit; a deletion
// requested while the visitor is an open case goes to the queue, where
// the data-protection officer sees it with its due date. axe checks the
// code step and the opened data page.
func TestBrowserDataRequest(t *testing.T) {
	f := newVPFixture(t)
	device, _ := f.declareForm(vpDeclaration(nil))
	f.addUser(context.Background(), "dpo", "Đỗ Thị Bảo Vệ", staffPassword, ravao.RoleAssignment{Role: ravao.RoleDPO})
	f.openCaseFor("0987654321")
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	script := axeScript(t)
	b := newBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	b.setDevice(device)

	b.do("my data", chromedp.Navigate(ts.URL+"/me/data"), chromedp.WaitVisible(chromedp.ID("code-form")))
	if shown, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById('person') !== null`)); err != nil || shown {
		t.Errorf("the data show before the code (%v)", err)
	}
	b.checkAxe(script, "the code step")
	b.do("ask for the code", chromedp.Click(chromedp.ID("code-submit")), chromedp.WaitVisible(chromedp.ID("verify-form")))
	code := b.smsCodeFromOutbox()
	b.do("enter the code", chromedp.SetValue(chromedp.ID("f-code"), code), chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("person")))
	if got := b.text("#person"); !strings.Contains(got, "Trần Thị Bình") || !strings.Contains(got, "0987654321") {
		t.Errorf("my data: %q", got)
	}
	b.checkAxe(script, "the opened data page")

	body, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.getElementById('download').href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	var data struct {
		Person struct {
			FullName string `json:"full_name"`
		} `json:"person"`
		Visits []struct {
			Venue string `json:"venue"`
		} `json:"visits"`
	}
	if err := json.Unmarshal([]byte(body), &data); err != nil || data.Person.FullName != "Trần Thị Bình" ||
		len(data.Visits) != 1 || data.Visits[0].Venue != "Xưởng may số 1" {
		t.Errorf("downloaded data %q (%v), want the person and their visit", body, err)
	}

	b.do("request deletion", chromedp.Click(chromedp.ID("f-delete-confirm")), chromedp.Click(chromedp.ID("delete-submit")),
		chromedp.WaitVisible(chromedp.ID("queued")))
	if got := b.text("#my-requests"); !strings.Contains(got, "Đang chờ xử lý") {
		t.Errorf("my requests: %q", got)
	}

	b.setDevice("")
	b.login("dpo", staffPassword, "/dpo/requests", "#dsr-list")
	due := ravao.AddWorkingDays(time.Now(), 2, nil, f.srv.cfg.TZ).In(f.srv.cfg.TZ).Format("02/01/2006")
	if got := b.text("#dsr-list tbody tr"); !strings.Contains(got, "Xoá dữ liệu") || !strings.Contains(got, due) {
		t.Errorf("the queue shows %q, want the deletion due %s", got, due)
	}
	b.do("open the request", chromedp.Click(chromedp.CSS(`#dsr-list tbody a`)), chromedp.WaitVisible(chromedp.ID("dsr-history")))
	if got := b.text("#dsr-protected"); got == "" {
		t.Error("the request does not say the case still needs the data")
	}
}

// openCaseFor makes the person with phone an open case.
func (f *vpFixture) openCaseFor(phone string) {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		p, err := tx.PersonByPhoneKey(f.vault.Lookup("phone", phone))
		if err != nil {
			return err
		}
		c := ravao.Case{PersonID: p.ID, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "F0", WindowFrom: time.Now().Add(-48 * time.Hour),
			Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen}
		return tx.CreateCase(&c)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}
