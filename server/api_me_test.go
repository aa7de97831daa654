package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestLinkPhoneByCodeAPI: a phone declared on one device is refused on
// another (409, in Vietnamese) until the code sent to it comes back; the
// new device then sees the person's visits.
func TestLinkPhoneByCodeAPI(t *testing.T) {
	e := newVisitorFixture(t)
	first := e.declareDevice("0987000040")
	if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", body: `{"code":"` + e.codeA + `"}`, device: first}); rec.Code != http.StatusCreated {
		t.Fatalf("check-in: %d %s", rec.Code, rec.Body)
	}
	before := e.visitorState()
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: declarationBody("0987 000 040", healthyAnswers)})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "mã xác nhận") {
		t.Fatalf("declaring a known phone: %d %s, want 409 asking for the code", rec.Code, rec.Body)
	}
	if e.visitorState() != before {
		t.Error("the refused declaration changed something")
	}
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations/code", body: `{"phone":"0987000040"}`})
	var got struct {
		Challenge string `json:"challenge"`
	}
	decode(t, rec.Body, &got)
	msgs := e.outbox.Messages()
	if rec.Code != http.StatusCreated || got.Challenge == "" || len(msgs) != 1 || msgs[0].To.Reveal() != "0987000040" {
		t.Fatalf("code: %d %s, %d SMS", rec.Code, rec.Body, len(msgs))
	}
	code := sixDigits.FindString(msgs[0].Text)
	body := func(code string) string {
		return strings.Replace(declarationBody("0987000040", healthyAnswers), `"consent":true`,
			`"consent":true,"challenge":"`+got.Challenge+`","code":"`+code+`"`, 1)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: body(wrong)}); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
		t.Errorf("a wrong code: %d %s", rec.Code, rec.Body)
	}
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: body(code)})
	if rec.Code != http.StatusCreated {
		t.Fatalf("declaring with the code: %d %s", rec.Code, rec.Body)
	}
	var d declaredJSON
	decode(t, rec.Body, &d)
	rec = e.visitor(visitorCall{method: "GET", path: "/api/v1/me/visits", device: d.Device})
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `"venue_id"`) != 1 {
		t.Errorf("the linked device's visits: %d %s, want the one made on the first device", rec.Code, rec.Body)
	}
	if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/declarations/code", body: `{"phone":"12"}`}); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
		t.Errorf("a code for a bad phone: %d %s", rec.Code, rec.Body)
	}
}

// TestMyDataCardsAndErasureAPI: the visitor reads and downloads their
// data, prints and revokes their cards, then erases everything; calls
// without a known device are 401 and change nothing.
func TestMyDataCardsAndErasureAPI(t *testing.T) {
	e := newVisitorFixture(t)
	tok, other := e.declareDevice("0987000050"), e.declareDevice("0987000051")
	e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", body: `{"code":"` + e.codeA + `"}`, device: tok})

	before := e.visitorState()
	for _, c := range []visitorCall{
		{method: "GET", path: "/api/v1/me/data"},
		{method: "GET", path: "/api/v1/me/data", device: "forged"},
		{method: "DELETE", path: "/api/v1/me", device: "forged"},
		{method: "POST", path: "/api/v1/me/cards", body: `{}`},
		{method: "POST", path: "/api/v1/me/device", device: "forged"},
	} {
		if rec := e.visitor(c); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a known device: %d, want 401", c.method, c.path, rec.Code)
		}
	}
	if e.visitorState() != before {
		t.Error("refused calls changed something")
	}

	if rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: tok}); rec.Code != http.StatusUnauthorized {
		t.Errorf("data without the phone's code: %d, want 401", rec.Code)
	}
	rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data?download=1", device: tok, headers: proofHeaders(e.dataProof(tok))})
	var data struct {
		Person struct {
			ID       int64  `json:"id"`
			FullName string `json:"full_name"`
			Phone    string `json:"phone"`
		} `json:"person"`
		Declarations []json.RawMessage `json:"declarations"`
		Visits       []struct {
			Venue string `json:"venue"`
		} `json:"visits"`
	}
	decode(t, bytes.NewReader(rec.Body.Bytes()), &data)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") ||
		data.Person.FullName != "Nguyễn Thị Khách" || data.Person.Phone != "0987000050" || len(data.Declarations) != 1 || len(data.Visits) != 1 {
		t.Errorf("my data: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "0987000051") {
		t.Error("my data holds another person's phone")
	}

	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/me/cards", body: `{}`, device: tok})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
		t.Errorf("cards: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, c := range []struct {
		body string
		want int
	}{
		{`{"people":[1]}`, http.StatusNotFound},
		{`{"people":"me"}`, http.StatusBadRequest},
		{`{"people":[],"extra":1}`, http.StatusBadRequest},
	} {
		if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/me/cards", body: c.body, device: tok}); rec.Code != c.want {
			t.Errorf("cards %s: %d, want %d", c.body, rec.Code, c.want)
		}
	}
	if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/me/cards/revoke", body: `{}`, device: tok}); rec.Code != http.StatusNoContent {
		t.Errorf("revoke: %d %s", rec.Code, rec.Body)
	}

	if rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/me/device", device: tok}); rec.Code != http.StatusNoContent ||
		!strings.Contains(rec.Header().Get("Set-Cookie"), deviceCookie+"="+tok) {
		t.Errorf("restoring the device cookie: %d %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}

	rec = e.visitor(visitorCall{method: "DELETE", path: "/api/v1/me", device: tok})
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("erase: %d %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	var left int
	if err := e.visitorSQL().QueryRow(`SELECT COUNT(*) FROM people WHERE id = ?`, data.Person.ID).Scan(&left); err != nil || left != 0 {
		t.Errorf("people left after erasure: %d, %v", left, err)
	}
	if rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: tok}); rec.Code != http.StatusUnauthorized {
		t.Errorf("data after erasure: %d", rec.Code)
	}
	if rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: other, headers: proofHeaders(e.dataProof(other))}); rec.Code != http.StatusOK {
		t.Errorf("another person's data after erasure: %d", rec.Code)
	}
}
