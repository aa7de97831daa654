package storetest

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

var zoneTests = []test{
	{"Zones/BruteForce", testZonesBruteForce},
	{"Zones/Invalid", testZonesInvalid},
	{"Reports/Kept", testReportsKept},
	{"Reports/Units", testReportUnits},
}

// scenarioZones are the zones the scenario's venues are placed in, ""
// for none.
var scenarioZones = []string{"KCN Biên Hòa 1", "", "KCN Amata", "Cụm CN Đất Cuốc"}

// mustZones places the scenario's venues in zones, in turn.
func (e *env) mustZones(sc *statsScenario) {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error {
		for i := range sc.venues {
			sc.venues[i].Zone = scenarioZones[i%len(scenarioZones)]
			if err := tx.UpdateVenue(&sc.venues[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// inQuery reports whether a venue of the scenario is under q's unit and
// sector, and in its zone when it names one.
func inQuery(v ravao.Venue, q ravao.StatsQuery) bool {
	path := statsPaths[v.UnitCode]
	return (q.UnitCode == "" || strings.Contains("/"+path, "/"+q.UnitCode+"/")) &&
		(q.Sector == "" || v.Sector == q.Sector) && (q.Zone == "" || v.Zone == q.Zone)
}

func testZonesBruteForce(e *env) {
	sc := e.mustStatsScenario(rand.New(rand.NewPCG(5, 2027)))
	e.mustZones(&sc)
	vds := sc.bruteVenueDays()
	from, to := statsDay.Add(-1), statsDay.Add(4)
	var seen ravao.Counts // what the series compared, so that the check is not vacuous
	e.view(func(tx ravao.Tx) error {
		for _, unit := range []string{"", "35", "347", "13400", "01"} {
			for _, sector := range []ravao.Sector{"", ravao.SectorCommerce, ravao.SectorIndustry} {
				q := ravao.StatsQuery{UnitCode: unit, Sector: sector, From: from, To: to}
				if got, err := tx.Zones(q); err != nil || !reflect.DeepEqual(got, bruteZones(sc, q)) {
					e.t.Errorf("Zones(%+v): got %+v, %v; want %+v", q, got, err, bruteZones(sc, q))
				}
				for _, zone := range scenarioZones {
					if zone == "" {
						continue
					}
					for _, days := range [][2]ravao.Day{{from, to}, {statsDay, statsDay}, {statsDay.Add(1), statsDay.Add(2)}} {
						q := ravao.StatsQuery{UnitCode: unit, Sector: sector, From: days[0], To: days[1], Zone: zone}
						want := bruteZoneSeries(sc, vds, q)
						for _, r := range want {
							seen.Add(r.Counts)
							seen.Venues += r.Venues
						}
						if got, err := tx.ZoneSeries(q); err != nil || !reflect.DeepEqual(got, want) {
							e.t.Errorf("ZoneSeries(%+v):\ngot  %+v, %v\nwant %+v", q, got, err, want)
						}
						if err := e.wantZoneFilter(tx, sc, q); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
	if seen.Active == 0 || seen.New == 0 || seen.Red == 0 || seen.Venues == 0 {
		e.t.Errorf("ZoneSeries compared only empty figures: %+v", seen)
	}
}

// bruteZones counts the scenario's venues per zone for q.
func bruteZones(sc statsScenario, q ravao.StatsQuery) []ravao.ZoneCount {
	m := map[string]int{}
	for _, v := range sc.venues {
		if v.Zone != "" && inQuery(v, q) {
			m[v.Zone]++
		}
	}
	out := []ravao.ZoneCount{}
	for _, z := range slices.Sorted(maps.Keys(m)) {
		out = append(out, ravao.ZoneCount{Zone: z, Venues: m[z]})
	}
	return out
}

// bruteZoneSeries sums the venue-days and the state of the zone's venues
// per day, from the scenario itself, keeping the days with data.
func bruteZoneSeries(sc statsScenario, vds []ravao.VenueDay, q ravao.StatsQuery) []ravao.UnitDayCounts {
	out := []ravao.UnitDayCounts{}
	for d := q.From; d <= q.To; d = d.Add(1) {
		start, end := d.Start(ict), d.Add(1).Start(ict)
		r := ravao.UnitDayCounts{Day: d, UnitCode: q.UnitCode}
		data := false
		for _, v := range sc.venues {
			if !inQuery(v, q) {
				continue
			}
			for _, x := range vds {
				if x.VenueID == v.ID && x.Day == d {
					data = true
					r.CheckIns, r.CheckOuts, r.People, r.Red = r.CheckIns+x.CheckIns, r.CheckOuts+x.CheckOuts, r.People+x.People, r.Red+x.Red
					if x.CheckIns > 0 {
						r.Active++
					}
				}
			}
			if !v.CreatedAt.Before(end) {
				continue
			}
			data = true
			r.Venues++
			if !v.CreatedAt.Before(start) {
				r.New++
			}
			switch v.Status {
			case ravao.VenueApproved:
				r.Approved++
			case ravao.VenuePending:
				r.Pending++
			case ravao.VenueSuspended:
				r.Suspended++
			}
		}
		if data {
			out = append(out, r)
		}
	}
	return out
}

// wantZoneFilter checks that SilentVenues and UnitVenues of a zone are
// those of the whole unit that lie in the zone.
func (e *env) wantZoneFilter(tx ravao.Tx, sc statsScenario, q ravao.StatsQuery) error {
	e.t.Helper()
	zoneOf := map[int64]string{}
	for _, v := range sc.venues {
		zoneOf[v.ID] = v.Zone
	}
	whole := q
	whole.Zone = ""
	silentAll, err := tx.SilentVenues(whole, q.To, 0)
	if err != nil {
		return err
	}
	want := []ravao.SilentVenue{}
	for _, v := range silentAll {
		if zoneOf[v.VenueID] == q.Zone {
			want = append(want, v)
		}
	}
	if got, err := tx.SilentVenues(q, q.To, 0); err != nil || !reflect.DeepEqual(got, want) {
		e.t.Errorf("SilentVenues(%+v): got %+v, %v; want %+v", q, got, err, want)
	}
	activeAll, err := tx.UnitVenues(whole, 0)
	if err != nil {
		return err
	}
	wantActive := []ravao.VenueActivity{}
	for _, v := range activeAll {
		if zoneOf[v.VenueID] == q.Zone {
			wantActive = append(wantActive, v)
		}
	}
	if got, err := tx.UnitVenues(q, 0); err != nil || !reflect.DeepEqual(got, wantActive) {
		e.t.Errorf("UnitVenues(%+v): got %+v, %v; want %+v", q, got, err, wantActive)
	}
	return nil
}

// testZonesInvalid checks that a series needs a zone and real days.
func testZonesInvalid(e *env) {
	e.putUnits(statsUnits())
	for _, c := range []struct {
		name string
		q    ravao.StatsQuery
	}{
		{"no zone", ravao.StatsQuery{From: statsDay, To: statsDay}},
		{"backwards", ravao.StatsQuery{Zone: "KCN Amata", From: statsDay, To: statsDay.Add(-1)}},
		{"bad sector", ravao.StatsQuery{Zone: "KCN Amata", Sector: "x", From: statsDay, To: statsDay}},
		{"unknown unit", ravao.StatsQuery{Zone: "KCN Amata", UnitCode: "99999", From: statsDay, To: statsDay}},
	} {
		err := e.s.View(e.ctx, func(tx ravao.Tx) error { _, err := tx.ZoneSeries(c.q); return err })
		wantCode(e.t, "ZoneSeries "+c.name, err, ravao.Invalid)
	}
	err := e.s.View(e.ctx, func(tx ravao.Tx) error { _, err := tx.Zones(ravao.StatsQuery{UnitCode: "99999"}); return err })
	wantCode(e.t, "Zones of an unknown unit", err, ravao.Invalid)
}

func testReportsKept(e *env) {
	put := func(unit string, sector ravao.Sector, day ravao.Day, body string) ravao.ProgressReport {
		r := ravao.ProgressReport{UnitCode: unit, Sector: sector, Day: day, Body: []byte(body)}
		e.update(func(tx ravao.Tx) error { return tx.PutProgressReport(&r) })
		return r
	}
	first := put("347", "", statsDay, "first")
	if !first.MadeAt.Equal(e.now()) {
		e.t.Errorf("PutProgressReport: MadeAt %v, want %v", first.MadeAt, e.now())
	}
	e.clock.Advance(time.Hour)
	again := put("347", "", statsDay, "again")
	older := put("347", "", statsDay.Add(-2), "older")
	newer := put("347", "", statsDay.Add(1), "newer")
	other := []ravao.ProgressReport{put("347", ravao.SectorCommerce, statsDay, "commerce"),
		put("", "", statsDay, "deployment"), put("349", "", statsDay.Add(-3), "349")}
	list := func(rs ...ravao.ProgressReport) []ravao.ProgressReport {
		out := []ravao.ProgressReport{}
		for _, r := range rs {
			r.Body = nil
			out = append(out, r)
		}
		return out
	}
	e.view(func(tx ravao.Tx) error {
		for _, want := range append([]ravao.ProgressReport{again, older, newer}, other...) {
			got, err := tx.ProgressReport(want.UnitCode, want.Sector, want.Day)
			if err != nil || !reflect.DeepEqual(got, want) || !bytes.Equal(got.Body, want.Body) {
				e.t.Errorf("ProgressReport: got %+v, %v; want %+v", got, err, want)
			}
		}
		_, err := tx.ProgressReport("347", ravao.SectorIndustry, statsDay)
		wantCode(e.t, "ProgressReport of another sector", err, ravao.NotFound)
		for _, c := range []struct {
			unit   string
			sector ravao.Sector
			limit  int
			want   []ravao.ProgressReport
		}{
			{"347", "", 0, list(newer, again, older)},
			{"347", "", 2, list(newer, again)},
			{"347", ravao.SectorCommerce, 0, list(other[0])},
			{"", "", 0, list(other[1])},
			{"13321", "", 0, list()},
		} {
			if got, err := tx.ProgressReports(c.unit, c.sector, c.limit); err != nil || !reflect.DeepEqual(got, c.want) {
				e.t.Errorf("ProgressReports(%q, %q, %d): got %+v, %v; want %+v", c.unit, c.sector, c.limit, got, err, c.want)
			}
		}
		return nil
	})
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.DeleteProgressReports(statsDay)
		return err
	})
	if n != 2 {
		e.t.Errorf("DeleteProgressReports: deleted %d, want 2", n)
	}
	e.view(func(tx ravao.Tx) error {
		for _, gone := range []ravao.ProgressReport{older, other[2]} {
			_, err := tx.ProgressReport(gone.UnitCode, gone.Sector, gone.Day)
			wantCode(e.t, "ProgressReport of a deleted day", err, ravao.NotFound)
		}
		if got, err := tx.ProgressReports("347", "", 0); err != nil || !reflect.DeepEqual(got, list(newer, again)) {
			e.t.Errorf("ProgressReports after delete: got %+v, %v", got, err)
		}
		return nil
	})
}

func testReportUnits(e *env) {
	e.putUnits(statsUnits())
	org := e.mustOrganisation("Công ty Sao Mai")
	day := statsDay
	// Registered a minute before the day ends, in the store's zone, and a
	// minute after.
	early := newVenue(org.ID, "Chợ sớm", "35/347/13321/")
	early.CreatedAt = day.Add(1).Start(ict).Add(-time.Minute)
	late := newVenue(org.ID, "Chợ muộn", "01/001/00004/")
	late.CreatedAt = day.Add(1).Start(ict).Add(time.Minute)
	other := newVenue(org.ID, "Trường", "35/349/13400/")
	other.CreatedAt = day.Add(-3).Start(ict)
	e.mustVenues(early, late, other)
	for _, d := range []ravao.Day{day.Add(-1), day, day.Add(1)} {
		e.update(func(tx ravao.Tx) error { return tx.RollupDay(d) })
	}
	e.view(func(tx ravao.Tx) error {
		for d, want := range map[ravao.Day][]string{
			day.Add(-1): {"13400", "349", "35"},
			day:         {"13321", "13400", "347", "349", "35"},
			day.Add(1):  {"00004", "001", "01", "13321", "13400", "347", "349", "35"},
			day.Add(2):  {},
		} {
			if got, err := tx.ReportUnits(d); err != nil || !reflect.DeepEqual(got, want) {
				e.t.Errorf("ReportUnits(%v): got %v, %v; want %v", d, got, err, want)
			}
		}
		return nil
	})
}
