package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
)

// The sample data of the tracing pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{
		"reason": "Cần lý do.", "phone": "Số điện thoại không hợp lệ.", "onset": "Ngày không hợp lệ.", "buffer": "Số phút không hợp lệ.",
		"status": "Trạng thái không hợp lệ.", "format": "Định dạng không hợp lệ.", "severity": "Mức độ không hợp lệ.",
	}, Other: []string{"Khác"}}
	samples["cases.html"] = func() *pageData {
		return &pageData{Title: "cases.title", Path: "/cases", Data: &casesData{
			Rows: []caseRow{
				{ID: 12, Name: "Nguyễn V*** A", Status: ravao.CaseOpen, Unit: "Tỉnh Hà Nam", From: "08:00 18/07/2021", Contacts: 7},
				{ID: 9, Name: "Trần T*** B", Status: ravao.CaseClosed, Unit: "Phường Quang Trung", From: "08:00 10/07/2021", To: "08:00 14/07/2021"},
			},
			NextURL: "/cases?after=9", Failure: fail,
			Form:  openForm{Phone: "0912", Reason: "F0", Unit: "35", Onset: "2021-07-20"},
			Units: []unitGroup{{Units: []unitChoice{{"35", "Tỉnh Hà Nam"}}}, {Name: "Thành phố Phủ Lý", Units: []unitChoice{{"347", "Thành phố Phủ Lý"}, {"13321", "Phường Quang Trung"}}}},
		}}
	}
	samples["case.html"] = func() *pageData { return sampleCase("settings", fail) }
	samples["contact.html"] = func() *pageData {
		return &pageData{Title: "contact.title", Path: "/contacts/5", Data: &contactData{
			Contact: tracing.ContactView{
				Contact: ravao.Contact{ID: 5, CaseID: 12, Degree: 2, Class: ravao.ContactClose, Visits: 2, SameVehicle: true, Status: ravao.ContactCalled, AssigneeID: 3},
				Person:  tracing.PersonView{FullName: "Lê Văn Cường", Phone: "0912000002", BirthYear: 1985}, AssigneeName: "Phạm Thị Y Tế",
				Via: "Trần T*** B", Notified: ravao.NotifySent,
			},
			FirstAt: "09:00 19/07/2021", Overlap: "42", Statuses: contactStatusChoices(), Assignees: []tracer{{3, "Phạm Thị Y Tế"}},
			Events: []eventRow{{At: "10:00 20/07/2021", By: "Phạm Thị Y Tế", Status: ravao.ContactCalled, Assignee: "Phạm Thị Y Tế", Note: "Đã gọi"}},
			Form:   contactForm{Status: "called", Assignee: "3", Note: "x"}, Reason: "dương tính", Done: "contact.done_update",
			Failed: "update", Failure: fail,
		}}
	}
	samples["export.html"] = func() *pageData {
		return &pageData{Title: "export.title", Path: "/exports/4", Data: &exportData{
			Export:      ravao.Export{ID: 4, CaseID: 12, Format: "xlsx", Rows: 80, Reason: "Gửi CDC", Status: ravao.ExportPending},
			RequestedBy: "Phạm Thị Y Tế", At: "10:00 20/07/2021", Done: "export.done_approve", Failure: fail,
		}}
	}
}

