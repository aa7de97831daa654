package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

// Logins of the accounts a placeFixture adds to newEnv's.
const (
	managerA  = "manager.a"  // venue manager of the seeded organisation
	managerB  = "manager.b"  // venue manager of organisation B
	localX    = "local.x"    // local official of Phường Quang Trung (13321)
	localY    = "local.y"    // local official of Xã Lam Hạ (13333), another district
	sectorEdu = "sector.edu" // education supervisor of Hà Nam (35)
)

// placeFixture is newEnv with places in three units and officials of
// several scopes:
//   - A: the seeded "Xưởng may số 1" (industry, approved, 13321);
//   - B: a school (education, pending) in 13333, of another district of 35;
//   - C: a school (education, approved) in unit 37's tree.
type placeFixture struct {
	*env
	orgA, venueA, cpA int64
	orgB, venueB, cpB int64
	orgC, venueC, cpC int64
}

func newPlaceFixture(t testing.TB) *placeFixture {
	t.Helper()
	f := &placeFixture{env: newEnv(t)}
	ctx := context.Background()
	err := f.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.PutUnits(moreUnits()); err != nil {
			return err
		}
		vs, err := tx.Venues(ravao.VenueFilter{})
		if err != nil || len(vs) != 1 {
			return fmt.Errorf("seeded venues: %d, %v", len(vs), err)
		}
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: vs[0].ID})
		if err != nil || len(cps) != 1 {
			return fmt.Errorf("seeded checkpoints: %d, %v", len(cps), err)
		}
		f.orgA, f.venueA, f.cpA = vs[0].OrganisationID, vs[0].ID, cps[0].ID
		if f.orgB, f.venueB, f.cpB, err = addPlace(tx, "Trường THCS Lam Hạ", "13333", "35/349/13333/", ravao.VenuePending); err != nil {
			return err
		}
		f.orgC, f.venueC, f.cpC, err = addPlace(tx, "Trường THCS Ninh Khánh", "14371", "37/369/14371/", ravao.VenueApproved)
		return err
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	f.addUser(ctx, managerA, "Nguyễn Văn Quản Lý", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.orgA})
	f.addUser(ctx, managerB, "Đỗ Thị Hiệu Trưởng", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.orgB})
	f.addUser(ctx, localX, "Vũ Văn Phường", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
	f.addUser(ctx, localY, "Hoàng Thị Xã", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13333"})
	f.addUser(ctx, sectorEdu, "Ngô Văn Giáo Dục", staffPassword, ravao.RoleAssignment{Role: ravao.RoleSector, Sector: ravao.SectorEducation, UnitCode: "35"})
	return f
}

// moreUnits adds a district with a commune under Hà Nam, and the same
// under Ninh Bình, to sampleUnits.
func moreUnits() []ravao.Unit {
	return []ravao.Unit{
		{Version: "demo", Code: "349", ParentCode: "35", Level: 2, Name: "Duy Tiên", FullName: "Thị xã Duy Tiên", NameEn: "Duy Tien", FullNameEn: "Duy Tien Town"},
		{Version: "demo", Code: "13333", ParentCode: "349", Level: 3, Name: "Lam Hạ", FullName: "Xã Lam Hạ", NameEn: "Lam Ha", FullNameEn: "Lam Ha Commune"},
		{Version: "demo", Code: "369", ParentCode: "37", Level: 2, Name: "Ninh Bình", FullName: "Thành phố Ninh Bình", NameEn: "Ninh Binh", FullNameEn: "Ninh Binh City"},
		{Version: "demo", Code: "14371", ParentCode: "369", Level: 3, Name: "Ninh Khánh", FullName: "Phường Ninh Khánh", NameEn: "Ninh Khanh", FullNameEn: "Ninh Khanh Ward"},
	}
}

// addPlace stores a school with one gate, as its own organisation.
func addPlace(tx ravao.Tx, name, unit, path string, status ravao.VenueStatus) (org, venue, cp int64, err error) {
	o := ravao.Organisation{Name: name, UnitCode: unit, Sector: ravao.SectorEducation}
	if err := tx.CreateOrganisation(&o); err != nil {
		return 0, 0, 0, err
	}
	v := ravao.Venue{OrganisationID: o.ID, Name: name, Type: ravao.VenueSchool, Sector: ravao.SectorEducation,
		UnitCode: unit, UnitPath: path, Status: status, DefaultStay: ravao.DefaultStayFor(ravao.VenueSchool)}
	if err := tx.CreateVenue(&v); err != nil {
		return 0, 0, 0, err
	}
	c := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng trường", Kind: ravao.CheckpointGate}
	err = tx.CreateCheckpoint(&c)
	return o.ID, v.ID, c.ID, err
}

// as is a request by one of the fixture's accounts.
func (f *placeFixture) as(login, method, path, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: method, path: path, body: body, token: f.tokens[login]})
}

