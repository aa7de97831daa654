package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/workplaces"
)

func init() {
	samples["workplace_staff.html"] = func() *pageData {
		return &pageData{Title: "workplace.staff_title", Path: "/organisations/1/staff", User: &ravao.Principal{}, Data: &staffData{
			OrgID: 1, OrgName: "Công ty May", Path: "/organisations/1/staff", ComplianceURL: "/organisations/1/compliance",
			Members: []staffRow{{ID: 1, Name: "Nguyễn Văn An", Phone: "0912***678", Linked: true, EditURL: "/organisations/1/staff/1"}},
			Done:    "Đã lưu", Uploaded: true, RowErrors: []importErrorRow{{Line: 2, Column: "Số điện thoại", Message: "sai"}},
			CardsFailure: formFailure{Status: 400, Message: "x", Fields: map[string]string{"consent": "y"}},
		}}
	}
	samples["workplace_member.html"] = func() *pageData {
		return &pageData{Title: "workplace.member_edit_title", Path: "/organisations/1/staff/1", User: &ravao.Principal{}, Data: &memberData{
			OrgName: "Công ty May", Title: "workplace.member_edit_title", Action: "/organisations/1/staff/1", StaffURL: "/organisations/1/staff",
			DeleteURL: "/organisations/1/staff/1/delete", Cells: map[string]string{"name": "Nguyễn Văn An"},
			Venues: []venueTick{{ID: 1, Name: "Xưởng 1", Checked: true}}, Failure: formFailure{Status: 400, Message: "x", Fields: map[string]string{"phone": "y"}},
		}}
	}
	samples["workplace_compliance.html"] = func() *pageData {
		r := rateView{Name: "Xưởng 1", Staff: 3, Linked: 2, Declared: 2, Entered: 1, Compliant: 1, Percent: 33}
		return &pageData{Title: "workplace.compliance_title", Path: "/organisations/1/compliance", User: &ravao.Principal{}, Data: &complianceData{
			OrgName: "Công ty May", Path: "/organisations/1/compliance", StaffURL: "/organisations/1/staff", Day: "2026-03-10",
			PrevURL: "/organisations/1/compliance?day=2026-03-09", NextURL: "/organisations/1/compliance?day=2026-03-11",
			Totals: r, Tables: []rateTable{{ID: "venues", Title: "workplace.by_venue", Column: "workplace.col.venues", Rows: []rateView{r}}},
			NotCompliant: []workplaces.FollowUp{{ID: 1, Name: "Trần Thị Bình", Linked: true, Declared: true}},
		}}
	}
	samples["workplace_stats.html"] = func() *pageData {
		r := rateView{Name: "Công ty May", Staff: 3, Compliant: 1, Percent: 33}
		return &pageData{Title: "workplace.stats_title", Path: "/stats/units/35/compliance", User: &ravao.Principal{}, Data: &workplaceStatsData{
			Shown: true, Name: "Tỉnh Hà Nam", Path: "/stats/units/35/compliance", Sectors: sectorChoices(), Sector: "industry",
			Zone: "KCN Đồng Văn", Day: "2026-03-10", PrevURL: "/x", Totals: r, Businesses: rateTable{ID: "businesses", Title: "workplace.business", Column: "workplace.business", Rows: []rateView{r}},
		}}
	}
}

// wpNow is Wednesday 11 March 2026, 10:00 in Vietnam: yesterday was a
// workday.
var wpNow = time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)

// workplaceFixture is the server with the workplaces service: the seeded
// garment company with its manager, another company with its manager,
// and an industrial-zone board (sector supervisor of industry).
type workplaceFixture struct {
	*env
	org, other ravao.Organisation
	venue      ravao.Venue
	cp         ravao.Checkpoint
}

