package storetest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

var staffTests = []test{
	{"Staff/ReplaceListUpdate", testStaffReplace},
	{"Staff/Conflicts", testStaffConflicts},
	{"Staff/Link", testStaffLink},
	{"Staff/ComplianceBruteForce", testStaffCompliance},
}

// staffVault seals the members' names as the workplaces service does;
// to a store they are opaque bytes.
var staffVault = func() *vault.Vault {
	v, err := vault.New(bytes.Repeat([]byte{11}, vault.KeySize))
	if err != nil {
		panic(err)
	}
	return v
}()

// newStaff returns a member of an organisation with fresh keys and the
// name sealed for the organisation, not stored.
func newStaff(orgID int64, name string, venues ...int64) *ravao.StaffMember {
	return &ravao.StaffMember{OrganisationID: orgID, Name: staffVault.Seal([]byte(name), ravao.StaffAAD(orgID, "name")),
		Phone: randomBytes(40), PhoneKey: randomBytes(32), Department: "Tổ may 1", BirthYear: 1995, VenueIDs: venues}
}

// staffNames opens members' names, in order; "?" for one that does not
// open.
func (e *env) staffNames(list []ravao.StaffMember) []string {
	var out []string
	for _, m := range list {
		name, err := staffVault.Open(m.Name, ravao.StaffAAD(m.OrganisationID, "name"))
		if err != nil {
			e.t.Errorf("member %d: name does not open: %v", m.ID, err)
			name = []byte("?")
		}
		out = append(out, string(name))
	}
	return out
}

func testStaffReplace(e *env) {
	org, other := e.mustOrganisation("Công ty May Sao Mai"), e.mustOrganisation("Công ty Điện tử Minh")
	vs := e.mustVenues(newVenue(org.ID, "Xưởng A", "35/347/13321/"), newVenue(org.ID, "Xưởng B", "35/347/13321/"),
		newVenue(other.ID, "Nhà máy C", "35/349/13400/"))
	first := []*ravao.StaffMember{newStaff(org.ID, "Trần Văn Bình", vs[0].ID), newStaff(org.ID, "Lê Thị Hoa", vs[0].ID, vs[1].ID)}
	first[1].IDNumber, first[1].IDNumberKey, first[1].StaffNumber = randomBytes(30), randomBytes(32), "NV-002"
	e.update(func(tx ravao.Tx) error { return tx.ReplaceStaff(org.ID, first) })
	theirs := newStaff(other.ID, "Phạm Văn Cường", vs[2].ID)
	e.update(func(tx ravao.Tx) error { return tx.CreateStaffMember(theirs) })

	var got []ravao.StaffMember
	e.view(func(tx ravao.Tx) (err error) {
		got, err = tx.Staff(ravao.StaffFilter{OrganisationID: org.ID})
		return err
	})
	// By ID: the names are sealed, the service orders by name.
	if want := []string{"Trần Văn Bình", "Lê Thị Hoa"}; !slices.Equal(e.staffNames(got), want) {
		t := e.t
		t.Fatalf("staff: got %v, want %v (by ID)", e.staffNames(got), want)
	}
	hoa := got[1]
	want := *first[1]
	want.CreatedAt, want.UpdatedAt = e.now(), e.now()
	if !reflect.DeepEqual(hoa, want) {
		e.t.Errorf("member as stored:\n got %+v\nwant %+v", hoa, want)
	}
	e.view(func(tx ravao.Tx) error {
		byVenue, err := tx.Staff(ravao.StaffFilter{VenueID: vs[1].ID})
		if err != nil {
			return err
		}
		if names := e.staffNames(byVenue); !slices.Equal(names, []string{"Lê Thị Hoa"}) {
			e.t.Errorf("staff of venue B: got %v", names)
		}
		one, err := tx.StaffMember(theirs.ID)
		if err != nil || one.OrganisationID != other.ID || !slices.Equal(one.VenueIDs, []int64{vs[2].ID}) {
			e.t.Errorf("StaffMember: got %+v, %v", one, err)
		}
		_, err = tx.StaffMember(theirs.ID + 1000)
		wantCode(e.t, "StaffMember of no one", err, ravao.NotFound)
		return nil
	})

	e.clock.T = e.clock.T.Add(time.Minute)
	hoa.Department, hoa.VenueIDs, hoa.StaffNumber = "Kho", []int64{vs[1].ID}, "NV-9"
	e.update(func(tx ravao.Tx) error { return tx.UpdateStaffMember(&hoa) })
	e.view(func(tx ravao.Tx) error {
		m, err := tx.StaffMember(hoa.ID)
		if err != nil {
			return err
		}
		if m.Department != "Kho" || m.StaffNumber != "NV-9" || !slices.Equal(m.VenueIDs, []int64{vs[1].ID}) || !m.UpdatedAt.Equal(e.now()) {
			e.t.Errorf("after update: got %+v", m)
		}
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.DeleteStaffMember(hoa.ID) })
	e.update(func(tx ravao.Tx) error {
		wantCode(e.t, "delete twice", tx.DeleteStaffMember(hoa.ID), ravao.NotFound)
		return nil
	})

	// Replacing the list drops every old member; the other organisation's
	// list is untouched.
	e.update(func(tx ravao.Tx) error {
		return tx.ReplaceStaff(org.ID, []*ravao.StaffMember{newStaff(org.ID, "Đỗ Minh Châu", vs[1].ID)})
	})
	e.view(func(tx ravao.Tx) error {
		mine, err := tx.Staff(ravao.StaffFilter{OrganisationID: org.ID})
		if err != nil {
			return err
		}
		theirsNow, err := tx.Staff(ravao.StaffFilter{OrganisationID: other.ID})
		if err != nil {
			return err
		}
		if !slices.Equal(e.staffNames(mine), []string{"Đỗ Minh Châu"}) || len(theirsNow) != 1 {
			e.t.Errorf("after replacing: got %v and %d of the other", e.staffNames(mine), len(theirsNow))
		}
		return nil
	})
}

