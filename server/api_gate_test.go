package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// gateCall is a gate staff member's API call.
func (f *visitorFixture) gateCall(login, method, path, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: method, path: path, body: body, token: f.tokens[login]})
}

// personalCode declares a visitor and returns their on-screen code.
func (f *visitorFixture) personalCode(phone string) string {
	f.t.Helper()
	rec := f.visitor(visitorCall{method: "POST", path: "/api/v1/me/personal-qr", device: f.declareDevice(phone)})
	var got personalQRJSON
	decode(f.t, rec.Body, &got)
	return got.Payload
}

// TestGateAPI: a guard scans a visitor in and out, scans an ID card
// (yellow), declares on the spot (green), reads the gate's counters; the
// answers carry a masked name only.
func TestGateAPI(t *testing.T) {
	f := newVisitorFixture(t)
	code := f.personalCode("0987000060")
	scan := func(body string) *httptest.ResponseRecorder {
		return f.gateCall("gate", "POST", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,%s}`, f.cpA, body))
	}
	rec := scan(`"payload":"` + code + `","idempotency_key":"a1"`)
	var res resultJSON
	decode(t, bytes.NewReader(rec.Body.Bytes()), &res)
	if rec.Code != http.StatusCreated || res.Decision != "green" || res.Name != "Nguyễn T*** K" || res.VisitID == nil {
		t.Fatalf("scan in: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "Khách") || strings.Contains(rec.Body.String(), "0987000060") {
		t.Error("the scan's answer holds the full name or the phone")
	}
	if rec := scan(`"payload":"` + code + `","idempotency_key":"a2"`); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"repeated":true`) {
		t.Errorf("second scan: %d %s", rec.Code, rec.Body)
	}
	if rec := scan(`"payload":"` + code + `","direction":"out","idempotency_key":"a3"`); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"direction":"out"`) {
		t.Errorf("scan out: %d %s", rec.Code, rec.Body)
	}
	rec = scan(`"payload":"035090001234|168123456|Trần Thị Bình|15031990|Nữ|Phủ Lý|01072021","idempotency_key":"c1"`)
	decode(t, bytes.NewReader(rec.Body.Bytes()), &res)
	if rec.Code != http.StatusCreated || res.Decision != "yellow" || res.Kind != "cccd" {
		t.Fatalf("ID card: %d %s", rec.Code, rec.Body)
	}
	rec = f.gateCall("gate", "POST", "/api/v1/gate/declarations", fmt.Sprintf(`{"checkpoint_id":%d,"person_id":%d,"answers":%s}`, f.cpA, res.PersonID, healthyAnswers))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"decision":"green"`) {
		t.Errorf("declared on the spot: %d %s", rec.Code, rec.Body)
	}
	rec = f.gateCall("gate", "GET", fmt.Sprintf("/api/v1/gate/checkpoints/%d", f.cpA), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"counts":{"in":2,"out":1,"inside":1}`) ||
		strings.Contains(rec.Body.String(), "Bình") {
		t.Errorf("summary: %d %s", rec.Code, rec.Body)
	}
	rec = f.gateCall("gate", "GET", "/api/v1/gate/key", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"algorithm":"Ed25519"`) {
		t.Errorf("key: %d %s", rec.Code, rec.Body)
	}
}

