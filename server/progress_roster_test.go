package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

// The sample data of the coverage pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"file": "Hãy chọn một tệp CSV hoặc XLSX.", "venue_id": "Hãy nhập mã địa điểm (một số)."}}
	samples["progress_roster.html"] = func() *pageData {
		row := coverageRowView{Name: "Phường Quang Trung", Href: "/stats/units/13321/coverage", Required: 3, Covered: 1, Proposed: 1, Percent: 33}
		return &pageData{Title: "coverage.title", Path: "/stats/units/347/coverage", Data: &coverageData{
			Shown: true, Name: "Thành phố Phủ Lý", Code: "347", Path: "/stats/units/347/coverage", Crumbs: []crumb{{Name: "Tỉnh Hà Nam", Href: "/stats/units/35/coverage"}},
			Sectors: sectorChoices(), Uploads: sectorChoices(), UploadAll: true, Totals: row, Children: []coverageRowView{row},
			BySector: []coverageRowView{{SectorKey: "sector.commerce", Required: 2, Covered: 1, Percent: 50}},
			Rosters:  []rosterRow{{Unit: "Phường Quang Trung", SectorKey: "coverage.all_sectors", FileName: "ds.csv", Entries: 3, Date: "25/11/2026 09:00", DeleteURL: "/stats/units/13321/roster/delete"}},
			Done:     "Đã lưu danh sách.", Failure: fail,
			RowErrors: []importErrorRow{{Line: 3, Column: "Mã số thuế", Message: "Mã số thuế không hợp lệ."}}, ProgressURL: "/stats/units/347", MissingURL: "/stats/units/347/coverage/missing",
		}}
	}
	samples["progress_roster_missing.html"] = func() *pageData {
		return &pageData{Title: "coverage.missing_title", Path: "/stats/units/13321/coverage/missing", Data: &missingData{
			Name: "Phường Quang Trung", Code: "13321", CoverageURL: "/stats/units/13321/coverage", CSVURL: "/x.csv", XLSXURL: "/x.xlsx",
			NextURL: "/stats/units/13321/coverage/missing?after=9", Done: "Đã xác nhận.", Failure: fail, FailedEntry: 2,
			Entries: []missingRow{
				{ID: 1, Line: 2, Name: "Chợ Bầu", Address: "Đường Bầu", Unit: "Phường Quang Trung", SectorKey: "sector.commerce", ProposedID: 4, ProposedName: "Chợ Bầu", ProposedHref: "/stats/venues/4"},
				{ID: 2, Line: 3, Name: "Cửa hàng Minh Phát", TaxCode: "0101234567", Phone: "0912000111"},
			},
		}}
	}
}

// The roster files of the tests: the workshop by its organisation's tax
// code (covered), the market by name (proposed), a shop nobody registered.
const (
	goodRoster = "tên,địa chỉ,mã đơn vị,ngành,mã số thuế,số điện thoại\n" +
		"Công ty TNHH May Hà Nam,Số 1 Lê Lợi,13321,khu công nghiệp,0101234567,\n" +
		"Chợ Bầu,Đường Bầu,13321,thương mại,,\n" +
		"Cửa hàng Minh Phát,Số 5 Trần Phú,13321,thương mại,,0912000111\n"
	badRoster = "ten,dia chi,ma don vi,nganh,ma so thue\n" +
		"Chợ Bầu,Đường Bầu,13321,thương mại,\n" +
		"Cửa hàng Minh Phát,Số 5,13321,thương mại,12ab\n"
	workshopTaxCode = "0101234567"
)

// rosterFixture is the progress fixture with a tax code on the workshop's
// organisation, a second ward and the officials of both wards.
type rosterFixture struct {
	*statsFixture
}

