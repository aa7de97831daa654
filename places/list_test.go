package places_test

import (
	"slices"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// scene is four venues across the tree:
//
//	school     education, 13321 (35)
//	restaurant commerce,  13321 (35)
//	school2    education, 13322 (35)
//	shop       commerce,  14000 (37)
type scene struct {
	school, restaurant, school2, shop places.VenueView
}

func (e *env) scene(t *testing.T) scene {
	t.Helper()
	return scene{
		school:     e.place(t, "Trường THCS Quang Trung", "Trường THCS Quang Trung", ravao.VenueSchool, "13321"),
		restaurant: e.place(t, "Nhà hàng Sông Đáy", "Nhà hàng Sông Đáy", ravao.VenueRestaurant, "13321"),
		school2:    e.place(t, "Trường Tiểu học Lê Hồng Phong", "Trường Tiểu học Lê Hồng Phong", ravao.VenueSchool, "13322"),
		shop:       e.place(t, "Cửa hàng Đông Thành", "Cửa hàng Đông Thành", ravao.VenueBusiness, "14000"),
	}
}

func TestListScopes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		s := e.scene(t)
		m := e.manager(t, "quanly", s.school.OrganisationID)
		both := e.account(t, "kiemnhiem",
			ravao.RoleAssignment{Role: ravao.RoleSector, Sector: ravao.SectorEducation, UnitCode: "35"},
			ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "14000"})
		cases := []struct {
			name  string
			actor *ravao.Principal
			f     ravao.VenueFilter
			want  []places.VenueView
		}{
			{"admin", e.admin, ravao.VenueFilter{}, []places.VenueView{s.school, s.restaurant, s.school2, s.shop}},
			{"admin by unit", e.admin, ravao.VenueFilter{UnitPath: "35/347/"}, []places.VenueView{s.school, s.restaurant, s.school2}},
			{"manager", m, ravao.VenueFilter{}, []places.VenueView{s.school}},
			{"manager of own organisation", m, ravao.VenueFilter{OrganisationID: s.school.OrganisationID}, []places.VenueView{s.school}},
			{"commune", e.local, ravao.VenueFilter{}, []places.VenueView{s.school, s.restaurant}},
			{"commune asking for its province", e.local, ravao.VenueFilter{UnitPath: "35/"}, []places.VenueView{s.school, s.restaurant}},
			{"commune asking for itself", e.local, ravao.VenueFilter{UnitPath: "35/347/13321/"}, []places.VenueView{s.school, s.restaurant}},
			{"commune by sector", e.local, ravao.VenueFilter{Sector: ravao.SectorCommerce}, []places.VenueView{s.restaurant}},
			{"other commune", e.local37, ravao.VenueFilter{}, []places.VenueView{s.shop}},
			{"sector supervisor", e.sector, ravao.VenueFilter{}, []places.VenueView{s.school, s.school2}},
			{"sector supervisor in a commune", e.sector, ravao.VenueFilter{UnitPath: "35/347/13322/"}, []places.VenueView{s.school2}},
			{"health", e.health, ravao.VenueFilter{}, []places.VenueView{s.school, s.restaurant, s.school2}},
			{"two roles, the second's unit", both, ravao.VenueFilter{UnitPath: "37/"}, []places.VenueView{s.shop}},
			{"two roles, the first's sector", both, ravao.VenueFilter{Sector: ravao.SectorEducation}, []places.VenueView{s.school, s.school2}},
		}
		for _, c := range cases {
			got, total, err := e.svc.List(e.ctx, c.actor, c.f)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			want := viewIDs(c.want)
			if !slices.Equal(ids(got), want) || total != len(want) {
				t.Errorf("%s: got %v (total %d), want %v", c.name, ids(got), total, want)
			}
		}
	})
}

func viewIDs(vs []places.VenueView) []int64 {
	out := []int64{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func TestListForbidden(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		s := e.scene(t)
		m := e.manager(t, "quanly", s.school.OrganisationID)
		gate := e.account(t, "baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: s.school.Checkpoints[0].ID})
		cases := []struct {
			name  string
			actor *ravao.Principal
			f     ravao.VenueFilter
		}{
			{"manager asking for another organisation", m, ravao.VenueFilter{OrganisationID: s.restaurant.OrganisationID}},
			{"commune asking for another province", e.local, ravao.VenueFilter{UnitPath: "37/"}},
			{"commune asking for a neighbour", e.local, ravao.VenueFilter{UnitPath: "35/347/13322/"}},
			{"commune asking for a unit path prefix", e.local37, ravao.VenueFilter{UnitPath: "35/347/13321/"}},
			{"sector supervisor asking for another sector", e.sector, ravao.VenueFilter{Sector: ravao.SectorCommerce}},
			{"sector supervisor asking for another province", e.sector, ravao.VenueFilter{UnitPath: "37/369/"}},
			{"gate staff", gate, ravao.VenueFilter{}},
			{"nobody", nil, ravao.VenueFilter{}},
		}
		for _, c := range cases {
			got, _, err := e.svc.List(e.ctx, c.actor, c.f)
			if ravao.ErrorCode(err) != ravao.Forbidden {
				t.Errorf("%s: got %v, %v; want forbidden", c.name, ids(got), err)
			}
		}
	})
}

func TestVenueScope(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		s := e.scene(t)
		m := e.manager(t, "quanly", s.school.OrganisationID)
		for _, actor := range []*ravao.Principal{e.manager(t, "quanlynhahang", s.restaurant.OrganisationID), e.local37, nil} {
			_, err := e.svc.Venue(e.ctx, actor, s.school.ID)
			e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		}
		_, err := e.svc.Venue(e.ctx, m, 1_000_000)
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		cases := []struct {
			name        string
			actor       *ravao.Principal
			seesContact bool
		}{
			{"manager", m, true},
			{"commune", e.local, true},
			{"admin", e.admin, true},
			{"health", e.health, false},
			{"sector supervisor", e.sector, false},
		}
		for _, c := range cases {
			v, err := e.svc.Venue(e.ctx, c.actor, s.school.ID)
			if err != nil || v.ID != s.school.ID || len(v.Checkpoints) != 1 || v.Organisation.ID != s.school.OrganisationID {
				t.Errorf("%s: %+v, %v", c.name, v.Venue, err)
				continue
			}
			if got := v.Contact.Phone.Reveal() == phone; got != c.seesContact {
				t.Errorf("%s sees the contact phone: %v, want %v", c.name, got, c.seesContact)
			}
		}
	})
}
