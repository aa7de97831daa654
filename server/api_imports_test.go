package server

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importHeader is a bulk file's header, in Vietnamese as boards write it.
var importHeader = []string{"Tổ chức", "Tên cơ sở", "Loại", "Ngành", "Mã đơn vị", "Địa chỉ", "Người liên hệ", "Số điện thoại", "Điểm kiểm soát", "Biển số"}

// bulkPlaces is a header and n factories of an industrial zone in 13321,
// one gate each.
func bulkPlaces(n int) [][]string {
	recs := [][]string{importHeader}
	for i := range n {
		recs = append(recs, []string{"Ban quản lý KCN Châu Sơn", fmt.Sprintf("Nhà xưởng số %d", i+1), "zone_business", "industry",
			"13321", "KCN Châu Sơn, Phủ Lý", "Trần Thị Bình", "0912345678", "", ""})
	}
	return recs
}

// importAnswer is the JSON of POST /api/v1/imports.
type importAnswer struct {
	Written    bool
	ImportID   int64 `json:"import_id"`
	Rows       int
	Created    []importedJSON
	Errors     []rowErrorJSON
	PostersURL string `json:"posters_url"`
}

func postImport(t *testing.T, f *placeFixture, login, query, lang string, file []byte) importAnswer {
	t.Helper()
	rec := f.send("POST", "/api/v1/imports?"+query, f.tokens[login], xlsxType, lang, file)
	if rec.Code != http.StatusOK {
		t.Fatalf("import %s: got %d, want 200: %s", query, rec.Code, rec.Body)
	}
	var a importAnswer
	decode(t, rec.Body, &a)
	return a
}

func TestPlacesAPIImport1000WithBadRows(t *testing.T) {
	f := newPlaceFixture(t)
	recs := bulkPlaces(1000)
	// recs[i] is on line i+1.
	recs[10][2] = "tàu vũ trụ"  // line 11: type
	recs[200][7] = "12345"      // line 201: phone
	recs[450][4] = "99999"      // line 451: a unit not in the tree
	recs[700][9] = "90B-123.45" // line 701: plates on a factory
	recs[999][1] = recs[998][1] // line 1000 repeats line 999
	before, venues := f.placesState(), f.venueCount()
	a := postImport(t, f, localX, "filename=kcn-chau-son.xlsx", "en", testenv.XLSX(t, recs))
	want := []rowErrorJSON{
		{Line: 11, Fields: map[string]string{"type": f.srv.cat.T("en", "err.venue_type")}},
		{Line: 201, Fields: map[string]string{"contact_phone": f.srv.cat.T("en", "err.phone")}},
		{Line: 451, Fields: map[string]string{"unit_code": f.srv.cat.T("en", "err.unit_unknown")}},
		{Line: 701, Fields: map[string]string{"plates": f.srv.cat.T("en", "err.import_plates_forbidden")}},
		{Line: 1000, Fields: map[string]string{"venue": f.srv.cat.T("en", "err.import_duplicate")}},
	}
	if !reflect.DeepEqual(a.Errors, want) {
		t.Errorf("errors:\ngot  %v\nwant %v", a.Errors, want)
	}
	if a.Written || a.ImportID != 0 || a.Rows != 1000 || len(a.Created) != 0 || a.PostersURL != "" {
		t.Errorf("with bad rows: got written=%v id=%d rows=%d created=%d posters=%q, want nothing written",
			a.Written, a.ImportID, a.Rows, len(a.Created), a.PostersURL)
	}
	if f.placesState() != before || f.venueCount() != venues {
		t.Fatalf("an import with bad rows changed data")
	}
	recs[10][2], recs[200][7], recs[450][4], recs[700][9], recs[999][1] = "zone_business", "0912345678", "13321", "", "Nhà xưởng số 999"
	a = postImport(t, f, localX, "filename=kcn-chau-son.xlsx", "", testenv.XLSX(t, recs))
	if !a.Written || a.ImportID == 0 || len(a.Created) != 1000 || len(a.Errors) != 0 || a.PostersURL != fmt.Sprintf("/api/v1/imports/%d/posters.pdf", a.ImportID) {
		t.Fatalf("fixed file: got written=%v id=%d created=%d errors=%v posters=%q", a.Written, a.ImportID, len(a.Created), a.Errors, a.PostersURL)
	}
	if got := f.venueCount(); got != venues+1000 {
		t.Errorf("venues: got %d, want %d", got, venues+1000)
	}
	if c := a.Created[999]; c.Line != 1001 || c.Name != "Nhà xưởng số 1000" || c.Checkpoints != 1 {
		t.Errorf("last created: got %+v", c)
	}
	ids, total := f.listIDs(localX, fmt.Sprintf("/api/v1/venues?import=%d&status=approved&limit=10", a.ImportID))
	if total != 1000 || len(ids) != 10 || ids[0] != a.Created[0].VenueID {
		t.Errorf("the import's places, approved (a commune official imported them): got total %d, first %v", total, ids)
	}
	checkImportPosters(t, f, a.PostersURL, 1000)
	if rec := f.as(managerB, "GET", a.PostersURL, ""); rec.Code != 404 {
		t.Errorf("another organisation's manager printing the import: got %d, want 404", rec.Code)
	}
}

