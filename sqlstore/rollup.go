package sqlstore

import (
	"cmp"
	"maps"
	"slices"

	"github.com/ravao/ravao"
)

// unitDay names one row of unit_days within a day.
type unitDay struct {
	unit, sector, venueType string
}

// unitRow is a row of unit_days being built.
type unitRow struct {
	parent string
	level  int
	ravao.Counts
}

// rollup is one day's unit rows being built.
type rollup map[unitDay]*unitRow

// add adds c to the row of every unit of path (root first), for sector
// and venue type: level is the unit's position in path, its parent the
// code before it.
func (r rollup) add(path []string, sector, venueType string, c ravao.Counts) {
	for i, code := range path {
		k := unitDay{code, sector, venueType}
		row := r[k]
		if row == nil {
			row = &unitRow{level: i + 1}
			if i > 0 {
				row.parent = path[i-1]
			}
			r[k] = row
		}
		row.Venues += c.Venues
		row.Approved += c.Approved
		row.Pending += c.Pending
		row.Suspended += c.Suspended
		row.Add(c)
	}
}

// RollupDay recomputes the unit rows of day from its venue_days, the
// venues' current status and the day's declarations with symptoms, which
// count in the person's home unit and its ancestors, in the rows without
// sector or venue type. Venues registered after the day do not count in its state.
func (t *Tx) RollupDay(day ravao.Day) error {
	if !validDay(day) {
		return ravao.FieldError("day", "err.date")
	}
	if _, err := t.exec(`DELETE FROM unit_days WHERE day = $1`, int(day)); err != nil {
		return err
	}
	r := rollup{}
	if err := t.rollupVenues(day, r); err != nil {
		return err
	}
	if err := t.rollupSymptoms(day, r); err != nil {
		return err
	}
	return t.insertUnitDays(day, r)
}

// rollupVenues adds each venue's state and activity on day to r.
func (t *Tx) rollupVenues(day ravao.Day, r rollup) error {
	start, end := t.dayBounds(day)
	active, err := getAll(t, func(s scanner) (ravao.VenueDay, error) {
		var d ravao.VenueDay
		return d, s.Scan(&d.VenueID, &d.CheckIns, &d.CheckOuts, &d.People, &d.Red)
	}, `SELECT venue_id, checkins, checkouts, people, red FROM venue_days WHERE day = $1`, int(day))
	if err != nil {
		return err
	}
	byVenue := make(map[int64]ravao.VenueDay, len(active))
	for _, d := range active {
		byVenue[d.VenueID] = d
	}
	venues, err := getAll(t, func(s scanner) (ravao.Venue, error) {
		var v ravao.Venue
		return v, s.Scan(&v.ID, &v.UnitPath, &v.Sector, &v.Type, &v.Status, msTime{&v.CreatedAt})
	}, `SELECT id, unit_path, sector, type, status, created_at FROM venues`)
	if err != nil {
		return err
	}
	for _, v := range venues {
		d, ok := byVenue[v.ID]
		c := ravao.Counts{CheckIns: d.CheckIns, CheckOuts: d.CheckOuts, People: d.People, Red: d.Red}
		if d.CheckIns > 0 {
			c.Active = 1
		}
		if created := v.CreatedAt.UnixMilli(); created < end {
			c.Venues = 1
			c.New = b2i(created >= start)
			c.Approved = b2i(v.Status == ravao.VenueApproved)
			c.Pending = b2i(v.Status == ravao.VenuePending)
			c.Suspended = b2i(v.Status == ravao.VenueSuspended)
		} else if !ok {
			continue
		}
		r.add(ravao.SplitUnitPath(v.UnitPath), string(v.Sector), string(v.Type), c)
	}
	return nil
}

