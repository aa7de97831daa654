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

var statsTests = []test{
	{"Stats/BruteForce", testStatsBruteForce},
	{"Stats/Invalid", testStatsInvalid},
}

// ict is the zone stores count days in when given none: Vietnam's.
var ict = time.FixedZone("ICT", 7*60*60)

// statsDay is the first full day of the scenario; its local midnight is
// 17:00 UTC the day before.
const statsDay ravao.Day = 20260309

// statsUnits is a unit tree of two provinces, for the scenario.
func statsUnits() []ravao.Unit {
	u := func(code, parent string, level int) ravao.Unit {
		return ravao.Unit{Version: "2025-03", Code: code, ParentCode: parent, Level: level, Name: "Đơn vị " + code}
	}
	return []ravao.Unit{u("35", "", 1), u("347", "35", 2), u("349", "35", 2), u("13321", "347", 3),
		u("13318", "347", 3), u("13400", "349", 3), u("01", "", 1), u("001", "01", 2), u("00004", "001", 3)}
}

// statsPaths are the paths of the communes of statsUnits, by code.
var statsPaths = map[string]string{"13321": "35/347/13321/", "13318": "35/347/13318/",
	"13400": "35/349/13400/", "00004": "01/001/00004/"}

// statsScenario is what the brute force reads: venues, the visits as
// stored and the declarations.
type statsScenario struct {
	venues []ravao.Venue
	visits []ravao.Visit
	people map[int64]string // home unit
	decls  []ravao.Declaration
}

// mustStatsScenario stores venues in every commune of statsUnits, people,
// random visits over six days around the local midnights (dependants in
// one batch, the same person twice a day, check-outs on later days and
// before entry, red decisions set and withdrawn) and declarations.
func (e *env) mustStatsScenario(rng *rand.Rand) statsScenario {
	e.t.Helper()
	e.putUnits(statsUnits())
	start := statsDay.Start(ict)
	var sc statsScenario
	communes := slices.Sorted(maps.Keys(statsPaths))
	sectors := []ravao.Sector{ravao.SectorCommerce, ravao.SectorIndustry, ravao.SectorEducation}
	types := []ravao.VenueType{ravao.VenueMarket, ravao.VenueBusiness, ravao.VenueSchool, ravao.VenueRestaurant}
	statuses := []ravao.VenueStatus{ravao.VenueApproved, ravao.VenueApproved, ravao.VenuePending, ravao.VenueSuspended}
	cps := map[int64]int64{}
	e.update(func(tx ravao.Tx) error {
		org := ravao.Organisation{Name: "Công ty Sao Mai", UnitCode: "13321", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		for i := range 16 {
			code := communes[i%len(communes)]
			v := ravao.Venue{OrganisationID: org.ID, Name: fmt.Sprintf("Diem %02d", i%13), Type: types[rng.IntN(len(types))],
				Sector: sectors[rng.IntN(len(sectors))], UnitCode: code, UnitPath: statsPaths[code], Address: "1 Lê Lợi",
				Status: statuses[rng.IntN(len(statuses))], CreatedAt: start.Add(-48 * time.Hour)}
			if i%5 == 4 { // registered during the scenario, some just before a local midnight
				v.CreatedAt = start.Add(time.Duration(rng.IntN(72*60)-60) * time.Minute)
			}
			if err := tx.CreateVenue(&v); err != nil {
				return err
			}
			cp := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng", Kind: ravao.CheckpointGate}
			if err := tx.CreateCheckpoint(&cp); err != nil {
				return err
			}
			cps[v.ID] = cp.ID
			sc.venues = append(sc.venues, v)
		}
		return nil
	})
	homes := append(communes, "", "99999", "347")
	sc.people = map[int64]string{}
	var people []int64
	for i := range 14 {
		p := newPerson()
		p.UnitCode = homes[i%len(homes)]
		e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&p) })
		sc.people[p.ID] = p.UnitCode
		people = append(people, p.ID)
	}
	// Visits from 3 hours before the first local midnight to 4 days later.
	decisions := []ravao.Decision{ravao.Green, ravao.Green, ravao.Yellow, ravao.Red}
	var ids []int64
	for range 40 {
		var batch []*ravao.Visit
		in := start.Add(time.Duration(rng.IntN(99*60)-180) * time.Minute).Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		for range 1 + rng.IntN(4) {
			v := sc.venues[rng.IntN(len(sc.venues))]
			if v.CreatedAt.After(in) {
				continue
			}
			vis := &ravao.Visit{PersonID: people[rng.IntN(len(people))], VenueID: v.ID, CheckpointID: cps[v.ID],
				InAt: in.Add(time.Duration(rng.IntN(30)) * time.Minute), Decision: decisions[rng.IntN(len(decisions))],
				Source: ravao.SourceGate}
			if rng.IntN(4) == 0 {
				vis.OutAt, vis.OutReason = vis.InAt.Add(time.Duration(rng.IntN(20*60))*time.Minute), ravao.OutGate
			}
			batch = append(batch, vis)
			if rng.IntN(4) == 0 { // the same person again, the same or a later hour
				again := *vis
				again.InAt, again.OutAt, again.OutReason = vis.InAt.Add(time.Duration(rng.IntN(3))*time.Hour), time.Time{}, ""
				batch = append(batch, &again)
			}
		}
		if len(batch) == 0 {
			continue
		}
		e.update(func(tx ravao.Tx) error { return tx.InsertVisits(batch) })
		for _, v := range batch {
			ids = append(ids, v.ID)
		}
	}
	for _, id := range ids {
		v := e.mustVisit(id)
		switch {
		case v.OutAt.IsZero() && rng.IntN(3) > 0:
			at := v.InAt.Add(time.Duration(rng.IntN(22*60)-60) * time.Minute) // before entry sometimes
			if err := e.checkOut(id, at, ravao.OutTap); err != nil {
				e.t.Fatalf("CheckOutVisit: %v", err)
			}
		case rng.IntN(4) == 0:
			d := ravao.Red
			if v.Decision == ravao.Red {
				d = ravao.Green
			}
			e.update(func(tx ravao.Tx) error { return tx.SetVisitDecision(id, d) })
		}
	}
	for _, id := range ids {
		sc.visits = append(sc.visits, e.mustVisit(id))
	}
	for i := range 30 {
		d := ravao.Declaration{PersonID: people[rng.IntN(len(people))], Risk: i%3 != 0, Sealed: randomBytes(20),
			CreatedAt: start.Add(time.Duration(rng.IntN(96*60)-120) * time.Minute)}
		e.update(func(tx ravao.Tx) error { return tx.AddDeclaration(&d) })
		sc.decls = append(sc.decls, d)
	}
	return sc
}

