package progress_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
)

// Zones of the scenario: Đồng Văn I spans Hòa Mạc (Duy Tiên) and Lê Hồng
// Phong (Phủ Lý); Châu Sơn lies in Châu Sơn ward.
const (
	dongVan = "KCN Đồng Văn I"
	chauSon = "Khu công nghiệp Châu Sơn"
)

// zoneEnv is env with places in two zones, a place outside any zone
// beside them, and visits around midnight in Vietnam.
type zoneEnv struct {
	*env
	zoneOf                    map[int64]string
	may, nhua, giay, thep, vi int64
}

func zoneEngines(t *testing.T, fn func(t *testing.T, z *zoneEnv)) {
	engines(t, func(t *testing.T, e *env) { fn(t, newZoneEnv(e)) })
}

func newZoneEnv(e *env) *zoneEnv {
	z := &zoneEnv{env: e, zoneOf: map[int64]string{}}
	z.may = z.zonePlace("Công ty May Hưng Yên", "13400", dongVan, at(23, 8, 0))
	z.giay = z.zonePlace("Công ty Giấy Lê Hồng Phong", "13324", dongVan, at(23, 8, 30))
	z.thep = z.zonePlace("Công ty Thép Việt Nhật", "13327", chauSon, at(23, 9, 0))
	z.vi = z.zonePlace("Công ty Vina Điện tử", "13327", chauSon, at(23, 9, 30))
	z.nhua = z.zonePlace("Công ty Nhựa Tân Phú", "13400", dongVan, at(24, 23, 55)) // new on the 24th
	wood := z.zonePlace("Xưởng gỗ Hòa Mạc", "13400", "", at(23, 10, 0))            // outside any zone
	z.update(func(tx ravao.Tx) error {
		v, err := tx.Venue(z.vi)
		if err != nil {
			return err
		}
		v.Status = ravao.VenuePending
		return tx.UpdateVenue(&v)
	})
	for i := range z.venues {
		if z.venues[i].id == z.vi {
			z.venues[i].status = ravao.VenuePending
		}
	}
	z.visit(z.p1, z.may, at(23, 10, 0), at(23, 11, 0), ravao.Green)
	z.visit(z.p1, z.may, at(24, 23, 50), at(25, 0, 20), ravao.Green) // 16:50 UTC: the 24th; out on the 25th
	z.visit(z.p2, z.may, at(25, 0, 5), time.Time{}, ravao.Red)       // 17:05 UTC on the 24th: the 25th
	z.visit(z.p3, z.nhua, at(25, 8, 0), at(25, 9, 0), ravao.Green)
	z.visit(z.p2, z.giay, at(25, 9, 0), time.Time{}, ravao.Green)
	z.visit(z.p4, z.thep, at(24, 16, 0), at(24, 17, 0), ravao.Green)
	z.visit(z.p1, wood, at(25, 10, 0), time.Time{}, ravao.Green)
	z.clock.T = at(25, 15, 0).UTC()
	return z
}

