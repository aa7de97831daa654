package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/questions"
)

// The sample data of the gate page, for the test that renders every
// template in both languages.
func init() {
	samples["gate.html"] = func() *pageData {
		fail := formFailure{Status: 400, Message: "Không phải mã được hỗ trợ.", Fields: map[string]string{
			"full_name": "Cần nhập.", "consent": "Cần đồng ý.", "q.symptoms": "Cần trả lời.",
		}}
		d := &gateData{
			Summary: gate.Summary{Checkpoint: ravao.Checkpoint{ID: 7, Name: "Cổng chính"}, Venue: ravao.Venue{Name: "Xưởng may số 1"},
				Counts: ravao.VenueCounts{In: 12, Out: 3, Inside: 9}},
			Recent: []gateRow{{Time: "08:12", Decision: ravao.Green, Name: "Nguyễn V*** A", BirthYear: 1990},
				{Time: "08:10", Decision: ravao.Red, Name: "Trần T*** B"}},
			Action: "/gate/7", Key: "k", TZ: "Asia/Ho_Chi_Minh", Direction: gate.Out,
			Result:    newGateResult(gate.Result{Decision: ravao.Yellow, Name: "Nguyễn V*** A", BirthYear: 1990, Direction: gate.In, Repeated: true}),
			AnswerFor: 5, ScanFailure: fail, PhoneFailure: fail, AnswerFailure: fail, Failure: fail,
			Challenge: "c", SealedPhone: "sealed", DeclareOpen: true, Consent: true,
			Form:   visitorForm{FullName: "Nguyễn Văn An", BirthYear: "1990", Sex: "m", Unit: "13321"},
			Picker: unitPicker{Province: "35", Provinces: []unitChoice{{"35", "Tỉnh Hà Nam"}}}, Sexes: sexChoices(),
		}
		qs := questions.Default().Localised("vi")
		d.Answers = questionBlock{Prefix: "a", Questions: qs, Answers: questions.Answers{"symptoms": {"cough"}}, Errors: fail.Fields}
		d.Declare = questionBlock{Prefix: "f", Questions: qs}
		return &pageData{Title: "gate.title", Path: "/gate/7", User: &ravao.Principal{}, Data: d}
	}
}

// gatePage posts a form of the gate page as login, or gets the page when
// form is nil.
func (f *visitorFixture) gatePage(login, path string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	if form == nil {
		return f.do(request{method: "GET", path: path, token: f.tokens[login]})
	}
	return f.do(request{method: "POST", path: path, body: form.Encode(), form: true, token: f.tokens[login]})
}

// hiddenValue is the value of a named field of a page.
func hiddenValue(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no field %s in the page", name)
	}
	return m[1]
}

// visitsAt counts the visits at a checkpoint, and those still open.
func (f *visitorFixture) visitsAt(cp int64) (all, open int) {
	f.t.Helper()
	err := f.visitorSQL().QueryRow(`SELECT COUNT(*), COUNT(*) - COUNT(out_at) FROM visits WHERE checkpoint_id = ?`, cp).Scan(&all, &open)
	if err != nil {
		f.t.Fatal(err)
	}
	return all, open
}