// rollupSymptoms adds the day's declarations with symptoms or exposure to
// the units of each person's home unit, as the active unit version places
// it. People without a home unit, or with one the version does not know,
// are not counted.
func (t *Tx) rollupSymptoms(day ravao.Day, r rollup) error {
	start, end := t.dayBounds(day)
	type count struct {
		unit string
		n    int
	}
	counts, err := getAll(t, func(s scanner) (count, error) {
		var c count
		return c, s.Scan(&c.unit, &c.n)
	}, `SELECT p.unit_code, COUNT(*) FROM declarations d JOIN people p ON p.id = d.person_id
		WHERE d.risk = TRUE AND d.created_at >= $1 AND d.created_at < $2 AND p.unit_code <> ''
		GROUP BY p.unit_code`, start, end)
	if err != nil || len(counts) == 0 {
		return err
	}
	parents, err := t.unitParents(ravao.ActiveUnitVersion(t))
	if err != nil {
		return err
	}
	for _, c := range counts {
		if path := pathOf(parents, c.unit); path != nil {
			r.add(path, "", "", ravao.Counts{Symptoms: c.n})
		}
	}
	return nil
}

// unitParents maps each unit of a version to its parent: a country's
// units are a few thousand short rows, read once per roll-up.
func (t *Tx) unitParents(version string) (map[string]string, error) {
	type edge struct{ code, parent string }
	edges, err := getAll(t, func(s scanner) (edge, error) {
		var e edge
		return e, s.Scan(&e.code, &e.parent)
	}, `SELECT code, parent_code FROM units WHERE version = $1`, version)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(edges))
	for _, e := range edges {
		m[e.code] = e.parent
	}
	return m, nil
}

// pathOf is the codes from the root down to code, or nil when code is
// unknown. The walk stops after 16 steps, as UnitAncestors does, so that a
// cycle in imported data cannot loop forever.
func pathOf(parents map[string]string, code string) []string {
	var path []string
	for range 16 {
		parent, ok := parents[code]
		if !ok {
			return nil
		}
		path = append(path, code)
		if parent == "" {
			slices.Reverse(path)
			return path
		}
		code = parent
	}
	return nil
}

// unitDayCols is how many values insertUnitDays binds per row.
const unitDayCols = 17

// insertUnitDays writes the rows of r for day in multi-row inserts.
// unitDaysUpsert makes two roll-ups of the same day at once (two
// servers, or the morning reports beside the periodic roll-up) a
// serialisation failure that Update retries, rather than a unique
// violation: the later one overwrites the rows with the same figures.
const unitDaysUpsert = ` ON CONFLICT (unit_code, day, sector, venue_type) DO UPDATE SET
	parent_code = excluded.parent_code, level = excluded.level, venues = excluded.venues, new = excluded.new,
	approved = excluded.approved, pending = excluded.pending, suspended = excluded.suspended, active = excluded.active,
	checkins = excluded.checkins, checkouts = excluded.checkouts, people = excluded.people, red = excluded.red,
	symptoms = excluded.symptoms`

func (t *Tx) insertUnitDays(day ravao.Day, r rollup) error {
	keys := slices.SortedFunc(maps.Keys(r), func(a, b unitDay) int {
		switch {
		case a.unit != b.unit:
			return cmp.Compare(a.unit, b.unit)
		case a.sector != b.sector:
			return cmp.Compare(a.sector, b.sector)
		}
		return cmp.Compare(a.venueType, b.venueType)
	})
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), t.batchRows(unitDayCols))]
		keys = keys[len(chunk):]
		args := make([]any, 0, len(chunk)*unitDayCols)
		for _, k := range chunk {
			row := r[k]
			c := row.Counts
			args = append(args, int(day), k.unit, k.sector, k.venueType, row.parent, row.level, c.Venues, c.New,
				c.Approved, c.Pending, c.Suspended, c.Active, c.CheckIns, c.CheckOuts, c.People, c.Red, c.Symptoms)
		}
		st, err := t.stmt(`INSERT INTO unit_days (day, unit_code, sector, venue_type, parent_code, level,
			venues, new, approved, pending, suspended, active, checkins, checkouts, people, red, symptoms) VALUES ` +
			placeholders(len(chunk), unitDayCols) + unitDaysUpsert)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(t.ctx, args...); err != nil {
			return t.db.translate(err)
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