// send serves a request with a raw body of any content type.
func (e *env) send(method, path, token, contentType, lang string, body []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// placesState is every venue and checkpoint with what a request may
// change, and the numbers of accounts and audit events: a refused request
// must leave it as it was.
func (e *env) placesState() string {
	e.t.Helper()
	var b strings.Builder
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		vs, err := tx.Venues(ravao.VenueFilter{})
		if err != nil {
			return err
		}
		for _, v := range vs {
			fmt.Fprintf(&b, "venue %d %s %s %s %s %x %v\n", v.ID, v.Name, v.Status, v.StatusReason, v.UnitPath, v.Contact, v.UpdatedAt)
			cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
			if err != nil {
				return err
			}
			for _, c := range cps {
				fmt.Fprintf(&b, "  checkpoint %d %s %d %v %v\n", c.ID, c.Name, c.Serial, c.Revoked, c.UpdatedAt)
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.counts()
	fmt.Fprintf(&b, "users %d audit %d\n", c.users, c.audit)
	return b.String()
}

// venueCount is the number of venues stored.
func (e *env) venueCount() int {
	e.t.Helper()
	var n int
	err := e.store.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		n, err = tx.CountVenues(ravao.VenueFilter{})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// venueList is the answer of GET /api/v1/venues.
type venueList struct {
	Venues []venueJSON
	Total  int
}

// listIDs lists the venue ids a caller sees at path.
func (f *placeFixture) listIDs(login, path string) ([]int64, int) {
	f.t.Helper()
	rec := f.as(login, "GET", path, "")
	if rec.Code != http.StatusOK {
		f.t.Fatalf("%s GET %s: got %d, want 200: %s", login, path, rec.Code, rec.Body)
	}
	var l venueList
	decode(f.t, rec.Body, &l)
	ids := make([]int64, 0, len(l.Venues))
	for _, v := range l.Venues {
		ids = append(ids, v.ID)
	}
	return ids, l.Total
}

// venueInput is a valid PUT body for a venue in unit.
func venueInput(name, unit string) string {
	b, _ := json.Marshal(map[string]any{
		"name": name, "type": "zone_business", "unit_code": unit, "address": "Lô B2, KCN Châu Sơn",
		"zone": "KCN Châu Sơn", "capacity": 800, "contact_name": "Phạm Văn Đông", "contact_phone": "0987 654 321",
	})
	return string(b)
}

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pdfPages counts the pages of a PDF by its page objects.
func pdfPages(b []byte) int { return len(pageObject.FindAll(b, -1)) }

func TestPlacesAPIBadInputChangesNothing(t *testing.T) {
	f := newPlaceFixture(t)
	a, cp := fmt.Sprint(f.venueA), fmt.Sprint(f.cpA)
	register := `{"organisation":"Công ty Bao bì Hà Nam","venue":` + venueInput("Xưởng in", "13321") +
		`,"login":"quanly.baobi","display_name":"Lê Thị Hoa","password":"mật-khẩu-dài-12345"}`
	accept := `{"login":"baove.moi","display_name":"Bảo Vệ Mới","password":"mật-khẩu-dài-12345"}`
	tests := []struct {
		name         string
		who          string // login whose token is sent; "" for none
		method, path string
		ct, body     string // content type: application/json when empty
		status       int
		key          string
		args         []any
		field, fkey  string
	}{
		{"code for a bad phone", "", "POST", "/api/v1/registrations/code", "", `{"phone":"12ab"}`, 400, "err.invalid_fields", nil, "phone", "err.phone"},
		{"code with an unknown field", "", "POST", "/api/v1/registrations/code", "", `{"phone":"0912345678","x":1}`, 400, "err.json", nil, "", ""},
		{"registration without code", "", "POST", "/api/v1/registrations", "", register, 400, "err.invalid_fields", nil, "code", "err.code_required"},
		{"registration with a bad place", "", "POST", "/api/v1/registrations", "", strings.Replace(register, `"type":"zone_business"`, `"type":"spaceship"`, 1), 400, "err.invalid_fields", nil, "type", "err.venue_type"},
		{"unknown code", "", "GET", "/api/v1/codes/0000000000000000", "", "", 404, "err.code_unknown", nil, "", ""},
		{"unknown invitation", "", "POST", "/api/v1/invitations/ABCDEFGHJKMN/accept", "", accept, 404, "err.invite_invalid", nil, "", ""},
		{"invitation with a short password", "", "POST", "/api/v1/invitations/ABCDEFGHJKMN/accept", "", strings.Replace(accept, "mật-khẩu-dài-12345", "ngắn", 1), 400, "err.invalid_fields", nil, "password", "err.password_short"},
		{"invitation for nothing", managerA, "POST", "/api/v1/invitations", "", `{"checkpoint_ids":[]}`, 400, "err.invalid_fields", nil, "checkpoints", "err.required"},
		{"invitation for an unknown checkpoint", managerA, "POST", "/api/v1/invitations", "", `{"checkpoint_ids":[99999]}`, 404, "err.checkpoint_not_found", nil, "", ""},
		{"list with a bad status", "admin", "GET", "/api/v1/venues?status=open", "", "", 400, "err.invalid_fields", nil, "status", "err.venue_status"},
		{"list with an unknown unit", "admin", "GET", "/api/v1/venues?unit=99999", "", "", 400, "err.invalid_fields", nil, "unit", "err.unit_unknown"},
		{"list with a bad unit", "admin", "GET", "/api/v1/venues?unit=13-21", "", "", 400, "err.invalid_fields", nil, "unit", "err.unit_code"},
		{"list with a bad limit", "admin", "GET", "/api/v1/venues?limit=0", "", "", 400, "err.invalid_fields", nil, "limit", "err.limit"},
		{"list with a bad organisation", "admin", "GET", "/api/v1/venues?organisation=x", "", "", 400, "err.invalid_fields", nil, "organisation", "err.id"},
		{"place with a bad id", "admin", "GET", "/api/v1/venues/abc", "", "", 400, "err.invalid_fields", nil, "id", "err.id"},
		{"unknown place", "admin", "GET", "/api/v1/venues/99999", "", "", 404, "err.venue_not_found", nil, "", ""},
		{"update with a bad phone", managerA, "PUT", "/api/v1/venues/" + a, "", strings.Replace(venueInput("Xưởng may số 1", "13321"), "0987 654 321", "12ab", 1), 400, "err.invalid_fields", nil, "contact_phone", "err.phone"},
		{"update to an unknown unit", managerA, "PUT", "/api/v1/venues/" + a, "", venueInput("Xưởng may số 1", "99999"), 400, "err.invalid_fields", nil, "unit", "err.unit_unknown"},
		{"update with an unknown field", managerA, "PUT", "/api/v1/venues/" + a, "", `{"name":"X","status":"approved"}`, 400, "err.json", nil, "", ""},
		{"approve an approved place", "admin", "POST", "/api/v1/venues/" + a + "/approve", "", "", 409, "err.venue_status_approve", nil, "", ""},
		{"suspend without a reason", "admin", "POST", "/api/v1/venues/" + a + "/suspend", "", `{"reason":"  "}`, 400, "err.invalid_fields", nil, "reason", "err.reason_required"},
		{"reinstate an approved place", "admin", "POST", "/api/v1/venues/" + a + "/reinstate", "", `{"reason":"Đã khắc phục"}`, 409, "err.venue_status_reinstate", nil, "", ""},
		{"checkpoint without a name", managerA, "POST", "/api/v1/venues/" + a + "/checkpoints", "", `{"name":" "}`, 400, "err.invalid_fields", nil, "name", "err.place_name"},
		{"plate on a gate", managerA, "POST", "/api/v1/venues/" + a + "/checkpoints", "", `{"name":"Cổng 2","plate":"90B-123.45"}`, 400, "err.invalid_fields", nil, "name", "err.plate_not_vehicle"},
		{"revoke an unknown checkpoint", managerA, "POST", "/api/v1/checkpoints/99999/revoke", "", "", 404, "err.checkpoint_not_found", nil, "", ""},
		{"reissue with a bad id", managerA, "POST", "/api/v1/checkpoints/x/reissue", "", "", 400, "err.invalid_fields", nil, "id", "err.id"},
		{"QR of a bad size", managerA, "GET", "/api/v1/checkpoints/" + cp + "/qr.png?px=10", "", "", 400, "err.invalid_fields", nil, "px", "err.qr_px"},
		{"QR of an unknown checkpoint", managerA, "GET", "/api/v1/checkpoints/99999/qr.svg", "", "", 404, "err.checkpoint_not_found", nil, "", ""},
		{"import of a PDF", localX, "POST", "/api/v1/imports?filename=places.pdf", "text/csv", "a,b\n", 400, "err.invalid_fields", nil, "filename", "err.import_format"},
		{"import sent as JSON", localX, "POST", "/api/v1/imports?filename=places.csv", "application/json", "{}", 400, "err.invalid_fields", nil, "content_type", "err.import_format"},
		{"import with a bad valid_only", localX, "POST", "/api/v1/imports?filename=places.csv&valid_only=maybe", "text/csv", "a\n", 400, "err.invalid_fields", nil, "valid_only", "err.invalid"},
		{"empty import", localX, "POST", "/api/v1/imports?filename=places.csv", "text/csv", "", 400, "err.import_empty", nil, "", ""},
		{"import with an unknown column", localX, "POST", "/api/v1/imports?filename=places.csv", "text/csv", "organisation,colour\nX,Y\n", 400, "err.import_column", []any{2}, "", ""},
		{"XLSX that is not one", localX, "POST", "/api/v1/imports?filename=places.xlsx", "application/octet-stream", "not a zip", 400, "err.import_file", nil, "", ""},
		{"checkpoint poster on A3", managerA, "GET", "/api/v1/checkpoints/" + cp + "/poster.pdf?size=A3", "", "", 400, "err.invalid_fields", nil, "size", "err.poster_size"},
		{"place posters on A3", managerA, "GET", "/api/v1/venues/" + a + "/posters.pdf?size=A3", "", "", 400, "err.invalid_fields", nil, "size", "err.poster_size"},
		{"organisation posters on A3", managerA, "GET", fmt.Sprintf("/api/v1/organisations/%d/posters.pdf?size=A3", f.orgA), "", "", 400, "err.invalid_fields", nil, "size", "err.poster_size"},
		{"import posters on A3", "admin", "GET", "/api/v1/imports/1/posters.pdf?size=A3", "", "", 400, "err.invalid_fields", nil, "size", "err.poster_size"},
		{"posters of an unknown organisation", "admin", "GET", "/api/v1/organisations/99999/posters.pdf", "", "", 404, "err.venue_not_found", nil, "", ""},
		{"posters of an unknown import", "admin", "GET", "/api/v1/imports/99999/posters.pdf", "", "", 404, "err.venue_not_found", nil, "", ""},
	}
	for _, tt := range tests {
		for _, lang := range []string{"", "en"} {
			t.Run(fmt.Sprintf("%s/%s", tt.name, lang), func(t *testing.T) {
				ct := tt.ct
				if ct == "" && tt.body != "" {
					ct = "application/json"
				}
				before := f.placesState()
				rec := f.send(tt.method, tt.path, f.tokens[tt.who], ct, lang, []byte(tt.body))
				if rec.Code != tt.status {
					t.Fatalf("got status %d, want %d: %s", rec.Code, tt.status, rec.Body)
				}
				want := "vi"
				if lang == "en" {
					want = "en"
				}
				got := apiError(t, rec)
				if msg := f.srv.cat.T(want, tt.key, tt.args...); got.Message != msg {
					t.Errorf("got message %q, want %q", got.Message, msg)
				}
				if tt.field != "" && got.Fields[tt.field] != f.srv.cat.T(want, tt.fkey) {
					t.Errorf("field %s: got %q, want %q (all: %v)", tt.field, got.Fields[tt.field], f.srv.cat.T(want, tt.fkey), got.Fields)
				}
				if after := f.placesState(); after != before {
					t.Errorf("the request changed data:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

func TestPlacesAPIScopes(t *testing.T) {
	f := newPlaceFixture(t)
	b, cpB, orgB := fmt.Sprint(f.venueB), fmt.Sprint(f.cpB), fmt.Sprint(f.orgB)
	before := f.placesState()
	for _, tt := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/v1/venues/" + b, "", 404},
		{"PUT", "/api/v1/venues/" + b, venueInput("Trường của tôi", "13321"), 404},
		{"POST", "/api/v1/venues/" + b + "/checkpoints", `{"name":"Cổng sau"}`, 404},
		{"GET", "/api/v1/venues/" + b + "/posters.pdf", "", 404},
		{"GET", "/api/v1/organisations/" + orgB + "/posters.pdf", "", 404},
		{"GET", "/api/v1/checkpoints/" + cpB + "/poster.pdf", "", 404},
		{"GET", "/api/v1/checkpoints/" + cpB + "/qr.png", "", 404},
		{"GET", "/api/v1/checkpoints/" + cpB + "/qr.svg", "", 404},
		{"POST", "/api/v1/checkpoints/" + cpB + "/revoke", "", 404},
		{"POST", "/api/v1/checkpoints/" + cpB + "/reissue", "", 404},
		{"POST", "/api/v1/invitations", `{"checkpoint_ids":[` + cpB + `]}`, 404},
		{"POST", "/api/v1/invitations", fmt.Sprintf(`{"checkpoint_ids":[%d,%s]}`, f.cpA, cpB), 404},
		{"GET", "/api/v1/venues?organisation=" + orgB, "", 403},
		{"POST", "/api/v1/venues/" + b + "/approve", "", 403},
	} {
		if rec := f.as(managerA, tt.method, tt.path, tt.body); rec.Code != tt.status {
			t.Errorf("manager of A: %s %s: got %d, want %d: %s", tt.method, tt.path, rec.Code, tt.status, rec.Body)
		}
	}
	for _, tt := range []struct {
		login, path string
		status      int
	}{
		{localX, "/api/v1/venues/" + b + "/approve", 404},
		{localX, "/api/v1/venues/" + b + "/suspend", 404},
		{localY, fmt.Sprintf("/api/v1/venues/%d/suspend", f.venueA), 404},
		{localY, fmt.Sprintf("/api/v1/venues/%d/suspend", f.venueC), 404},
		{"health", "/api/v1/venues/" + b + "/approve", 403},
		{sectorEdu, "/api/v1/venues/" + b + "/approve", 403},
	} {
		if rec := f.as(tt.login, "POST", tt.path, `{"reason":"Kiểm tra"}`); rec.Code != tt.status {
			t.Errorf("%s POST %s: got %d, want %d: %s", tt.login, tt.path, rec.Code, tt.status, rec.Body)
		}
	}
	if after := f.placesState(); after != before {
		t.Fatalf("refused requests changed data:\nbefore %s\nafter  %s", before, after)
	}
	checkLists(t, f)
	rec := f.as(localY, "POST", "/api/v1/venues/"+b+"/approve", "")
	var v venueJSON
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.Status != ravao.VenueApproved {
		t.Errorf("official of 13333 approving B: got %d %q, want 200 approved", rec.Code, v.Status)
	}
	rec = f.as(localX, "POST", fmt.Sprintf("/api/v1/venues/%d/suspend", f.venueA), `{"reason":"Không quét mã"}`)
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.Status != ravao.VenueSuspended || v.StatusReason != "Không quét mã" {
		t.Errorf("official of 13321 suspending A: got %d %+v", rec.Code, v)
	}
	rec = f.as(localX, "POST", fmt.Sprintf("/api/v1/venues/%d/reinstate", f.venueA), `{"reason":"Đã khắc phục"}`)
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.Status != ravao.VenueApproved {
		t.Errorf("official of 13321 reinstating A: got %d %+v", rec.Code, v)
	}
}

// checkLists checks that each caller lists exactly the places of its scope.
func checkLists(t *testing.T, f *placeFixture) {
	t.Helper()
	for _, tt := range []struct {
		login, path string
		want        []int64
	}{
		{"admin", "/api/v1/venues", []int64{f.venueA, f.venueB, f.venueC}},
		{"admin", "/api/v1/venues?unit=35", []int64{f.venueA, f.venueB}},
		{"admin", "/api/v1/venues?unit=37&sector=education", []int64{f.venueC}},
		{"admin", "/api/v1/venues?status=pending", []int64{f.venueB}},
		{"admin", "/api/v1/venues?limit=2", []int64{f.venueA, f.venueB}},
		{"admin", fmt.Sprintf("/api/v1/venues?after=%d", f.venueA), []int64{f.venueB, f.venueC}},
		{managerA, "/api/v1/venues", []int64{f.venueA}},
		{managerB, "/api/v1/venues", []int64{f.venueB}},
		{localX, "/api/v1/venues", []int64{f.venueA}},
		{localY, "/api/v1/venues", []int64{f.venueB}},
		{"health", "/api/v1/venues", []int64{f.venueA, f.venueB}},
		{"health", "/api/v1/venues?unit=347", []int64{f.venueA}},
		{sectorEdu, "/api/v1/venues", []int64{f.venueB}},
		{sectorEdu, "/api/v1/venues?type=school", []int64{f.venueB}},
	} {
		got, total := f.listIDs(tt.login, tt.path)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s GET %s: got %v, want %v", tt.login, tt.path, got, tt.want)
		}
		if !strings.Contains(tt.path, "limit") && !strings.Contains(tt.path, "after") && total != len(tt.want) {
			t.Errorf("%s GET %s: total %d, want %d", tt.login, tt.path, total, len(tt.want))
		}
	}
	for _, tt := range []struct{ login, path string }{
		{sectorEdu, "/api/v1/venues?sector=industry"},
		{localX, "/api/v1/venues?unit=13333"},
		{localX, "/api/v1/venues?unit=37"},
		{"health", "/api/v1/venues?unit=37"},
	} {
		if rec := f.as(tt.login, "GET", tt.path, ""); rec.Code != http.StatusForbidden {
			t.Errorf("%s GET %s: got %d, want 403", tt.login, tt.path, rec.Code)
		}
	}
	if rec := f.as("gate", "GET", "/api/v1/venues", ""); rec.Code != http.StatusForbidden {
		t.Errorf("gate staff listing places: got %d, want 403", rec.Code)
	}
}
