package places_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/placeimport"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

var importHeader = []string{"organisation", "venue", "type", "sector", "unit_code", "address", "contact_name", "contact_phone", "checkpoints", "plates"}

// parse writes records as a CSV file under importHeader and parses it as
// an upload would be.
func parse(t *testing.T, records [][]string) placeimport.Result {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(append([][]string{importHeader}, records...)); err != nil {
		t.Fatal(err)
	}
	res, err := placeimport.ParseCSV(&b)
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return res
}

// shops are n shops of the commune 13321, ten per household business,
// each with one checkpoint.
func shops(n int) [][]string {
	recs := make([][]string, n)
	for i := range recs {
		typ, sector := "business", "commerce"
		if i%3 == 0 {
			typ, sector = "restaurant", "commerce"
		}
		recs[i] = []string{
			fmt.Sprintf("Hộ kinh doanh số %d", i/10+1), fmt.Sprintf("Cửa hàng số %d", i+1), typ, sector, "13321",
			fmt.Sprintf("%d Trần Hưng Đạo", i+1), "Nguyễn Văn An", fmt.Sprintf("09%08d", i), "", "",
		}
	}
	return recs
}

func TestImportAllOrNothing(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		recs := shops(1000)
		bad := map[int]string{17: "99999", 250: "35/347", 499: "ABC", 777: "14000", 998: "13322"}
		for i, unit := range bad {
			recs[i][4] = unit
		}
		file := parse(t, recs)
		before := e.counts(t)
		res, err := e.svc.Import(e.ctx, e.local, file, false, "vi")
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		wantErrors := []placeimport.RowError{
			{Line: 19, Fields: map[string]string{"unit_code": "err.unit_unknown"}},
			{Line: 252, Fields: map[string]string{"unit_code": "err.unit_code"}},
			{Line: 501, Fields: map[string]string{"unit_code": "err.unit_unknown"}},
			{Line: 779, Fields: map[string]string{"unit_code": "err.unit_out_of_scope"}},
			{Line: 1000, Fields: map[string]string{"unit_code": "err.unit_out_of_scope"}},
		}
		if res.Written || res.ImportID != 0 || len(res.Created) != 0 || res.Rows != 1000 || fmt.Sprint(res.Errors) != fmt.Sprint(wantErrors) {
			t.Errorf("Import: written %v, import %d, %d created, %d rows, errors %v; want nothing written and %v",
				res.Written, res.ImportID, len(res.Created), res.Rows, res.Errors, wantErrors)
		}
		for _, re := range res.Errors {
			for _, key := range re.Fields {
				e.wantMessage(t, key)
			}
		}
		if after := e.counts(t); after != before {
			t.Errorf("counts went from %+v to %+v", before, after)
		}

		res, err = e.svc.Import(e.ctx, e.local, file, true, "vi")
		if err != nil || !res.Written || len(res.Created) != 995 || len(res.Errors) != 5 || res.ImportID == 0 {
			t.Fatalf("Import valid only: written %v, %d created, %d errors, import %d, %v", res.Written, len(res.Created), len(res.Errors), res.ImportID, err)
		}
		if after := e.counts(t); after.venues != before.venues+995 || after.orgs != before.orgs+100 {
			t.Errorf("valid only: counts went from %+v to %+v; want 995 venues of 100 organisations more", before, after)
		}
		for _, c := range res.Created {
			if _, ok := bad[c.Line-2]; ok {
				t.Errorf("line %d was written", c.Line)
			}
		}
	})
}

