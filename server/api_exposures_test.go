package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// windowBody is a valid body publishing a window at the seeded workshop
// over the last two hours, with changes applied to its fields.
func (f *pagesFixture) windowBody(changes map[string]any) string {
	now := time.Now().UTC()
	b := map[string]any{
		"venue_id": f.venue, "from": now.Add(-2 * time.Hour).Format(time.RFC3339), "to": now.Add(-time.Hour).Format(time.RFC3339),
		"severity": "high", "reason": "Sở Y tế Hà Nội thông báo",
	}
	for k, v := range changes {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	out, err := json.Marshal(b)
	if err != nil {
		f.t.Fatal(err)
	}
	return string(out)
}

// getIfNoneMatch is an anonymous GET that holds a copy under etag.
func (f *pagesFixture) getIfNoneMatch(path, etag string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestAPIExposuresPublicList(t *testing.T) {
	f := newPagesFixture(t)
	rec := f.do(request{method: "POST", path: "/api/v1/exposures", body: f.windowBody(map[string]any{"message_en": "Stay home."}), token: f.tokens["health"]})
	if rec.Code != http.StatusCreated {
		t.Fatalf("publish: got %d %s", rec.Code, rec.Body)
	}
	var w windowJSON
	decode(t, rec.Body, &w)
	if w.ID == 0 || w.VenueID != f.venue || w.MessageEN != "Stay home." || !strings.Contains(w.MessageVI, "Xưởng may số 1") || w.WithdrawnAt != nil {
		t.Errorf("published: got %+v", w)
	}

	rec = f.do(request{method: "GET", path: "/api/v1/exposures"})
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "public, max-age=60" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("public list: got %d, Cache-Control %q, ETag %q", rec.Code, rec.Header().Get("Cache-Control"), etag)
	}
	var raw struct {
		Windows []map[string]any `json:"windows"`
	}
	decode(t, strings.NewReader(rec.Body.String()), &raw)
	if len(raw.Windows) != 1 {
		t.Fatalf("public list: got %s, want one window", rec.Body)
	}
	allowed := []string{"id", "venue_id", "checkpoint_id", "venue_name", "from", "to", "severity", "message"}
	for k := range raw.Windows[0] {
		if !slices.Contains(allowed, k) {
			t.Errorf("the public list says %q", k)
		}
	}
	body := rec.Body.String()
	for _, secret := range []string{"Sở Y tế", personPhone, "Nguyễn Văn An", "created_by", "case_id"} {
		if strings.Contains(body, secret) {
			t.Errorf("the public list holds %q: %s", secret, body)
		}
	}
	if !strings.Contains(body, `"venue_name":"Xưởng may số 1"`) || !strings.Contains(body, `"en":"Stay home."`) {
		t.Errorf("public list: got %s, want the venue's name and both messages", body)
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		rec := f.getIfNoneMatch("/api/v1/exposures", inm)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: got %d with %d bytes, want 304 and nothing", inm, rec.Code, rec.Body.Len())
		}
	}
	rec = f.do(request{method: "POST", path: fmt.Sprintf("/api/v1/exposures/%d/withdraw", w.ID), body: "{}", token: f.tokens["health"]})
	if rec.Code != http.StatusNoContent {
		t.Fatalf("withdraw: got %d %s", rec.Code, rec.Body)
	}
	rec = f.getIfNoneMatch("/api/v1/exposures", etag)
	if rec.Code != 200 || rec.Header().Get("ETag") == etag || strings.TrimSpace(rec.Body.String()) != `{"windows":[]}` {
		t.Errorf("after withdrawing: got %d %s (ETag %s), want an empty list under a new ETag", rec.Code, rec.Body, rec.Header().Get("ETag"))
	}
	rec = f.do(request{method: "POST", path: fmt.Sprintf("/api/v1/exposures/%d/withdraw", w.ID), body: "{}", token: f.tokens["health"]})
	if rec.Code != http.StatusConflict {
		t.Errorf("withdraw twice: got %d, want 409", rec.Code)
	}
}

func TestAPIExposurePublishRefusals(t *testing.T) {
	f := newPagesFixture(t)
	before := f.counts()
	for _, tt := range []struct {
		what   string
		token  string
		body   string
		status int
		field  string
	}{
		{"gate staff", "gate", f.windowBody(nil), 403, ""},
		{"the administrator", "admin", f.windowBody(nil), 403, ""},
		{"a venue manager", pgManager, f.windowBody(nil), 403, ""},
		{"nobody", "", f.windowBody(nil), 401, ""},
		{"no reason", "health", f.windowBody(map[string]any{"reason": nil}), 400, "reason"},
		{"no from", "health", f.windowBody(map[string]any{"from": nil}), 400, "from"},
		{"a from that is not a time", "health", f.windowBody(map[string]any{"from": "yesterday"}), 400, "from"},
		{"in the future", "health", f.windowBody(map[string]any{"from": time.Now().Add(time.Hour).Format(time.RFC3339), "to": time.Now().Add(2 * time.Hour).Format(time.RFC3339)}), 400, "from"},
		{"an unknown severity", "health", f.windowBody(map[string]any{"severity": "medium"}), 400, "severity"},
		{"an unknown venue", "health", f.windowBody(map[string]any{"venue_id": 987654}), 400, "venue"},
		{"a checkpoint of another venue", "health", f.windowBody(map[string]any{"checkpoint_id": f.cpB}), 400, "checkpoint"},
		{"an unknown field", "health", f.windowBody(map[string]any{"person_id": 1}), 400, ""},
	} {
		rec := f.do(request{method: "POST", path: "/api/v1/exposures", body: tt.body, token: f.tokens[tt.token]})
		if rec.Code != tt.status {
			t.Errorf("%s: got %d %s, want %d", tt.what, rec.Code, rec.Body, tt.status)
			continue
		}
		if tt.field != "" {
			if d := apiError(t, rec); d.Fields[tt.field] == "" {
				t.Errorf("%s: got fields %v, want one on %s", tt.what, d.Fields, tt.field)
			}
		}
	}
	if after := f.counts(); after != before || len(f.windows()) != 0 {
		t.Errorf("refusals changed something: %+v -> %+v, %d windows", before, after, len(f.windows()))
	}
	rec := f.do(request{method: "POST", path: "/api/v1/exposures/987654/withdraw", body: "{}", token: f.tokens["health"]})
	if rec.Code != http.StatusNotFound {
		t.Errorf("withdraw an unknown window: got %d, want 404", rec.Code)
	}
}

