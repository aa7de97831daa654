package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// lastSMSCode is the six-digit code of the newest SMS in the outbox.
func (e *env) lastSMSCode() string {
	e.t.Helper()
	msgs := e.outbox.Messages()
	if len(msgs) == 0 {
		e.t.Fatal("no SMS sent")
	}
	code := regexp.MustCompile(`\d{6}`).FindString(msgs[0].Text) // newest first
	if code == "" {
		e.t.Fatal("no code in the newest SMS")
	}
	return code
}

// dataProof asks for a code for the device's person through the API and
// enters it, and returns the proof that opens their data.
func (e *env) dataProof(device string) string {
	e.t.Helper()
	rec := e.visitor(visitorCall{method: "POST", path: "/api/v1/me/data/code", body: `{}`, device: device})
	if rec.Code != http.StatusCreated {
		e.t.Fatalf("code: %d %s", rec.Code, rec.Body)
	}
	var sent struct{ Challenge string }
	decode(e.t, rec.Body, &sent)
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/me/data/verify", device: device,
		body: `{"challenge":"` + sent.Challenge + `","code":"` + e.lastSMSCode() + `"}`})
	if rec.Code != http.StatusOK {
		e.t.Fatalf("verify: %d %s", rec.Code, rec.Body)
	}
	return sent.Challenge
}

// proofHeaders carries a data proof.
func proofHeaders(proof string) map[string]string { return map[string]string{proofHeader: proof} }

// visitWithProof is a page request with the device and the data proof
// cookies.
func (f *vpFixture) visitWithProof(method, path, device, proof string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	r := request{method: method, path: path, cookies: []*http.Cookie{{Name: deviceCookie, Value: device}, {Name: proofCookie, Value: proof}}}
	if form != nil {
		r.body, r.form = form.Encode(), true
	}
	return f.do(r)
}

// TestRightsAPI: the code opens the data; a correction is validated and
// audited; a deletion request during an open case is queued and the
// officer sees, refuses or (after the case) fulfils it; the queue needs
// the officer's permission.
func TestRightsAPI(t *testing.T) {
	e := newVisitorFixture(t)
	tok := e.declareDevice("0987000060")
	e.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", body: `{"code":"` + e.codeA + `"}`, device: tok})
	if rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: tok}); rec.Code != http.StatusUnauthorized ||
		apiError(t, rec).Message == "" {
		t.Errorf("data without the code: %d", rec.Code)
	}
	proof := e.dataProof(tok)
	rec := e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: tok, headers: proofHeaders(proof)})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"consent_basis":"consent"`) {
		t.Fatalf("data with the proof: %d %s", rec.Code, rec.Body)
	}

	bad := `{"full_name":"","birth_year":1990,"sex":"f","unit_code":"13321"}`
	if rec := e.visitor(visitorCall{method: "PATCH", path: "/api/v1/me", body: bad, device: tok, headers: proofHeaders(proof)}); rec.Code != http.StatusBadRequest {
		t.Errorf("invalid correction: %d %s", rec.Code, rec.Body)
	}
	good := `{"full_name":"Nguyễn Thị Khách Mới","birth_year":1991,"sex":"f","address":"5 Trần Phú","unit_code":"13321"}`
	if rec := e.visitor(visitorCall{method: "PATCH", path: "/api/v1/me", body: good, device: tok}); rec.Code != http.StatusUnauthorized {
		t.Errorf("correction without the proof: %d", rec.Code)
	}
	if rec := e.visitor(visitorCall{method: "PATCH", path: "/api/v1/me", body: good, device: tok, headers: proofHeaders(proof)}); rec.Code != http.StatusNoContent {
		t.Fatalf("correction: %d %s", rec.Code, rec.Body)
	}
	rec = e.visitor(visitorCall{method: "GET", path: "/api/v1/me/data", device: tok, headers: proofHeaders(proof)})
	if !strings.Contains(rec.Body.String(), "Nguyễn Thị Khách Mới") || !strings.Contains(rec.Body.String(), "5 Trần Phú") {
		t.Errorf("data after the correction: %s", rec.Body)
	}
	if strings.Contains(e.logs.String(), "Khách Mới") {
		t.Error("the corrected name is in the logs")
	}

	var personID int64
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		p, err := tx.PersonByPhoneKey(e.vault.Lookup("phone", "0987000060"))
		personID = p.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ravao.Case{PersonID: personID, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "F0", WindowFrom: time.Now().Add(-48 * time.Hour),
		Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen}
	if err := e.store.Update(context.Background(), func(tx ravao.Tx) error { return tx.CreateCase(&c) }); err != nil {
		t.Fatal(err)
	}
	rec = e.visitor(visitorCall{method: "POST", path: "/api/v1/me/requests", body: `{"kind":"delete"}`, device: tok, headers: proofHeaders(proof)})
	var q requestJSON
	decode(t, rec.Body, &q)
	if rec.Code != http.StatusCreated || q.Status != "open" || q.DueAt.IsZero() {
		t.Fatalf("deletion request: %d %+v", rec.Code, q)
	}

	e.addUser(context.Background(), "dpo", "Đỗ Thị Bảo Vệ", staffPassword, ravao.RoleAssignment{Role: ravao.RoleDPO})
	dpo := e.tokens["dpo"]
	if rec := e.do(request{method: "GET", path: "/api/v1/dsr", token: e.tokens["health"]}); rec.Code != http.StatusForbidden {
		t.Errorf("the queue for a health official: %d", rec.Code)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/dsr", token: dpo})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"kind":"delete"`) {
		t.Fatalf("queue: %d %s", rec.Code, rec.Body)
	}
	id := "/api/v1/dsr/" + strconv.FormatInt(q.ID, 10)
	if rec := e.do(request{method: "POST", path: id + "/resolve", body: `{"outcome":"done"}`, token: dpo}); rec.Code != http.StatusConflict {
		t.Errorf("erasing during the case: %d %s", rec.Code, rec.Body)
	}
	c.Status, c.ClosedAt = ravao.CaseClosed, time.Now()
	if err := e.store.Update(context.Background(), func(tx ravao.Tx) error { return tx.UpdateCase(&c) }); err != nil {
		t.Fatal(err)
	}
	rec = e.do(request{method: "POST", path: id + "/resolve", body: `{"outcome":"done"}`, token: dpo})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"erased":true`) {
		t.Errorf("erasing after the case: %d %s", rec.Code, rec.Body)
	}
	rec = e.do(request{method: "GET", path: id, token: dpo})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"action":"erased"`) {
		t.Errorf("the request's history: %d %s", rec.Code, rec.Body)
	}
}
