package progress_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/progress"
)

// rosterEnv is env with a progress service that has the vault, and the
// places a roster of Phủ Lý (347) is matched against: besides env's own
// (the shop "Cửa hàng Hoa Mai" in Quang Trung among them),
//   - minhPhat, "Công ty TNHH Minh Phát" in Quang Trung, tax code
//     0101234567;
//   - senVang, "Nhà hàng Sen Vàng" in Lê Hồng Phong, contact phone
//     0912345678;
//   - haiDang, "Hải Đăng" in Quang Trung, no tax code nor phone;
//   - daiDuongHM and daiDuongQT, two places of one organisation with tax
//     code 0107777777, in Hòa Mạc (Duy Tiên) and in Quang Trung;
//   - saoMai, "Trường MN Sao Mai" in Châu Sơn, whose name key is not the
//     roster's "Trường Mầm non Sao Mai".
type rosterEnv struct {
	*env
	svc *progress.Service

	minhPhat, senVang, haiDang, daiDuongHM, daiDuongQT, saoMai int64
}

// The roster of Phủ Lý: one line per place that must register.
const phuLyRoster = "name,address,unit_code,sector,tax_code,phone\n" +
	"Minh Phát,12 Lê Lợi,13321,industry,0101234567,\n" + // 2: tax
	"Nhà hàng Sen Vàng,3 Biên Hòa,13324,commerce,,0912 345 678\n" + // 3: phone
	"Công ty TNHH Hải Đăng,,13321,thương mại,,\n" + // 4: name
	"Cửa hàng Hoa Mai,,13321,commerce,,\n" + // 5: name (env's shop)
	"Trường Mầm non Sao Mai,,13327,education,,0901234567\n" + // 6: missing
	"Xưởng gỗ Thành Công,,13324,industry,0109999999,\n" + // 7: missing
	"Bến xe Phủ Lý,,347,transport,,\n" + // 8: missing, at the city itself
	"Công ty CP Đại Dương,,13321,,0107777777,\n" // 9: tax, the Quang Trung place

func newRosterEnv(t *testing.T, e *env) *rosterEnv {
	t.Helper()
	r := &rosterEnv{env: e, svc: e.svc}
	r.minhPhat = r.venue("Công ty TNHH Minh Phát", "13321", ravao.SectorIndustry, "0101234567", "")
	r.senVang = r.venue("Nhà hàng Sen Vàng", "13324", ravao.SectorCommerce, "", "0912345678")
	r.haiDang = r.venue("Hải Đăng", "13321", ravao.SectorCommerce, "", "")
	r.daiDuongHM, r.daiDuongQT = r.orgVenues("Công ty CP Đại Dương", "0107777777", "13400", "13321")
	r.saoMai = r.venue("Trường MN Sao Mai", "13327", ravao.SectorEducation, "", "")
	return r
}

// venue stores an organisation (with its tax code, when given) and one
// approved place of it (with the contact key of phone, when given).
func (r *rosterEnv) venue(name, unit string, sector ravao.Sector, taxCode, phone string) int64 {
	r.t.Helper()
	var id int64
	r.update(func(tx ravao.Tx) error {
		o := ravao.Organisation{Name: name, UnitCode: unit, Sector: sector, TaxCode: taxCode}
		if err := tx.CreateOrganisation(&o); err != nil {
			return err
		}
		v, err := r.placeOf(tx, o, name, unit, phone)
		id = v
		return err
	})
	return id
}

