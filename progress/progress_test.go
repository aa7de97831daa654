package progress_test

import (
	"slices"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/progress"
)

// TestUnitFigures checks a unit's view, day by day, in total, per sub-unit
// and per venue type, against a count of the visits, places and
// declarations stored, with days cut at midnight in Vietnam.
func TestUnitFigures(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		for _, tt := range []struct {
			name   string
			unit   string
			sector ravao.Sector
		}{
			{"province", "35", ""},
			{"city", "347", ""},
			{"ward", "13321", ""},
			{"ward without places", "13327", ""},
			{"province, commerce", "35", ravao.SectorCommerce},
			{"whole deployment", "", ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q := ravao.StatsQuery{UnitCode: tt.unit, Sector: tt.sector, From: nov23, To: nov25}
				v, err := e.svc.Unit(e.ctx, e.admin, q)
				if err != nil {
					t.Fatal(err)
				}
				f := filter{unit: tt.unit, sector: tt.sector}
				if len(v.Series) != 3 {
					t.Fatalf("series: got %d days, want 3", len(v.Series))
				}
				for i, d := range []ravao.Day{nov23, nov24, nov25} {
					if got, want := v.Series[i], e.day(f, d); got.Day != d || got.Counts != want {
						t.Errorf("%s: got %+v, want %+v", d, got, want)
					}
				}
				if got, want := v.Totals, e.over(f, nov23, nov25); got != want {
					t.Errorf("totals: got %+v, want %+v", got, want)
				}
				for _, c := range v.Children {
					cf := filter{unit: c.Unit.Code, sector: tt.sector}
					if want := e.over(cf, nov23, nov25); c.Counts != want {
						t.Errorf("child %s: got %+v, want %+v", c.Unit.Name, c.Counts, want)
					}
				}
				for _, ty := range v.Types {
					tf := filter{unit: tt.unit, sector: tt.sector, typ: ty.VenueType}
					if want := e.over(tf, nov23, nov25); ty.Counts != want {
						t.Errorf("type %s: got %+v, want %+v", ty.VenueType, ty.Counts, want)
					}
				}
				if got, want := len(v.Types), e.types(f); got != want {
					t.Errorf("types: got %d, want %d", got, want)
				}
			})
		}
	})
}

// TestMidnight checks the visits on either side of midnight in Vietnam
// (17:00 UTC) land on their own days, for one place and its ward.
func TestMidnight(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v, err := e.svc.Venue(e.ctx, e.admin, e.market, nov24, nov25)
		if err != nil {
			t.Fatal(err)
		}
		want := []ravao.VenueDay{
			{VenueID: e.market, Day: nov24, CheckIns: 1, People: 1},
			{VenueID: e.market, Day: nov25, CheckIns: 3, CheckOuts: 3, People: 2},
		}
		if len(v.Days) != 2 || v.Days[0] != want[0] || v.Days[1] != want[1] {
			t.Errorf("market: got %+v, want %+v", v.Days, want)
		}
		u, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13321", From: nov25, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		if u.Totals.Symptoms != 1 || u.Totals.CheckIns != 4 || u.Totals.Red != 1 || u.Totals.New != 1 || u.Totals.Pending != 1 {
			t.Errorf("Quang Trung on the 25th: got %+v, want 1 symptom, 4 check-ins, 1 red, 1 new place pending", u.Totals)
		}
	})
}

// TestZeroActivity checks the lists of sub-units and places without a
// check-in on the last day name exactly those.
func TestZeroActivity(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", From: nov24, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := childNames(v), []string{"Châu Sơn", "Lê Hồng Phong", "Quang Trung"}; !slices.Equal(got, want) {
			t.Errorf("children: got %v, want %v (every ward, by name)", got, want)
		}
		var silent []string
		for _, u := range v.SilentChildren {
			silent = append(silent, u.Name)
		}
		if want := []string{"Lê Hồng Phong"}; !slices.Equal(silent, want) {
			t.Errorf("silent wards: got %v, want %v", silent, want)
		}
		if got, want := placeNames(v.Silent), []string{"Công ty May Phủ Lý", "Cửa hàng Hoa Mai"}; !slices.Equal(got, want) || v.SilentMore {
			t.Errorf("silent places: got %v (more %v), want %v (the pending café is not listed)", got, v.SilentMore, want)
		}
		// On the 24th, the factory was busy and the rest of Quang Trung
		// quiet but for the late visit to the market.
		v, err = e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13321", From: nov24, To: nov24})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := placeNames(v.Silent), []string{"Cửa hàng Hoa Mai", "Trường THCS Quang Trung"}; !slices.Equal(got, want) {
			t.Errorf("silent places on the 24th: got %v, want %v", got, want)
		}
		// A unit with more approved places than SilentScanMax names its
		// silent sub-units and leaves the places to their views.
		small, err := progress.New(e.store, progress.Config{TZ: svctest.ICT, Clock: e.clock, SilentScanMax: 2})
		if err != nil {
			t.Fatal(err)
		}
		v, err = small.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", From: nov24, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		if !v.SilentSkipped || len(v.Silent) != 0 || len(v.SilentChildren) != 1 {
			t.Errorf("above SilentScanMax: got skipped %v, %d places, %d silent wards; want skipped, none, 1", v.SilentSkipped, len(v.Silent), len(v.SilentChildren))
		}
		d, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := childNames(d), []string{"Hà Nam"}; d.Unit.Code != "" || !slices.Equal(got, want) {
			t.Errorf("an administrator's own view: got unit %q, children %v; want the deployment, %v", d.Unit.Code, got, want)
		}
	})
}

