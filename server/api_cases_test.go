package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// caseAnswer is what opening, changing or promoting a case answers.
type caseAnswer struct {
	Case struct {
		ID       int64
		PersonID int64 `json:"person_id"`
		Status   string
		UnitCode string  `json:"unit_code"`
		WindowTo *string `json:"window_to"`
		Settings map[string]int64
	}
	Traced struct{ Found, Added int }
}

// apiCall is a JSON call as one of the accounts.
func (f *caseFixture) apiCall(login, method, path, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: method, path: path, body: body, token: f.tokens[login]})
}

// wantStatus checks a call's status and decodes its body into v (when not
// nil).
func wantStatus(t *testing.T, what string, rec *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("%s: got %d, want %d: %s", what, rec.Code, status, rec.Body)
	}
	if v != nil {
		decode(t, bytes.NewReader(rec.Body.Bytes()), v)
	}
}

func TestCasesAPIOpenTraceWorkAndExport(t *testing.T) {
	f := newCaseFixture(t)
	var opened caseAnswer
	wantStatus(t, "open", f.apiCall("health", "POST", "/api/v1/cases",
		`{"phone":"0912 345 678","reason":"F0: RT-PCR dương tính","unit_code":"13321"}`), 201, &opened)
	c := opened.Case
	if c.PersonID != f.people["An"] || c.Status != "open" || c.UnitCode != "13321" || c.WindowTo != nil ||
		c.Settings["buffer_ms"] != 30*60*1000 || c.Settings["close_after_ms"] != 15*60*1000 || opened.Traced != (struct{ Found, Added int }{2, 2}) {
		t.Fatalf("open: got %+v, want An's open-ended case in the ward, default settings in ms, 2 contacts found and added", opened)
	}
	caseURL := fmt.Sprintf("/api/v1/cases/%d", c.ID)

	rec := f.apiCall("health", "GET", "/api/v1/cases", "")
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `"masked_name":"Nguyễn V*** A"`) || !strings.Contains(body, `"contacts":2`) ||
		strings.Contains(body, "Văn An") || strings.Contains(body, personPhone) {
		t.Errorf("list: got %d %s, want the case with a masked name and 2 contacts, nothing in clear", rec.Code, body)
	}

	var shown struct {
		Person struct {
			FullName string `json:"full_name"`
			Phone    string
		}
		Timeline []struct {
			VisitID        int64  `json:"visit_id"`
			CheckpointName string `json:"checkpoint_name"`
			Out            *time.Time
			Exposed, Close int
		}
	}
	wantStatus(t, "case", f.apiCall("health", "GET", caseURL, ""), 200, &shown)
	if shown.Person.FullName != "Nguyễn Văn An" || shown.Person.Phone != personPhone || len(shown.Timeline) != 1 ||
		shown.Timeline[0].CheckpointName != "Cổng chính" || shown.Timeline[0].Out == nil || shown.Timeline[0].Exposed != 2 || shown.Timeline[0].Close != 1 {
		t.Errorf("case: got %+v, want An in clear and one visit exposing 2, 1 close", shown)
	}

	var live struct {
		Exposures []struct {
			PersonID  int64 `json:"person_id"`
			OverlapMS int64 `json:"overlap_ms"`
			Class     string
		}
	}
	rec = f.apiCall("health", "GET", caseURL+"/exposures", "")
	wantStatus(t, "exposures", rec, 200, &live)
	if len(live.Exposures) != 2 || live.Exposures[0].PersonID != f.people["Bình"] || live.Exposures[0].OverlapMS != 90*60*1000 || live.Exposures[0].Class != "close" ||
		live.Exposures[1].PersonID != f.people["Cường"] || live.Exposures[1].OverlapMS != 10*60*1000 || live.Exposures[1].Class != "possible" {
		t.Errorf("exposures: got %+v, want Bình 90 min close, then Cường 10 min possible", live.Exposures)
	}
	if body := rec.Body.String(); strings.Contains(body, "Bình") || strings.Contains(body, binhPhone) {
		t.Errorf("exposures name people: %s", body)
	}

	var list struct {
		Contacts []struct {
			ID     int64
			Degree int
			Class  string
			Person struct {
				FullName string `json:"full_name"`
				Phone    string
			}
		}
	}
	wantStatus(t, "contacts", f.apiCall("health", "GET", caseURL+"/contacts", ""), 200, &list)
	if len(list.Contacts) != 2 || list.Contacts[0].Person.FullName != "Trần Thị Bình" || list.Contacts[0].Person.Phone != binhPhone ||
		list.Contacts[0].Class != "close" || list.Contacts[1].Person.FullName != "Lê Văn Cường" {
		t.Fatalf("contacts: got %+v, want Bình then Cường, in clear", list.Contacts)
	}
	binh := list.Contacts[0].ID
	contactURL := fmt.Sprintf("/api/v1/contacts/%d", binh)

	var updated struct {
		Status       string
		AssigneeID   int64  `json:"assignee_id"`
		AssigneeName string `json:"assignee_name"`
	}
	wantStatus(t, "update contact", f.apiCall("health", "PATCH", contactURL,
		fmt.Sprintf(`{"status":"isolating","assignee_id":%d,"note":"Đã gọi, cách ly tại nhà"}`, f.ids[health2])), 200, &updated)
	if updated.Status != "isolating" || updated.AssigneeID != f.ids[health2] || updated.AssigneeName != "Đỗ Văn Dịch Tễ" {
		t.Errorf("update contact: got %+v, want isolating, assigned to health2", updated)
	}
	rec = f.apiCall("health", "GET", contactURL, "")
	var one struct {
		Contact struct{ Status string }
		History []struct {
			Status string
			Note   string
		}
	}
	wantStatus(t, "contact", rec, 200, &one)
	if one.Contact.Status != "isolating" || len(one.History) != 1 || one.History[0].Note != "Đã gọi, cách ly tại nhà" {
		t.Errorf("contact: got %+v, want the status and the note in the history", one)
	}
	if body := rec.Body.String(); strings.Contains(body, "Bình") || strings.Contains(body, binhPhone) {
		t.Errorf("one contact names the person (only the case's list may): %s", body)
	}

	var expanded struct{ Found, Added int }
	wantStatus(t, "expand", f.apiCall("health", "POST", caseURL+"/expand", fmt.Sprintf(`{"contact_ids":[%d]}`, binh)), 200, &expanded)
	if expanded.Added != 1 {
		t.Errorf("expand from Bình: got %+v, want Dũng added", expanded)
	}
	if got := f.contactsOf(c.ID)["Dũng"]; got.Contact.Degree != 2 || got.Contact.ViaContactID != binh {
		t.Errorf("Dũng: got %+v, want an F2 via Bình", got.Contact)
	}
	var traced struct{ Found, Added int }
	wantStatus(t, "trace again", f.apiCall("health", "POST", caseURL+"/trace", ""), 200, &traced)
	if traced.Found != 2 || traced.Added != 0 {
		t.Errorf("trace again: got %+v, want 2 found, none new", traced)
	}

	var changed caseAnswer
	wantStatus(t, "change the settings", f.apiCall("health", "PATCH", caseURL,
		`{"settings":{"buffer_ms":1800000,"open_window_ms":3600000,"min_overlap_ms":0,"close_after_ms":300000,"window_before_ms":172800000},"window_to":null}`), 200, &changed)
	if changed.Case.Settings["close_after_ms"] != 300000 || changed.Traced.Found != 2 {
		t.Errorf("change the settings: got %+v, want close after 5 minutes, traced again", changed)
	}
	if got := f.contactsOf(c.ID)["Cường"].Contact.Class; got != ravao.ContactClose {
		t.Errorf("Cường after close_after 5 min: class %s, want close", got)
	}
	if got := f.contactsOf(c.ID)["Bình"].Contact.Status; got != ravao.ContactIsolating {
		t.Errorf("Bình after tracing again: status %s, want still isolating", got)
	}

	var x struct {
		ID     int64
		Status string
		Rows   int
	}
	wantStatus(t, "export", f.apiCall("health", "POST", caseURL+"/exports", `{"format":"csv","reason":"Gửi trạm y tế phường"}`), 201, &x)
	if x.Status != "ready" || x.Rows != 3 {
		t.Fatalf("export: got %+v, want a ready file of 3 contacts", x)
	}
	var exports struct{ Exports []struct{ ID int64 } }
	wantStatus(t, "exports", f.apiCall("health", "GET", caseURL+"/exports", ""), 200, &exports)
	if len(exports.Exports) != 1 || exports.Exports[0].ID != x.ID {
		t.Errorf("exports: got %+v, want the one export", exports)
	}
	rec = f.apiCall("health", "GET", fmt.Sprintf("/api/v1/exports/%d/file", x.ID), "")
	rows := wantCSV(t, rec, c.ID)
	if !slices.ContainsFunc(rows, func(r []string) bool {
		return slices.Contains(r, "Trần Thị Bình") && slices.Contains(r, binhPhone)
	}) ||
		!slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "Phạm Văn Dũng") }) {
		t.Errorf("export: rows %q lack Bình with her phone, or Dũng", rows)
	}

	var promoted caseAnswer
	wantStatus(t, "promote", f.apiCall("health", "POST", contactURL+"/promote", `{"reason":"Bình xét nghiệm dương tính"}`), 201, &promoted)
	if promoted.Case.PersonID != f.people["Bình"] || promoted.Case.ID == c.ID {
		t.Errorf("promote: got %+v, want a new case for Bình", promoted)
	}
	var closed caseAnswer
	wantStatus(t, "close", f.apiCall("health", "PATCH", caseURL, `{"close":true}`), 200, &closed)
	if closed.Case.Status != "closed" {
		t.Errorf("close: got %+v, want closed", closed.Case)
	}
	if rec := f.apiCall("health", "PATCH", caseURL, `{"reason":"khác"}`); rec.Code != http.StatusConflict {
		t.Errorf("changing a closed case: got %d, want 409", rec.Code)
	}
}

