package server

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/xuri/excelize/v2"
)

// init gives the audit viewer's template sample data, a broken chain and
// a failed filter, for the test that renders every template.
func init() {
	samples["audit.html"] = func() *pageData {
		return &pageData{Title: "audit.title", Path: "/dpo/audit", Data: &auditData{
			Form: auditForm{User: "nobody", Action: "case.view"}, Actions: auditlog.Actions,
			Rows: []auditRow{
				{ID: 9, At: "08:00:00 18/07/2021", Login: "yte", RoleKey: "role.health_official", Action: "case.view", Object: "case 42", Reason: "F0", RequestID: "r1", Seq: 8},
				{ID: 10, At: "08:00:01 18/07/2021", Action: "person.declare", Object: "person 7"},
			},
			OlderURL: "/dpo/audit?before=9", CSVURL: "/dpo/audit/export.csv", XLSXURL: "/dpo/audit/export.xlsx",
			Chain: auditChain{Known: true, Checked: 7, HeadSeq: 7, At: "08:00 18/07/2021",
				Broken: &auditlog.BrokenEntry{Seq: 8, ID: 9, Reason: auditlog.BrokenHash}, Reason: "audit.broken.hash"},
			Failure: formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"user": "Không có tài khoản."}},
		}}
	}
}

// auditFixture is a server with a data-protection officer and a few
// audited lookups by the health official.
func auditFixture(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.addUser(context.Background(), "dpo", "Đỗ Thị Bảo Vệ Dữ Liệu", staffPassword, ravao.RoleAssignment{Role: ravao.RoleDPO})
	for _, body := range []string{`{"phone":"` + personPhone + `","reason":"Ca bệnh F0 số 12"}`, `{"id_number":"` + personCCCD + `","reason":"Ca bệnh F0 số 13"}`} {
		if rec := e.do(request{method: "POST", path: "/api/v1/people/lookup", body: body, token: e.tokens["health"]}); rec.Code != 200 {
			t.Fatalf("lookup: %d %s", rec.Code, rec.Body)
		}
	}
	return e
}

// auditActions counts the events of an action.
func (e *env) auditActions(action string) int {
	e.t.Helper()
	var n int
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		evs, err := tx.AuditEvents(ravao.AuditFilter{Action: action, Limit: 10000})
		n = len(evs)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestAuditViewerIsForTheOfficerOnly(t *testing.T) {
	e := auditFixture(t)
	routes := []request{
		{method: "GET", path: "/dpo/audit"}, {method: "POST", path: "/dpo/audit/verify"},
		{method: "GET", path: "/dpo/audit/export.csv"}, {method: "GET", path: "/dpo/audit/export.xlsx"},
		{method: "GET", path: "/api/v1/audit"}, {method: "POST", path: "/api/v1/audit/verify"},
	}
	for _, login := range []string{"admin", "health", "gate"} {
		for _, r := range routes {
			r.token = e.tokens[login]
			if rec := e.do(r); rec.Code != http.StatusForbidden {
				t.Errorf("%s %s %s: got %d, want 403", login, r.method, r.path, rec.Code)
			}
		}
	}
	if n := e.auditActions("audit.read") + e.auditActions("audit.export"); n != 0 {
		t.Errorf("refused reads recorded %d audit.read/export events, want none", n)
	}
	rec := e.do(request{method: "GET", path: "/home", token: e.tokens["dpo"]})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `href="/dpo/audit"`) {
		t.Errorf("the officer's home: got %d, want a link to /dpo/audit", rec.Code)
	}
}