func TestImportPosters(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		file := parse(t, shops(1000))
		start := time.Now()
		res, err := e.svc.Import(e.ctx, e.local, file, false, "vi")
		t.Logf("%s: 1000 rows imported in %v", e.engine, time.Since(start).Round(time.Millisecond))
		if err != nil || !res.Written || len(res.Errors) != 0 || len(res.Created) != 1000 || res.ImportID == 0 {
			t.Fatalf("Import: written %v, %d created, errors %v, import %d, %v", res.Written, len(res.Created), res.Errors, res.ImportID, err)
		}
		first := e.stored(t, res.Created[0].VenueID)
		if first.Name != "Cửa hàng số 1" || first.Type != ravao.VenueRestaurant || first.UnitPath != "35/347/13321/" ||
			first.Status != ravao.VenueApproved || first.ImportID != res.ImportID || first.Address != "1 Trần Hưng Đạo" {
			t.Errorf("first imported venue: %+v", first)
		}
		c, err := e.svc.OpenContact(first)
		if err != nil || c.Phone.Reveal() != "0900000000" || c.Name.Reveal() != "Nguyễn Văn An" {
			t.Errorf("first venue's contact: %v", err)
		}
		if evs := e.audit(t, "venue.import"); len(evs) != 1 || evs[0].ID != res.ImportID || evs[0].UserID != e.local.User.ID || evs[0].Reason != "1000" {
			t.Errorf("import audited as %+v", evs)
		}

		listed, total, err := e.svc.List(e.ctx, e.local, ravao.VenueFilter{ImportID: res.ImportID})
		if err != nil || len(listed) != 1000 || total != 1000 {
			t.Fatalf("List by import: %d venues (total %d), %v; want 1000", len(listed), total, err)
		}
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		posters, err := e.svc.Posters(e.ctx, e.local, places.PosterSet{ImportID: res.ImportID})
		if err != nil || len(posters) != 1000 {
			t.Fatalf("Posters of the import: %d, %v; want 1000", len(posters), err)
		}
		for _, p := range posters {
			if p.VenueName == other.Name {
				t.Fatalf("the import's posters hold %s, not imported", other.Name)
			}
		}
		for _, actor := range []*ravao.Principal{e.local37, e.sector, e.manager(t, "quanlycho", other.OrganisationID)} {
			_, err := e.svc.Posters(e.ctx, actor, places.PosterSet{ImportID: res.ImportID})
			e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		}
		l := e.resolves(t, posters[999].Code, e.venueCheckpoint(t, res.Created[999].VenueID))
		if l.Venue.Name != "Cửa hàng số 1000" || posters[999].URL != baseURL+"/q/"+posters[999].Code {
			t.Errorf("last poster: %+v leads to %s", posters[999], l.Venue.Name)
		}
		e.render(t, posters)
	})
}

// venueCheckpoint is the ID of a venue's only checkpoint.
func (e *env) venueCheckpoint(t *testing.T, venueID int64) int64 {
	t.Helper()
	var cps []ravao.Checkpoint
	e.view(t, func(tx ravao.Tx) (err error) {
		cps, err = tx.Checkpoints(ravao.CheckpointFilter{VenueID: venueID})
		return err
	})
	if len(cps) != 1 {
		t.Fatalf("venue %d has %d checkpoints, want 1", venueID, len(cps))
	}
	return cps[0].ID
}

// render prints posters as one A4 PDF and logs how long it took; a few
// seconds, so -short leaves it out.
func (e *env) render(t *testing.T, posters []poster.Poster) {
	t.Helper()
	if testing.Short() {
		return
	}
	words := poster.WordingFrom(func(key string) string { return e.cat.T("vi", key) })
	var b bytes.Buffer
	start := time.Now()
	if err := poster.PDF(&b, poster.A4, words, posters...); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	t.Logf("%s: %d posters as an A4 PDF in %v, %d KiB", e.engine, len(posters), time.Since(start).Round(time.Millisecond), b.Len()/1024)
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Errorf("PDF starts with %q", b.Bytes()[:8])
	}
}

func TestImportByManager(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty Vận tải Hà Nam", "Bến xe Phủ Lý", ravao.VenueStation, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		file := parse(t, [][]string{
			{"CÔNG TY VẬN TẢI HÀ NAM", "Xe khách Phủ Lý – Hà Nội", "vehicle", "transport", "13321", "", "", "0912345678", "", "90B-123.45; 29b 678.90"},
			{"Công ty Vận tải Ninh Bình", "Xe buýt", "vehicle", "transport", "13321", "", "", "0912345678", "", "35B-000.01"},
			{"Công ty Vận tải Hà Nam", "Văn phòng", "business", "transport", "14000", "", "", "0912345678", "Cổng trước; Cổng sau", ""},
			{"Công ty Vận tải Hà Nam", "Kho", "business", "transport", "13322", "", "", "0912 345", "3", ""},
		})
		res, err := e.svc.Import(e.ctx, m, file, false, "vi")
		if err != nil {
			t.Fatal(err)
		}
		want := []placeimport.RowError{
			{Line: 3, Fields: map[string]string{"organisation": "err.import_other_organisation"}},
			{Line: 5, Fields: map[string]string{"contact_phone": "err.phone"}},
		}
		if res.Written || fmt.Sprint(res.Errors) != fmt.Sprint(want) {
			t.Fatalf("Import: written %v, errors %v; want %v", res.Written, res.Errors, want)
		}
		res, err = e.svc.Import(e.ctx, m, file, true, "vi")
		if err != nil || len(res.Created) != 2 {
			t.Fatalf("Import valid only: %+v, %v", res.Created, err)
		}
		bus, office := e.venueView(t, m, res.Created[0].VenueID), e.venueView(t, m, res.Created[1].VenueID)
		for _, got := range []places.VenueView{bus, office} {
			if got.OrganisationID != v.OrganisationID || got.Status != ravao.VenuePending {
				t.Errorf("%s: organisation %d, status %s; want %d, pending", got.Name, got.OrganisationID, got.Status, v.OrganisationID)
			}
		}
		if office.UnitPath != "37/369/14000/" {
			t.Errorf("office unit path %q", office.UnitPath)
		}
		wantCheckpoints(t, bus, ravao.CheckpointVehicle, []string{"Xe 90B-123.45", "Xe 29B678.90"}, []string{"90B-123.45", "29B678.90"})
		wantCheckpoints(t, office, ravao.CheckpointGate, []string{"Cổng trước", "Cổng sau"}, []string{"", ""})
	})
}