func testStaffConflicts(e *env) {
	org, other := e.mustOrganisation("Công ty A"), e.mustOrganisation("Công ty B")
	a := newStaff(org.ID, "Nguyễn Văn A")
	a.StaffNumber, a.IDNumber, a.IDNumberKey = "001", randomBytes(20), randomBytes(32)
	e.update(func(tx ravao.Tx) error { return tx.CreateStaffMember(a) })
	for _, tc := range []struct {
		name string
		edit func(m *ravao.StaffMember)
	}{
		{"same phone", func(m *ravao.StaffMember) { m.PhoneKey = a.PhoneKey }},
		{"same ID number", func(m *ravao.StaffMember) { m.IDNumberKey = a.IDNumberKey }},
		{"same staff number", func(m *ravao.StaffMember) { m.StaffNumber = "001" }},
	} {
		m := newStaff(org.ID, "Nguyễn Văn B")
		tc.edit(m)
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreateStaffMember(m) })
		wantCode(e.t, tc.name, err, ravao.Conflict)
		// Another organisation may have the same person on its list.
		m.OrganisationID = other.ID
		e.update(func(tx ravao.Tx) error { return tx.CreateStaffMember(m) })
	}
	dup := []*ravao.StaffMember{newStaff(0, "X"), newStaff(0, "Y")}
	dup[1].PhoneKey = dup[0].PhoneKey
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.ReplaceStaff(org.ID, dup) })
	wantCode(e.t, "replace with a duplicate", err, ravao.Conflict)
	e.view(func(tx ravao.Tx) error {
		list, err := tx.Staff(ravao.StaffFilter{OrganisationID: org.ID})
		if err == nil && !slices.Equal(e.staffNames(list), []string{"Nguyễn Văn A"}) {
			e.t.Errorf("a failed replace changed the list: %v", e.staffNames(list))
		}
		return err
	})
}