func newWorkplaceFixture(t *testing.T) *workplaceFixture {
	e := newEnv(t)
	ctx := context.Background()
	f := &workplaceFixture{env: e}
	err := e.store.Update(ctx, func(tx ravao.Tx) error {
		vs, err := tx.Venues(ravao.VenueFilter{})
		if err != nil || len(vs) != 1 {
			return fmt.Errorf("seeded venues: %v %v", vs, err)
		}
		f.venue = vs[0]
		if f.org, err = tx.Organisation(f.venue.OrganisationID); err != nil {
			return err
		}
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: f.venue.ID})
		if err != nil {
			return err
		}
		f.cp = cps[0]
		f.other = ravao.Organisation{Name: "Cửa hàng Minh Phát", UnitCode: "13321", Sector: ravao.SectorCommerce}
		return tx.CreateOrganisation(&f.other)
	})
	if err != nil {
		t.Fatal(err)
	}
	wp, err := workplaces.New(e.store, e.vault, workplaces.Config{Clock: &ravao.FixedClock{T: wpNow}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: "http://ravao.test"}, Deps{Store: e.store, Auth: e.auth, Places: e.places, Visitors: e.visits,
		Progress: e.srv.progress, Vault: e.vault, Workplaces: wp})
	if err != nil {
		t.Fatal(err)
	}
	srv.cat.OnMissing = func(lang, key string) { t.Errorf("message %q missing in %s", key, lang) }
	e.srv = srv
	e.addUser(ctx, "quanly", "Đặng Văn Quản", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.org.ID})
	e.addUser(ctx, "khac", "Lý Thị Khác", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.other.ID})
	e.addUser(ctx, "kcn", "Ban Quản lý KCN", staffPassword, ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorIndustry})
	return f
}

// staffFile is a staff list with the seeded person (personPhone) on it.
const staffFile = "STT,Họ và tên,Số điện thoại,Mã nhân viên,Bộ phận,Năm sinh\n" +
	"1,Nguyễn Văn An," + personPhone + ",NV01,Tổ may,1990\n" +
	"2,Trần Thị Bình,0912000002,NV02,Tổ may,1992\n" +
	"3,Lê Văn Cường,0912000003,NV03,Tổ cắt,1985\n"

// staffNames are the names and phones a board must never see.
var staffNames = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", personPhone, "0912000002", "0912000003"}