// venueView reads a venue as actor sees it.
func (e *env) venueView(t *testing.T, actor *ravao.Principal, id int64) places.VenueView {
	t.Helper()
	v, err := e.svc.Venue(e.ctx, actor, id)
	if err != nil {
		t.Fatalf("Venue(%d): %v", id, err)
	}
	return v
}

// wantCheckpoints checks the names and plates of a venue's checkpoints.
func wantCheckpoints(t *testing.T, v places.VenueView, kind ravao.CheckpointKind, names, plates []string) {
	t.Helper()
	var gotNames, gotPlates []string
	for _, c := range v.Checkpoints {
		gotNames, gotPlates = append(gotNames, c.Name), append(gotPlates, c.Plate)
		if c.Kind != kind || c.Code == "" {
			t.Errorf("%s: checkpoint %+v, want a %s with a code", v.Name, c.Checkpoint, kind)
		}
	}
	if !slices.Equal(gotNames, names) || !slices.Equal(gotPlates, plates) {
		t.Errorf("%s: checkpoints %q plates %q, want %q %q", v.Name, gotNames, gotPlates, names, plates)
	}
}

func TestImportCheckpointsAndScope(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		file := parse(t, [][]string{
			{"Trường THCS Quang Trung", "Cơ sở 1", "school", "education", "13321", "", "", "0912345678", "", ""},
			{"Trường THCS Quang Trung", "Cơ sở 2", "school", "education", "13322", "", "", "0912345678", "3", ""},
			{"Trường Tiểu học Đông Thành", "Cơ sở chính", "school", "education", "14000", "", "", "0912345678", "", ""},
			{"Nhà hàng Sông Đáy", "Nhà hàng", "restaurant", "commerce", "13321", "", "", "0912345678", "", ""},
		})
		res, err := e.svc.Import(e.ctx, e.sector, file, true, "vi")
		if err != nil {
			t.Fatal(err)
		}
		want := []placeimport.RowError{
			{Line: 4, Fields: map[string]string{"unit_code": "err.unit_out_of_scope"}},
			{Line: 5, Fields: map[string]string{"unit_code": "err.unit_out_of_scope"}},
		}
		if len(res.Created) != 2 || fmt.Sprint(res.Errors) != fmt.Sprint(want) {
			t.Fatalf("Import by the sector supervisor: %+v, errors %v; want 2 created and %v", res.Created, res.Errors, want)
		}
		one, two := e.venueView(t, e.sector, res.Created[0].VenueID), e.venueView(t, e.sector, res.Created[1].VenueID)
		if one.OrganisationID != two.OrganisationID || one.Status != ravao.VenuePending {
			t.Errorf("one school's venues: organisations %d and %d, status %s; want one organisation, pending", one.OrganisationID, two.OrganisationID, one.Status)
		}
		wantCheckpoints(t, one, ravao.CheckpointGate, []string{"Cổng chính"}, []string{""})
		wantCheckpoints(t, two, ravao.CheckpointGate, []string{"Cổng 1", "Cổng 2", "Cổng 3"}, []string{"", "", ""})

		gate := e.account(t, "baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: one.Checkpoints[0].ID})
		for _, actor := range []*ravao.Principal{e.health, gate, nil} {
			_, err := e.svc.Import(e.ctx, actor, file, true, "vi")
			e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		}
	})
}