// bruteVenueDays counts venue_days from the visits, by venue then day.
func (sc statsScenario) bruteVenueDays() []ravao.VenueDay {
	m := map[[2]int64]*ravao.VenueDay{}
	people := map[[3]int64]bool{}
	get := func(venue int64, d ravao.Day) *ravao.VenueDay {
		k := [2]int64{venue, int64(d)}
		if m[k] == nil {
			m[k] = &ravao.VenueDay{VenueID: venue, Day: d}
		}
		return m[k]
	}
	for _, v := range sc.visits {
		d := get(v.VenueID, ravao.DayOf(v.InAt, ict))
		d.CheckIns++
		if v.Decision == ravao.Red {
			d.Red++
		}
		if k := [3]int64{v.VenueID, int64(d.Day), v.PersonID}; !people[k] {
			people[k] = true
			d.People++
		}
		if !v.OutAt.IsZero() {
			get(v.VenueID, ravao.DayOf(v.OutAt, ict)).CheckOuts++
		}
	}
	var out []ravao.VenueDay
	for _, d := range m {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b ravao.VenueDay) int {
		return cmp.Or(cmp.Compare(a.VenueID, b.VenueID), cmp.Compare(a.Day, b.Day))
	})
	return out
}

// bruteRow is a unit's row of one day, sector and venue type.
type bruteRow struct {
	day               ravao.Day
	unit, parent      string
	sector, venueType string
	counts            ravao.Counts
}