// orgVenues stores an organisation with a tax code and a place of it in
// each unit, in order.
func (r *rosterEnv) orgVenues(name, taxCode string, units ...string) (int64, int64) {
	r.t.Helper()
	var ids []int64
	r.update(func(tx ravao.Tx) error {
		o := ravao.Organisation{Name: name, UnitCode: units[0], Sector: ravao.SectorCommerce, TaxCode: taxCode}
		if err := tx.CreateOrganisation(&o); err != nil {
			return err
		}
		for _, u := range units {
			id, err := r.placeOf(tx, o, name+" "+u, u, "")
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids[0], ids[1]
}

func (r *rosterEnv) placeOf(tx ravao.Tx, o ravao.Organisation, name, unit, phone string) (int64, error) {
	path, err := ravao.UnitPathFor(tx, unit)
	if err != nil {
		return 0, err
	}
	v := ravao.Venue{OrganisationID: o.ID, Name: name, Type: ravao.VenueBusiness, Sector: o.Sector,
		UnitCode: unit, UnitPath: path, Status: ravao.VenueApproved}
	if phone != "" {
		v.ContactKey = r.vault.Lookup("phone", phone)
	}
	return v.ID, tx.CreateVenue(&v)
}

// upload uploads a roster as actor and fails on any error.
func (r *rosterEnv) upload(actor *ravao.Principal, unit string, sector ravao.Sector, csv string) progress.RosterResult {
	r.t.Helper()
	res, err := r.svc.UploadRoster(r.ctx, actor, unit, sector, "danh-sach.csv", strings.NewReader(csv))
	if err != nil {
		r.t.Fatalf("upload: %v", err)
	}
	if len(res.Errors) > 0 {
		r.t.Fatalf("upload: row errors %+v", res.Errors)
	}
	return res
}

// entries are every entry stored, by line.
func (r *rosterEnv) entries() map[int]ravao.RosterEntry {
	r.t.Helper()
	out := map[int]ravao.RosterEntry{}
	r.view(func(tx ravao.Tx) error {
		list, err := tx.RosterEntries(ravao.RosterFilter{})
		for _, e := range list {
			out[e.Line] = e
		}
		return err
	})
	return out
}

// coverage is a unit's coverage as actor, failing on error.
func (r *rosterEnv) coverage(actor *ravao.Principal, unit string, sector ravao.Sector) progress.CoverageView {
	r.t.Helper()
	v, err := r.svc.Coverage(r.ctx, actor, ravao.StatsQuery{UnitCode: unit, Sector: sector})
	if err != nil {
		r.t.Fatalf("coverage %s %q: %v", unit, sector, err)
	}
	return v
}

// cov is a coverage row's figures, named for comparison.
type cov struct {
	name              string
	req, covered, pro int
}

func rows(list []progress.CoverageRow) []cov {
	var out []cov
	for _, c := range list {
		name := c.Unit.Name
		if name == "" {
			name = string(c.Sector)
		}
		out = append(out, cov{name, c.Required, c.Covered, c.Proposed})
	}
	return out
}

func total(v progress.CoverageView) cov {
	return cov{"", v.Totals.Required, v.Totals.Covered, v.Totals.Proposed}
}

// TestRosterMatching uploads Phủ Lý's roster and checks each entry's match,
// the coverage of the city and of a ward, the missing list, and then the
// effect of confirming, rejecting and choosing, a second upload and a
// rematch after new places register.
func TestRosterMatching(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := newRosterEnv(t, e)
		res := r.upload(r.admin, "347", "", phuLyRoster)
		if res.Roster.ID == 0 || res.Roster.Entries != 8 || res.Roster.UnitPath != "35/347/" || res.Covered != 3 || res.Proposed != 2 || res.Missing != 3 {
			t.Fatalf("upload: got %+v, want 8 entries: 3 covered, 2 proposed, 3 missing", res)
		}
		want := map[int]struct {
			match ravao.RosterMatch
			venue int64
		}{
			2: {ravao.MatchTax, r.minhPhat}, 3: {ravao.MatchPhone, r.senVang}, 4: {ravao.MatchName, r.haiDang},
			5: {ravao.MatchName, r.shop}, 6: {}, 7: {}, 8: {}, 9: {ravao.MatchTax, r.daiDuongQT},
		}
		got := r.entries()
		for line, w := range want {
			if g := got[line]; g.Match != w.match || g.VenueID != w.venue {
				t.Errorf("line %d %s: got %q venue %d, want %q venue %d", line, g.Name, g.Match, g.VenueID, w.match, w.venue)
			}
		}
		if g := got[9]; g.Sector != "" || g.UnitPath != "35/347/13321/" {
			t.Errorf("line 9: got sector %q path %q, want none and Quang Trung's", g.Sector, g.UnitPath)
		}
		if g := got[4]; g.Sector != ravao.SectorCommerce || g.NameKey != "hai dang" {
			t.Errorf("line 4: got sector %q key %q, want commerce (from thương mại) and \"hai dang\"", g.Sector, g.NameKey)
		}

		city := r.coverage(r.admin, "347", "")
		if got, want := total(city), (cov{"", 8, 3, 2}); got != want {
			t.Errorf("Phủ Lý totals: got %+v, want %+v", got, want)
		}
		wantChildren := []cov{{"Châu Sơn", 1, 0, 0}, {"Lê Hồng Phong", 2, 1, 0}, {"Quang Trung", 4, 2, 2}}
		if got := rows(city.Children); !slices.Equal(got, wantChildren) {
			t.Errorf("Phủ Lý children: got %+v, want %+v (the bus station at the city itself in the totals only)", got, wantChildren)
		}
		wantSectors := []cov{{"", 1, 1, 0}, {"commerce", 3, 1, 2}, {"education", 1, 0, 0}, {"industry", 2, 1, 0}, {"transport", 1, 0, 0}}
		if got := rows(city.Sectors); !slices.Equal(got, wantSectors) {
			t.Errorf("Phủ Lý sectors: got %+v, want %+v", got, wantSectors)
		}
		if len(city.Rosters) != 1 || city.Rosters[0].ID != res.Roster.ID || city.Rosters[0].FileName != "danh-sach.csv" {
			t.Errorf("Phủ Lý rosters: got %+v, want the one uploaded", city.Rosters)
		}
		ward := r.coverage(r.admin, "13321", "")
		if got, want := total(ward), (cov{"", 4, 2, 2}); got != want || len(ward.Children) != 0 || len(ward.Rosters) != 0 {
			t.Errorf("Quang Trung: got %+v, %d children, %d rosters; want %+v, none, none (the roster is the city's)", got, len(ward.Children), len(ward.Rosters), want)
		}
		if got, want := rows(ward.Sectors), []cov{{"", 1, 1, 0}, {"commerce", 2, 0, 2}, {"industry", 1, 1, 0}}; !slices.Equal(got, want) {
			t.Errorf("Quang Trung sectors: got %+v, want %+v", got, want)
		}

		missing, err := r.svc.Missing(r.ctx, r.admin, ravao.StatsQuery{UnitCode: "347"}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := missingLines(missing), []int{4, 5, 6, 7, 8}; !slices.Equal(got, want) {
			t.Fatalf("missing: got lines %v, want %v", got, want)
		}
		if p := missing[0].Proposed; p == nil || p.ID != r.haiDang {
			t.Errorf("missing Hải Đăng: got proposal %v, want venue %d", p, r.haiDang)
		}
		if p := missing[1].Proposed; p == nil || p.ID != r.shop {
			t.Errorf("missing Hoa Mai: got proposal %v, want the shop", p)
		}
		if missing[2].Phone.Reveal() != "0901234567" || missing[2].Proposed != nil || missing[0].Phone != "" {
			t.Errorf("missing Sao Mai: got phone %q proposal %v, want 0901234567 and none", missing[2].Phone.Reveal(), missing[2].Proposed)
		}
		if page, err := r.svc.Missing(r.ctx, r.admin, ravao.StatsQuery{UnitCode: "347"}, missing[1].Entry.ID, 2); err != nil || !slices.Equal(missingLines(page), []int{6, 7}) {
			t.Errorf("missing after line 5, 2 of them: got %v, %v; want lines 6, 7", missingLines(page), err)
		}
		r.wantAudit("roster.missing", 2)
		r.wantAudit("roster.upload", 1)

		// A person confirms Hải Đăng, rejects the shop for Hoa Mai, and
		// chooses Sao Mai's venue by hand.
		if err := r.svc.ConfirmMatch(r.ctx, r.admin, got[4].ID); err != nil {
			t.Fatal(err)
		}
		if err := r.svc.RejectMatch(r.ctx, r.admin, got[5].ID); err != nil {
			t.Fatal(err)
		}
		svctest.WantKey(t, "confirm a tax match", r.svc.ConfirmMatch(r.ctx, r.admin, got[2].ID), "err.roster_no_proposal")
		svctest.WantKey(t, "reject without proposal", r.svc.RejectMatch(r.ctx, r.admin, got[5].ID), "err.roster_no_proposal")
		svctest.WantKey(t, "choose a venue of another ward", r.svc.ChooseVenue(r.ctx, r.admin, got[6].ID, r.school), "err.venue_outside")
		svctest.WantKey(t, "choose no venue", r.svc.ChooseVenue(r.ctx, r.admin, got[6].ID, 999999), "err.venue_not_found")
		if err := r.svc.ChooseVenue(r.ctx, r.admin, got[6].ID, r.saoMai); err != nil {
			t.Fatal(err)
		}
		svctest.WantKey(t, "choose a venue already matched", r.svc.ChooseVenue(r.ctx, r.admin, got[8].ID, r.saoMai), "err.roster_venue_taken")
		if err := r.svc.ConfirmMatch(r.ctx, r.admin, 999999); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("confirm an unknown entry: got %v, want not found", err)
		}
		after := r.entries()
		if g := after[5]; g.Match != "" || g.VenueID != 0 || g.RejectedVenueID != r.shop || g.UpdatedBy != r.admin.User.ID {
			t.Errorf("rejected Hoa Mai: got %+v, want no match, the shop rejected, by the admin", g)
		}
		if g := after[4]; g.Match != ravao.MatchConfirmed || g.VenueID != r.haiDang {
			t.Errorf("confirmed Hải Đăng: got %q %d", g.Match, g.VenueID)
		}
		if g := after[6]; g.Match != ravao.MatchConfirmed || g.VenueID != r.saoMai {
			t.Errorf("chosen Sao Mai: got %q %d", g.Match, g.VenueID)
		}
		wantAfter := []cov{{"Châu Sơn", 1, 1, 0}, {"Lê Hồng Phong", 2, 1, 0}, {"Quang Trung", 4, 3, 0}}
		city = r.coverage(r.admin, "347", "")
		if got, want := total(city), (cov{"", 8, 5, 0}); got != want || !slices.Equal(rows(city.Children), wantAfter) {
			t.Errorf("after confirm, reject, choose: got %+v %+v, want %+v %+v", got, rows(city.Children), want, wantAfter)
		}

		// Uploading the list again keeps what people decided.
		res = r.upload(r.admin, "347", "", phuLyRoster)
		if res.Covered != 5 || res.Proposed != 0 || res.Missing != 3 {
			t.Errorf("second upload: got %+v, want 5 covered (two kept confirmed), none proposed, 3 missing", res)
		}
		again := r.entries()
		if g := again[5]; g.Match != "" || g.RejectedVenueID != r.shop {
			t.Errorf("Hoa Mai again: got %q, rejected %d; want the shop still rejected", g.Match, g.RejectedVenueID)
		}
		if g := again[4]; g.Match != ravao.MatchConfirmed || g.VenueID != r.haiDang || g.UpdatedBy != r.admin.User.ID {
			t.Errorf("Hải Đăng again: got %+v, want still confirmed", g)
		}
		if g := again[6]; g.Match != ravao.MatchConfirmed || g.VenueID != r.saoMai {
			t.Errorf("Sao Mai again: got %q %d, want still chosen", g.Match, g.VenueID)
		}
		if got := r.coverage(r.admin, "347", ""); total(got) != (cov{"", 8, 5, 0}) || len(got.Rosters) != 1 {
			t.Errorf("after the second upload: got %+v with %d rosters, want the same coverage, one roster", total(got), len(got.Rosters))
		}

		// The sawmill registers with its tax code, and a place named as
		// the bus station opens in a ward: the next rematch finds both.
		thanhCong := r.venue("Xưởng gỗ Thành Công", "13324", ravao.SectorIndustry, "0109999999", "")
		benXe := r.venue("Bến xe Phủ Lý", "13324", ravao.SectorTransport, "", "")
		n, err := r.svc.Rematch(r.ctx)
		if err != nil || n != 2 {
			t.Fatalf("rematch: got %d, %v; want 2", n, err)
		}
		final := r.entries()
		if g := final[7]; g.Match != ravao.MatchTax || g.VenueID != thanhCong {
			t.Errorf("sawmill after rematch: got %q %d, want tax %d", g.Match, g.VenueID, thanhCong)
		}
		if g := final[8]; g.Match != ravao.MatchName || g.VenueID != benXe {
			t.Errorf("bus station after rematch: got %q %d, want name %d", g.Match, g.VenueID, benXe)
		}
		if n, err := r.svc.Rematch(r.ctx); err != nil || n != 0 {
			t.Errorf("second rematch: got %d, %v; want 0", n, err)
		}
		if got, want := total(r.coverage(r.admin, "347", "")), (cov{"", 8, 6, 1}); got != want {
			t.Errorf("after rematch: got %+v, want %+v", got, want)
		}

		if err := r.svc.DeleteRoster(r.ctx, r.admin, "347", ""); err != nil {
			t.Fatal(err)
		}
		if got := r.coverage(r.admin, "347", ""); total(got) != (cov{}) || len(got.Rosters) != 0 {
			t.Errorf("after delete: got %+v, %d rosters; want nothing", total(got), len(got.Rosters))
		}
		if err := r.svc.DeleteRoster(r.ctx, r.admin, "347", ""); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("delete again: got %v, want not found", err)
		}
	})
}