// TestScopes checks who sees what: officials their unit and below, a
// sector supervisor their sector only, a venue manager their own place's
// days only.
func TestScopes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ward := e.staff("ubnd13321", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
		health := e.staff("yte347", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "347"})
		industry := e.staff("kcn35", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorIndustry})
		var marketOrg int64
		for _, v := range e.venues {
			if v.id == e.market {
				marketOrg = v.orgID
			}
		}
		manager := e.staff("quanly", ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: marketOrg})
		guard := e.staff("baove", ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: 1})

		v, err := e.svc.Unit(e.ctx, ward, ravao.StatsQuery{})
		if err != nil || v.Unit.Code != "13321" || len(v.Ancestors) != 2 || v.Ancestors[0].Code != "35" {
			t.Errorf("ward official, own unit: got %q %v, %v; want 13321 under 35/347", v.Unit.Code, v.Ancestors, err)
		}
		for _, q := range []ravao.StatsQuery{{UnitCode: "13324"}, {UnitCode: "347"}, {UnitCode: "35"}} {
			_, err := e.svc.Unit(e.ctx, ward, q)
			svctest.WantKey(t, "ward official on "+q.UnitCode, err, "err.forbidden")
		}
		if _, err := e.svc.Unit(e.ctx, health, ravao.StatsQuery{UnitCode: "13324"}); err != nil {
			t.Errorf("health official of the city on a ward: %v", err)
		}
		_, err = e.svc.Unit(e.ctx, health, ravao.StatsQuery{UnitCode: "13400"})
		svctest.WantKey(t, "health official of the city on another district's ward", err, "err.forbidden")

		v, err = e.svc.Unit(e.ctx, industry, ravao.StatsQuery{UnitCode: "35", From: nov24, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		f := filter{unit: "35", sector: ravao.SectorIndustry}
		if v.Query.Sector != ravao.SectorIndustry || v.Totals != e.over(f, nov24, nov25) {
			t.Errorf("sector supervisor: got sector %q, %+v; want industry only, %+v", v.Query.Sector, v.Totals, e.over(f, nov24, nov25))
		}
		if got := placeNames(v.Silent); !slices.Equal(got, []string{"Công ty May Phủ Lý"}) {
			t.Errorf("sector supervisor's silent places: got %v", got)
		}
		_, err = e.svc.Unit(e.ctx, industry, ravao.StatsQuery{UnitCode: "35", Sector: ravao.SectorCommerce})
		svctest.WantKey(t, "sector supervisor on another sector", err, "err.forbidden")
		_, err = e.svc.Unit(e.ctx, industry, ravao.StatsQuery{UnitCode: "37"})
		svctest.WantKey(t, "unknown unit", err, "err.unit_unknown")

		if _, err := e.svc.Venue(e.ctx, industry, e.factory, nov25, nov25); err != nil {
			t.Errorf("sector supervisor on a factory: %v", err)
		}
		_, err = e.svc.Venue(e.ctx, industry, e.market, nov25, nov25)
		svctest.WantKey(t, "sector supervisor on a market", err, "err.venue_not_found")
		if _, err := e.svc.Venue(e.ctx, ward, e.school, nov25, nov25); err != nil {
			t.Errorf("ward official on a school of the ward: %v", err)
		}
		_, err = e.svc.Venue(e.ctx, ward, e.factory, nov25, nov25)
		svctest.WantKey(t, "ward official on the neighbour's factory", err, "err.venue_not_found")

		days, err := e.svc.Venue(e.ctx, manager, e.market, nov23, nov25)
		if err != nil || len(days.Days) != 3 || days.Days[2].CheckIns != 3 {
			t.Errorf("manager on their market: got %+v, %v", days.Days, err)
		}
		_, err = e.svc.Venue(e.ctx, manager, e.school, nov25, nov25)
		svctest.WantKey(t, "manager on another place", err, "err.venue_not_found")
		_, err = e.svc.Unit(e.ctx, manager, ravao.StatsQuery{UnitCode: "13321"})
		svctest.WantKey(t, "manager on the ward", err, "err.forbidden")
		_, err = e.svc.Venue(e.ctx, guard, e.market, nov25, nov25)
		svctest.WantKey(t, "gate staff", err, "err.forbidden")
		_, err = e.svc.Unit(e.ctx, nil, ravao.StatsQuery{})
		svctest.WantKey(t, "nobody", err, "err.forbidden")
	})
}