// bruteUnitDays computes the unit rows of day from the scenario itself.
func (sc statsScenario) bruteUnitDays(day ravao.Day, vds []ravao.VenueDay) []bruteRow {
	start, end := day.Start(ict), day.Add(1).Start(ict)
	rows := map[[3]string]*bruteRow{}
	add := func(path, sector, typ string, c ravao.Counts) {
		codes := ravao.SplitUnitPath(path)
		for i, code := range codes {
			k := [3]string{code, sector, typ}
			r := rows[k]
			if r == nil {
				r = &bruteRow{day: day, unit: code, sector: sector, venueType: typ}
				if i > 0 {
					r.parent = codes[i-1]
				}
				rows[k] = r
			}
			r.counts.Venues += c.Venues
			r.counts.Approved += c.Approved
			r.counts.Pending += c.Pending
			r.counts.Suspended += c.Suspended
			r.counts.Add(c)
		}
	}
	for _, v := range sc.venues {
		var c ravao.Counts
		for _, d := range vds {
			if d.VenueID == v.ID && d.Day == day {
				c = ravao.Counts{CheckIns: d.CheckIns, CheckOuts: d.CheckOuts, People: d.People, Red: d.Red}
				if d.CheckIns > 0 {
					c.Active = 1
				}
			}
		}
		if !v.CreatedAt.Before(end) {
			continue // the scenario has no visit before a venue's registration
		}
		c.Venues = 1
		if !v.CreatedAt.Before(start) {
			c.New = 1
		}
		switch v.Status {
		case ravao.VenueApproved:
			c.Approved = 1
		case ravao.VenuePending:
			c.Pending = 1
		case ravao.VenueSuspended:
			c.Suspended = 1
		}
		add(v.UnitPath, string(v.Sector), string(v.Type), c)
	}
	unitPath := map[string]string{"35": "35/", "347": "35/347/", "349": "35/349/", "01": "01/", "001": "01/001/"}
	maps.Copy(unitPath, statsPaths)
	for _, d := range sc.decls {
		if d.Risk && !d.CreatedAt.Before(start) && d.CreatedAt.Before(end) && unitPath[sc.people[d.PersonID]] != "" {
			add(unitPath[sc.people[d.PersonID]], "", "", ravao.Counts{Symptoms: 1})
		}
	}
	var out []bruteRow
	for _, r := range rows {
		out = append(out, *r)
	}
	return out
}

// bruteQuery answers a StatsQuery from brute rows: series per day, or per
// child or per type with activity summed and the state of the key's last
// day.
func bruteQuery(rows []bruteRow, q ravao.StatsQuery, by string) []ravao.UnitDayCounts {
	type acc struct {
		ravao.UnitDayCounts
		last ravao.Day
	}
	m := map[string]*acc{}
	perDay := map[string]map[ravao.Day]*ravao.Counts{}
	for _, r := range rows {
		if r.day < q.From || r.day > q.To || q.Sector != "" && r.sector != string(q.Sector) {
			continue
		}
		var key string
		switch by {
		case "day":
			if r.unit != q.UnitCode && !(q.UnitCode == "" && r.parent == "") {
				continue
			}
			key = r.day.String()
		case "child":
			if r.parent != q.UnitCode {
				continue
			}
			key = r.unit
		case "type":
			if r.unit != q.UnitCode && !(q.UnitCode == "" && r.parent == "") || r.venueType == "" {
				continue
			}
			key = r.venueType
		}
		if perDay[key] == nil {
			perDay[key] = map[ravao.Day]*ravao.Counts{}
		}
		c := perDay[key][r.day]
		if c == nil {
			c = &ravao.Counts{}
			perDay[key][r.day] = c
		}
		c.Add(r.counts)
		c.Venues += r.counts.Venues
		c.Approved += r.counts.Approved
		c.Pending += r.counts.Pending
		c.Suspended += r.counts.Suspended
		a := m[key]
		if a == nil {
			a = &acc{}
			m[key] = a
			switch by {
			case "day":
				a.Day, a.UnitCode = r.day, q.UnitCode
			case "child":
				a.UnitCode = r.unit
			case "type":
				a.UnitCode, a.VenueType = q.UnitCode, ravao.VenueType(r.venueType)
			}
		}
	}
	out := []ravao.UnitDayCounts{}
	for _, key := range slices.Sorted(maps.Keys(m)) {
		a := m[key]
		for _, d := range slices.Sorted(maps.Keys(perDay[key])) {
			c := perDay[key][d]
			a.Add(*c)
			a.Venues, a.Approved, a.Pending, a.Suspended = c.Venues, c.Approved, c.Pending, c.Suspended
		}
		out = append(out, a.UnitDayCounts)
	}
	return out
}

