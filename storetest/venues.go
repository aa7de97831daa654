package storetest

import (
	"math"
	"reflect"
	"time"

	"github.com/ravao/ravao"
)

// mustOrganisation creates an organisation.
func (e *env) mustOrganisation(name string) ravao.Organisation {
	e.t.Helper()
	o := ravao.Organisation{Name: name, UnitCode: "13363", Sector: ravao.SectorIndustry}
	e.update(func(tx ravao.Tx) error { return tx.CreateOrganisation(&o) })
	return o
}

// newVenue returns an approved market of an organisation at a unit path,
// not stored.
func newVenue(orgID int64, name, path string) ravao.Venue {
	codes := ravao.SplitUnitPath(path)
	return ravao.Venue{OrganisationID: orgID, Name: name, Type: ravao.VenueMarket, Sector: ravao.SectorCommerce,
		UnitCode: codes[len(codes)-1], UnitPath: path, Status: ravao.VenueApproved, DefaultStay: time.Hour}
}

// mustVenues stores venues in order and returns them with their IDs.
func (e *env) mustVenues(vs ...ravao.Venue) []ravao.Venue {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error {
		for i := range vs {
			if err := tx.CreateVenue(&vs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return vs
}

// venueIDs returns the IDs of venues, in order.
func venueIDs(vs []ravao.Venue) []int64 {
	ids := []int64{}
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	return ids
}

func testOrganisations(e *env) {
	a, b, c := e.mustOrganisation("Công ty A"), e.mustOrganisation("Công ty B"), e.mustOrganisation("Công ty C")
	// Unknown negative IDs sort first, so the known ones come in a later
	// batch than the first on an engine that splits long lists.
	many := []int64{c.ID}
	for i := range 250 {
		many = append(many, -int64(i)-1)
	}
	many = append(many, a.ID)
	cases := []struct {
		name string
		ids  []int64
		want []ravao.Organisation
	}{
		{"none", nil, []ravao.Organisation{}},
		{"unknown only", []int64{c.ID + 1000}, []ravao.Organisation{}},
		{"unordered, repeated, unknown", []int64{c.ID, a.ID, c.ID, c.ID + 1000}, []ravao.Organisation{a, c}},
		{"more than a batch", many, []ravao.Organisation{a, c}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, tc := range cases {
			if got, err := tx.Organisations(tc.ids); err != nil || !reflect.DeepEqual(got, tc.want) {
				e.t.Errorf("Organisations (%s): got %+v, %v; want %+v", tc.name, got, err, tc.want)
			}
		}
		return nil
	})
	b.Name, b.UnitCode, b.Sector = "Công ty B (đổi tên)", "13366", ravao.SectorCommerce
	e.update(func(tx ravao.Tx) error { return tx.UpdateOrganisation(&b) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Organisation(b.ID); err != nil || got != b {
			e.t.Errorf("Organisation after UpdateOrganisation: got %+v, %v; want %+v", got, err, b)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := ravao.Organisation{ID: c.ID + 1000, Name: "Ghost", UnitCode: "13363", Sector: ravao.SectorOther}
		return tx.UpdateOrganisation(&ghost)
	})
	wantCode(e.t, "UpdateOrganisation of a missing ID", err, ravao.NotFound)
}

func testVenueFields(e *env) {
	org, other := e.mustOrganisation("Công ty Bình Minh"), e.mustOrganisation("Công ty khác")
	v := ravao.Venue{OrganisationID: org.ID, Name: "Nhà máy Bình Minh", Type: ravao.VenueZoneBusiness,
		Sector: ravao.SectorIndustry, UnitCode: "13363", UnitPath: "35/347/13363/", Address: "Lô A2, KCN Đồng Văn II",
		Zone: "KCN Đồng Văn II", OpeningHours: "7:00–17:00, T2–T7", ClosesAt: 17 * time.Hour, Capacity: 1200, DefaultStay: 8 * time.Hour,
		Status: ravao.VenuePending, Contact: randomBytes(48), ImportID: 77}
	v = e.mustVenues(v)[0]
	created := e.now()
	if !v.CreatedAt.Equal(created) || !v.UpdatedAt.Equal(created) {
		e.t.Errorf("CreateVenue: got CreatedAt %v, UpdatedAt %v; want %v for both", v.CreatedAt, v.UpdatedAt, created)
	}
	e.wantVenue("Venue", v)

	e.clock.Advance(time.Hour)
	changed := v
	changed.Name, changed.Type, changed.Sector = "Xưởng Bình Minh 2", ravao.VenueBusiness, ravao.SectorCommerce
	changed.UnitCode, changed.UnitPath, changed.Address = "13366", "35/347/13366/", "Số 5 đường D1"
	changed.Zone, changed.OpeningHours, changed.Capacity = "", "24/7", 300
	changed.ClosesAt = 21*time.Hour + 30*time.Minute
	changed.DefaultStay, changed.Status, changed.StatusReason = 4*time.Hour, ravao.VenueSuspended, "Ca nhiễm F0 ngày 8/3"
	changed.Contact = randomBytes(52)
	changed.OrganisationID, changed.CreatedAt = other.ID, created.Add(-time.Hour) // neither is written
	e.update(func(tx ravao.Tx) error { return tx.UpdateVenue(&changed) })
	if !changed.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdateVenue: got UpdatedAt %v, want %v", changed.UpdatedAt, e.now())
	}
	want := changed
	want.OrganisationID, want.CreatedAt = org.ID, created
	e.wantVenue("Venue after UpdateVenue", want)

	want.Contact = nil
	e.update(func(tx ravao.Tx) error { return tx.UpdateVenue(&want) })
	e.wantVenue("Venue after clearing the contact", want)

	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := want
		ghost.ID += 1000
		return tx.UpdateVenue(&ghost)
	})
	wantCode(e.t, "UpdateVenue of a missing ID", err, ravao.NotFound)
}

// wantVenue fails the test unless the stored venue equals want.
func (e *env) wantVenue(what string, want ravao.Venue) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Venue(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

// venueCase is a filter and the venues it must select, by index.
type venueCase struct {
	name string
	f    ravao.VenueFilter
	want []int
}

// checkVenueCases runs Venues and CountVenues for each case.
func (e *env) checkVenueCases(vs []ravao.Venue, cases []venueCase) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, tc := range cases {
			want := []int64{}
			for _, i := range tc.want {
				want = append(want, vs[i].ID)
			}
			got, err := tx.Venues(tc.f)
			if err != nil || !reflect.DeepEqual(venueIDs(got), want) {
				e.t.Errorf("Venues (%s): got %v, %v; want %v", tc.name, venueIDs(got), err, want)
			}
			if n, err := tx.CountVenues(tc.f); err != nil || n != len(want) {
				e.t.Errorf("CountVenues (%s): got %d, %v; want %d", tc.name, n, err, len(want))
			}
		}
		return nil
	})
}