// wantCSV checks that rec answers case caseID's contacts as a CSV
// attachment that no cache keeps, and returns its rows.
func wantCSV(t *testing.T, rec *httptest.ResponseRecorder, caseID int64) [][]string {
	t.Helper()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("file: got %d %q %q, want 200 text/csv, no-store: %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"), rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, fmt.Sprintf("case-%d", caseID)) {
		t.Errorf("file: Content-Disposition %q, want an attachment named after the case", cd)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("file is not CSV: %v", err)
	}
	return rows
}

func TestCasesAPIExportNeedsASecondOfficial(t *testing.T) {
	f := newCaseFixture(t)
	// A crowded shift: 50 more people at the workshop with An.
	for i := range 50 {
		id := f.addSomeone(fmt.Sprintf("Công Nhân Số %d", i), fmt.Sprintf("09130000%02d", i), "13321")
		f.visitAt(id, f.cp, f.now.Add(-4*time.Hour), f.now.Add(-3*time.Hour))
	}
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	var x struct {
		ID     int64
		Status string
		Rows   int
	}
	wantStatus(t, "export", f.apiCall("health", "POST", fmt.Sprintf("/api/v1/cases/%d/exports", c.ID), `{"format":"xlsx","reason":"Gửi CDC tỉnh"}`), 201, &x)
	if x.Status != "pending" || x.Rows != 52 {
		t.Fatalf("export of 52 contacts: got %+v, want pending", x)
	}
	file := fmt.Sprintf("/api/v1/exports/%d/file", x.ID)
	approve := fmt.Sprintf("/api/v1/exports/%d/approve", x.ID)
	for _, step := range []struct {
		what, login, method, path string
		status                    int
	}{
		{"download before approval", "health", "GET", file, 409},
		{"approving one's own export", "health", "POST", approve, 403},
		{"an official of another province approving", health37, "POST", approve, 404},
		{"gate staff approving", "gate", "POST", approve, 403},
		{"another official approving", health2, "POST", approve, 200},
		{"approving twice", health2, "POST", approve, 409},
	} {
		if rec := f.apiCall(step.login, step.method, step.path, ""); rec.Code != step.status {
			t.Errorf("%s: got %d, want %d: %s", step.what, rec.Code, step.status, rec.Body)
		}
	}
	rec := f.apiCall("health", "GET", file, "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("download: got %d %v", rec.Code, rec.Header())
	}
	book, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("the file is not XLSX: %v", err)
	}
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil || len(rows) != 53 {
		t.Fatalf("xlsx: %d rows (%v), want a header and 52 contacts", len(rows), err)
	}
}

