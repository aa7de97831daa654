package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/breaches"
)

// init gives the register's templates sample data, for the test that
// renders every template.
func init() {
	found := time.Date(2021, 7, 18, 8, 0, 0, 0, time.UTC)
	b := ravao.Breach{ID: 7, Title: "Gửi nhầm tệp", What: "Tệp bị gửi nhầm", FoundAt: found, DataKinds: []string{"phone"}, Status: ravao.BreachOpen}
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"title": "Bắt buộc.", "from": "Sai."}}
	samples["breaches.html"] = func() *pageData {
		return &pageData{Title: "breaches.title", Path: "/dpo/breaches", Data: &breachesData{
			Rows:  []breachRow{{ID: 7, Title: b.Title, Found: "08:00 18/07/2021", Deadline: "08:00 21/07/2021", Status: b.Status, Clock: "còn 41 giờ"}},
			Kinds: breachKinds([]string{"phone"}), Failure: fail, Failed: "record", Done: "breaches.done_recorded",
		}}
	}
	samples["breach.html"] = func() *pageData {
		return &pageData{Title: "breach.title", Path: "/dpo/breaches/7", Data: &breachData{
			B: b, Found: "08:00 18/07/2021", Deadline: "08:00 21/07/2021", Clock: "quá hạn 3 giờ", Overdue: true,
			Kinds: breachKinds(nil), Statuses: ravao.BreachStatuses, Form: breachForm{Status: "open"}, Crit: breachCrit{Kind: "visits"},
			Events:   []breachEventRow{{At: "08:00 18/07/2021", Action: "recorded", Status: ravao.BreachOpen}},
			Affected: &breaches.Affected{Count: 1, WithPhone: 1, People: []breaches.AffectedPerson{{PersonID: 3, MaskedName: "Nguyễn V*** A", MaskedPhone: "091****678"}}},
			Failure:  fail, Failed: "affected", ShownMost: 1,
		}}
	}
	samples["breach_report.html"] = func() *pageData {
		return &pageData{Title: "breach.report_links", Path: "/dpo/breaches/7/report", Data: breachReportData{ID: 7, Lang: "vi", Other: "en",
			Report: breaches.NotificationReport{Title: "THÔNG BÁO", To: "Kính gửi", Sections: []breaches.Section{{Heading: "Mô tả", Body: "a\nb"}}}}}
	}
}

// breachFixture is a server with a data-protection officer.
func breachFixture(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.addUser(context.Background(), "dpo", "Đỗ Thị Bảo Vệ Dữ Liệu", staffPassword, ravao.RoleAssignment{Role: ravao.RoleDPO})
	return e
}

// recordBreach records a breach through the API and returns its id.
func (e *env) recordBreach(t *testing.T, found time.Time) int64 {
	t.Helper()
	body := `{"title":"Gửi nhầm tệp xuất","what":"Tệp danh sách gửi nhầm qua Zalo","place":"Trạm y tế phường Quang Trung",` +
		`"found_at":"` + found.Format(time.RFC3339) + `","data_kinds":["name","phone"],"people_affected":12}`
	rec := e.do(request{method: "POST", path: "/api/v1/breaches", body: body, token: e.tokens["dpo"]})
	if rec.Code != http.StatusCreated {
		t.Fatalf("record: %d %s", rec.Code, rec.Body)
	}
	var out breachJSON
	decode(t, rec.Body, &out)
	if !out.Deadline.Equal(out.FoundAt.Add(72*time.Hour)) || out.Status != ravao.BreachOpen || out.What == "" {
		t.Fatalf("recorded: %+v", out)
	}
	return out.ID
}

func TestBreachRoutesAreForTheOfficerOnly(t *testing.T) {
	e := breachFixture(t)
	id := strconv.FormatInt(e.recordBreach(t, time.Now().Add(-time.Hour)), 10)
	routes := []request{
		{method: "GET", path: "/dpo/breaches"}, {method: "GET", path: "/dpo/breaches/" + id},
		{method: "GET", path: "/dpo/breaches/" + id + "/report"}, {method: "GET", path: "/dpo/breaches/" + id + "/report.pdf"},
		{method: "GET", path: "/dpo/breaches/" + id + "/report.txt"},
		{method: "GET", path: "/api/v1/breaches"}, {method: "POST", path: "/api/v1/breaches", body: `{}`},
		{method: "GET", path: "/api/v1/breaches/" + id}, {method: "PATCH", path: "/api/v1/breaches/" + id, body: `{}`},
		{method: "GET", path: "/api/v1/breaches/" + id + "/report"}, {method: "POST", path: "/api/v1/breaches/" + id + "/affected", body: `{}`},
	}
	for _, login := range []string{"admin", "health", "gate"} {
		for _, r := range routes {
			r.token = e.tokens[login]
			if rec := e.do(r); rec.Code != http.StatusForbidden {
				t.Errorf("%s %s %s: got %d, want 403", login, r.method, r.path, rec.Code)
			}
		}
	}
}

