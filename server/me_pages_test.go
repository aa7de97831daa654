package server

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLinkPhonePages: declaring a phone already declared on another device
// asks for the code sent to it, keeping what was typed; the right code
// checks the visitor in on the new device as the same person.
func TestLinkPhonePages(t *testing.T) {
	f := newVPFixture(t)
	first, firstPass := f.declareForm(vpDeclaration(nil))
	q := "/q/" + f.code
	body := wantPage(t, "declaring a known phone", f.visit("POST", q+"/declare", "", vpDeclaration(nil)), 200,
		`id="link-notice"`, `name="code"`, `name="challenge"`, "Trần Thị Bình")
	msgs := f.outbox.Messages()
	if len(msgs) != 1 || msgs[0].To.Reveal() != "0987654321" {
		t.Fatalf("SMS: %d messages", len(msgs))
	}
	code := sixDigits.FindString(msgs[0].Text)
	challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(body)[1]
	withCode := func(code string) url.Values {
		return vpDeclaration(url.Values{"challenge": {challenge}, "code": {code}})
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantPage(t, "a wrong code", f.visit("POST", q+"/declare", "", withCode(wrong)), 400, `id="e-code"`, `name="challenge"`)
	device, pass := f.declareForm(withCode(code))
	if device == first {
		t.Error("the new device got the first device's token")
	}
	// The same person, still inside the place: the one visit goes on.
	if n := strings.Count(f.visit("GET", "/me", device, nil).Body.String(), `href="/pass/`); n != 1 || pass != firstPass {
		t.Errorf("the new device lists %d visits and pass %s, want the first device's %s", n, pass, firstPass)
	}
}

// TestMyDataPages: the data page shows the visitor everything held about
// them with a download link, and erasure needs a ticked confirmation,
// then deletes it all and forgets the device.
func TestMyDataPages(t *testing.T) {
	f := newVPFixture(t)
	device, pass := f.declareForm(vpDeclaration(url.Values{"q.symptoms": {"cough"}}))
	wantRedirect(t, "data page without a device", f.visit("GET", "/me/data", "", nil), "/me")
	wantPage(t, "my visits links the data", f.visit("GET", "/me", device, nil), 200, `href="/me/data"`, `href="/me/cards"`,
		`<meta name="ravao-device" content="`+device+`">`)
	wantPage(t, "an unknown device", f.visit("GET", "/me", "", nil), 200, `<meta name="ravao-device" content="">`)
	wantPage(t, "my data before the code", f.visit("GET", "/me/data", device, nil), 200, `id="code-form"`, `id="erase-form"`)
	proof := f.dataProof(device)
	wantPage(t, "my data", f.visitWithProof("GET", "/me/data", device, proof, nil), 200, "Trần Thị Bình", "0987654321", "1985",
		"Phường Quang Trung", "Ho", "Xưởng may số 1", `href="/api/v1/me/data?download=1"`)

	wantPage(t, "erase unticked", f.visit("POST", "/me/erase", device, url.Values{}), 400, `id="e-confirm"`)
	wantPage(t, "my data after an unticked erasure", f.visitWithProof("GET", "/me/data", device, proof, nil), 200, "Trần Thị Bình")
	rec := f.visit("POST", "/me/erase", device, url.Values{"confirm": {"yes"}})
	wantRedirect(t, "erase", rec, "/me?erased=1")
	if c := rec.Result().Cookies(); len(c) != 2 || c[1].Name != deviceCookie || c[1].MaxAge >= 0 || c[0].Name != proofCookie {
		t.Errorf("erase: cookies %v, want the proof and device cookies cleared", c)
	}
	wantPage(t, "after erasure", f.visit("GET", "/me?erased=1", "", nil), 200, `id="erased"`)
	wantPage(t, "the pass after erasure", f.visit("GET", pass, device, nil), 404)
	wantRedirect(t, "data page after erasure", f.visit("GET", "/me/data", device, nil), "/me")
}

// TestMyCardsPages: the visitor prints cards for themselves and a
// dependant (a PDF), must choose someone, and can revoke them.
func TestMyCardsPages(t *testing.T) {
	f := newVPFixture(t)
	device, _ := f.declareForm(vpDeclaration(nil))
	wantRedirect(t, "add a child", f.visit("POST", "/me/dependants", device, url.Values{
		"full_name": {"Trần Bảo An"}, "birth_year": {"2018"}, "sex": {"m"}, "province": {"35"}, "unit": {"13321"},
	}), "/me?added=1")
	body := wantPage(t, "cards page", f.visit("GET", "/me/cards", device, nil), 200, `name="person"`, "Trần B*** A", `id="revoke-cards"`)
	ids := regexp.MustCompile(`name="person" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 {
		t.Fatalf("cards page offers %d people, want the visitor and the child", len(ids))
	}
	rec := f.visit("POST", "/me/cards", device, url.Values{"person": {ids[0][1], ids[1][1]}, "action": {"print"}})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
		t.Errorf("print: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	wantPage(t, "print nobody", f.visit("POST", "/me/cards", device, url.Values{"action": {"print"}}), 400, `id="e-person"`)
	wantPage(t, "print a bad id", f.visit("POST", "/me/cards", device, url.Values{"person": {"x"}}), 400, `id="e-person"`)
	wantRedirect(t, "revoke", f.visit("POST", "/me/cards", device, url.Values{"person": {ids[1][1]}, "action": {"revoke"}}), "/me/cards?revoked=1")
	wantPage(t, "after revoking", f.visit("GET", "/me/cards?revoked=1", device, nil), 200, `id="revoked"`, "thẻ số 2")
	wantRedirect(t, "cards without a device", f.visit("GET", "/me/cards", "", nil), "/me")
}