func testVenueFilters(e *env) {
	a, b := e.mustOrganisation("Công ty A"), e.mustOrganisation("Công ty B")
	factory := newVenue(a.ID, "Nhà máy", "35/347/13363/")
	factory.Type, factory.Sector, factory.Zone, factory.Status = ravao.VenueZoneBusiness, ravao.SectorIndustry, "KCN Đồng Văn II", ravao.VenuePending
	office := newVenue(b.ID, "UBND tỉnh", "35/")
	office.Type, office.Sector, office.Status = ravao.VenueAgency, ravao.SectorPublic, ravao.VenueSuspended
	school := newVenue(b.ID, "Trường tiểu học", "35/347/13366/")
	school.Type, school.Sector, school.Zone = ravao.VenueSchool, ravao.SectorEducation, "KCN Đồng Văn II"
	school.ImportID = 9
	vs := e.mustVenues(newVenue(a.ID, "Chợ Bầu", "35/347/13363/"), factory, office, school,
		newVenue(b.ID, "Chợ Hà Nội", "01/001/00001/"))
	e.checkVenueCases(vs, []venueCase{
		{"no filter", ravao.VenueFilter{}, []int{0, 1, 2, 3, 4}},
		{"organisation", ravao.VenueFilter{OrganisationID: b.ID}, []int{2, 3, 4}},
		{"sector", ravao.VenueFilter{Sector: ravao.SectorCommerce}, []int{0, 4}},
		{"type", ravao.VenueFilter{Type: ravao.VenueSchool}, []int{3}},
		{"status", ravao.VenueFilter{Status: ravao.VenuePending}, []int{1}},
		{"zone", ravao.VenueFilter{Zone: "KCN Đồng Văn II"}, []int{1, 3}},
		{"zone of another spelling", ravao.VenueFilter{Zone: "KCN Đồng Văn"}, nil},
		{"import", ravao.VenueFilter{ImportID: 9}, []int{3}},
		{"everything at once", ravao.VenueFilter{OrganisationID: a.ID, UnitPath: "35/347/", Sector: ravao.SectorIndustry,
			Type: ravao.VenueZoneBusiness, Status: ravao.VenuePending, Zone: "KCN Đồng Văn II"}, []int{1}},
		{"unit and status", ravao.VenueFilter{UnitPath: "35/", Status: ravao.VenueApproved}, []int{0, 3}},
		{"no match", ravao.VenueFilter{OrganisationID: a.ID, Status: ravao.VenueSuspended}, nil},
	})
}