func TestBreachPages(t *testing.T) {
	e := breachFixture(t)
	dpo := e.tokens["dpo"]
	late := e.recordBreach(t, time.Now().Add(-75*time.Hour))
	soon := e.recordBreach(t, time.Now().Add(-31*time.Hour+time.Minute))
	for lang, words := range map[string][]string{
		"vi": {"Sổ theo dõi vi phạm", "còn 41 giờ", "quá hạn 3 giờ", "Ghi nhận vi phạm mới"},
		"en": {"breach register", "41 hours left", "3 hours overdue", "Record a new breach"},
	} {
		rec := e.do(request{method: "GET", path: "/dpo/breaches", token: dpo, lang: lang})
		body := rec.Body.String()
		for _, w := range words {
			if rec.Code != 200 || !strings.Contains(body, w) {
				t.Errorf("%s register: got %d, want %q:\n%s", lang, rec.Code, w, body)
			}
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control: %q", rec.Header().Get("Cache-Control"))
		}
	}
	// The overdue one (found earlier) is listed before the other.
	body := e.do(request{method: "GET", path: "/dpo/breaches", token: dpo}).Body.String()
	if strings.Index(body, "breach-"+strconv.FormatInt(late, 10)) > strings.Index(body, "breach-"+strconv.FormatInt(soon, 10)) {
		t.Error("the breach with the earlier deadline is not first")
	}

	// A new breach from the form; bad input shows the errors beside the fields.
	form := url.Values{"title": {"Mất máy tính"}, "what": {"Máy tính của trạm y tế bị mất"}, "found_at": {time.Now().In(e.srv.cfg.TZ).Add(-time.Hour).Format(dateTimeInput)},
		"data_kinds": {"name", "health_declaration"}, "people_affected": {"40"}}
	rec := e.do(request{method: "POST", path: "/dpo/breaches", body: form.Encode(), form: true, token: dpo})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/dpo/breaches/") {
		t.Fatalf("record form: got %d %s", rec.Code, rec.Body)
	}
	bad := url.Values{"title": {""}, "what": {"x"}, "found_at": {"hôm qua"}, "data_kinds": {"dna"}}
	rec = e.do(request{method: "POST", path: "/dpo/breaches", body: bad.Encode(), form: true, token: dpo, lang: "en"})
	body = rec.Body.String()
	if rec.Code != 400 || !strings.Contains(body, `id="e-title"`) || !strings.Contains(body, `id="e-found"`) || !strings.Contains(body, "Unknown or repeated kind of data") {
		t.Errorf("bad form: got %d:\n%s", rec.Code, body)
	}

	// The breach's page, its update, and the report.
	path := "/dpo/breaches/" + strconv.FormatInt(late, 10)
	rec = e.do(request{method: "GET", path: path, token: dpo})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Tệp danh sách gửi nhầm qua Zalo") || !strings.Contains(rec.Body.String(), "Ghi nhận vi phạm") {
		t.Fatalf("breach page: %d\n%s", rec.Code, rec.Body)
	}
	upd := url.Values{"title": {"Gửi nhầm tệp xuất"}, "what": {"Tệp danh sách gửi nhầm qua Zalo"}, "found_at": {time.Now().In(e.srv.cfg.TZ).Add(-75 * time.Hour).Format(dateTimeInput)},
		"data_kinds": {"name", "phone"}, "people_affected": {"12"}, "status": {"notified"}, "authority_ref": {"A05-17"}, "late_reason": {"Phát hiện vào ngày nghỉ lễ"}, "place": {"Trạm y tế phường Quang Trung"}}
	if rec := e.do(request{method: "POST", path: path, body: upd.Encode(), form: true, token: dpo}); rec.Code != http.StatusSeeOther {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	upd.Set("status", "open")
	rec = e.do(request{method: "POST", path: path, body: upd.Encode(), form: true, token: dpo})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `id="e-status"`) {
		t.Errorf("back to open: got %d, want 400 beside status", rec.Code)
	}
	rec = e.do(request{method: "GET", path: path + "/report", token: dpo})
	body = rec.Body.String()
	for _, w := range []string{"THÔNG BÁO VI PHẠM", "Bộ Công an", "chậm 3 giờ", "Phát hiện vào ngày nghỉ lễ", "A05-17"} {
		if rec.Code != 200 || !strings.Contains(body, w) {
			t.Errorf("report page lacks %q (%d)", w, rec.Code)
		}
	}
	rec = e.do(request{method: "GET", path: path + "/report?lang=en", token: dpo})
	if !strings.Contains(rec.Body.String(), "NOTIFICATION OF A PERSONAL DATA PROTECTION BREACH") {
		t.Errorf("English report: %d", rec.Code)
	}
	rec = e.do(request{method: "GET", path: path + "/report.txt", token: dpo})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") || !strings.Contains(rec.Body.String(), "4. Loại dữ liệu cá nhân") {
		t.Errorf("report.txt: %d %q\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	rec = e.do(request{method: "GET", path: path + "/report.pdf", token: dpo})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("report.pdf: %d %v", rec.Code, rec.Header())
	}
	if text := pdfText(t, rec); !strings.Contains(text, "Trạm y tế phường Quang Trung") || !strings.Contains(text, "chậm 3 giờ") {
		t.Errorf("PDF text:\n%s", text)
	}

	// Affected people in the seeded ward, and the CSV of their phones.
	crit := url.Values{"kind": {"unit"}, "unit_code": {"13321"}}
	rec = e.do(request{method: "POST", path: path + "/affected", body: crit.Encode(), form: true, token: dpo})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Tìm thấy 1 người, 1 người có số điện thoại.") || !strings.Contains(rec.Body.String(), "Nguyễn V*** A") ||
		strings.Contains(rec.Body.String(), personPhone) {
		t.Fatalf("affected: %d\n%s", rec.Code, rec.Body)
	}
	rec = e.do(request{method: "POST", path: path + "/affected.csv", body: crit.Encode(), form: true, token: dpo})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), personPhone) || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("affected.csv: %d\n%s", rec.Code, rec.Body)
	}
	if n := e.auditActions("breach.export"); n != 1 {
		t.Errorf("breach.export events: %d, want 1", n)
	}
}

