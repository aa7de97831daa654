package storetest

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

var rosterTests = []test{
	{"Rosters/CreateReplace", testRosterCreateReplace},
	{"Rosters/Entries", testRosterEntries},
	{"Rosters/Candidates", testRosterCandidates},
	{"Rosters/MatchKeys", testRosterMatchKeys},
}

// rosterMatches are the matches random entries get, "" most often.
var rosterMatches = []ravao.RosterMatch{ravao.MatchNone, ravao.MatchNone, ravao.MatchTax, ravao.MatchPhone,
	ravao.MatchName, ravao.MatchConfirmed}

// newRosterEntries returns n random entries in the communes given by path,
// not stored; matched ones point at one of venues.
func newRosterEntries(rng *rand.Rand, n int, paths []string, venues []ravao.Venue) []*ravao.RosterEntry {
	sectors := []ravao.Sector{ravao.SectorCommerce, ravao.SectorIndustry}
	var out []*ravao.RosterEntry
	for i := range n {
		path := paths[rng.IntN(len(paths))]
		codes := ravao.SplitUnitPath(path)
		name := fmt.Sprintf("Công ty TNHH Điểm %02d", i)
		e := &ravao.RosterEntry{Line: i + 2, UnitCode: codes[len(codes)-1], UnitPath: path,
			Sector: sectors[rng.IntN(len(sectors))], Name: name, NameKey: ravao.NameKey(name),
			Address: fmt.Sprintf("%d Lê Lợi", i), Match: rosterMatches[rng.IntN(len(rosterMatches))]}
		if rng.IntN(2) == 0 {
			e.TaxCode = fmt.Sprintf("01%08d", rng.IntN(1e8))
		}
		if rng.IntN(2) == 0 {
			e.Phone, e.PhoneKey = randomBytes(40), randomBytes(32)
		}
		if e.Match != ravao.MatchNone {
			e.VenueID = venues[rng.IntN(len(venues))].ID
		}
		if rng.IntN(5) == 0 {
			e.RejectedVenueID = venues[rng.IntN(len(venues))].ID
		}
		out = append(out, e)
	}
	return out
}

// mustRoster stores a roster with its entries.
func (e *env) mustRoster(r *ravao.Roster, entries []*ravao.RosterEntry) {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error { return tx.CreateRoster(r, entries) })
}

// entryValues returns the entries as stored values, in order.
func entryValues(es []*ravao.RosterEntry) []ravao.RosterEntry {
	out := []ravao.RosterEntry{}
	for _, e := range es {
		out = append(out, *e)
	}
	return out
}