func testStaffLink(e *env) {
	org := e.mustOrganisation("Công ty Link")
	byPhone, byID, both, third := e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	ms := []*ravao.StaffMember{newStaff(0, "A"), newStaff(0, "B"), newStaff(0, "C"), newStaff(0, "D")}
	ms[0].PhoneKey = byPhone.PhoneKey
	ms[1].IDNumberKey = byID.IDNumberKey
	ms[2].PhoneKey, ms[2].IDNumberKey = both.PhoneKey, third.IDNumberKey // the phone wins
	e.update(func(tx ravao.Tx) error { return tx.ReplaceStaff(org.ID, ms) })
	other := e.mustOrganisation("Công ty Khác")
	theirs := newStaff(other.ID, "E")
	theirs.PhoneKey = byPhone.PhoneKey
	e.update(func(tx ravao.Tx) error { return tx.CreateStaffMember(theirs) })

	var n int
	e.update(func(tx ravao.Tx) (err error) { n, err = tx.LinkStaff(org.ID); return err })
	if n != 3 {
		e.t.Errorf("LinkStaff: linked %d, want 3", n)
	}
	linked := func(orgID int64) []int64 {
		var out []int64
		e.view(func(tx ravao.Tx) error {
			list, err := tx.Staff(ravao.StaffFilter{OrganisationID: orgID})
			for _, m := range list {
				out = append(out, m.PersonID)
			}
			return err
		})
		return out
	}
	if got, want := linked(org.ID), []int64{byPhone.ID, byID.ID, both.ID, 0}; !slices.Equal(got, want) {
		e.t.Errorf("links: got %v, want %v", got, want)
	}
	if got := linked(other.ID); !slices.Equal(got, []int64{0}) {
		e.t.Errorf("another organisation was linked: %v", got)
	}
	e.update(func(tx ravao.Tx) (err error) { n, err = tx.LinkStaff(0); return err })
	if n != 1 {
		e.t.Errorf("LinkStaff(0): linked %d, want 1", n)
	}
	// Erasing a person unlinks their member; the list stays.
	e.update(func(tx ravao.Tx) error { _, err := tx.ErasePerson(byPhone.ID); return err })
	if got, want := linked(org.ID), []int64{0, byID.ID, both.ID, 0}; !slices.Equal(got, want) {
		e.t.Errorf("after erasure: got %v, want %v", got, want)
	}
}

// complianceWorld is what testStaffCompliance seeds.
type complianceWorld struct {
	orgs    []ravao.Organisation
	venues  []ravao.Venue
	cps     map[int64]ravao.Checkpoint // by venue
	members []*ravao.StaffMember
	people  []int64
}