func testStatsBruteForce(e *env) {
	sc := e.mustStatsScenario(rand.New(rand.NewPCG(7, 2026)))
	from, to := statsDay.Add(-1), statsDay.Add(4)
	want := sc.bruteVenueDays()
	if len(want) < 20 {
		e.t.Fatalf("scenario: only %d venue-days", len(want))
	}
	e.wantVenueDays("maintained", sc, from, to, want)
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.RepairVenueDays(from, to)
		return err
	})
	if n != len(want) {
		e.t.Errorf("RepairVenueDays: got %d rows, want %d", n, len(want))
	}
	e.wantVenueDays("repaired", sc, from, to, want)

	var rows []bruteRow
	for d := from; d <= to; d = d.Add(1) {
		rows = append(rows, sc.bruteUnitDays(d, want)...)
		e.update(func(tx ravao.Tx) error { return tx.RollupDay(d) })
	}
	e.wantStats(rows, from, to)
	e.update(func(tx ravao.Tx) error { return tx.RollupDay(statsDay) })
	e.update(func(tx ravao.Tx) error { return tx.RollupDay(statsDay) })
	e.wantStats(rows, from, to)
	e.concurrentRollups(to.Add(1)) // a day not rolled up yet: every transaction inserts
	e.wantStats(rows, from, to)
	e.wantSilent(sc, want)
	e.wantUnitVenues(sc, want)
}

// wantUnitVenues checks UnitVenues against the venue-days summed by hand.
func (e *env) wantUnitVenues(sc statsScenario, vds []ravao.VenueDay) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, unit := range []string{"", "35", "347", "13400"} {
			for _, sector := range []ravao.Sector{"", ravao.SectorCommerce} {
				for _, days := range [][2]ravao.Day{{statsDay, statsDay}, {statsDay.Add(1), statsDay.Add(3)}} {
					want := []ravao.VenueActivity{}
					for _, v := range sc.venues {
						path := statsPaths[v.UnitCode]
						if !v.CreatedAt.Before(days[1].Add(1).Start(ict)) ||
							unit != "" && !strings.Contains("/"+path, "/"+unit+"/") || sector != "" && v.Sector != sector {
							continue
						}
						a := ravao.VenueActivity{VenueID: v.ID, Name: v.Name, UnitCode: v.UnitCode, Type: v.Type, Sector: v.Sector, Status: v.Status}
						for _, d := range vds {
							if d.VenueID != v.ID || d.Day < days[0] || d.Day > days[1] {
								continue
							}
							if d.CheckIns > 0 {
								a.ActiveDays++
							}
							a.CheckIns, a.CheckOuts, a.People, a.Red = a.CheckIns+d.CheckIns, a.CheckOuts+d.CheckOuts, a.People+d.People, a.Red+d.Red
						}
						want = append(want, a)
					}
					slices.SortFunc(want, func(a, b ravao.VenueActivity) int {
						return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.VenueID, b.VenueID))
					})
					q := ravao.StatsQuery{UnitCode: unit, Sector: sector, From: days[0], To: days[1]}
					got, err := tx.UnitVenues(q, 0)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(got, want) {
						e.t.Errorf("UnitVenues(%+v):\ngot  %+v\nwant %+v", q, got, want)
					}
					if len(want) > 2 {
						if got, err := tx.UnitVenues(q, 2); err != nil || !reflect.DeepEqual(got, want[:2]) {
							e.t.Errorf("UnitVenues(%+v, 2): got %+v, %v; want %+v", q, got, err, want[:2])
						}
					}
				}
			}
		}
		return nil
	})
}

// wantVenueDays compares every venue's VenueDays with want.
func (e *env) wantVenueDays(what string, sc statsScenario, from, to ravao.Day, want []ravao.VenueDay) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		var got []ravao.VenueDay
		for _, v := range sc.venues {
			ds, err := tx.VenueDays(v.ID, from, to)
			if err != nil {
				return err
			}
			got = append(got, ds...)
		}
		if !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s venue days:\ngot  %+v\nwant %+v", what, got, want)
		}
		return nil
	})
}

// wantStats checks UnitSeries, UnitChildren and UnitTypes against the
// brute force at every level, with and without a sector, over the whole
// range and one day.
func (e *env) wantStats(rows []bruteRow, from, to ravao.Day) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, unit := range []string{"", "35", "347", "13321", "01", "00004", "99999"} {
			for _, sector := range []ravao.Sector{"", ravao.SectorCommerce, ravao.SectorIndustry} {
				for _, days := range [][2]ravao.Day{{from, to}, {statsDay, statsDay}, {statsDay.Add(1), statsDay.Add(3)}} {
					q := ravao.StatsQuery{UnitCode: unit, Sector: sector, From: days[0], To: days[1]}
					series, err := tx.UnitSeries(q)
					if err != nil {
						return err
					}
					children, err := tx.UnitChildren(q)
					if err != nil {
						return err
					}
					types, err := tx.UnitTypes(q)
					if err != nil {
						return err
					}
					for _, c := range []struct {
						name string
						got  []ravao.UnitDayCounts
						by   string
					}{{"UnitSeries", series, "day"}, {"UnitChildren", children, "child"}, {"UnitTypes", types, "type"}} {
						if want := bruteQuery(rows, q, c.by); !reflect.DeepEqual(c.got, want) {
							e.t.Errorf("%s(%+v):\ngot  %+v\nwant %+v", c.name, q, c.got, want)
						}
					}
				}
			}
		}
		return nil
	})
}