func missingLines(list []progress.MissingEntry) []int {
	var out []int
	for _, m := range list {
		out = append(out, m.Entry.Line)
	}
	return out
}

// wantAudit checks how many events of an action the log holds.
func (r *rosterEnv) wantAudit(action string, n int) {
	r.t.Helper()
	r.view(func(tx ravao.Tx) error {
		list, err := tx.AuditEvents(ravao.AuditFilter{Action: action})
		if err == nil && len(list) != n {
			r.t.Errorf("audit %s: got %d events, want %d", action, len(list), n)
		}
		return err
	})
}

// TestRosterBadFile checks that a file with bad lines among good ones
// writes nothing and names every bad line.
func TestRosterBadFile(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := newRosterEnv(t, e)
		csv := "name,address,unit_code,sector,tax_code,phone\n" +
			"Minh Phát,,13321,industry,0101234567,\n" +
			"Cửa hàng Hoa Mai,,13321,commerce,12345,\n" + // 3: bad tax code
			"Chợ Hòa Mạc,,13400,commerce,,\n" + // 4: another district
			"Quán Lan,,99999,,,\n" + // 5: no such unit
			"Nhà hàng Sen Vàng,,13324,commerce,,0912345678\n"
		res, err := r.svc.UploadRoster(r.ctx, r.admin, "347", "", "bad.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		want := []progress.RowError{
			{Line: 3, Fields: map[string]string{"tax_code": "err.tax_code"}},
			{Line: 4, Fields: map[string]string{"unit_code": "err.unit_outside"}},
			{Line: 5, Fields: map[string]string{"unit_code": "err.unit_unknown"}},
		}
		if !rowErrorsEqual(res.Errors, want) || res.Roster.ID != 0 {
			t.Errorf("errors: got %+v (roster %d), want %+v and no roster", res.Errors, res.Roster.ID, want)
		}
		r.wantNoRoster("347", "")

		// A roster of one sector takes no line of another.
		csv = "name,unit_code,sector\nTrường THCS Quang Trung,13321,education\nChợ Quang Trung,13321,commerce\nTrường Tiểu học Lam Hạ,13321,\n"
		res, err = r.svc.UploadRoster(r.ctx, r.admin, "347", ravao.SectorEducation, "edu.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		want = []progress.RowError{{Line: 3, Fields: map[string]string{"sector": "err.sector_outside"}}}
		if !rowErrorsEqual(res.Errors, want) {
			t.Errorf("sector errors: got %+v, want %+v", res.Errors, want)
		}
		r.wantNoRoster("347", ravao.SectorEducation)

		// A file that cannot be read at all is an error of its own.
		_, err = r.svc.UploadRoster(r.ctx, r.admin, "347", "", "list.csv", bytes.NewReader([]byte("ten,dia chi\nA,B\n")))
		svctest.WantKey(t, "header", err, "err.roster_header")
	})
}