func testRosterCreateReplace(e *env) {
	rng := rand.New(rand.NewPCG(1, 7))
	u := e.mustUser("canbo.xa")
	org := e.mustOrganisation("Công ty Sao Mai")
	venues := e.mustVenues(newVenue(org.ID, "Chợ A", "35/347/13321/"), newVenue(org.ID, "Chợ B", "35/347/13318/"))
	a := ravao.Roster{UnitCode: "347", UnitPath: "35/347/", FileName: "danh-sach.xlsx", UploadedBy: u.ID}
	aEntries := newRosterEntries(rng, 23, []string{"35/347/13321/", "35/347/13318/"}, venues)
	e.mustRoster(&a, aEntries)
	b := ravao.Roster{UnitCode: "13400", UnitPath: "35/349/13400/", Sector: ravao.SectorIndustry}
	bEntries := newRosterEntries(rng, 3, []string{"35/349/13400/"}, venues)
	e.mustRoster(&b, bEntries)
	c := ravao.Roster{UnitCode: "347", UnitPath: "35/347/", Sector: ravao.SectorCommerce}
	e.mustRoster(&c, nil)
	if a.ID == 0 || a.Entries != 23 || !a.CreatedAt.Equal(e.now()) || c.Entries != 0 {
		e.t.Fatalf("CreateRoster: got %+v and %+v", a, c)
	}
	ids := map[int64]bool{}
	for _, x := range append(slices.Clone(aEntries), bEntries...) {
		if x.ID == 0 || ids[x.ID] || !x.UpdatedAt.Equal(e.now()) {
			e.t.Fatalf("CreateRoster: entry %+v has no ID of its own or no UpdatedAt", x)
		}
		ids[x.ID] = true
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Roster("347", ""); err != nil || got != a {
			e.t.Errorf("Roster: got %+v, %v; want %+v", got, err, a)
		}
		_, err := tx.Roster("347", ravao.SectorIndustry)
		wantCode(e.t, "Roster of another sector", err, ravao.NotFound)
		for path, want := range map[string][]ravao.Roster{"": {b, a, c}, "35/": {b, a, c}, "35/347/": {a, c},
			"35/349/13400/": {b}, "01/": {}} {
			if got, err := tx.Rosters(path); err != nil || !reflect.DeepEqual(got, want) {
				e.t.Errorf("Rosters(%q): got %+v, %v; want %+v", path, got, err, want)
			}
		}
		_, err = tx.Rosters("35/34")
		wantCode(e.t, "Rosters of a malformed path", err, ravao.Invalid)
		for _, want := range append(slices.Clone(aEntries), bEntries...) {
			if got, err := tx.RosterEntry(want.ID); err != nil || !reflect.DeepEqual(got, *want) {
				e.t.Errorf("RosterEntry: got %+v, %v; want %+v", got, err, *want)
			}
		}
		got, err := tx.RosterEntries(ravao.RosterFilter{RosterID: a.ID})
		if err != nil || !reflect.DeepEqual(got, entryValues(aEntries)) {
			e.t.Errorf("RosterEntries of a roster: got %+v, %v; want %+v", got, err, entryValues(aEntries))
		}
		return nil
	})

	// Uploading the unit's roster again replaces it and its entries.
	e.clock.Advance(time.Hour)
	a2 := ravao.Roster{UnitCode: "347", UnitPath: "35/347/", FileName: "lan-2.csv"}
	a2Entries := newRosterEntries(rng, 2, []string{"35/347/13321/"}, venues)
	e.mustRoster(&a2, a2Entries)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Roster("347", ""); err != nil || got != a2 || got.ID == a.ID {
			e.t.Errorf("Roster after replacing: got %+v, %v; want %+v", got, err, a2)
		}
		for _, old := range aEntries {
			_, err := tx.RosterEntry(old.ID)
			wantCode(e.t, "RosterEntry of a replaced roster", err, ravao.NotFound)
		}
		if got, err := tx.RosterEntries(ravao.RosterFilter{RosterID: a.ID}); err != nil || len(got) != 0 {
			e.t.Errorf("RosterEntries of a replaced roster: got %+v, %v", got, err)
		}
		want := append(entryValues(bEntries), entryValues(a2Entries)...)
		if got, err := tx.RosterEntries(ravao.RosterFilter{}); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("RosterEntries after replacing: got %+v, %v; want %+v", got, err, want)
		}
		return nil
	})

	e.update(func(tx ravao.Tx) error { return tx.DeleteRoster(b.ID) })
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.DeleteRoster(b.ID) })
	wantCode(e.t, "DeleteRoster of a deleted roster", err, ravao.NotFound)
	e.view(func(tx ravao.Tx) error {
		_, err := tx.Roster("13400", ravao.SectorIndustry)
		wantCode(e.t, "Roster after DeleteRoster", err, ravao.NotFound)
		_, err = tx.RosterEntry(bEntries[0].ID)
		wantCode(e.t, "RosterEntry of a deleted roster", err, ravao.NotFound)
		return nil
	})
}

// rosterPaths are the communes random entries fall in.
var rosterPaths = []string{"35/347/13321/", "35/347/13318/", "35/349/13400/", "35/347/"}