// wantSilent checks SilentVenues against the venues without a check-in.
func (e *env) wantSilent(sc statsScenario, vds []ravao.VenueDay) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		for _, unit := range []string{"", "35", "347", "13400"} {
			for _, sector := range []ravao.Sector{"", ravao.SectorCommerce} {
				for _, day := range []ravao.Day{statsDay, statsDay.Add(1), statsDay.Add(2)} {
					want := []ravao.SilentVenue{}
					for _, v := range sc.venues {
						path := statsPaths[v.UnitCode]
						if v.Status != ravao.VenueApproved || !v.CreatedAt.Before(day.Add(1).Start(ict)) ||
							unit != "" && !strings.Contains("/"+path, "/"+unit+"/") || sector != "" && v.Sector != sector ||
							slices.ContainsFunc(vds, func(d ravao.VenueDay) bool { return d.VenueID == v.ID && d.Day == day && d.CheckIns > 0 }) {
							continue
						}
						want = append(want, ravao.SilentVenue{VenueID: v.ID, Name: v.Name, UnitCode: v.UnitCode, Type: v.Type, Sector: v.Sector})
					}
					slices.SortFunc(want, func(a, b ravao.SilentVenue) int {
						return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.VenueID, b.VenueID))
					})
					q := ravao.StatsQuery{UnitCode: unit, Sector: sector}
					got, err := tx.SilentVenues(q, day, 0)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(got, want) {
						e.t.Errorf("SilentVenues(%+v, %v):\ngot  %+v\nwant %+v", q, day, got, want)
					}
					if len(want) > 2 {
						got, err := tx.SilentVenues(q, day, 2)
						if err != nil || !reflect.DeepEqual(got, want[:2]) {
							e.t.Errorf("SilentVenues(%+v, %v, 2): got %+v, %v; want %+v", q, day, got, err, want[:2])
						}
					}
				}
			}
		}
		return nil
	})
}

// testStatsInvalid checks that bad days and sectors are field errors.
func testStatsInvalid(e *env) {
	for _, c := range []struct {
		name string
		fn   func(tx ravao.Tx) error
	}{
		{"RepairVenueDays backwards", func(tx ravao.Tx) error { _, err := tx.RepairVenueDays(statsDay, statsDay.Add(-1)); return err }},
		{"RepairVenueDays too long", func(tx ravao.Tx) error { _, err := tx.RepairVenueDays(statsDay, statsDay.Add(400)); return err }},
		{"RollupDay 20260230", func(tx ravao.Tx) error { return tx.RollupDay(20260230) }},
		{"UnitSeries backwards", func(tx ravao.Tx) error {
			_, err := tx.UnitSeries(ravao.StatsQuery{From: statsDay, To: statsDay.Add(-1)})
			return err
		}},
		{"UnitChildren bad sector", func(tx ravao.Tx) error {
			_, err := tx.UnitChildren(ravao.StatsQuery{Sector: "x", From: statsDay, To: statsDay})
			return err
		}},
		{"SilentVenues unknown unit", func(tx ravao.Tx) error {
			_, err := tx.SilentVenues(ravao.StatsQuery{UnitCode: "99999"}, statsDay, 10)
			return err
		}},
	} {
		wantCode(e.t, c.name, e.s.Update(e.ctx, c.fn), ravao.Invalid)
	}
}

// concurrentRollups rolls the same day up from several transactions at
// once, as two servers or the morning reports beside the periodic
// roll-up would: every one must succeed (retried when the engine says
// so), never fail on a duplicate row.
func (e *env) concurrentRollups(day ravao.Day) {
	e.t.Helper()
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.RollupDay(day) }) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			e.t.Errorf("concurrent RollupDay: %v", err)
		}
	}
}