func TestAuditViewerFilters(t *testing.T) {
	e := auditFixture(t)
	dpo := e.tokens["dpo"]
	rec := e.do(request{method: "GET", path: "/dpo/audit", token: dpo})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "person.lookup") || !strings.Contains(body, "user.create") ||
		!strings.Contains(body, `<datalist id="actions">`) || !strings.Contains(body, `id="chain-state"`) {
		t.Fatalf("the viewer: got %d, want events, the actions and the chain's state:\n%s", rec.Code, body)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", rec.Header().Get("Cache-Control"))
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit?user=health&action=person.lookup", token: dpo})
	body = rec.Body.String()
	if rec.Code != 200 || strings.Count(body, `<td class="action">person.lookup</td>`) != 2 || strings.Contains(body, `<td class="action">user.create</td>`) ||
		!strings.Contains(body, "Ca bệnh F0 số 13") || !strings.Contains(body, `value="health"`) {
		t.Errorf("filtered by user and action: got %d, want the two lookups:\n%s", rec.Code, body)
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit?user=health&from=2000-01-01&to=2000-01-02", token: dpo})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="events-none"`) {
		t.Errorf("filtered by days long past: got %d, want no event", rec.Code)
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit?user=nobody&from=yesterday", token: dpo})
	body = rec.Body.String()
	if rec.Code != 400 || !strings.Contains(body, `id="e-from"`) {
		t.Errorf("bad day: got %d, want 400 with the error beside from", rec.Code)
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit?user=nobody", token: dpo})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), e.srv.cat.T("vi", "err.audit_unknown_login")) {
		t.Errorf("unknown login: got %d, want 400 saying so", rec.Code)
	}
	if n := e.auditActions("audit.read"); n != 3 {
		t.Errorf("audit.read events: got %d, want 3 (one per page of events shown, none for refused filters)", n)
	}

	// The chain: unknown until checked, then verified up to its head.
	if rec := e.do(request{method: "POST", path: "/dpo/audit/verify", token: dpo}); rec.Code != http.StatusSeeOther {
		t.Fatalf("verify: got %d, want 303", rec.Code)
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit", token: dpo})
	if !strings.Contains(rec.Body.String(), `id="head-hash"`) {
		t.Errorf("after verify: want the chain's head shown:\n%s", rec.Body)
	}
}

func TestAuditViewerPages(t *testing.T) {
	e := auditFixture(t)
	err := e.store.Update(context.Background(), func(tx ravao.Tx) error {
		for range auditlog.PageSize + 5 {
			if err := tx.AppendAudit(&ravao.AuditEvent{Action: "case.view", ObjectType: "case", ObjectID: "42"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var page auditPageJSON
	rec := e.do(request{method: "GET", path: "/api/v1/audit?object_type=case&object_id=42", token: e.tokens["dpo"]})
	decode(t, rec.Body, &page)
	if rec.Code != 200 || len(page.Events) != auditlog.PageSize || page.Before == nil || page.Events[0].ObjectID != "42" {
		t.Fatalf("API page 1: got %d, %d events, before %v", rec.Code, len(page.Events), page.Before)
	}
	first := page.Events[0]
	rec = e.do(request{method: "GET", path: "/api/v1/audit?object_type=case&object_id=42&before=" + strconv.FormatInt(*page.Before, 10), token: e.tokens["dpo"]})
	page = auditPageJSON{}
	decode(t, rec.Body, &page)
	if rec.Code != 200 || len(page.Events) != 5 || page.Before != nil || page.Events[0].ID >= first.ID {
		t.Fatalf("API page 2: got %d, %d events, before %v; want the 5 older ones", rec.Code, len(page.Events), page.Before)
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit?object_type=case&object_id=42", token: e.tokens["dpo"]})
	if !strings.Contains(rec.Body.String(), `href="/dpo/audit?object_id=42&amp;object_type=case&amp;before=`) {
		t.Errorf("the viewer's older link keeps the filters:\n%s", rec.Body)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/audit?user=nobody", token: e.tokens["dpo"]})
	if d := apiError(t, rec); rec.Code != 400 || d.Fields["user"] == "" {
		t.Errorf("API unknown login: got %d %+v, want 400 on user", rec.Code, d)
	}
}

func TestAuditExportAndVerifyAPI(t *testing.T) {
	e := auditFixture(t)
	dpo := e.tokens["dpo"]
	rec := e.do(request{method: "GET", path: "/dpo/audit/export.xlsx?action=person.lookup", token: dpo})
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("export: got %d", rec.Code)
	}
	book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	rows, err := book.GetRows(book.GetSheetList()[0])
	if err != nil || len(rows) != 3 {
		t.Fatalf("export rows: got %v, %v; want a header and the 2 lookups", rows, err)
	}
	for _, row := range rows[1:] {
		if row[2] != "health" || row[4] != "person.lookup" || !strings.HasPrefix(row[7], "Ca bệnh F0") {
			t.Errorf("export row: got %q, want the official's lookup", row)
		}
	}
	rec = e.do(request{method: "GET", path: "/dpo/audit/export.csv?user=health", token: dpo})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "person.lookup") || strings.Contains(rec.Body.String(), "user.create") {
		t.Errorf("CSV export by user: got %d %q", rec.Code, rec.Body)
	}
	if n := e.auditActions("audit.export"); n != 2 {
		t.Errorf("audit.export events: got %d, want 2", n)
	}

	if _, err := e.srv.audit.SealAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	var v verificationJSON
	rec = e.do(request{method: "POST", path: "/api/v1/audit/verify", token: dpo})
	decode(t, rec.Body, &v)
	if rec.Code != 200 || !v.OK || v.Checked == 0 || int64(v.Checked) != v.HeadSeq || len(v.HeadHash) != 64 || v.Broken != nil {
		t.Errorf("verify: got %d %+v, want an intact chain", rec.Code, v)
	}
	var page auditPageJSON
	decode(t, e.do(request{method: "GET", path: "/api/v1/audit?action=audit.verify", token: dpo}).Body, &page)
	if len(page.Events) != 1 || page.Events[0].Login != "dpo" || page.Events[0].Reason != "ok" {
		t.Errorf("audit.verify event: got %+v", page.Events)
	}
}

func TestAuditAPIIsDocumented(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct{ Tags []string }
	}
	decode(t, e.do(request{method: "GET", path: "/api/v1/openapi.json"}).Body, &doc)
	for _, op := range []struct{ path, method string }{{"/api/v1/audit", "get"}, {"/api/v1/audit/verify", "post"}} {
		if got := doc.Paths[op.path][op.method].Tags; !slices.Equal(got, []string{"audit"}) {
			t.Errorf("%s %s: tags %v, want [audit]", op.method, op.path, got)
		}
	}
}