// sampleCase is an open case's page with one visit, two contacts and two
// exports, the form named by failed showing fail.
func sampleCase(failed string, fail formFailure) *pageData {
	return &pageData{Title: "case.title", Path: "/cases/12", Data: &caseData{
		Case: ravao.Case{ID: 12, Status: ravao.CaseOpen, Reason: "F0 dương tính"}, Unit: "Tỉnh Hà Nam",
		Person: tracing.PersonView{FullName: "Nguyễn Văn An", Phone: "0912345678", BirthYear: 1990},
		Onset:  "00:00 20/07/2021", From: "00:00 18/07/2021", Source: &ravao.Contact{ID: 3, CaseID: 8},
		Settings: settingsForm{WindowFrom: "2021-07-18T00:00", Buffer: "30", OpenWindow: "60", MinOverlap: "0", CloseAfter: "15", WindowBefore: "2880"},
		Timeline: []timelineRow{
			{VisitID: 1, Venue: "Xưởng may số 1", Checkpoint: "Cổng chính", Kind: ravao.CheckpointGate, Unit: "Phường Quang Trung", In: "08:00 19/07/2021", Out: "10:00 19/07/2021", Exposed: 3, Close: 1},
			{VisitID: 2, Venue: "Xe buýt 01", Checkpoint: "Xe 01", Kind: ravao.CheckpointVehicle, In: "11:00 19/07/2021", Out: "12:00 19/07/2021", OutAuto: true, PublishChosen: true},
		},
		Contacts: []contactRow{
			{ID: 5, Degree: 1, Class: ravao.ContactClose, Name: "Trần Thị Bình", Phone: "0912000001", Overlap: "90", Visits: 1, Status: ravao.ContactNew, Notified: ravao.NotifyQueued},
			{ID: 6, Degree: 2, Class: ravao.ContactPossible, Name: "Lê Văn Cường", Via: "Trần T*** B", Overlap: "5", Visits: 1, SameVehicle: true, Status: ravao.ContactCalled, Assignee: "Phạm Thị Y Tế"},
		},
		Exports: []exportRow{
			{ID: 4, Format: "xlsx", Rows: 80, Status: ravao.ExportPending, RequestedBy: "Phạm Thị Y Tế", Reason: "Gửi CDC", At: "10:00 20/07/2021"},
			{ID: 3, Format: "csv", Rows: 2, Status: ravao.ExportReady, RequestedBy: "Phạm Thị Y Tế", Mine: true, At: "09:00 20/07/2021"},
		},
		Statuses: contactStatusChoices(), Severities: severityChoices(),
		Export: exportForm{Format: "csv", Reason: "x"}, Publish: publishForm{Severity: "low", MessageVI: "x", Visits: []int64{2}},
		Done: "Đã mở ca bệnh.", Failed: failed, Failure: fail,
	}}
}

// Logins of the officials caseFixture adds.
const (
	health2  = "health2"  // a second health official of Hà Nam (35)
	health37 = "health37" // a health official of Ninh Bình (37)
)

// caseFixture is pagesFixture with a small outbreak at the seeded
// workshop, hours ago: An (the seeded person, the index case) was in from
// 5 to 3 hours ago; Bình overlapped them 90 minutes (close), Cường 10
// minutes (possible); later Bình met Dũng at the market for 30 minutes
// (an F2 through Bình). Em lives in Ninh Bình.
type caseFixture struct {
	*pagesFixture
	now    time.Time
	people map[string]int64 // by given name
}

// The phones of the fixture's people.
const (
	binhPhone  = "0912000001"
	cuongPhone = "0912000002"
	dungPhone  = "0912000003"
	emPhone    = "0912000004"
)

func newCaseFixture(t *testing.T) *caseFixture {
	t.Helper()
	f := &caseFixture{pagesFixture: newPagesFixture(t), now: time.Now().UTC().Truncate(time.Minute), people: map[string]int64{"An": 0}}
	f.people["An"] = f.person
	ctx := context.Background()
	f.addUser(ctx, health2, "Đỗ Văn Dịch Tễ", staffPassword, ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
	f.addUser(ctx, health37, "Hoàng Văn Ninh", staffPassword, ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "37"})
	for _, p := range []struct{ name, phone, unit string }{
		{"Trần Thị Bình", binhPhone, "13321"}, {"Lê Văn Cường", cuongPhone, "13321"},
		{"Phạm Văn Dũng", dungPhone, "13321"}, {"Vũ Thị Em", emPhone, "14371"},
	} {
		f.people[strings.Fields(p.name)[2]] = f.addSomeone(p.name, p.phone, p.unit)
	}
	h := func(hours float64) time.Time { return f.now.Add(-time.Duration(hours * float64(time.Hour))) }
	f.visitAt(f.people["An"], f.cp, h(5), h(3))
	f.visitAt(f.people["Bình"], f.cp, h(4), h(2))
	f.visitAt(f.people["Cường"], f.cp, h(2+40.0/60), h(1))
	f.visitAt(f.people["Bình"], f.cpB, h(1+40.0/60), h(1+10.0/60))
	f.visitAt(f.people["Dũng"], f.cpB, h(1.5), h(1))
	return f
}