// TestRanges checks the days a view accepts.
func TestRanges(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "35"})
		if err != nil || v.Query.From != nov25 || v.Query.To != nov25 || len(v.Series) != 1 {
			t.Errorf("no days: got %s..%s, %d days, %v; want today only", v.Query.From, v.Query.To, len(v.Series), err)
		}
		v, err = e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "35", From: nov25.Add(-91), To: nov25})
		if err != nil || len(v.Series) != 92 {
			t.Errorf("92 days: got %d, %v", len(v.Series), err)
		}
		for _, tt := range []struct {
			name     string
			from, to ravao.Day
			key      string
		}{
			{"backwards", nov25, nov24, "err.date_range"},
			{"tomorrow", nov25, nov25.Add(1), "err.date_future"},
			{"93 days", nov25.Add(-92), nov25, "err.date_range_long"},
			{"no such day", 20261131, nov25, "err.date"},
		} {
			_, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "35", From: tt.from, To: tt.to})
			svctest.WantKey(t, tt.name, err, tt.key)
			_, err = e.svc.Venue(e.ctx, e.admin, e.market, tt.from, tt.to)
			svctest.WantKey(t, tt.name+" (place)", err, tt.key)
		}
		_, err = e.svc.Repair(e.ctx, nov25, nov24)
		svctest.WantKey(t, "repair backwards", err, "err.date_range")
		svctest.WantKey(t, "roll up tomorrow", e.svc.Rollup(e.ctx, nov25.Add(1)), "err.date_future")
	})
}

// TestRepair deletes every place's days and checks Repair rebuilds them
// from the visits, and the units' figures with them.
func TestRepair(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		before := map[int64][]ravao.VenueDay{}
		rows := 0
		e.view(func(tx ravao.Tx) error {
			for _, v := range e.venues {
				days, err := tx.VenueDays(v.id, nov23, nov25)
				if err != nil {
					return err
				}
				before[v.id], rows = days, rows+len(days)
			}
			return nil
		})
		if rows == 0 {
			t.Fatal("no venue days before the repair")
		}
		if _, err := e.sqlDB().Exec(`DELETE FROM venue_days`); err != nil {
			t.Fatal(err)
		}
		n, err := e.svc.Repair(e.ctx, nov23, nov25)
		if err != nil {
			t.Fatal(err)
		}
		if n != rows {
			t.Errorf("repair wrote %d rows, want %d", n, rows)
		}
		e.view(func(tx ravao.Tx) error {
			for _, v := range e.venues {
				days, err := tx.VenueDays(v.id, nov23, nov25)
				if err != nil {
					return err
				}
				if !slices.Equal(days, before[v.id]) {
					t.Errorf("%s: got %+v, want %+v", v.name, days, before[v.id])
				}
			}
			return nil
		})
		v, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "35", From: nov23, To: nov25})
		if err != nil {
			t.Fatal(err)
		}
		want := e.over(filter{unit: "35"}, nov23, nov25)
		if got := v.Totals; got.CheckIns != want.CheckIns || got.CheckOuts != want.CheckOuts || got.People != want.People ||
			got.Active != want.Active || got.Red != want.Red || got.Symptoms != want.Symptoms {
			t.Errorf("province after repair: got %+v, want activity %+v", got, want)
		}
	})
}

// types counts the venue types with places under f.
func (e *env) types(f filter) int {
	seen := map[ravao.VenueType]bool{}
	for _, v := range e.venues {
		if f.has(v) {
			seen[v.typ] = true
		}
	}
	return len(seen)
}

func childNames(v progress.UnitView) []string {
	var out []string
	for _, c := range v.Children {
		out = append(out, c.Unit.Name)
	}
	return out
}

func placeNames(list []ravao.SilentVenue) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}