// checkImportPosters downloads a batch PDF and counts its pages.
func checkImportPosters(t *testing.T, f *placeFixture, url string, pages int) {
	t.Helper()
	start := time.Now()
	rec := f.as(localX, "GET", url, "")
	took := time.Since(start)
	if rec.Code != 200 || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
		t.Fatalf("import posters: got %d, want a PDF: %.200s", rec.Code, rec.Body)
	}
	t.Logf("batch PDF of %d posters: %v, %d KiB", pages, took.Round(time.Millisecond), rec.Body.Len()/1024)
	if got := pdfPages(rec.Body.Bytes()); got != pages {
		t.Errorf("import posters: got %d page objects, want %d", got, pages)
	}
	pdfinfo, err := exec.LookPath("pdfinfo")
	if err != nil {
		return
	}
	path := filepath.Join(t.TempDir(), "posters.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdfinfo, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if n, ok := strings.CutPrefix(line, "Pages:"); ok {
			if got, _ := strconv.Atoi(strings.TrimSpace(n)); got != pages {
				t.Errorf("pdfinfo: got %d pages, want %d", got, pages)
			}
			return
		}
	}
	t.Errorf("pdfinfo gave no page count: %s", out)
}

func TestPlacesAPIImportValidOnlyAndScope(t *testing.T) {
	f := newPlaceFixture(t)
	recs := bulkPlaces(4)
	recs[2][4] = "13333" // line 3: outside the commune official's unit
	recs[3][3] = "ngành lạ"
	a := postImport(t, f, localX, "filename=kcn.xlsx&valid_only=true", "", testenv.XLSX(t, recs))
	wantErrs := []rowErrorJSON{
		{Line: 3, Fields: map[string]string{"unit_code": f.srv.cat.T("vi", "err.unit_out_of_scope")}},
		{Line: 4, Fields: map[string]string{"sector": f.srv.cat.T("vi", "err.sector")}},
	}
	if !a.Written || len(a.Created) != 2 || !reflect.DeepEqual(a.Errors, wantErrs) {
		t.Fatalf("valid_only: got written=%v created=%+v errors=%v", a.Written, a.Created, a.Errors)
	}
	if a.Created[0].Line != 2 || a.Created[1].Line != 5 {
		t.Errorf("created lines: got %+v, want 2 and 5", a.Created)
	}
	// A manager imports into their own organisation only, as pending places.
	csv := "organisation,venue,type,sector,unit_code,contact_phone\n" +
		"Công ty May Hà Nam,Xưởng may số 2,zone_business,industry,13321,0912345678\n" +
		"Công ty khác,Xưởng X,zone_business,industry,13321,0912345678\n"
	rec := f.send("POST", "/api/v1/imports?filename=xuong.csv&valid_only=true", f.tokens[managerA], "text/csv; charset=utf-8", "", []byte(csv))
	decode(t, rec.Body, &a)
	if rec.Code != 200 || len(a.Created) != 1 || len(a.Errors) != 1 || a.Errors[0].Line != 3 ||
		a.Errors[0].Fields["organisation"] != f.srv.cat.T("vi", "err.import_other_organisation") {
		t.Fatalf("manager's import: got %d %+v", rec.Code, a)
	}
	rec = f.as(managerA, "GET", fmt.Sprintf("/api/v1/venues/%d", a.Created[0].VenueID), "")
	var v venueDetailJSON
	decode(t, rec.Body, &v)
	if rec.Code != 200 || v.OrganisationID != f.orgA || v.Status != ravao.VenuePending || len(v.Checkpoints) != 1 {
		t.Errorf("manager's imported place: got %d %+v", rec.Code, v)
	}
	if rec := f.as("health", "POST", "/api/v1/imports?filename=x.csv", csv); rec.Code != http.StatusForbidden {
		t.Errorf("health official importing: got %d, want 403", rec.Code)
	}
}

func TestPlacesAPIImportBodyLimit(t *testing.T) {
	f := newPlaceFixture(t)
	big := bytes.Repeat([]byte("x"), 2<<20)
	rec := f.send("POST", "/api/v1/imports?filename=big.xlsx", f.tokens["admin"], xlsxType, "", big)
	if got := apiError(t, rec); rec.Code != 400 || got.Message != f.srv.cat.T("vi", "err.import_file") {
		t.Errorf("2 MiB upload: got %d %+v, want it read (and refused as not XLSX)", rec.Code, got)
	}
	huge := bytes.Repeat([]byte("x"), 9<<20)
	rec = f.send("POST", "/api/v1/imports?filename=huge.xlsx", f.tokens["admin"], xlsxType, "en", huge)
	if got := apiError(t, rec); rec.Code != http.StatusRequestEntityTooLarge || got.Message != f.srv.cat.T("en", "err.too_large") {
		t.Errorf("9 MiB upload: got %d %+v, want 413", rec.Code, got)
	}
	rec = f.send("POST", "/api/v1/invitations", f.tokens[managerA], "application/json", "", append([]byte(`{"checkpoint_ids":[`), bytes.Repeat([]byte("1,"), 1<<20)...))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB JSON call: got %d, want 413 (the import's limit is its own)", rec.Code)
	}
}