func testRosterEntries(e *env) {
	rng := rand.New(rand.NewPCG(3, 11))
	u := e.mustUser("canbo.huyen")
	org := e.mustOrganisation("Công ty Sao Mai")
	venues := e.mustVenues(newVenue(org.ID, "Chợ A", "35/347/13321/"), newVenue(org.ID, "Chợ B", "35/349/13400/"))
	r1 := ravao.Roster{UnitCode: "35", UnitPath: "35/"}
	r2 := ravao.Roster{UnitCode: "35", UnitPath: "35/", Sector: ravao.SectorCommerce}
	e1 := newRosterEntries(rng, 40, rosterPaths, venues)
	e2 := newRosterEntries(rng, 15, rosterPaths, venues)
	e.mustRoster(&r1, e1)
	e.mustRoster(&r2, e2)
	all := append(entryValues(e1), entryValues(e2)...)
	e.wantRosterEntries(all, r1.ID)
	e.wantCoverage(all)

	// An update writes the match and who set it, and nothing else.
	e.clock.Advance(90 * time.Minute)
	x := *e1[0]
	x.VenueID, x.Match, x.RejectedVenueID, x.UpdatedBy = venues[1].ID, ravao.MatchConfirmed, venues[0].ID, u.ID
	x.Name = "không ghi"
	e.update(func(tx ravao.Tx) error { return tx.UpdateRosterEntry(&x) })
	if !x.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdateRosterEntry: UpdatedAt %v, want %v", x.UpdatedAt, e.now())
	}
	x.Name = e1[0].Name
	y := *e1[1]
	y.VenueID, y.Match, y.RejectedVenueID = 0, ravao.MatchNone, 0
	e.update(func(tx ravao.Tx) error { return tx.UpdateRosterEntry(&y) })
	e.view(func(tx ravao.Tx) error {
		for _, want := range []ravao.RosterEntry{x, y} {
			if got, err := tx.RosterEntry(want.ID); err != nil || !reflect.DeepEqual(got, want) {
				e.t.Errorf("RosterEntry after update: got %+v, %v; want %+v", got, err, want)
			}
		}
		return nil
	})
	all[0], all[1] = x, y
	e.wantRosterEntries(all, r1.ID)
	e.wantCoverage(all)
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		z := x
		z.ID += 1000
		return tx.UpdateRosterEntry(&z)
	})
	wantCode(e.t, "UpdateRosterEntry of a missing entry", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		z := x
		z.VenueID = venues[1].ID + 1000
		return tx.UpdateRosterEntry(&z)
	})
	wantCode(e.t, "UpdateRosterEntry to a missing venue", err, ravao.Invalid)
	e.view(func(tx ravao.Tx) error {
		_, err := tx.RosterEntries(ravao.RosterFilter{UnitPath: "35/34"})
		wantCode(e.t, "RosterEntries of a malformed path", err, ravao.Invalid)
		_, err = tx.Coverage("35/347", "")
		wantCode(e.t, "Coverage of a malformed path", err, ravao.Invalid)
		return nil
	})
}