// uploadAs posts a staff file to path as login.
func (f *workplaceFixture) uploadAs(login, path, name string, content []byte) *httptest.ResponseRecorder {
	f.t.Helper()
	ctype, body := multipartFile(f.t, name, content, nil)
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// checkIn records yesterday's declaration and entry of the seeded person.
func (f *workplaceFixture) checkIn() {
	f.t.Helper()
	day := ravao.Day(20260310).Start(f.srv.cfg.TZ)
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		if err := tx.AddDeclaration(&ravao.Declaration{PersonID: f.person, Sealed: []byte("x"), CreatedAt: day.Add(7 * time.Hour)}); err != nil {
			return err
		}
		return tx.InsertVisits([]*ravao.Visit{{PersonID: f.person, VenueID: f.venue.ID, CheckpointID: f.cp.ID,
			InAt: day.Add(7*time.Hour + 5*time.Minute), Decision: ravao.Green, Source: ravao.SourceGate}})
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func TestWorkplaceAPIScopeAndNames(t *testing.T) {
	f := newWorkplaceFixture(t)
	staffPath := fmt.Sprintf("/api/v1/organisations/%d/staff", f.org.ID)
	rec := f.uploadAs("quanly", staffPath+"/upload", "nhan-vien.csv", []byte(staffFile))
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"members":3`) || !strings.Contains(rec.Body.String(), `"linked":1`) {
		t.Fatalf("upload: got %d %s, want 201 with 3 members, 1 linked", rec.Code, rec.Body)
	}
	f.checkIn()

	rec = f.do(request{method: "GET", path: staffPath, token: f.tokens["quanly"]})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "Trần Thị Bình") || strings.Contains(body, "0912000002") {
		t.Errorf("the manager's list: got %d %s, want names and masked phones", rec.Code, body)
	}
	compliance := fmt.Sprintf("/api/v1/organisations/%d/compliance?day=2026-03-10", f.org.ID)
	rec = f.do(request{method: "GET", path: compliance, token: f.tokens["quanly"]})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `"totals":{"staff":3,"linked":1,"declared":1,"entered":1,"compliant":1,"percent":33}`) ||
		!strings.Contains(body, "Lê Văn Cường") {
		t.Errorf("the manager's compliance: got %d %s", rec.Code, body)
	}

	// Another organisation's manager, and an administrator, see nothing
	// of the list; a board sees rates, never names or phones.
	for _, login := range []string{"khac", "admin"} {
		for _, r := range []request{
			{method: "GET", path: staffPath}, {method: "GET", path: compliance},
			{method: "POST", path: staffPath + "/cards", body: `{"ids":[],"consent":true}`},
			{method: "POST", path: staffPath, body: `{"name":"Kẻ Lạ","phone":"0912000099"}`},
		} {
			r.token = f.tokens[login]
			if rec := f.do(r); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
				t.Errorf("%s %s as %s: got %d %s, want 404 or 403", r.method, r.path, login, rec.Code, rec.Body)
			}
		}
	}
	rec = f.do(request{method: "GET", path: "/api/v1/stats/compliance?day=2026-03-10", token: f.tokens["kcn"]})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, f.org.Name) || !strings.Contains(body, `"compliant":1`) || !strings.Contains(body, `"sector":"industry"`) {
		t.Errorf("the board's figures: got %d %s", rec.Code, body)
	}
	page := f.do(request{method: "GET", path: "/stats/units/35/compliance?day=2026-03-10", token: f.tokens["kcn"]})
	wantPage(t, "the board's page", page, 200, f.org.Name, `<table class="stats" id="businesses">`)
	wantPage(t, "the manager's page", f.do(request{method: "GET", token: f.tokens["quanly"],
		path: fmt.Sprintf("/organisations/%d/compliance?day=2026-03-10", f.org.ID)}), 200,
		`<table class="stats" id="venues">`, "Theo địa điểm", `<table class="stats" id="series">`, "Các ngày làm việc gần nhất")
	for _, secret := range staffNames {
		if strings.Contains(body, secret) || strings.Contains(page.Body.String(), secret) {
			t.Errorf("the board sees %q", secret)
		}
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/stats/compliance?sector=commerce", token: f.tokens["kcn"]}); rec.Code != http.StatusForbidden {
		t.Errorf("the board asks for another sector: got %d, want 403", rec.Code)
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/stats/compliance", token: f.tokens["quanly"]}); rec.Code != http.StatusForbidden {
		t.Errorf("a manager reads the boards' figures: got %d, want 403", rec.Code)
	}
}

func TestWorkplaceBadUploadsWriteNothing(t *testing.T) {
	f := newWorkplaceFixture(t)
	api := fmt.Sprintf("/api/v1/organisations/%d/staff", f.org.ID)
	if rec := f.uploadAs("quanly", api+"/upload", "nv.csv", []byte(staffFile)); rec.Code != http.StatusCreated {
		t.Fatalf("first upload: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		name, file, content string
		status              int
		want                string
	}{
		{"wrong columns", "nv.csv", "Tên cơ sở,Mã số thuế\nChợ A,0101234567\n", 400, "dòng tiêu đề"},
		{"no phone column", "nv.csv", "Họ tên,Bộ phận\nA,B\n", 400, "err.staff_header"},
		{"bad phone", "nv.csv", "Họ tên,SĐT\nNguyễn Văn A,12345\n", 400, `"line":2`},
		{"duplicate", "nv.csv", "Họ tên,SĐT\nNguyễn Văn A,0912000011\nNguyễn Văn B,0912000011\n", 400, `"line":3`},
		{"not a spreadsheet", "nv.pdf", "%PDF-1.4", 400, "file"},
		{"oversized", "nv.csv", "Họ tên,SĐT\n" + strings.Repeat("Nguyễn Văn A,0912000011\n", 400000), 413, "err.too_large"},
	} {
		rec := f.uploadAs("quanly", api+"/upload", tc.file, []byte(tc.content))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) && !strings.Contains(rec.Body.String(), f.srv.cat.T("vi", tc.want)) {
			t.Errorf("%s: got %d %s, want %d with %s", tc.name, rec.Code, rec.Body, tc.status, tc.want)
		}
	}
	// The page shows the bad lines in a table, and nothing was written.
	rec := f.uploadAs("quanly", fmt.Sprintf("/organisations/%d/staff/upload", f.org.ID), "nv.csv", []byte("Họ tên,SĐT\nNguyễn Văn A,12345\nB Văn,0912000011\nC Văn,0912000011\n"))
	body := rec.Body.String()
	if rec.Code != 400 || !strings.Contains(body, `id="row-errors"`) || !strings.Contains(body, "Số điện thoại không hợp lệ") ||
		!strings.Contains(body, f.srv.cat.T("vi", "err.duplicate")) {
		t.Errorf("page upload: got %d, want the error table\n%s", rec.Code, body)
	}
	rec = f.do(request{method: "GET", path: api, token: f.tokens["quanly"]})
	if n := strings.Count(rec.Body.String(), `"id":`); n != 3 {
		t.Errorf("after the bad uploads: %d members, want the 3 of the first file", n)
	}
	if !strings.Contains(rec.Body.String(), "Trần Thị Bình") {
		t.Errorf("the first list was replaced: %s", rec.Body)
	}
}