// zonePlace registers an approved industrial place at when, in zone ("" for
// none).
func (z *zoneEnv) zonePlace(name, unit, zone string, when time.Time) int64 {
	z.t.Helper()
	z.clock.T = when.UTC()
	v, err := z.pl.CreatePlace(z.ctx, nil, places.NewPlace{Organisation: name, Venue: places.VenueInput{
		Name: name, Type: string(ravao.VenueZoneBusiness), Sector: string(ravao.SectorIndustry), UnitCode: unit,
		Zone: zone, ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng chính"}}}, "vi")
	if err != nil {
		z.t.Fatalf("place %s: %v", name, err)
	}
	z.venues = append(z.venues, venue{id: v.Venue.ID, name: name, path: ravao.SplitUnitPath(v.Venue.UnitPath),
		sector: ravao.SectorIndustry, typ: ravao.VenueZoneBusiness, created: z.clock.T, status: ravao.VenueApproved, orgID: v.Venue.OrganisationID})
	z.zoneOf[v.Venue.ID] = zone
	return v.Venue.ID
}

// in is what the test stored, limited to the places of zone and their
// visits, without declarations (counted by home unit, never by zone): the
// brute force a zone's figures must agree with.
func (z *zoneEnv) in(zone string) *env {
	e := *z.env
	e.venues, e.visits, e.decls = nil, nil, nil
	for _, v := range z.venues {
		if z.zoneOf[v.id] == zone {
			e.venues = append(e.venues, v)
		}
	}
	for _, vi := range z.visits {
		if z.zoneOf[vi.VenueID] == zone {
			e.visits = append(e.visits, vi)
		}
	}
	return &e
}

// activity is one place's activity over from..to, counted from the visits.
func (z *zoneEnv) activity(id int64, from, to ravao.Day) ravao.VenueActivity {
	a := ravao.VenueActivity{VenueID: id}
	days, people := map[ravao.Day]bool{}, map[[2]int64]bool{}
	for _, vi := range z.visits {
		if vi.VenueID != id {
			continue
		}
		if d := ravao.DayOf(vi.OutAt, svctest.ICT); !vi.OutAt.IsZero() && d >= from && d <= to {
			a.CheckOuts++
		}
		d := ravao.DayOf(vi.InAt, svctest.ICT)
		if d < from || d > to {
			continue
		}
		a.CheckIns++
		days[d], people[[2]int64{int64(d), vi.PersonID}] = true, true
		if vi.Decision == ravao.Red {
			a.Red++
		}
	}
	a.ActiveDays, a.People = len(days), len(people)
	return a
}

// silent names the approved places of e (one zone) under f without a
// check-in on d, by name.
func silentIn(e *env, f filter, d ravao.Day) []string {
	busy := map[int64]bool{}
	for _, vi := range e.visits {
		if ravao.DayOf(vi.InAt, svctest.ICT) == d {
			busy[vi.VenueID] = true
		}
	}
	var out []string
	for _, v := range e.venues {
		if f.has(v) && v.status == ravao.VenueApproved && ravao.DayOf(v.created, svctest.ICT) <= d && !busy[v.id] {
			out = append(out, v.name)
		}
	}
	slices.Sort(out)
	return out
}

// TestZoneFigures checks a zone's view, day by day, in total, its places
// and its silent places, against a count of the visits and places stored,
// with days cut at midnight in Vietnam.
func TestZoneFigures(t *testing.T) {
	zoneEngines(t, func(t *testing.T, z *zoneEnv) {
		for _, tt := range []struct {
			name, unit, zone string
			sector           ravao.Sector
			from, to         ravao.Day
		}{
			{"zone across two districts", "35", dongVan, "", nov23, nov25},
			{"zone within a district", "349", dongVan, "", nov23, nov25},
			{"zone within a district, up to the 24th", "349", dongVan, "", nov23, nov24},
			{"zone with a pending place", "347", chauSon, "", nov24, nov25},
			{"zone in one sector", "35", chauSon, ravao.SectorIndustry, nov23, nov25},
			{"zone with no place in the unit", "13321", dongVan, "", nov23, nov25},
			{"unknown zone", "35", "KCN Không Có", "", nov23, nov25},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q := ravao.StatsQuery{UnitCode: tt.unit, Sector: tt.sector, Zone: " " + tt.zone + " ", From: tt.from, To: tt.to}
				v, err := z.svc.Zone(z.ctx, z.admin, q)
				if err != nil {
					t.Fatal(err)
				}
				if v.Unit.Code != tt.unit || v.Query.Zone != tt.zone {
					t.Errorf("got unit %q zone %q, want %q %q", v.Unit.Code, v.Query.Zone, tt.unit, tt.zone)
				}
				brute, f := z.in(tt.zone), filter{unit: tt.unit, sector: tt.sector}
				if want := span(tt.from, tt.to); len(v.Series) != want {
					t.Fatalf("series: got %d days, want %d", len(v.Series), want)
				}
				for i, d := 0, tt.from; d <= tt.to; i, d = i+1, d.Add(1) {
					if got, want := v.Series[i], brute.day(f, d); got.Day != d || got.Counts != want {
						t.Errorf("%s: got %+v, want %+v", d, got, want)
					}
				}
				if got, want := v.Totals, brute.over(f, tt.from, tt.to); got != want {
					t.Errorf("totals: got %+v, want %+v", got, want)
				}
				z.checkPlaces(t, v.Places, brute, f, tt.from, tt.to)
				if got, want := placeNames(v.Silent), silentIn(brute, f, tt.to); !slices.Equal(got, want) || v.SilentMore {
					t.Errorf("silent places: got %v (more %v), want %v", got, v.SilentMore, want)
				}
			})
		}
	})
}

// checkPlaces checks a zone's places are exactly those of e under f, by
// name, each with its activity over the range.
func (z *zoneEnv) checkPlaces(t *testing.T, list []ravao.VenueActivity, e *env, f filter, from, to ravao.Day) {
	t.Helper()
	var want []string
	for _, v := range e.venues {
		if f.has(v) && ravao.DayOf(v.created, svctest.ICT) <= to {
			want = append(want, v.name)
		}
	}
	slices.Sort(want)
	var got []string
	for _, a := range list {
		got = append(got, a.Name)
		w := z.activity(a.VenueID, from, to)
		if a.ActiveDays != w.ActiveDays || a.CheckIns != w.CheckIns || a.CheckOuts != w.CheckOuts || a.People != w.People || a.Red != w.Red {
			t.Errorf("place %s: got %+v, want %+v", a.Name, a, w)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("places: got %v, want %v", got, want)
	}
}

// TestZoneMidnight pins the visits either side of midnight in Vietnam
// (17:00 UTC) to their days, whatever the brute force says.
func TestZoneMidnight(t *testing.T) {
	zoneEngines(t, func(t *testing.T, z *zoneEnv) {
		v, err := z.svc.Zone(z.ctx, z.admin, ravao.StatsQuery{UnitCode: "349", Zone: dongVan, From: nov24, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		d24, d25 := v.Series[0].Counts, v.Series[1].Counts
		if d24.CheckIns != 1 || d24.New != 1 || d24.Venues != 2 || d24.CheckOuts != 0 {
			t.Errorf("the 24th: got %+v, want 1 check-in (23:50), 1 new place (23:55), 2 places, no check-out", d24)
		}
		if d25.CheckIns != 2 || d25.CheckOuts != 2 || d25.Red != 1 || d25.Active != 2 || d25.Symptoms != 0 {
			t.Errorf("the 25th: got %+v, want 2 check-ins (one at 00:05, red), 2 check-outs, 2 places active, no symptoms", d25)
		}
	})
}

// TestZonesList checks the zones under a unit, with their places.
func TestZonesList(t *testing.T) {
	zoneEngines(t, func(t *testing.T, z *zoneEnv) {
		for _, tt := range []struct {
			unit string
			want []ravao.ZoneCount
		}{
			{"35", []ravao.ZoneCount{{Zone: dongVan, Venues: 3}, {Zone: chauSon, Venues: 2}}},
			{"349", []ravao.ZoneCount{{Zone: dongVan, Venues: 2}}},
			{"347", []ravao.ZoneCount{{Zone: dongVan, Venues: 1}, {Zone: chauSon, Venues: 2}}},
			{"13321", nil},
		} {
			got, err := z.svc.Zones(z.ctx, z.admin, ravao.StatsQuery{UnitCode: tt.unit})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("zones under %s: got %+v, want %+v", tt.unit, got, tt.want)
			}
		}
	})
}

// TestZoneScopes checks a zone is seen as its unit is: a commune's
// official not elsewhere, a sector supervisor in their sector only.
func TestZoneScopes(t *testing.T) {
	zoneEngines(t, func(t *testing.T, z *zoneEnv) {
		ward := z.staff("ubnd13321", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
		school := z.staff("gd35", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorEducation})
		board := z.staff("kcn35", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorIndustry})
		guard := z.staff("baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: 1})
		all := ravao.StatsQuery{From: nov23, To: nov25, Zone: dongVan}

		q := all
		q.UnitCode = "13400"
		_, err := z.svc.Zone(z.ctx, ward, q)
		svctest.WantKey(t, "another commune's official on a zone", err, "err.forbidden")
		_, err = z.svc.Zones(z.ctx, ward, ravao.StatsQuery{UnitCode: "13400"})
		svctest.WantKey(t, "another commune's official on its zones", err, "err.forbidden")
		_, err = z.svc.Zone(z.ctx, guard, q)
		svctest.WantKey(t, "gate staff", err, "err.forbidden")
		v, err := z.svc.Zone(z.ctx, ward, all)
		if err != nil || v.Unit.Code != "13321" || v.Totals != (ravao.Counts{}) || len(v.Places)+len(v.Silent) != 0 {
			t.Errorf("ward official, own unit: got %q %+v, %d places, %v; want 13321 with zeros", v.Unit.Code, v.Totals, len(v.Places), err)
		}

		q.UnitCode = "35"
		v, err = z.svc.Zone(z.ctx, school, q)
		if err != nil || v.Query.Sector != ravao.SectorEducation || v.Totals != (ravao.Counts{}) || len(v.Places)+len(v.Silent) != 0 {
			t.Errorf("education supervisor: got sector %q, %+v, %d places, %d silent, %v; want education, zeros", v.Query.Sector, v.Totals, len(v.Places), len(v.Silent), err)
		}
		if zs, err := z.svc.Zones(z.ctx, school, ravao.StatsQuery{UnitCode: "35"}); err != nil || len(zs) != 0 {
			t.Errorf("education supervisor's zones: got %+v, %v; want none", zs, err)
		}

		v, err = z.svc.Zone(z.ctx, board, all)
		f := filter{unit: "35", sector: ravao.SectorIndustry}
		if err != nil || v.Unit.Code != "35" || v.Query.Sector != ravao.SectorIndustry || v.Totals != z.in(dongVan).over(f, nov23, nov25) {
			t.Errorf("zone board: got %q %q %+v, %v; want 35, industry, %+v", v.Unit.Code, v.Query.Sector, v.Totals, err, z.in(dongVan).over(f, nov23, nov25))
		}
		if zs, err := z.svc.Zones(z.ctx, board, ravao.StatsQuery{}); err != nil || len(zs) != 2 {
			t.Errorf("zone board's zones: got %+v, %v; want both", zs, err)
		}
		q.Sector = ravao.SectorCommerce
		_, err = z.svc.Zone(z.ctx, board, q)
		svctest.WantKey(t, "zone board on commerce", err, "err.forbidden")
	})
}

// TestZoneQuery checks a zone's name and days are checked as a view's.
func TestZoneQuery(t *testing.T) {
	zoneEngines(t, func(t *testing.T, z *zoneEnv) {
		for _, tt := range []struct {
			name string
			q    ravao.StatsQuery
			key  string
		}{
			{"no zone", ravao.StatsQuery{UnitCode: "35"}, "err.required"},
			{"blank zone", ravao.StatsQuery{UnitCode: "35", Zone: "  \t"}, "err.required"},
			{"long zone", ravao.StatsQuery{UnitCode: "35", Zone: strings.Repeat("Đ", 201)}, "err.too_long"},
			{"backwards", ravao.StatsQuery{UnitCode: "35", Zone: dongVan, From: nov25, To: nov23}, "err.date_range"},
			{"future", ravao.StatsQuery{UnitCode: "35", Zone: dongVan, To: nov25.Add(1)}, "err.date_future"},
			{"unknown unit", ravao.StatsQuery{UnitCode: "37", Zone: dongVan}, "err.unit_unknown"},
		} {
			_, err := z.svc.Zone(z.ctx, z.admin, tt.q)
			svctest.WantKey(t, tt.name, err, tt.key)
		}
		v, err := z.svc.Zone(z.ctx, z.admin, ravao.StatsQuery{UnitCode: "35", Zone: strings.Repeat("Đ", 200)})
		if err != nil || v.Query.From != nov25 || v.Query.To != nov25 || len(v.Series) != 1 {
			t.Errorf("200 characters, no days: got %v, %s..%s; want today only", err, v.Query.From, v.Query.To)
		}
	})
}

// span is the number of days from..to, both included.
func span(from, to ravao.Day) int {
	n := 0
	for d := from; d <= to; d = d.Add(1) {
		n++
	}
	return n
}