func newRosterFixture(t *testing.T) *rosterFixture {
	t.Helper()
	f := &rosterFixture{newStatsFixture(t)}
	ctx := context.Background()
	err := f.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.PutUnits([]ravao.Unit{{Version: "demo", Code: "13324", ParentCode: "347", Level: 3, Name: "Lương Khánh Thiện", FullName: "Phường Lương Khánh Thiện", NameEn: "Luong Khanh Thien", FullNameEn: "Luong Khanh Thien Ward"}}); err != nil {
			return err
		}
		v, err := tx.Venue(f.factory)
		if err != nil {
			return err
		}
		o, err := tx.Organisation(v.OrganisationID)
		if err != nil {
			return err
		}
		o.TaxCode = workshopTaxCode
		return tx.UpdateOrganisation(&o)
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	f.addUser(ctx, "ward", "Ngô Thị Phường", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
	f.addUser(ctx, "otherward", "Lý Văn Khác", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13324"})
	return f
}

// upload posts a roster file to path as login.
func (f *rosterFixture) upload(login, path, name, content string, fields map[string]string) *httptest.ResponseRecorder {
	f.t.Helper()
	ctype, body := multipartFile(f.t, name, []byte(content), fields)
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if tok := f.tokens[login]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// post submits a form as login.
func (f *rosterFixture) post(login, path string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: "POST", path: path, body: form.Encode(), form: true, token: f.tokens[login]})
}

// missing reads the API's missing list of a unit as login.
func (f *rosterFixture) missing(login, code string) missingJSON {
	f.t.Helper()
	rec := f.do(request{method: "GET", path: "/api/v1/stats/units/" + code + "/coverage/missing", token: f.tokens[login]})
	if rec.Code != 200 {
		f.t.Fatalf("missing list: got %d, want 200: %s", rec.Code, rec.Body)
	}
	var out missingJSON
	decode(f.t, rec.Body, &out)
	return out
}

// coverage reads the API's coverage of a unit as login.
func (f *rosterFixture) coverage(login, code string) coverageJSON {
	f.t.Helper()
	rec := f.do(request{method: "GET", path: "/api/v1/stats/units/" + code + "/coverage", token: f.tokens[login]})
	if rec.Code != 200 {
		f.t.Fatalf("coverage: got %d, want 200: %s", rec.Code, rec.Body)
	}
	var out coverageJSON
	decode(f.t, rec.Body, &out)
	return out
}

// proposal is the entry of the missing list with a proposed place.
func proposal(t *testing.T, m missingJSON) missingEntryJSON {
	t.Helper()
	for _, e := range m.Entries {
		if e.ProposedVenue != nil {
			return e
		}
	}
	t.Fatalf("no proposal among %+v", m.Entries)
	return missingEntryJSON{}
}

func TestRosterUploadWithBadLinesWritesNothing(t *testing.T) {
	f := newRosterFixture(t)
	rec := f.upload("ward", "/stats/units/13321/coverage", "danh-sach.csv", badRoster, map[string]string{"sector": ""})
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("bad file: got %d, want 400", rec.Code)
	}
	for _, want := range []string{`id="nothing-written"`, `id="row-errors"`, "<td>3</td><td>Mã số thuế</td>", `id="empty"`} {
		if !strings.Contains(body, want) {
			t.Errorf("bad file page: missing %s", want)
		}
	}
	if c := f.coverage("ward", "13321"); c.Totals.Required != 0 || len(c.Rosters) != 0 {
		t.Errorf("after a bad file: got %d entries and %d rosters, want none", c.Totals.Required, len(c.Rosters))
	}
	for _, tt := range []struct {
		name, content string
		status        int
		field         string
	}{
		{"danh-sach.txt", goodRoster, 400, `id="e-file"`},
		{"danh-sach.csv", "", 400, `id="upload-failure"`},
	} {
		rec := f.upload("ward", "/stats/units/13321/coverage", tt.name, tt.content, nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.field) {
			t.Errorf("upload %s (%d bytes): got %d, want %d with %s", tt.name, len(tt.content), rec.Code, tt.status, tt.field)
		}
	}
	big := "ten,ma don vi\n" + strings.Repeat("Cửa hàng rất dài tên,13321\n", maxImportBody/20)
	if rec := f.upload("ward", "/stats/units/13321/coverage", "lon.csv", big, nil); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `id="e-file"`) {
		t.Errorf("a file over 8 MiB: got %d, want 413 with the error beside the file", rec.Code)
	}
}