func rowErrorsEqual(a, b []progress.RowError) bool {
	return slices.EqualFunc(a, b, func(x, y progress.RowError) bool {
		if x.Line != y.Line || len(x.Fields) != len(y.Fields) {
			return false
		}
		for k, v := range x.Fields {
			if y.Fields[k] != v {
				return false
			}
		}
		return true
	})
}

// wantNoRoster checks that no roster of a unit and sector was written, nor
// any entry.
func (r *rosterEnv) wantNoRoster(unit string, sector ravao.Sector) {
	r.t.Helper()
	r.view(func(tx ravao.Tx) error {
		if _, err := tx.Roster(unit, sector); !ravao.IsNotFound(err) {
			r.t.Errorf("roster %s %q: got %v, want not found", unit, sector, err)
		}
		list, err := tx.RosterEntries(ravao.RosterFilter{})
		if err == nil && len(list) != 0 {
			r.t.Errorf("entries: got %d, want none", len(list))
		}
		return err
	})
}

// TestRosterScope checks who may upload and see what: a ward official
// only their ward, a sector supervisor only their sector's entries and
// rosters.
func TestRosterScope(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := newRosterEnv(t, e)
		r.upload(r.admin, "347", "", phuLyRoster)
		byLine := r.entries()

		lhp := r.staff("lhp", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13324"})
		if _, err := r.svc.Coverage(r.ctx, lhp, ravao.StatsQuery{UnitCode: "13321"}); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("another ward's coverage: got %v, want forbidden", err)
		}
		if _, err := r.svc.Missing(r.ctx, lhp, ravao.StatsQuery{UnitCode: "13321"}, 0, 0); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("another ward's missing list: got %v, want forbidden", err)
		}
		if _, err := r.svc.UploadRoster(r.ctx, lhp, "13321", "", "x.csv", strings.NewReader(phuLyRoster)); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("upload for another ward: got %v, want forbidden", err)
		}
		if err := r.svc.ConfirmMatch(r.ctx, lhp, byLine[4].ID); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("confirm in another ward: got %v, want not found", err)
		}
		if err := r.svc.DeleteRoster(r.ctx, lhp, "347", ""); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("delete the city's roster: got %v, want forbidden", err)
		}
		own := r.coverage(lhp, "", "")
		if own.Unit.Code != "13324" || total(own) != (cov{"", 2, 1, 0}) {
			t.Errorf("own ward: got %s %+v, want Lê Hồng Phong 2 required, 1 covered", own.Unit.Code, total(own))
		}
		if _, err := r.svc.Missing(r.ctx, r.staff("none", ravao.RoleAssignment{Role: ravao.RoleDPO}), ravao.StatsQuery{UnitCode: "347"}, 0, 0); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("missing list for a DPO: got %v, want forbidden", err)
		}

		trade := r.staff("trade", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "347", Sector: ravao.SectorCommerce})
		v := r.coverage(trade, "347", "")
		if v.Sector != ravao.SectorCommerce || total(v) != (cov{"", 3, 1, 2}) || len(v.Rosters) != 0 {
			t.Errorf("trade's coverage: got %q %+v with %d rosters, want commerce 3, 1, 2 and no roster (the city's is for all sectors)", v.Sector, total(v), len(v.Rosters))
		}
		if got, want := rows(v.Sectors), []cov{{"commerce", 3, 1, 2}}; !slices.Equal(got, want) {
			t.Errorf("trade's sectors: got %+v, want %+v", got, want)
		}
		if _, err := r.svc.Coverage(r.ctx, trade, ravao.StatsQuery{UnitCode: "347", Sector: ravao.SectorEducation}); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("trade asks for education: got %v, want forbidden", err)
		}
		missing, err := r.svc.Missing(r.ctx, trade, ravao.StatsQuery{UnitCode: "347"}, 0, 0)
		if err != nil || !slices.Equal(missingLines(missing), []int{4, 5}) {
			t.Errorf("trade's missing: got %v, %v; want lines 4, 5 only", missingLines(missing), err)
		}
		if err := r.svc.RejectMatch(r.ctx, trade, byLine[6].ID); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("trade touches the education entry: got %v, want not found", err)
		}
		if err := r.svc.ConfirmMatch(r.ctx, trade, byLine[5].ID); err != nil {
			t.Errorf("trade confirms a commerce entry: %v", err)
		}

		// Asking for all sectors, trade uploads their own sector's roster:
		// a line of another sector is refused.
		res, err := r.svc.UploadRoster(r.ctx, trade, "347", "", "trade.csv",
			strings.NewReader("name,unit_code,sector\nChợ Quang Trung,13321,\nTrường THCS Quang Trung,13321,education\n"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []progress.RowError{{Line: 3, Fields: map[string]string{"sector": "err.sector_outside"}}}; !rowErrorsEqual(res.Errors, want) {
			t.Errorf("trade's upload: got %+v, want %+v", res.Errors, want)
		}
		res = r.upload(trade, "347", "", "name,unit_code,sector\nChợ Quang Trung,13321,\nQuán Lan,13324,commerce\n")
		if res.Roster.Sector != ravao.SectorCommerce || res.Proposed != 1 || res.Missing != 1 {
			t.Errorf("trade's roster: got %+v, want a commerce roster, the market proposed, Quán Lan missing", res)
		}
		v = r.coverage(trade, "347", "")
		if len(v.Rosters) != 1 || v.Rosters[0].Sector != ravao.SectorCommerce || total(v) != (cov{"", 5, 2, 2}) {
			t.Errorf("trade's coverage with their roster: got %+v %+v, want their roster and 5, 2, 2", v.Rosters, total(v))
		}
		if got := r.coverage(r.admin, "347", ""); len(got.Rosters) != 2 || total(got) != (cov{"", 10, 4, 2}) {
			t.Errorf("admin's coverage: got %d rosters, %+v; want 2 and 10, 4, 2", len(got.Rosters), total(got))
		}
	})
}

// TestRosterNeedsVault checks a deployment without a vault takes no roster.
func TestRosterNeedsVault(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		svc, err := progress.New(e.store, progress.Config{TZ: svctest.ICT, Clock: e.clock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UploadRoster(e.ctx, e.admin, "347", "", "a.csv", strings.NewReader(phuLyRoster)); err == nil {
			t.Error("upload without a vault: got no error")
		}
	})
}