// wantRosterEntries checks RosterEntries against all filtered by hand,
// whole and page by page.
func (e *env) wantRosterEntries(all []ravao.RosterEntry, rosterID int64) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, roster := range []int64{0, rosterID} {
			for _, path := range []string{"", "35/", "35/347/", "35/347/13321/", "35/349/", "01/"} {
				for _, sector := range []ravao.Sector{"", ravao.SectorCommerce} {
					for _, missing := range []bool{false, true} {
						f := ravao.RosterFilter{RosterID: roster, UnitPath: path, Sector: sector, Missing: missing}
						want := []ravao.RosterEntry{}
						for _, x := range all {
							if (roster == 0 || x.RosterID == roster) && strings.HasPrefix(x.UnitPath, path) &&
								(sector == "" || x.Sector == sector) && (!missing || !x.Match.Covered()) {
								want = append(want, x)
							}
						}
						got, err := tx.RosterEntries(f)
						if err != nil || !reflect.DeepEqual(got, want) {
							e.t.Errorf("RosterEntries(%+v): got %+v, %v; want %+v", f, got, err, want)
						}
						var pages []ravao.RosterEntry
						for f.Limit = 4; ; {
							page, err := tx.RosterEntries(f)
							if err != nil {
								return err
							}
							if len(page) > 4 {
								e.t.Fatalf("RosterEntries(%+v): %d entries", f, len(page))
							}
							if len(page) == 0 {
								break
							}
							pages = append(pages, page...)
							f.AfterID = page[len(page)-1].ID
						}
						if len(want) > 0 && !reflect.DeepEqual(pages, want) {
							e.t.Errorf("RosterEntries(%+v) by pages: got %+v; want %+v", f, pages, want)
						}
					}
				}
			}
		}
		return nil
	})
}

// wantCoverage checks Coverage against all counted by hand.
func (e *env) wantCoverage(all []ravao.RosterEntry) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, path := range []string{"", "35/", "35/347/", "35/349/13400/", "01/"} {
			for _, sector := range []ravao.Sector{"", ravao.SectorCommerce, ravao.SectorIndustry} {
				m := map[[2]string]*ravao.CoverageCount{}
				for _, x := range all {
					if !strings.HasPrefix(x.UnitPath, path) || sector != "" && x.Sector != sector {
						continue
					}
					k := [2]string{x.UnitPath, string(x.Sector)}
					if m[k] == nil {
						m[k] = &ravao.CoverageCount{UnitPath: x.UnitPath, UnitCode: x.UnitCode, Sector: x.Sector}
					}
					c := m[k]
					c.Required++
					if x.Match.Covered() {
						c.Covered++
					}
					if x.Match == ravao.MatchName {
						c.Proposed++
					}
				}
				want := []ravao.CoverageCount{}
				for _, k := range slices.SortedFunc(maps.Keys(m), func(a, b [2]string) int {
					return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]))
				}) {
					want = append(want, *m[k])
				}
				if got, err := tx.Coverage(path, sector); err != nil || !reflect.DeepEqual(got, want) {
					e.t.Errorf("Coverage(%q, %q): got %+v, %v; want %+v", path, sector, got, err, want)
				}
			}
		}
		return nil
	})
}

func testRosterCandidates(e *env) {
	withTax := ravao.Organisation{Name: "Công ty Minh Phát", UnitCode: "13321", Sector: ravao.SectorIndustry,
		TaxCode: "0101234567"}
	branch := ravao.Organisation{Name: "Chi nhánh Minh Phát", UnitCode: "13318", Sector: ravao.SectorIndustry,
		TaxCode: "0101234567-001"}
	none := ravao.Organisation{Name: "Hộ kinh doanh Lan", UnitCode: "13318", Sector: ravao.SectorCommerce}
	e.update(func(tx ravao.Tx) error {
		for _, o := range []*ravao.Organisation{&withTax, &branch, &none} {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
		}
		return nil
	})
	key1, key2 := randomBytes(32), randomBytes(32)
	v := func(o ravao.Organisation, name string, key []byte) ravao.Venue {
		x := newVenue(o.ID, name, "35/347/13321/")
		x.ContactKey, x.Contact, x.Zone = key, randomBytes(50), "KCN Đồng Văn"
		return x
	}
	vs := e.mustVenues(v(withTax, "Xưởng 1", nil), v(withTax, "Xưởng 2", key1), v(branch, "Kho", nil),
		v(none, "Quán Lan", key2), v(none, "Quán Lan 2", nil))
	cand := func(i int) ravao.RosterCandidate {
		tax := map[int64]string{withTax.ID: withTax.TaxCode, branch.ID: branch.TaxCode}[vs[i].OrganisationID]
		return ravao.RosterCandidate{Venue: vs[i], TaxCode: tax}
	}
	var many []string
	for i := range 300 {
		many = append(many, fmt.Sprintf("09%08d", i))
	}
	many = append(many, branch.TaxCode)
	cases := []struct {
		name string
		tax  []string
		keys [][]byte
		want []ravao.RosterCandidate
	}{
		{"nothing", nil, nil, []ravao.RosterCandidate{}},
		{"empty code and key", []string{""}, [][]byte{nil, {}}, []ravao.RosterCandidate{}},
		{"unknown", []string{"0300000000"}, [][]byte{randomBytes(32)}, []ravao.RosterCandidate{}},
		{"tax code", []string{withTax.TaxCode}, nil, []ravao.RosterCandidate{cand(0), cand(1)}},
		{"branch tax code", []string{branch.TaxCode, "0300000000"}, nil, []ravao.RosterCandidate{cand(2)}},
		{"more codes than a batch", many, nil, []ravao.RosterCandidate{cand(2)}},
		{"phone key", nil, [][]byte{key2}, []ravao.RosterCandidate{cand(3)}},
		{"both, one venue by both", []string{withTax.TaxCode}, [][]byte{key1, key2},
			[]ravao.RosterCandidate{cand(0), cand(1), cand(3)}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			if got, err := tx.RosterCandidates(c.tax, c.keys); err != nil || !reflect.DeepEqual(got, c.want) {
				e.t.Errorf("RosterCandidates (%s): got %+v, %v; want %+v", c.name, got, err, c.want)
			}
		}
		return nil
	})
}