// seedCompliance stores 3 organisations with 2 venues each (in two
// communes, two sectors and two zones), 60 members, 40 people and their
// visits and declarations around the local day, at random.
func (e *env) seedCompliance(rng *rand.Rand, day time.Time) complianceWorld {
	w := complianceWorld{cps: map[int64]ravao.Checkpoint{}}
	paths := []string{"35/347/13321/", "35/349/13400/"}
	for i := range 3 {
		o := e.mustOrganisation(fmt.Sprintf("Công ty %c", 'C'-i))
		w.orgs = append(w.orgs, o)
		for j := range 2 {
			v := newVenue(o.ID, fmt.Sprintf("Xưởng %d-%d", i, j), paths[(i+j)%2])
			v.Sector = []ravao.Sector{ravao.SectorIndustry, ravao.SectorCommerce}[j]
			v.Zone = []string{"KCN Đồng Văn", ""}[(i+j)%2]
			w.venues = append(w.venues, e.mustVenues(v)...)
		}
	}
	e.update(func(tx ravao.Tx) error {
		for _, v := range w.venues {
			cp := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng", Kind: ravao.CheckpointGate}
			if err := tx.CreateCheckpoint(&cp); err != nil {
				return err
			}
			w.cps[v.ID] = cp
		}
		for range 40 {
			p := newPerson()
			if err := tx.CreatePerson(&p); err != nil {
				return err
			}
			w.people = append(w.people, p.ID)
		}
		return nil
	})
	byOrg := map[int64][]*ravao.StaffMember{}
	for i := range 60 {
		o := w.orgs[rng.IntN(len(w.orgs))]
		mine := []int64{}
		for _, v := range w.venues {
			if v.OrganisationID == o.ID && rng.IntN(3) > 0 {
				mine = append(mine, v.ID)
			}
		}
		m := newStaff(0, fmt.Sprintf("Công nhân %02d", i), mine...)
		if rng.IntN(4) > 0 {
			m.PersonID = w.people[rng.IntN(len(w.people))]
		}
		byOrg[o.ID] = append(byOrg[o.ID], m)
		w.members = append(w.members, m)
	}
	e.update(func(tx ravao.Tx) error {
		for id, ms := range byOrg {
			if err := tx.ReplaceStaff(id, ms); err != nil {
				return err
			}
		}
		return nil
	})
	// Visits and declarations from two days before the day to one after,
	// many within an hour of a local midnight.
	at := func() time.Time {
		base := day.Add(time.Duration(rng.IntN(4)-2) * 24 * time.Hour)
		if rng.IntN(2) == 0 {
			return base.Add(time.Duration(rng.IntN(120)-60) * time.Minute)
		}
		return base.Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
	}
	e.update(func(tx ravao.Tx) error {
		var vs []*ravao.Visit
		for i := range 300 {
			v := w.venues[rng.IntN(len(w.venues))]
			vs = append(vs, &ravao.Visit{PersonID: w.people[rng.IntN(len(w.people))], VenueID: v.ID,
				CheckpointID: w.cps[v.ID].ID, InAt: at().Truncate(time.Millisecond), Decision: ravao.Green,
				Source: []ravao.VisitSource{ravao.SourceSelf, ravao.SourceGate}[i%2]})
		}
		if err := tx.InsertVisits(vs); err != nil {
			return err
		}
		for range 80 {
			d := &ravao.Declaration{PersonID: w.people[rng.IntN(len(w.people))], Sealed: randomBytes(20),
				CreatedAt: at().Truncate(time.Millisecond)}
			if err := tx.AddDeclaration(d); err != nil {
				return err
			}
		}
		return nil
	})
	return w
}

// bruteStaffDays recomputes every member's day from the stored visits
// and declarations, read person by person.
func (e *env) bruteStaffDays(w complianceWorld, from, to time.Time, validity time.Duration) map[int64]ravao.StaffDay {
	out := map[int64]ravao.StaffDay{}
	e.view(func(tx ravao.Tx) error {
		for _, m := range w.members {
			d := ravao.StaffDay{StaffID: m.ID}
			if m.PersonID != 0 {
				ds, err := tx.Declarations(m.PersonID)
				if err != nil {
					return err
				}
				for _, dec := range ds {
					// A declaration is valid at some instant of [from, to)
					// when it is at the first instant of the day it exists.
					t := from
					if dec.CreatedAt.After(t) {
						t = dec.CreatedAt
					}
					if t.Before(to) && dec.ValidFor(t, validity) {
						d.Declared = true
					}
				}
				vs, err := tx.PersonVisits(m.PersonID, from.Add(-72*time.Hour), to.Add(72*time.Hour))
				if err != nil {
					return err
				}
				for _, v := range vs {
					if !v.InAt.Before(from) && v.InAt.Before(to) && slices.Contains(m.VenueIDs, v.VenueID) {
						d.Entered = true
					}
				}
			}
			out[m.ID] = d
		}
		return nil
	})
	return out
}