func TestCasesAPIRefusesChangingNothing(t *testing.T) {
	f := newCaseFixture(t)
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	far := f.openCase(health37, tracing.OpenCase{PersonID: f.people["Em"], UnitCode: "37"})
	binh := f.contactsOf(c.ID)["Bình"].Contact.ID
	x, err := f.tracing.RequestExport(context.Background(), f.principalOf("health"), c.ID, "csv", "lưu hồ sơ")
	if err != nil {
		t.Fatal(err)
	}
	cs, farCase := fmt.Sprintf("/api/v1/cases/%d", c.ID), fmt.Sprintf("/api/v1/cases/%d", far.ID)
	contact := fmt.Sprintf("/api/v1/contacts/%d", binh)
	settings := func(change string) string {
		return `{"settings":{"buffer_ms":1800000,"open_window_ms":3600000,"min_overlap_ms":0,` + change + `"window_before_ms":172800000}}`
	}
	tests := []struct {
		name, login, method, path, body string
		status                          int
		field, fkey                     string
	}{
		{"not JSON", "health", "POST", "/api/v1/cases", `{"phone":`, 400, "", ""},
		{"unknown field", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"x","name":"Dũng"}`, 400, "", ""},
		{"no reason", "health", "POST", "/api/v1/cases", `{"phone":"0912000003"}`, 400, "reason", "err.required"},
		{"nobody named", "health", "POST", "/api/v1/cases", `{"reason":"F0"}`, 400, "person", "err.case_person"},
		{"two people named", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","id_number":"035090012345","reason":"F0"}`, 400, "person", "err.case_person_one"},
		{"unknown phone", "health", "POST", "/api/v1/cases", `{"phone":"0999999999","reason":"F0"}`, 400, "phone", "err.person_not_found"},
		{"onset not RFC 3339", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0","onset":"20/07/2021"}`, 400, "onset", "err.time"},
		{"window backwards", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0","window_from":"2026-01-02T00:00:00+07:00","window_to":"2026-01-01T00:00:00+07:00"}`, 400, "window_to", "err.window_order"},
		{"a unit out of scope", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0","unit_code":"37"}`, 400, "unit_code", "err.unit_out_of_scope"},
		{"settings incomplete", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0","settings":{"buffer_ms":0}}`, 400, "settings.close_after_ms", "err.required"},
		{"settings negative", "health", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0",` + settings(`"close_after_ms":-1,`)[1:], 400, "settings.close_after_ms", "err.trace_setting"},
		{"a second open case", "health", "POST", "/api/v1/cases", `{"phone":"0912345678","reason":"F0"}`, 409, "", ""},
		{"bad status filter", "health", "GET", "/api/v1/cases?status=done", "", 400, "status", "err.case_status"},
		{"bad limit", "health", "GET", "/api/v1/cases?limit=0", "", 400, "limit", "err.limit"},
		{"unknown unit filter", "health", "GET", "/api/v1/cases?unit=99999", "", 400, "unit", "err.unit_code"},
		{"id not a number", "health", "GET", "/api/v1/cases/x", "", 400, "id", "err.id"},
		{"settings too long", "health", "PATCH", cs, settings(`"close_after_ms":90000000,`), 400, "settings.close_after_ms", "err.trace_setting"},
		{"window_to not a time", "health", "PATCH", cs, `{"window_to":"tomorrow"}`, 400, "window_to", "err.time"},
		{"unknown case field", "health", "PATCH", cs, `{"status":"closed"}`, 400, "", ""},
		{"bad contact status", "health", "PATCH", contact, `{"status":"cured"}`, 400, "status", "err.contact_status"},
		{"gate staff as assignee", "health", "PATCH", contact, fmt.Sprintf(`{"assignee_id":%d}`, f.ids["gate"]), 400, "assignee_id", "err.assignee"},
		{"expand from nobody", "health", "POST", cs + "/expand", `{"contact_ids":[]}`, 400, "contact_ids", "err.expand_none"},
		{"export as PDF", "health", "POST", cs + "/exports", `{"format":"pdf","reason":"x"}`, 400, "format", ""},
		{"export without reason", "health", "POST", cs + "/exports", `{"format":"csv"}`, 400, "reason", ""},
		{"promote without reason", "health", "POST", contact + "/promote", `{}`, 400, "reason", "err.required"},
		{"another province's case", "health", "GET", farCase, "", 404, "", ""},
		{"another province's contacts", "health", "GET", farCase + "/contacts", "", 404, "", ""},
		{"another province's exposures", "health", "GET", farCase + "/exposures", "", 404, "", ""},
		{"another province's trace", "health", "POST", farCase + "/trace", "", 404, "", ""},
		{"another province's change", "health", "PATCH", farCase, `{"close":true}`, 404, "", ""},
		{"another province's export", "health", "POST", farCase + "/exports", `{"format":"csv","reason":"x"}`, 404, "", ""},
		{"our case from there", health37, "GET", cs + "/contacts", "", 404, "", ""},
		{"our contact from there", health37, "PATCH", contact, `{"status":"called"}`, 404, "", ""},
		{"our export from there", health37, "GET", fmt.Sprintf("/api/v1/exports/%d/file", x.ID), "", 404, "", ""},
		{"an unknown case", "health", "GET", "/api/v1/cases/999999", "", 404, "", ""},
		{"gate staff listing", "gate", "GET", "/api/v1/cases", "", 403, "", ""},
		{"gate staff opening", "gate", "POST", "/api/v1/cases", `{"phone":"0912000003","reason":"F0"}`, 403, "", ""},
		{"venue manager reading", pgManager, "GET", cs + "/contacts", "", 403, "", ""},
		{"local official exporting", pgLocal, "POST", cs + "/exports", `{"format":"csv","reason":"x"}`, 403, "", ""},
		{"nobody", "", "GET", "/api/v1/cases", "", 401, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.tracingState()
			rec := f.apiCall(tt.login, tt.method, tt.path, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			got := apiError(t, rec)
			if got.Message == "" {
				t.Errorf("got %+v, want a message", got)
			}
			if tt.field != "" && got.Fields[tt.field] == "" {
				t.Errorf("fields %v, want one for %s", got.Fields, tt.field)
			}
			if tt.fkey != "" && got.Fields[tt.field] != f.srv.cat.T("vi", tt.fkey) {
				t.Errorf("field %s: got %q, want %q", tt.field, got.Fields[tt.field], f.srv.cat.T("vi", tt.fkey))
			}
			if after := f.tracingState(); after != before {
				t.Errorf("the request changed data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestCasesAPIIsDocumented(t *testing.T) {
	f := newPagesFixture(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Tags        []string
			RequestBody any `json:"requestBody"`
		}
	}
	decode(t, f.do(request{method: "GET", path: "/api/v1/openapi.json"}).Body, &doc)
	for _, op := range []struct{ path, method, tag string }{
		{"/api/v1/cases", "post", "cases"}, {"/api/v1/cases", "get", "cases"}, {"/api/v1/cases/{id}", "get", "cases"},
		{"/api/v1/cases/{id}", "patch", "cases"}, {"/api/v1/cases/{id}/exposures", "get", "cases"}, {"/api/v1/cases/{id}/trace", "post", "cases"},
		{"/api/v1/cases/{id}/contacts", "get", "contacts"}, {"/api/v1/cases/{id}/expand", "post", "contacts"},
		{"/api/v1/contacts/{id}", "get", "contacts"}, {"/api/v1/contacts/{id}", "patch", "contacts"}, {"/api/v1/contacts/{id}/promote", "post", "contacts"},
		{"/api/v1/cases/{id}/exports", "post", "exports"}, {"/api/v1/cases/{id}/exports", "get", "exports"},
		{"/api/v1/exports/{id}/approve", "post", "exports"}, {"/api/v1/exports/{id}/file", "get", "exports"},
	} {
		if got := doc.Paths[op.path][op.method].Tags; !slices.Equal(got, []string{op.tag}) {
			t.Errorf("%s %s: tags %v, want [%s]", op.method, op.path, got, op.tag)
		}
	}
	if doc.Paths["/api/v1/cases"]["post"].RequestBody == nil || doc.Paths["/api/v1/cases/{id}/trace"]["post"].RequestBody != nil {
		t.Errorf("opening a case documents no body, or tracing again documents one")
	}
}