// TestGateAPIRefusals: unrecognised codes, bad bodies, other checkpoints
// and people without the role get clear errors in the caller's language
// and change nothing.
func TestGateAPIRefusals(t *testing.T) {
	f := newVisitorFixture(t)
	code := f.personalCode("0987000061")
	before := f.visitorState()
	for _, c := range []struct {
		name, login, path, body string
		status                  int
	}{
		{"junk", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"xin chào","idempotency_key":"j"}`, f.cpA), 400},
		{"bad ID number", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"999090001234||A|01011990|Nam|X|01012021","idempotency_key":"j"}`, f.cpA), 400},
		{"no payload", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d}`, f.cpA), 400},
		{"bad direction", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"%s","direction":"up"}`, f.cpA, code), 400},
		{"unknown field", "gate", "/api/v1/gate/scans", `{"checkpoint_id":1,"person":"x"}`, 400},
		{"another checkpoint", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"%s","idempotency_key":"o"}`, f.cpC, code), 404},
		{"another checkpoint's summary", "gate", fmt.Sprintf("/api/v1/gate/checkpoints/%d", f.cpC), "", 404},
		{"a health official", "health", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"%s"}`, f.cpA, code), 403},
		{"nobody", "", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"%s"}`, f.cpA, code), 401},
		{"too old", "gate", "/api/v1/gate/scans", fmt.Sprintf(`{"checkpoint_id":%d,"payload":"%s","idempotency_key":"t","device_time":"%s"}`,
			f.cpA, code, time.Now().Add(-96*time.Hour).Format(time.RFC3339)), 400},
		{"a frame without a code", "gate", "/api/v1/gate/frames", "not an image", 400},
	} {
		method := "POST"
		if c.body == "" {
			method = "GET"
		}
		for _, lang := range []string{"vi", "en"} {
			rec := f.do(request{method: method, path: c.path, body: c.body, token: f.tokens[c.login], lang: lang})
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), `"message"`) {
				t.Errorf("%s (%s): %d %s, want %d with a message", c.name, lang, rec.Code, rec.Body, c.status)
			}
		}
	}
	if f.visitorState() != before {
		t.Error("refused gate calls changed something")
	}
}

// TestGateAPISyncAndFrames: a queue of 20 offline scans syncs to 20
// visits once; a frame with a personal QR code decodes to it.
func TestGateAPISyncAndFrames(t *testing.T) {
	f := newVisitorFixture(t)
	var items []string
	for i := range 20 {
		items = append(items, fmt.Sprintf(`{"payload":"0350900%05d||Người %d|01011980|Nam|Hà Nam|01012021","idempotency_key":"q%d","device_time":"%s"}`,
			i, i, i, time.Now().Add(-time.Duration(i)*time.Minute).UTC().Format(time.RFC3339)))
	}
	items = append(items, fmt.Sprintf(`{"payload":"035090009999||Cũ|01011980|Nam|Hà Nam|01012021","idempotency_key":"old","device_time":"%s"}`,
		time.Now().Add(-96*time.Hour).UTC().Format(time.RFC3339)))
	body := fmt.Sprintf(`{"checkpoint_id":%d,"scans":[%s]}`, f.cpA, strings.Join(items, ","))
	rec := f.gateCall("gate", "POST", "/api/v1/gate/scans/batch", body)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"accepted":20,"duplicates":0`) ||
		!strings.Contains(rec.Body.String(), `"idempotency_key":"old"`) {
		t.Fatalf("sync: %d %s", rec.Code, rec.Body)
	}
	rec = f.gateCall("gate", "POST", "/api/v1/gate/scans/batch", body)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"accepted":0,"duplicates":20`) {
		t.Errorf("sync again: %d %s", rec.Code, rec.Body)
	}
	var n int
	if err := f.visitorSQL().QueryRow(`SELECT COUNT(*) FROM visits WHERE source = 'sync'`).Scan(&n); err != nil || n != 20 {
		t.Errorf("%d synced visits (%v), want 20", n, err)
	}

	code := f.personalCode("0987000062")
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, q.Image(400)); err != nil {
		t.Fatal(err)
	}
	rec = f.do(request{method: "POST", path: "/api/v1/gate/frames", body: img.String(), token: f.tokens["gate"]})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), code) {
		t.Errorf("frame: %d %s", rec.Code, rec.Body)
	}
}

// TestGateAPINoServerErrors sends 400 mangled payloads (bytes changed,
// cut, repeated, pipes added, invalid UTF-8) to the scan API: every answer
// is a clear 4xx or a decision, never a 5xx.
func TestGateAPINoServerErrors(t *testing.T) {
	f := newVisitorFixture(t)
	seeds := []string{f.personalCode("0987000063"), "035090001234|168123456|Trần Thị Bình|15031990|Nữ|Phủ Lý|01072021",
		"B1234567|Lê Văn Cường|01/02/1985|3|QID0001|", "http://ravao.test/q/ABC"}
	rng := rand.New(rand.NewPCG(5, 11))
	tried, failed := 0, 0
	for i := range 400 {
		b := []byte(seeds[i%len(seeds)])
		switch rng.IntN(5) {
		case 0:
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		case 1:
			b = b[:rng.IntN(len(b))]
		case 2:
			b = append(b, b...)
		case 3:
			b = append(b, "||||"...)
		case 4:
			b[rng.IntN(len(b))] = '|'
		}
		body, _ := json.Marshal(map[string]any{"checkpoint_id": f.cpA, "payload": string(b), "idempotency_key": fmt.Sprint("f", i)})
		rec := f.gateCall("gate", "POST", "/api/v1/gate/scans", string(body))
		tried++
		if rec.Code >= 500 {
			failed++
			t.Errorf("payload %q: %d %s", b, rec.Code, rec.Body)
		}
	}
	t.Logf("%d tried, %d failed with a 5xx", tried, failed)
}