func testVenueUnitPath(e *env) {
	org := e.mustOrganisation("Công ty")
	vs := e.mustVenues(
		newVenue(org.ID, "Tỉnh", "35/"),
		newVenue(org.ID, "Huyện 347", "35/347/"),
		newVenue(org.ID, "Xã 13363", "35/347/13363/"),
		newVenue(org.ID, "Huyện 34", "35/34/"),
		newVenue(org.ID, "Xã dưới huyện 34", "35/34/12000/"),
		newVenue(org.ID, "Huyện 3470", "35/3470/"),
		newVenue(org.ID, "Tỉnh 350", "350/1/"),
		newVenue(org.ID, "Hà Nội", "01/001/00001/"),
	)
	e.checkVenueCases(vs, []venueCase{
		{"province", ravao.VenueFilter{UnitPath: "35/"}, []int{0, 1, 2, 3, 4, 5}},
		{"district 347", ravao.VenueFilter{UnitPath: "35/347/"}, []int{1, 2}},
		{"district 34 is not a prefix of 347", ravao.VenueFilter{UnitPath: "35/34/"}, []int{3, 4}},
		{"commune", ravao.VenueFilter{UnitPath: "35/347/13363/"}, []int{2}},
		{"unknown unit", ravao.VenueFilter{UnitPath: "99/"}, nil},
	})
	// A filter that is not a unit path could widen the match if it were
	// passed to LIKE, or cut a code short: it is refused.
	e.view(func(tx ravao.Tx) error {
		for _, path := range []string{"35/34", "35/%/", "35/34_/", "%", "_/", "35//", "/35/", "35/347/ ", "35/3\x00/"} {
			_, err := tx.Venues(ravao.VenueFilter{UnitPath: path})
			wantCode(e.t, "Venues with unit path "+path, err, ravao.Invalid)
			_, err = tx.CountVenues(ravao.VenueFilter{UnitPath: path})
			wantCode(e.t, "CountVenues with unit path "+path, err, ravao.Invalid)
		}
		return nil
	})
}