// testRosterMatchKeys checks that organisations keep their tax code and
// venues their contact key, through create, read, list and update.
func testRosterMatchKeys(e *env) {
	o := ravao.Organisation{Name: "Công ty Minh Phát", UnitCode: "13321", Sector: ravao.SectorIndustry,
		TaxCode: "0101234567"}
	e.update(func(tx ravao.Tx) error { return tx.CreateOrganisation(&o) })
	key := randomBytes(32)
	withKey := newVenue(o.ID, "Xưởng 1", "35/347/13321/")
	withKey.ContactKey, withKey.Contact = key, randomBytes(50)
	vs := e.mustVenues(withKey, newVenue(o.ID, "Xưởng 2", "35/347/13321/"))
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Organisation(o.ID); err != nil || got != o {
			e.t.Errorf("Organisation: got %+v, %v; want %+v", got, err, o)
		}
		if got, err := tx.Organisations([]int64{o.ID}); err != nil || !reflect.DeepEqual(got, []ravao.Organisation{o}) {
			e.t.Errorf("Organisations: got %+v, %v; want %+v", got, err, o)
		}
		if got, err := tx.Venue(vs[0].ID); err != nil || !reflect.DeepEqual(got, vs[0]) {
			e.t.Errorf("Venue: got %+v, %v; want %+v", got, err, vs[0])
		}
		if got, err := tx.Venues(ravao.VenueFilter{OrganisationID: o.ID}); err != nil || !reflect.DeepEqual(got, vs) {
			e.t.Errorf("Venues: got %+v, %v; want %+v", got, err, vs)
		}
		return nil
	})
	o.TaxCode = "0101234567-002"
	vs[0].ContactKey, vs[1].ContactKey = nil, randomBytes(32)
	e.update(func(tx ravao.Tx) error {
		if err := tx.UpdateOrganisation(&o); err != nil {
			return err
		}
		for i := range vs {
			if err := tx.UpdateVenue(&vs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Organisation(o.ID); err != nil || got != o {
			e.t.Errorf("Organisation after update: got %+v, %v; want %+v", got, err, o)
		}
		if got, err := tx.Venues(ravao.VenueFilter{OrganisationID: o.ID}); err != nil || !reflect.DeepEqual(got, vs) {
			e.t.Errorf("Venues after update: got %+v, %v; want %+v", got, err, vs)
		}
		return nil
	})
}