func TestAPICaseExposuresAndNotifications(t *testing.T) {
	f := newCaseFixture(t)
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	path := func(s string) string { return "/api/v1/cases/" + strconv.FormatInt(c.ID, 10) + s }

	rec := f.do(request{method: "POST", path: path("/exposures"), body: `{"severity":"low","message_vi":"Theo dõi sức khoẻ"}`, token: f.tokens[health37]})
	if rec.Code != http.StatusNotFound {
		t.Errorf("publish by another province: got %d, want 404", rec.Code)
	}
	rec = f.do(request{method: "POST", path: path("/exposures"), body: `{"severity":"low","message_vi":"Theo dõi sức khoẻ"}`, token: f.tokens["health"]})
	var ws windowsJSON
	if rec.Code != 200 {
		t.Fatalf("publish: got %d %s", rec.Code, rec.Body)
	}
	decode(t, rec.Body, &ws)
	if len(ws.Windows) != 1 || ws.Windows[0].CaseID != c.ID || ws.Windows[0].MessageVI != "Theo dõi sức khoẻ" ||
		!ws.Windows[0].From.Equal(f.now.Add(-5*time.Hour)) || !ws.Windows[0].To.Equal(f.now.Add(-150*time.Minute)) {
		t.Fatalf("publish: got %+v, want An's stay plus the buffer", ws)
	}
	rec = f.do(request{method: "POST", path: path("/exposures"), body: `{"severity":"low","visit_ids":[987654]}`, token: f.tokens["health"]})
	if rec.Code != 400 || apiError(t, rec).Fields["visit"] == "" {
		t.Errorf("publish a visit that is not the case's: got %d", rec.Code)
	}

	rec = f.do(request{method: "GET", path: "/api/v1/exposures/manage", token: f.tokens["health"]})
	var listed windowsJSON
	decode(t, rec.Body, &listed)
	if rec.Code != 200 || len(listed.Windows) != 1 || listed.Windows[0].VenueName != "Xưởng may số 1" {
		t.Errorf("the official's list: got %d %+v", rec.Code, listed)
	}
	rec = f.do(request{method: "GET", path: "/api/v1/exposures/manage", token: f.tokens[health37]})
	if decode(t, rec.Body, &listed); rec.Code != 200 || len(listed.Windows) != 0 {
		t.Errorf("the list of another province: got %d %+v, want empty", rec.Code, listed)
	}
	rec = f.do(request{method: "GET", path: "/api/v1/exposures/manage?limit=0", token: f.tokens["health"]})
	if rec.Code != 400 {
		t.Errorf("a limit of 0: got %d, want 400", rec.Code)
	}

	rec = f.do(request{method: "POST", path: path("/notify"), body: "{}", token: f.tokens["health"]})
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"queued":1}` {
		t.Fatalf("notify: got %d %s, want 1 queued (Bình, the close contact)", rec.Code, rec.Body)
	}
	bình := f.contactsOf(c.ID)["Bình"].Contact.ID
	wantStatus := func(what string, status ravao.NotificationStatus) {
		t.Helper()
		rec := f.do(request{method: "GET", path: path("/notifications"), token: f.tokens["health"]})
		var out struct {
			Notifications []notificationJSON `json:"notifications"`
		}
		decode(t, rec.Body, &out)
		if rec.Code != 200 || len(out.Notifications) != 1 || out.Notifications[0].ContactID != bình || out.Notifications[0].Status != status {
			t.Errorf("%s: got %d %+v, want Bình's message %s", what, rec.Code, out, status)
		}
	}
	wantStatus("queued", ravao.NotifyQueued)
	if n, err := f.tracing.SendDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("send: %d, %v", n, err)
	}
	wantStatus("sent", ravao.NotifySent)
	rec = f.do(request{method: "GET", path: path("/notifications"), token: f.tokens[health37]})
	if rec.Code != http.StatusNotFound {
		t.Errorf("notifications for another province: got %d, want 404", rec.Code)
	}
	if strings.Contains(rec.Body.String(), binhPhone) {
		t.Errorf("a refusal shows the phone")
	}
}