// testVenuePages stores more venues than the store's default page, to
// check that Limit 0 means all of them.
func testVenuePages(e *env) {
	org := e.mustOrganisation("Công ty")
	const n = 1005
	vs := make([]ravao.Venue, n)
	for i := range vs {
		vs[i] = newVenue(org.ID, "Điểm", "35/347/13363/")
	}
	vs = e.mustVenues(vs...)
	e.view(func(tx ravao.Tx) error {
		all, err := tx.Venues(ravao.VenueFilter{OrganisationID: org.ID})
		if err != nil || !reflect.DeepEqual(venueIDs(all), venueIDs(vs)) {
			e.t.Errorf("Venues without Limit: got %d venues, %v; want all %d in ID order", len(all), err, n)
		}
		var paged []ravao.Venue
		f := ravao.VenueFilter{UnitPath: "35/", Limit: 400}
		for pages := 0; ; pages++ {
			page, err := tx.Venues(f)
			if err != nil || len(page) > f.Limit || pages > n/f.Limit+1 {
				e.t.Errorf("Venues page %d after ID %d: got %d venues, %v; want at most %d", pages, f.AfterID, len(page), err, f.Limit)
				return nil
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
			f.AfterID = page[len(page)-1].ID
		}
		if !reflect.DeepEqual(venueIDs(paged), venueIDs(vs)) {
			e.t.Errorf("Venues by pages: got %d venues, want all %d in ID order", len(paged), n)
		}
		f = ravao.VenueFilter{UnitPath: "35/", AfterID: vs[n-2].ID, Limit: 1}
		if got, err := tx.CountVenues(f); err != nil || got != n {
			e.t.Errorf("CountVenues with AfterID and Limit: got %d, %v; want %d", got, err, n)
		}
		return nil
	})
}

func testCheckpoints(e *env) {
	org, other := e.mustOrganisation("Nhà xe Phúc Xuyên"), e.mustOrganisation("Công ty khác")
	vs := e.mustVenues(newVenue(org.ID, "Bến xe Phủ Lý", "35/347/"), newVenue(org.ID, "Văn phòng", "35/347/"),
		newVenue(other.ID, "Chợ", "35/347/"))
	cps := []ravao.Checkpoint{
		{VenueID: vs[0].ID, Name: "Cổng chính", Kind: ravao.CheckpointGate},
		{VenueID: vs[1].ID, Name: "Quầy lễ tân", Kind: ravao.CheckpointCounter, Revoked: true},
		{VenueID: vs[0].ID, Name: "Xe 90B-012.34", Kind: ravao.CheckpointVehicle, Plate: "90B-012.34",
			Route: "Phủ Lý – Hà Nội", Serial: 7},
		{VenueID: vs[2].ID, Name: "Tầng 2", Kind: ravao.CheckpointFloor},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range cps {
			if err := tx.CreateCheckpoint(&cps[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range cps {
		if !c.CreatedAt.Equal(e.now()) || !c.UpdatedAt.Equal(e.now()) {
			e.t.Errorf("CreateCheckpoint: got CreatedAt %v, UpdatedAt %v; want %v for both", c.CreatedAt, c.UpdatedAt, e.now())
		}
	}
	e.checkCheckpointLists(org, other, vs, cps)
	e.checkCheckpointUpdate(cps[2])
}

// checkCheckpointLists checks each way of listing checkpoints.
func (e *env) checkCheckpointLists(org, other ravao.Organisation, vs []ravao.Venue, cps []ravao.Checkpoint) {
	e.t.Helper()
	cases := []struct {
		name string
		f    ravao.CheckpointFilter
		want []ravao.Checkpoint
	}{
		{"venue", ravao.CheckpointFilter{VenueID: vs[0].ID}, []ravao.Checkpoint{cps[0], cps[2]}},
		{"organisation, by venue then ID", ravao.CheckpointFilter{OrganisationID: org.ID}, []ravao.Checkpoint{cps[0], cps[2], cps[1]}},
		{"venue of the organisation", ravao.CheckpointFilter{VenueID: vs[1].ID, OrganisationID: org.ID}, []ravao.Checkpoint{cps[1]}},
		{"venue of another organisation", ravao.CheckpointFilter{VenueID: vs[2].ID, OrganisationID: org.ID}, []ravao.Checkpoint{}},
		{"other organisation", ravao.CheckpointFilter{OrganisationID: other.ID}, []ravao.Checkpoint{cps[3]}},
		{"missing venue", ravao.CheckpointFilter{VenueID: vs[2].ID + 1000}, []ravao.Checkpoint{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cps {
			if got, err := tx.Checkpoint(c.ID); err != nil || got != c {
				e.t.Errorf("Checkpoint: got %+v, %v; want %+v", got, err, c)
			}
			wantV, _ := tx.Venue(c.VenueID)
			wantO, _ := tx.Organisation(wantV.OrganisationID)
			if got, v, o, err := tx.CheckpointPlace(c.ID); err != nil || got != c || !reflect.DeepEqual(v, wantV) ||
				o != wantO || v.ID != c.VenueID || o.ID == 0 {
				e.t.Errorf("CheckpointPlace: got %+v, %+v, %+v, %v; want %+v, %+v, %+v", got, v, o, err, c, wantV, wantO)
			}
		}
		for _, tc := range cases {
			if got, err := tx.Checkpoints(tc.f); err != nil || !reflect.DeepEqual(got, tc.want) {
				e.t.Errorf("Checkpoints (%s): got %+v, %v; want %+v", tc.name, got, err, tc.want)
			}
		}
		_, err := tx.Checkpoints(ravao.CheckpointFilter{})
		wantCode(e.t, "Checkpoints without a venue or organisation", err, ravao.Invalid)
		_, _, _, err = tx.CheckpointPlace(cps[3].ID + 1000)
		wantCode(e.t, "CheckpointPlace of a missing checkpoint", err, ravao.NotFound)
		return nil
	})
}

// checkCheckpointUpdate re-issues a checkpoint's code and revokes it.
func (e *env) checkCheckpointUpdate(c ravao.Checkpoint) {
	e.t.Helper()
	e.clock.Advance(time.Minute)
	created := c.CreatedAt
	c.Name, c.Route, c.Serial, c.Revoked = "Xe 90B-012.35", "Phủ Lý – Nam Định", math.MaxUint32, true
	c.Plate, c.CreatedAt = "90B-012.35", created.Add(-time.Hour) // CreatedAt is not written
	e.update(func(tx ravao.Tx) error { return tx.UpdateCheckpoint(&c) })
	if !c.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdateCheckpoint: got UpdatedAt %v, want %v", c.UpdatedAt, e.now())
	}
	c.CreatedAt = created
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Checkpoint(c.ID); err != nil || got != c {
			e.t.Errorf("Checkpoint after UpdateCheckpoint: got %+v, %v; want %+v", got, err, c)
		}
		return nil
	})
	c.Serial, c.Revoked = 0, false
	e.update(func(tx ravao.Tx) error { return tx.UpdateCheckpoint(&c) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Checkpoint(c.ID); err != nil || got.Serial != 0 || got.Revoked {
			e.t.Errorf("Checkpoint after reinstating: got %+v, %v; want serial 0, not revoked", got, err)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := c
		ghost.ID += 1000
		return tx.UpdateCheckpoint(&ghost)
	})
	wantCode(e.t, "UpdateCheckpoint of a missing ID", err, ravao.NotFound)
}