func TestRosterCoveragePagesAndConfirm(t *testing.T) {
	f := newRosterFixture(t)
	rec := f.upload("ward", "/stats/units/13321/coverage", "danh-sach.csv", goodRoster, map[string]string{"sector": ""})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("good file: got %d, want 303: %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, "/stats/units/13321/coverage?") || !strings.Contains(loc, "covered=1") || !strings.Contains(loc, "proposed=1") || !strings.Contains(loc, "missing=1") {
		t.Errorf("redirect: got %q, want the coverage with covered=1, proposed=1, missing=1", loc)
	}
	status, body := f.get("ward", loc)
	if status != 200 {
		t.Fatalf("coverage after upload: got %d", status)
	}
	for _, want := range []string{
		`id="done"`, "1 nơi đã đăng ký, 1 nơi chờ xác nhận, 1 nơi chưa đăng ký",
		`<dd id="c-required">3</dd>`, `<dd id="c-covered">1</dd>`, `<dd id="c-proposed">1</dd>`, `<span id="c-percent">33</span>`,
		"danh-sach.csv", `href="/stats/units/13321/coverage/missing"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("ward's coverage: missing %s", want)
		}
	}
	_, district := f.get("district", "/stats/units/347/coverage")
	children := district[strings.Index(district, `id="children"`):]
	if want := `<a href="/stats/units/13321/coverage">Phường Quang Trung</a></th><td>3</td><td>1</td><td>1</td><td>33%`; !strings.Contains(children, want) {
		t.Errorf("district's coverage: no row %s", want)
	}

	_, list := f.get("ward", "/stats/units/13321/coverage/missing")
	for _, want := range []string{"Chợ Bầu", "Cửa hàng Minh Phát", "0912000111", `href="/stats/venues/` + idString(f.silent) + `"`} {
		if !strings.Contains(list, want) {
			t.Errorf("missing list: no %s", want)
		}
	}
	if strings.Contains(list, "Công ty TNHH May Hà Nam") {
		t.Error("missing list: the workshop is covered by its tax code but listed")
	}
	entry := proposal(t, f.missing("ward", "13321"))
	rec = f.post("ward", "/stats/roster-entries/"+idString(entry.ID)+"/confirm", url.Values{"unit": {"13321"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/stats/units/13321/coverage/missing?done=confirm") {
		t.Fatalf("confirm: got %d to %q, want 303 back to the list", rec.Code, rec.Header().Get("Location"))
	}
	if c := f.coverage("ward", "13321"); c.Totals.Covered != 2 || c.Totals.Proposed != 0 || c.Totals.Percent != 66 {
		t.Errorf("after confirming: got %+v, want 2 covered, 0 proposed, 66%%", c.Totals)
	}
	shop := f.missing("ward", "13321").Entries[0]
	rec = f.post("ward", "/stats/roster-entries/"+idString(shop.ID)+"/choose", url.Values{"unit": {"13321"}, "venue_id": {"abc"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `<p class="field-error" id="e-venue-`+idString(shop.ID)+`">Hãy nhập mã địa điểm`) {
		t.Errorf("choose with a bad id: got %d, want 400 with the message beside the field", rec.Code)
	}
	rec = f.post("ward", "/stats/roster-entries/"+idString(entry.ID)+"/choose", url.Values{"unit": {"13321"}, "venue_id": {"abc"}})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "<li>Hãy nhập mã địa điểm") {
		t.Errorf("choose with a bad id for an entry no longer listed: got %d, want 400 with the message at the top", rec.Code)
	}
	rec = f.post("ward", "/stats/units/13321/roster/delete", url.Values{"sector": {""}, "back": {"13321"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/stats/units/13321/coverage?done=delete" {
		t.Errorf("delete: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if c := f.coverage("ward", "13321"); c.Totals.Required != 0 {
		t.Errorf("after deleting: %d entries, want 0", c.Totals.Required)
	}
}

func TestRosterPagesFollowScopes(t *testing.T) {
	f := newRosterFixture(t)
	f.upload("ward", "/stats/units/13321/coverage", "danh-sach.csv", goodRoster, nil)
	for _, tt := range []struct {
		login, path string
		status      int
	}{
		{"otherward", "/stats/units/13321/coverage", 403},
		{"otherward", "/stats/units/13321/coverage/missing", 403},
		{"otherward", "/api/v1/stats/units/13321/coverage", 403},
		{"otherward", "/api/v1/stats/units/13321/coverage/missing", 403},
		{"manager", "/stats/units/13321/coverage", 403},
		{"", "/api/v1/stats/units/13321/coverage", 401},
		{"", "/stats/units/13321/coverage", 303},
		{"ward", "/stats/units/bad-code/coverage", 404},
		{"ward", "/stats/units/13321/coverage?sector=space", 400},
		{"ward", "/api/v1/stats/units/bad-code/coverage", 400},
		{"ward", "/api/v1/stats/units/13321/coverage/missing?limit=5000", 400},
		{"district", "/stats/units/13321/coverage/missing.csv", 200},
	} {
		if status, _ := f.get(tt.login, tt.path); status != tt.status {
			t.Errorf("%q GET %s: got %d, want %d", tt.login, tt.path, status, tt.status)
		}
	}
	entry := proposal(t, f.missing("ward", "13321"))
	// The service does not say that an entry outside the caller's scope exists.
	if rec := f.post("otherward", "/stats/roster-entries/"+idString(entry.ID)+"/confirm", url.Values{"unit": {"13321"}}); rec.Code != 404 {
		t.Errorf("another ward confirms: got %d, want 404", rec.Code)
	}
	if rec := f.upload("otherward", "/stats/units/13321/coverage", "danh-sach.csv", goodRoster, nil); rec.Code != 403 {
		t.Errorf("another ward uploads: got %d, want 403", rec.Code)
	}
}

func TestRosterAPI(t *testing.T) {
	f := newRosterFixture(t)
	rec := f.upload("ward", "/api/v1/stats/units/13321/roster", "danh-sach.csv", badRoster, nil)
	var bad rosterErrorsJSON
	decode(t, rec.Body, &bad)
	if rec.Code != 400 || len(bad.RowErrors) != 1 || bad.RowErrors[0].Line != 3 || bad.RowErrors[0].Fields["tax_code"] == "" || bad.Error.Code != ravao.Invalid {
		t.Fatalf("bad file: got %d %+v, want 400 with line 3's tax code", rec.Code, bad)
	}
	rec = f.upload("ward", "/api/v1/stats/units/13321/roster", "danh-sach.xls", goodRoster, nil)
	if e := apiError(t, rec); rec.Code != 400 || e.Fields["file"] == "" {
		t.Errorf("wrong extension: got %d %+v, want 400 on file", rec.Code, e)
	}
	rec = f.upload("ward", "/api/v1/stats/units/13321/roster", "danh-sach.csv", goodRoster, map[string]string{"sector": ""})
	var res rosterResultJSON
	decode(t, rec.Body, &res)
	if rec.Code != 201 || res.Covered != 1 || res.Proposed != 1 || res.Missing != 1 || res.Roster.Entries != 3 || res.Roster.UnitCode != "13321" {
		t.Fatalf("good file: got %d %+v", rec.Code, res)
	}
	c := f.coverage("district", "347")
	if c.Unit == nil || c.Unit.Code != "347" || len(c.Children) != 1 || c.Children[0].Unit.Code != "13321" ||
		c.Totals != (coverageFiguresJSON{Required: 3, Covered: 1, Proposed: 1, Percent: 33}) || len(c.Rosters) != 1 {
		t.Errorf("district's coverage: got %+v", c)
	}
	m := f.missing("ward", "13321")
	entry := proposal(t, m)
	if len(m.Entries) != 2 || entry.Name != "Chợ Bầu" || entry.Match != ravao.MatchName || entry.ProposedVenue.ID != f.silent || m.NextAfter != 0 {
		t.Errorf("missing list: got %+v", m)
	}
	for _, e := range m.Entries {
		if e.Name == "Cửa hàng Minh Phát" && (e.Phone != "0912000111" || e.ProposedVenue != nil) {
			t.Errorf("the shop: got %+v, want its phone and no proposal", e)
		}
	}
	var page missingJSON
	decode(t, f.do(request{method: "GET", path: "/api/v1/stats/units/13321/coverage/missing?limit=1", token: f.tokens["ward"]}).Body, &page)
	if len(page.Entries) != 1 || page.NextAfter != page.Entries[0].ID {
		t.Errorf("first page of one: got %+v", page)
	}
	if rec := f.do(request{method: "POST", path: "/api/v1/roster-entries/" + idString(entry.ID) + "/reject", token: f.tokens["ward"]}); rec.Code != 204 {
		t.Fatalf("reject: got %d: %s", rec.Code, rec.Body)
	}
	if rec := f.do(request{method: "POST", path: "/api/v1/roster-entries/" + idString(entry.ID) + "/choose", body: `{"venue_id": 0}`, token: f.tokens["ward"]}); rec.Code != 400 {
		t.Errorf("choose venue 0: got %d, want 400", rec.Code)
	}
	body, _ := json.Marshal(chooseJSON{VenueID: f.silent})
	if rec := f.do(request{method: "POST", path: "/api/v1/roster-entries/" + idString(entry.ID) + "/choose", body: string(body), token: f.tokens["ward"]}); rec.Code != 204 {
		t.Fatalf("choose: got %d: %s", rec.Code, rec.Body)
	}
	if c := f.coverage("ward", "13321"); c.Totals.Covered != 2 {
		t.Errorf("after choosing: %d covered, want 2", c.Totals.Covered)
	}
	if rec := f.do(request{method: "DELETE", path: "/api/v1/stats/units/13321/roster", token: f.tokens["otherward"]}); rec.Code != 403 {
		t.Errorf("another ward deletes: got %d, want 403", rec.Code)
	}
	if rec := f.do(request{method: "DELETE", path: "/api/v1/stats/units/13321/roster", token: f.tokens["ward"]}); rec.Code != 204 {
		t.Errorf("delete: got %d, want 204", rec.Code)
	}
	if rec := f.do(request{method: "POST", path: "/api/v1/roster-entries/" + idString(entry.ID) + "/confirm"}); rec.Code != 401 {
		t.Errorf("unauthenticated confirm: got %d, want 401", rec.Code)
	}
}

func TestRosterAPIIsDocumented(t *testing.T) {
	f := newRosterFixture(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Tags        []string
			RequestBody any `json:"requestBody"`
		}
	}
	decode(t, f.do(request{method: "GET", path: "/api/v1/openapi.json"}).Body, &doc)
	for _, op := range []struct{ path, method string }{
		{"/api/v1/stats/units/{code}/coverage", "get"}, {"/api/v1/stats/units/{code}/coverage/missing", "get"},
		{"/api/v1/stats/units/{code}/roster", "post"}, {"/api/v1/stats/units/{code}/roster", "delete"},
		{"/api/v1/roster-entries/{id}/confirm", "post"}, {"/api/v1/roster-entries/{id}/reject", "post"}, {"/api/v1/roster-entries/{id}/choose", "post"},
	} {
		o, ok := doc.Paths[op.path][op.method]
		if !ok || len(o.Tags) != 1 || o.Tags[0] != "progress" {
			t.Errorf("%s %s: got %+v, want it documented under progress", op.method, op.path, o)
		}
	}
	if doc.Paths["/api/v1/roster-entries/{id}/choose"]["post"].RequestBody == nil {
		t.Error("choose documents no body")
	}
}

func TestProgressPageLinksCoverage(t *testing.T) {
	f := newRosterFixture(t)
	_, body := f.get("ward", "/stats/units/13321")
	if !strings.Contains(body, `href="/stats/units/13321/coverage" id="coverage-link"`) {
		t.Error("the ward's progress page has no link to its coverage")
	}
	_, body = f.get("ward", "/stats/units/13321/coverage")
	if !strings.Contains(body, `id="empty"`) || !strings.Contains(body, `id="upload-form"`) {
		t.Error("an empty coverage page: no explanation or no upload form")
	}
	// A sector supervisor may upload their sector's roster only.
	_, body = f.get("zone", "/stats/units/35/coverage")
	form := body[strings.Index(body, `id="f-upload-sector"`):]
	form = form[:strings.Index(form, "</select>")]
	if strings.Count(form, "<option") != 1 || !strings.Contains(form, `value="industry"`) {
		t.Errorf("a sector supervisor's upload choices: got %s, want industry only", form)
	}
}