func TestBreachAPI(t *testing.T) {
	e := breachFixture(t)
	dpo := e.tokens["dpo"]
	id := e.recordBreach(t, time.Now().Add(-2*time.Hour))
	path := "/api/v1/breaches/" + strconv.FormatInt(id, 10)
	rec := e.do(request{method: "POST", path: "/api/v1/breaches", body: `{"title":"","what":"x","data_kinds":["dna"],"found_at":"hôm qua"}`, token: dpo, lang: "en"})
	if d := apiError(t, rec); rec.Code != 400 || d.Fields["found_at"] == "" {
		t.Errorf("bad record: %d %+v", rec.Code, d)
	}
	rec = e.do(request{method: "PATCH", path: path, body: `{"status":"closed","measures":"Thu hồi tệp"}`, token: dpo})
	var b breachJSON
	decode(t, rec.Body, &b)
	if rec.Code != 200 || b.Status != ravao.BreachClosed || b.Measures != "Thu hồi tệp" {
		t.Fatalf("patch: %d %+v", rec.Code, b)
	}
	rec = e.do(request{method: "PATCH", path: path, body: `{"status":"open"}`, token: dpo})
	if rec.Code != http.StatusConflict {
		t.Errorf("patch a closed breach: %d, want 409", rec.Code)
	}
	rec = e.do(request{method: "GET", path: path, token: dpo})
	decode(t, rec.Body, &b)
	if rec.Code != 200 || len(b.Events) != 2 || b.Events[1].Action != "closed" {
		t.Errorf("show: %d %+v", rec.Code, b)
	}
	rec = e.do(request{method: "GET", path: "/api/v1/breaches", token: dpo})
	var list struct{ Breaches []breachJSON }
	decode(t, rec.Body, &list)
	if rec.Code != 200 || len(list.Breaches) != 1 || list.Breaches[0].What != "" {
		t.Errorf("list: %d %+v", rec.Code, list)
	}
	rec = e.do(request{method: "GET", path: path + "/report", token: dpo})
	var rep breachReportJSON
	decode(t, rec.Body, &rep)
	if rec.Code != 200 || !rep.Within || len(rep.Sections) < 7 || !strings.Contains(rep.Text, "Bên kiểm soát dữ liệu cá nhân") {
		t.Errorf("report: %d %+v", rec.Code, rep)
	}
	rec = e.do(request{method: "POST", path: path + "/affected", body: `{"unit_code":"13321"}`, token: dpo})
	var aff breachAffectedJSON
	decode(t, rec.Body, &aff)
	if rec.Code != 200 || aff.Count != 1 || aff.People[0].MaskedPhone != "091****678" {
		t.Errorf("affected: %d %+v", rec.Code, aff)
	}
	rec = e.do(request{method: "POST", path: path + "/affected", body: `{"unit_code":"13321","declarations":true}`, token: dpo, lang: "en"})
	if d := apiError(t, rec); rec.Code != 400 || d.Fields["criteria"] != "Choose exactly one criterion: places, declarations or unit." {
		t.Errorf("two criteria: %d %+v", rec.Code, d)
	}
	doc := e.srv.OpenAPI()["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/breaches", "/api/v1/breaches/{id}", "/api/v1/breaches/{id}/report", "/api/v1/breaches/{id}/affected"} {
		if _, ok := doc[p]; !ok {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}