// TestGatePageWithoutJavaScript is a guard's shift with the forms alone:
// a visitor's personal QR code (green), a chip ID card (yellow, answered
// on the spot: green), a phone with its SMS code (an exit), someone new
// declared on their behalf; the page shows masked names and birth years,
// never a full name, a phone or an ID number.
func TestGatePageWithoutJavaScript(t *testing.T) {
	f := newVisitorFixture(t)
	page := gatePath(f.cpA)
	code := f.personalCode("0987000070")
	secrets := []string{"Khách", "0987000070", "0987 000 070", "Trần Thị Bình", "035090001234", "168123456"}
	var bodies []string
	check := func(what string, rec *httptest.ResponseRecorder, status int, want ...string) string {
		t.Helper()
		body := wantPage(t, what, rec, status, want...)
		bodies = append(bodies, body)
		return body
	}

	body := check("the gate page", f.gatePage("gate", page, nil), 200, "Cổng chính", "Xưởng may số 1", `id="scan-form"`, `id="count-in">0<`)
	key := hiddenValue(t, body, "idempotency_key")
	scan := url.Values{"payload": {code}, "direction": {"in"}, "idempotency_key": {key}}
	check("a personal QR code", f.gatePage("gate", page, scan), 200, "decision-green", "Được vào", "Nguyễn T*** K", "Năm sinh 1985", `id="count-in">1<`)
	check("the same form sent again", f.gatePage("gate", page, scan), 200, "decision-green", "Đã quét trước đó")

	body = check("a chip ID card", f.gatePage("gate", page, url.Values{"payload": {"035090001234|168123456|Trần Thị Bình|15031990|Nữ|Phủ Lý|01072021"},
		"direction": {"in"}, "idempotency_key": {"card-1"}}), 200, "decision-yellow", "Chưa khai báo y tế", "Trần T*** B", `id="answer-form"`)
	person := hiddenValue(t, body, "person_id")
	if person == "0" || strings.Contains(body, `id="answer" aria-labelledby="answer-title" hidden`) {
		t.Fatalf("the yellow card has no declaration form (person %q)", person)
	}
	check("unanswered questions", f.gatePage("gate", page+"/declare", url.Values{"person_id": {person}}), 400, `id="a-e-symptoms"`, `id="a-person" value="`+person+`"`)
	check("answered on the spot", f.gatePage("gate", page+"/declare", url.Values{"person_id": {person},
		"q.symptoms": {"none"}, "q.contact": {"no"}, "q.travel": {"no"}}), 200, "decision-green", "Trần T*** B")

	body = check("asking for an SMS code", f.gatePage("gate", page+"/phone", url.Values{"phone": {"0987 000 070"}, "direction": {"out"}}), 200, `id="code-form">`)
	msgs := f.outbox.Messages()
	smsText := msgs[len(msgs)-1].Text
	check("the code read out", f.gatePage("gate", page, url.Values{"challenge": {hiddenValue(t, body, "challenge")}, "phone_sealed": {hiddenValue(t, body, "phone_sealed")},
		"code": {smsCode.FindString(smsText)}, "direction": {"out"}, "idempotency_key": {"phone-1"}}), 200, "decision-out", "Đã ghi nhận ra", "Nguyễn T*** K", `id="count-out">1<`)
	if all, open := f.visitsAt(f.cpA); all != 2 || open != 1 {
		t.Errorf("visits: %d, %d open; want the visitor's (closed) and the card's", all, open)
	}

	newcomer := url.Values{"full_name": {"Phạm Văn Mới"}, "birth_year": {"1970"}, "sex": {"m"}, "unit": {"13321"},
		"q.symptoms": {"cough"}, "q.contact": {"no"}, "q.travel": {"no"}, "idempotency_key": {"new-1"}}
	wantPage(t, "someone new without consent", f.gatePage("gate", page+"/declare", newcomer), 400, `id="e-consent"`, `<details id="declare" open>`)
	newcomer.Set("consent", "yes")
	check("someone new declared on their behalf", f.gatePage("gate", page+"/declare", newcomer), 200, "decision-red", "Phạm V*** M", "Đưa người này tới bàn y tế", `id="count-inside">2<`)

	for _, b := range bodies {
		for _, s := range secrets {
			if strings.Contains(b, s) {
				t.Errorf("the gate page shows %q", s)
			}
		}
	}
	if home := f.gatePage("gate", "/home", nil).Body.String(); !strings.Contains(home, `href="`+page+`"`) {
		t.Error("the gate staff's home page has no link to their gate")
	}
}

// TestGatePageRefusals: an unrecognised code is a clear message and a 400
// that stores nothing; staff of another checkpoint, and officials without
// the role, cannot open or post to the gate page.
func TestGatePageRefusals(t *testing.T) {
	f := newVisitorFixture(t)
	f.addUser(context.Background(), "gate.c", "Võ Văn Cổng", staffPassword, ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: f.cpC})
	page := gatePath(f.cpA)
	code := f.personalCode("0987000071")
	before := f.visitorState()
	for _, lang := range []string{"vi", "en"} {
		rec := f.do(request{method: "POST", path: page, form: true, token: f.tokens["gate"], lang: lang,
			body: url.Values{"payload": {"xin chào"}, "idempotency_key": {"junk"}}.Encode()})
		wantPage(t, "junk in "+lang, rec, http.StatusBadRequest, f.srv.cat.T(lang, "err.payload_unknown"), `id="scan-form"`)
	}
	for _, c := range []struct {
		what, login, method, path string
		status                    int
	}{
		{"another checkpoint's staff", "gate.c", "GET", page, 404},
		{"another checkpoint's staff scanning", "gate.c", "POST", page, 404},
		{"another checkpoint's staff declaring", "gate.c", "POST", page + "/declare", 404},
		{"a health official", "health", "GET", page, 403},
		{"nobody", "", "GET", page, 303},
		{"no such checkpoint", "gate", "GET", "/gate/999999", 404},
		{"not a checkpoint", "gate", "GET", "/gate/abc", 404},
	} {
		form := url.Values{"payload": {code}, "idempotency_key": {"x"}, "person_id": {"1"}}
		if c.method == "GET" {
			form = nil
		}
		rec := f.gatePage(c.login, c.path, form)
		if rec.Code != c.status || strings.Contains(rec.Body.String(), "Cổng chính") {
			t.Errorf("%s: got %d, want %d without the gate", c.what, rec.Code, c.status)
		}
	}
	if f.visitorState() != before {
		t.Error("refused gate forms changed something")
	}
	wantPage(t, "the venue's manager", f.gatePage(managerA, page, nil), 200, "Cổng chính", `id="scan-form"`)
	if rec := f.gatePage(managerB, page, nil); rec.Code != 404 {
		t.Errorf("another organisation's manager: got %d, want 404", rec.Code)
	}
	home := f.gatePage("gate.c", "/home", nil).Body.String()
	if !strings.Contains(home, fmt.Sprintf(`href="/gate/%d"`, f.cpC)) || strings.Contains(home, `href="`+page+`"`) {
		t.Error("home links another checkpoint's gate, or not the staff member's own")
	}
}

// TestGateServiceWorker: the worker is JavaScript served under /gate/, so
// that its scope covers the gate pages.
func TestGateServiceWorker(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/gate/sw.js"})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(rec.Body.String(), `addEventListener("fetch"`) {
		t.Errorf("/gate/sw.js: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