// addSomeone stores a person straight through the vault.
func (f *caseFixture) addSomeone(name, phone, unit string) int64 {
	f.t.Helper()
	p := ravao.Person{
		ID: vault.NewID(), FullName: ravao.PII(name), Phone: ravao.PII(phone), BirthYear: 1985, Sex: ravao.SexFemale, UnitCode: unit,
		ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: f.now,
	}
	rec, err := f.vault.SealPerson(p)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.Update(context.Background(), func(tx ravao.Tx) error { return tx.CreatePerson(&rec) }); err != nil {
		f.t.Fatalf("person %s: %v", name, err)
	}
	return rec.ID
}

// visitAt stores a stay through a checkpoint, checked out by a tap.
func (f *caseFixture) visitAt(person, checkpoint int64, in, out time.Time) {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		cp, err := tx.Checkpoint(checkpoint)
		if err != nil {
			return err
		}
		v := ravao.Visit{PersonID: person, VenueID: cp.VenueID, CheckpointID: cp.ID, InAt: in.UTC(), OutAt: out.UTC(),
			OutReason: ravao.OutTap, Decision: ravao.Green, Source: ravao.SourceSelf}
		return tx.InsertVisits([]*ravao.Visit{&v})
	})
	if err != nil {
		f.t.Fatalf("visit: %v", err)
	}
}

// openCase opens a case through the service as an official, for the
// tests of what comes after.
func (f *caseFixture) openCase(login string, in tracing.OpenCase) ravao.Case {
	f.t.Helper()
	if in.Reason == "" {
		in.Reason = "F0: xét nghiệm RT-PCR dương tính"
	}
	c, _, err := f.tracing.Open(context.Background(), f.principalOf(login), in)
	if err != nil {
		f.t.Fatalf("open a case as %s: %v", login, err)
	}
	return c
}

// contactsOf is a case's worked list as the service gives it, by given
// name.
func (f *caseFixture) contactsOf(caseID int64) map[string]tracing.ContactView {
	f.t.Helper()
	list, err := f.tracing.Contacts(context.Background(), f.principalOf("health"), caseID)
	if err != nil {
		f.t.Fatalf("contacts of case %d: %v", caseID, err)
	}
	out := map[string]tracing.ContactView{}
	for _, cv := range list {
		out[strings.Fields(cv.Person.FullName)[2]] = cv
	}
	return out
}

// tracingState counts what a refused request must leave alone: cases,
// contacts and exports of every case, contact events and audit events.
func (f *caseFixture) tracingState() string {
	f.t.Helper()
	return f.casesState() + fmt.Sprintf("audit %d", f.counts().audit)
}