func testStaffCompliance(e *env) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		e.t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	day := ravao.Day(20260309)
	from, to := day.Start(loc), day.Add(1).Start(loc)
	w := e.seedCompliance(rng, from)
	validity := 24 * time.Hour
	q := ravao.StaffDayQuery{From: from, To: to, DeclaredAfter: from.Add(-validity)}
	want := e.bruteStaffDays(w, from, to, validity)
	seen, declared, entered, compliant := 0, 0, 0, 0
	for _, o := range w.orgs {
		q.OrganisationID = o.ID
		var got []ravao.StaffDay
		e.view(func(tx ravao.Tx) (err error) { got, err = tx.StaffDays(q); return err })
		ids := []int64{}
		for _, d := range got {
			ids = append(ids, d.StaffID)
			if d != want[d.StaffID] {
				e.t.Errorf("member %d: got %+v, want %+v", d.StaffID, d, want[d.StaffID])
			}
			if d.Declared {
				declared++
			}
			if d.Entered {
				entered++
			}
			if d.Compliant() {
				compliant++
			}
		}
		if !slices.IsSorted(ids) {
			e.t.Errorf("StaffDays not by ID: %v", ids)
		}
		seen += len(got)
	}
	if seen != len(w.members) {
		e.t.Errorf("StaffDays covered %d members, want %d", seen, len(w.members))
	}
	// The seed must make every case happen, or the check proves little.
	if declared == 0 || entered == 0 || compliant == 0 || compliant == seen {
		e.t.Fatalf("a degenerate seed: %d declared, %d entered, %d compliant of %d", declared, entered, compliant, seen)
	}
	for _, cq := range []ravao.ComplianceQuery{
		{}, {UnitPath: "35/347/"}, {UnitPath: "35/349/13400/", Sector: ravao.SectorIndustry},
		{Zone: "KCN Đồng Văn"}, {Sector: ravao.SectorCommerce, Zone: "KCN Đồng Văn"}, {UnitPath: "36/"},
	} {
		cq.From, cq.To, cq.DeclaredAfter = from, to, from.Add(-validity)
		var got []ravao.ComplianceCount
		e.view(func(tx ravao.Tx) (err error) { got, err = tx.Compliance(cq); return err })
		if wantCounts := bruteCompliance(w, cq, want); !reflect.DeepEqual(got, wantCounts) {
			e.t.Errorf("Compliance(%s %s %s):\n got %+v\nwant %+v", cq.UnitPath, cq.Sector, cq.Zone, got, wantCounts)
		}
	}
}

// bruteCompliance counts, per organisation by name, the members who work
// at a venue q selects, from their days.
func bruteCompliance(w complianceWorld, q ravao.ComplianceQuery, days map[int64]ravao.StaffDay) []ravao.ComplianceCount {
	selected := map[int64]bool{}
	for _, v := range w.venues {
		if (q.UnitPath == "" || len(v.UnitPath) >= len(q.UnitPath) && v.UnitPath[:len(q.UnitPath)] == q.UnitPath) &&
			(q.Sector == "" || v.Sector == q.Sector) && (q.Zone == "" || v.Zone == q.Zone) {
			selected[v.ID] = true
		}
	}
	counts := map[int64]*ravao.ComplianceCount{}
	for _, m := range w.members {
		if !slices.ContainsFunc(m.VenueIDs, func(id int64) bool { return selected[id] }) {
			continue
		}
		c, ok := counts[m.OrganisationID]
		if !ok {
			i := slices.IndexFunc(w.orgs, func(o ravao.Organisation) bool { return o.ID == m.OrganisationID })
			c = &ravao.ComplianceCount{OrganisationID: m.OrganisationID, Name: w.orgs[i].Name}
			counts[m.OrganisationID] = c
		}
		d := days[m.ID]
		c.Staff++
		if m.PersonID != 0 {
			c.Linked++
		}
		if d.Declared {
			c.Declared++
		}
		if d.Entered {
			c.Entered++
		}
		if d.Compliant() {
			c.Compliant++
		}
	}
	out := []ravao.ComplianceCount{}
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ravao.ComplianceCount) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		return int(a.OrganisationID - b.OrganisationID)
	})
	return out
}