// casesState is tracingState without the audit log: a refused form shows
// its page again, and each view of a case's data is audited.
func (f *caseFixture) casesState() string {
	f.t.Helper()
	var b strings.Builder
	err := f.store.View(context.Background(), func(tx ravao.Tx) error {
		cases, err := tx.Cases(ravao.CaseFilter{Limit: 1000})
		if err != nil {
			return err
		}
		for _, c := range cases {
			contacts, err := tx.Contacts(c.ID)
			if err != nil {
				return err
			}
			exports, err := tx.Exports(c.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "case %d %s %d %s: %d contacts [", c.ID, c.Status, c.WindowTo.UnixMilli(), c.Settings.CloseAfter, len(contacts))
			for _, ct := range contacts {
				events, err := tx.ContactEvents(ct.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(&b, "%d:%s:%d:%d ", ct.ID, ct.Status, ct.AssigneeID, len(events))
			}
			fmt.Fprintf(&b, "] %d exports; ", len(exports))
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

// idFrom reads the id at the end of a redirect's path, before any query.
func idFrom(t *testing.T, location, prefix string) int64 {
	t.Helper()
	rest, ok := strings.CutPrefix(location, prefix)
	if !ok {
		t.Fatalf("redirect to %q, want %s...", location, prefix)
	}
	rest, _, _ = strings.Cut(rest, "?")
	rest, _, _ = strings.Cut(rest, "#")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q: no id", location)
	}
	return id
}

// openCaseForm is a valid form opening a case for An by ID number; changes
// overwrite its fields.
func openCaseForm(changes url.Values) url.Values {
	v := url.Values{"phone": {""}, "id_number": {personCCCD}, "personal_qr": {""}, "reason": {"F0: RT-PCR dương tính"},
		"unit": {"35"}, "onset": {""}, "window_from": {""}, "window_to": {""}}
	for k, vals := range changes {
		v[k] = vals
	}
	return v
}

func TestCasePagesOpenAndWorkACase(t *testing.T) {
	f := newCaseFixture(t)
	wantPage(t, "home", f.get("health", "/home"), 200, `href="/cases"`, `href="/exposures"`)
	wantPage(t, "empty list", f.get("health", "/cases"), 200, `id="cases-none"`, `action="/cases"`,
		`<option value="35" selected>Tỉnh Hà Nam</option>`, `<option value="13321">Phường Quang Trung</option>`, `name="personal_qr"`)

	before := f.casesState()
	wantPage(t, "bad onset", f.post("health", "/cases", openCaseForm(url.Values{"onset": {"20/07"}, "unit": {"13321"}})), 400,
		`id="e-onset"`, `value="20/07"`, `value="`+personCCCD+`"`, `<option value="13321" selected>`)
	wantPage(t, "no reason", f.post("health", "/cases", openCaseForm(url.Values{"reason": {""}})), 400, `id="e-reason"`, `value="`+personCCCD+`"`)
	wantPage(t, "nobody", f.post("health", "/cases", openCaseForm(url.Values{"id_number": {""}, "reason": {"Ca nghi ngờ"}})), 400,
		`id="e-person"`, `value="Ca nghi ngờ"`)
	wantPage(t, "unknown phone", f.post("health", "/cases", openCaseForm(url.Values{"id_number": {""}, "phone": {"0999 999 999"}})), 400,
		`id="e-phone"`, `value="0999 999 999"`)
	wantPage(t, "window backwards", f.post("health", "/cases", openCaseForm(url.Values{"window_from": {"2026-07-10T08:00"}, "window_to": {"2026-07-09T08:00"}})), 400,
		`id="e-window-to"`, `value="2026-07-10T08:00"`)
	wantPage(t, "another province", f.post("health", "/cases", openCaseForm(url.Values{"unit": {"37"}})), 400, `id="e-unit"`)
	if after := f.casesState(); after != before {
		t.Fatalf("refused forms changed data:\nbefore %s\nafter  %s", before, after)
	}

	loc := wantRedirect(t, "open", f.post("health", "/cases", openCaseForm(nil)), "/cases/")
	id := idFrom(t, loc, "/cases/")
	if !strings.HasSuffix(loc, "?done=open&found=2&added=2") {
		t.Errorf("open: redirect to %s, want the counts of the tracing run", loc)
	}
	body := wantPage(t, "case", f.get("health", loc), 200,
		"tìm thấy 2 người tiếp xúc", "Nguyễn Văn An", personPhone, "1990", "Tỉnh Hà Nam", "F0: RT-PCR dương tính", "Cổng chính", "Xưởng may số 1",
		"Trần Thị Bình", binhPhone, "Lê Văn Cường", "90 phút", "10 phút", "Tiếp xúc gần", "Có thể tiếp xúc",
		`name="buffer" type="number" min="0" max="1440" step="1" inputmode="numeric" required value="30"`, `name="window_before" value="2880"`,
		fmt.Sprintf(`action="/cases/%d/publish"`, id), fmt.Sprintf(`action="/cases/%d/notify"`, id), `name="severity"`, `name="message_vi"`, `name="message_en"`,
		`name="visit"`, `form="publish-form"`, fmt.Sprintf(`action="/cases/%d/expand"`, id), `form="expand-form"`, fmt.Sprintf(`action="/cases/%d/trace"`, id),
		fmt.Sprintf(`action="/cases/%d/exports"`, id))
	if strings.Contains(body, "Phạm Văn Dũng") {
		t.Errorf("case: Dũng listed before expanding")
	}
	body = wantPage(t, "list", f.get("health", "/cases"), 200, "Nguyễn V*** A", fmt.Sprintf(`href="/cases/%d"`, id))
	if strings.Contains(body, "Văn An") || strings.Contains(body, personPhone) {
		t.Errorf("list shows the person in clear")
	}

	contacts := f.contactsOf(id)
	binh, cuong := contacts["Bình"].Contact.ID, contacts["Cường"].Contact.ID
	before = f.casesState()
	wantPage(t, "bad minutes", f.post("health", fmt.Sprintf("/cases/%d", id), url.Values{
		"window_from": {"2026-07-01T08:00"}, "buffer": {"ba mươi"}, "open_window": {"60"}, "min_overlap": {"0"}, "close_after": {"15"}, "window_before": {"2880"},
	}), 400, `id="e-buffer"`, `value="ba mươi"`, `value="2026-07-01T08:00"`)
	wantPage(t, "expand from nobody", f.post("health", fmt.Sprintf("/cases/%d/expand", id), url.Values{}), 400, "Hãy chọn ít nhất một người tiếp xúc F1")
	wantPage(t, "export without reason", f.post("health", fmt.Sprintf("/cases/%d/exports", id), url.Values{"format": {"csv"}}), 400, `id="e-export-reason"`)
	wantPage(t, "quick status unknown", f.post("health", fmt.Sprintf("/contacts/%d", binh), url.Values{"status": {"cured"}, "back": {"case"}}), 400, `id="e-status"`)
	if after := f.casesState(); after != before {
		t.Fatalf("refused forms changed data:\nbefore %s\nafter  %s", before, after)
	}

	wantRedirect(t, "settings", f.post("health", fmt.Sprintf("/cases/%d", id), url.Values{
		"window_from": {f.now.Add(-72 * time.Hour).In(f.srv.cfg.TZ).Format("2006-01-02T15:04")}, "window_to": {""},
		"buffer": {"30"}, "open_window": {"60"}, "min_overlap": {"0"}, "close_after": {"5"}, "window_before": {"2880"},
	}), fmt.Sprintf("/cases/%d?done=update&found=2&added=0", id))
	if got := f.contactsOf(id)["Cường"].Contact.Class; got != ravao.ContactClose {
		t.Errorf("Cường after close-after 5 minutes: %s, want close", got)
	}
	wantRedirect(t, "quick status", f.post("health", fmt.Sprintf("/contacts/%d", cuong), url.Values{"status": {"called"}, "back": {"case"}}),
		fmt.Sprintf("/cases/%d#contact-%d", id, cuong))
	wantRedirect(t, "contact form", f.post("health", fmt.Sprintf("/contacts/%d", binh), url.Values{
		"status": {"isolating"}, "assignee": {strconv.FormatInt(f.ids[health2], 10)}, "note": {"Đã gọi lúc 9 giờ"},
	}), fmt.Sprintf("/contacts/%d?done=update", binh))
	wantPage(t, "assignee who may not trace", f.post("health", fmt.Sprintf("/contacts/%d", binh), url.Values{
		"status": {"isolating"}, "assignee": {strconv.FormatInt(f.ids["gate"], 10)},
	}), 400, `id="e-assignee"`)
	wantPage(t, "contact", f.get("health", fmt.Sprintf("/contacts/%d?done=update", binh)), 200,
		"Đã lưu.", "Trần Thị Bình", binhPhone, "Đang cách ly", "Đã gọi lúc 9 giờ", "Đỗ Văn Dịch Tễ",
		fmt.Sprintf(`<option value="%d" selected>Đỗ Văn Dịch Tễ</option>`, f.ids[health2]), fmt.Sprintf(`<option value="%d">Phạm Thị Y Tế</option>`, f.ids["health"]),
		fmt.Sprintf(`action="/contacts/%d/promote"`, binh))
	if body := f.get("health", fmt.Sprintf("/contacts/%d", binh)).Body.String(); strings.Contains(body, "Hoàng Văn Ninh") || strings.Contains(body, "Lê Văn Bảo Vệ") {
		t.Errorf("contact: the assignee select offers someone who may not trace the case")
	}

	wantRedirect(t, "expand", f.post("health", fmt.Sprintf("/cases/%d/expand", id), url.Values{"contact": {strconv.FormatInt(binh, 10)}}),
		fmt.Sprintf("/cases/%d?done=expand&found=", id))
	wantRedirect(t, "trace again", f.post("health", fmt.Sprintf("/cases/%d/trace", id), nil), fmt.Sprintf("/cases/%d?done=trace&found=2&added=0", id))
	wantPage(t, "after expanding", f.get("health", fmt.Sprintf("/cases/%d?done=expand&found=2&added=1", id)), 200,
		"Đã truy vết F2: tìm thấy 2 người, 1 người mới", "Phạm Văn Dũng", "qua Trần T*** B", "F2", "Đang cách ly")

	loc = wantRedirect(t, "export", f.post("health", fmt.Sprintf("/cases/%d/exports", id), url.Values{"format": {"csv"}, "reason": {"Gửi trạm y tế"}}), "/exports/")
	xid := idFrom(t, loc, "/exports/")
	wantPage(t, "export", f.get("health", loc), 200, "Gửi trạm y tế", "Phạm Thị Y Tế", "Sẵn sàng", fmt.Sprintf(`href="/exports/%d/file"`, xid))
	rows := wantCSV(t, f.get("health", fmt.Sprintf("/exports/%d/file", xid)), id)
	if len(rows) != 4 {
		t.Errorf("export: %d rows, want a header and 3 contacts", len(rows))
	}
	wantPage(t, "case with its export", f.get("health", fmt.Sprintf("/cases/%d", id)), 200, fmt.Sprintf(`href="/exports/%d/file"`, xid), "Gửi trạm y tế")

	dung := f.contactsOf(id)["Dũng"].Contact.ID
	loc = wantRedirect(t, "promote", f.post("health", fmt.Sprintf("/contacts/%d/promote", dung), url.Values{"reason": {"Dũng dương tính"}}), "/cases/")
	if idFrom(t, loc, "/cases/") == id {
		t.Errorf("promote: back to the same case")
	}
	wantPage(t, "promoted case", f.get("health", loc), 200, "Phạm Văn Dũng", "Dũng dương tính", fmt.Sprintf(`href="/contacts/%d"`, dung))
	wantPage(t, "promote without reason", f.post("health", fmt.Sprintf("/contacts/%d/promote", cuong), url.Values{"reason": {""}}), 400, `id="e-promote-reason"`)

	wantRedirect(t, "close", f.post("health", fmt.Sprintf("/cases/%d", id), url.Values{"action": {"close"}}), fmt.Sprintf("/cases/%d?done=close", id))
	body = wantPage(t, "closed", f.get("health", fmt.Sprintf("/cases/%d?done=close", id)), 200, "Đã đóng ca bệnh", "Đã đóng")
	for _, form := range []string{`id="settings-form"`, `id="close-form"`, `id="expand-form"`, `id="publish-form"`, `id="notify-form"`} {
		if strings.Contains(body, form) {
			t.Errorf("closed case: %s still offered", form)
		}
	}
}

func TestCasePagesKeepToTheirOfficials(t *testing.T) {
	f := newCaseFixture(t)
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	binh := f.contactsOf(c.ID)["Bình"].Contact.ID
	x, err := f.tracing.RequestExport(context.Background(), f.principalOf("health"), c.ID, "csv", "lưu hồ sơ")
	if err != nil {
		t.Fatal(err)
	}
	before := f.tracingState()
	for _, tt := range []struct {
		what, login, method, path string
		status                    int
	}{
		{"another province's case", health37, "GET", fmt.Sprintf("/cases/%d", c.ID), 404},
		{"another province's contact", health37, "GET", fmt.Sprintf("/contacts/%d", binh), 404},
		{"another province's export", health37, "GET", fmt.Sprintf("/exports/%d", x.ID), 404},
		{"another province's file", health37, "GET", fmt.Sprintf("/exports/%d/file", x.ID), 404},
		{"another province closing", health37, "POST", fmt.Sprintf("/cases/%d", c.ID), 404},
		{"an unknown export", "health", "GET", "/exports/999999", 404},
		{"a case id that is no number", "health", "GET", "/cases/abc", 404},
		{"gate staff", "gate", "GET", "/cases", 403},
		{"venue manager", pgManager, "GET", fmt.Sprintf("/cases/%d", c.ID), 403},
		{"local official", pgLocal, "POST", "/cases", 403},
	} {
		var rec *httptest.ResponseRecorder
		if tt.method == "GET" {
			rec = f.get(tt.login, tt.path)
		} else {
			rec = f.post(tt.login, tt.path, url.Values{"action": {"close"}, "id_number": {personCCCD}, "reason": {"x"}})
		}
		if rec.Code != tt.status || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s: got %d %s, want the %d page", tt.what, rec.Code, rec.Header().Get("Content-Type"), tt.status)
		}
	}
	if rec := f.get("", "/cases"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("nobody: got %d to %q, want the login page", rec.Code, rec.Header().Get("Location"))
	}
	if after := f.tracingState(); after != before {
		t.Errorf("refused requests changed data:\nbefore %s\nafter  %s", before, after)
	}
}

func TestExportPagesNeedASecondOfficial(t *testing.T) {
	f := newCaseFixture(t)
	for i := range 50 {
		id := f.addSomeone(fmt.Sprintf("Công Nhân Số %d", i), "", "13321")
		f.visitAt(id, f.cp, f.now.Add(-4*time.Hour), f.now.Add(-3*time.Hour))
	}
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	loc := wantRedirect(t, "export", f.post("health", fmt.Sprintf("/cases/%d/exports", c.ID), url.Values{"format": {"xlsx"}, "reason": {"Gửi CDC tỉnh"}}), "/exports/")
	xid := idFrom(t, loc, "/exports/")
	body := wantPage(t, "mine, pending", f.get("health", loc), 200, `id="waiting"`, "Chờ duyệt", "52")
	if strings.Contains(body, `id="approve-form"`) || strings.Contains(body, `id="download"`) {
		t.Errorf("the requester is offered the approval or the download of a pending export")
	}
	wantPage(t, "own approval", f.post("health", fmt.Sprintf("/exports/%d/approve", xid), nil), 403, "Chờ duyệt")
	if rec := f.get("health", fmt.Sprintf("/exports/%d/file", xid)); rec.Code != http.StatusConflict {
		t.Errorf("download before approval: got %d, want 409", rec.Code)
	}
	wantPage(t, "case page for a colleague", f.get(health2, fmt.Sprintf("/cases/%d", c.ID)), 200, fmt.Sprintf(`<a href="/exports/%d">Xem và duyệt</a>`, xid))
	wantPage(t, "colleague", f.get(health2, loc), 200, `id="approve-form"`, "Gửi CDC tỉnh", "Phạm Thị Y Tế")
	wantRedirect(t, "approve", f.post(health2, fmt.Sprintf("/exports/%d/approve", xid), nil), fmt.Sprintf("/exports/%d?done=approve", xid))
	wantPage(t, "approved", f.get("health", fmt.Sprintf("/exports/%d?done=approve", xid)), 200, "Đã duyệt", "Đỗ Văn Dịch Tễ", `id="download"`)
	wantPage(t, "approve twice", f.post(health2, fmt.Sprintf("/exports/%d/approve", xid), nil), 409)
	rec := f.get("health", fmt.Sprintf("/exports/%d/file", xid))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("download: got %d %v", rec.Code, rec.Header())
	}
}

func TestCasePagesOpenByPersonalQR(t *testing.T) {
	f := newCaseFixture(t)
	payload, _, err := f.visits.PersonalQR(context.Background(), f.declareDevice("0977123456"))
	if err != nil {
		t.Fatal(err)
	}
	last := "0"
	if strings.HasSuffix(payload, "0") {
		last = "1"
	}
	forged := payload[:len(payload)-1] + last // one digit changed: the signature fails
	before := f.casesState()
	wantPage(t, "forged code", f.post("health", "/cases", openCaseForm(url.Values{"id_number": {""}, "personal_qr": {forged}})), 400,
		`id="e-personal-qr"`, `value="`+forged+`"`)
	if after := f.casesState(); after != before {
		t.Fatalf("a forged code changed data:\nbefore %s\nafter  %s", before, after)
	}
	loc := wantRedirect(t, "open", f.post("health", "/cases", openCaseForm(url.Values{"id_number": {""}, "personal_qr": {payload}})), "/cases/")
	wantPage(t, "case", f.get("health", loc), 200, "Nguyễn Thị Khách", "0977123456")
}
