package sqlstore

import (
	"strconv"

	"github.com/ravao/ravao"
)

// countSums sums the figures of unit_days rows, in the order scanCounts
// reads them.
const countSums = `SUM(venues), SUM(new), SUM(approved), SUM(pending), SUM(suspended), SUM(active),
	SUM(checkins), SUM(checkouts), SUM(people), SUM(red), SUM(symptoms)`

// scanUnitDay reads a key column, a day and countSums into r.
func scanUnitDay(s scanner, key *string) (ravao.UnitDayCounts, error) {
	var r ravao.UnitDayCounts
	c := &r.Counts
	err := s.Scan(key, &r.Day, &c.Venues, &c.New, &c.Approved, &c.Pending, &c.Suspended, &c.Active,
		&c.CheckIns, &c.CheckOuts, &c.People, &c.Red, &c.Symptoms)
	return r, err
}

// statsWhere selects the unit_days rows of q: unit is the condition on the
// unit ("unit_code = ?" or "parent_code = ?", with its code), then q's
// sector and days.
func statsWhere(q ravao.StatsQuery, unit string, code string) (where, error) {
	var w where
	fe := ravao.FieldErrors{}
	if err := checkDays(q.From, q.To, 0); err != nil {
		return w, err
	}
	if q.Sector != "" && !q.Sector.Valid() {
		fe.Add("sector", "err.sector")
		return w, fe.Err()
	}
	w.add(unit, code)
	if q.Sector != "" {
		w.add("sector = ?", string(q.Sector))
	}
	w.add("day >= ? AND day <= ?", int(q.From), int(q.To))
	return w, nil
}

// ownRows is the condition on the rows of q's unit: the top-level units
// when q names none.
func ownRows(q ravao.StatsQuery) (string, string) {
	if q.UnitCode == "" {
		return "parent_code = ?", ""
	}
	return "unit_code = ?", q.UnitCode
}

// UnitSeries returns q's unit's figures per day with data, summed over
// venue types (and sectors unless q.Sector is set), by day; the whole
// deployment is the sum of its top-level units.
func (t *Tx) UnitSeries(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	cond, code := ownRows(q)
	w, err := statsWhere(q, cond, code)
	if err != nil {
		return nil, err
	}
	return getAll(t, func(s scanner) (ravao.UnitDayCounts, error) {
		var unused string
		r, err := scanUnitDay(s, &unused)
		r.UnitCode = q.UnitCode
		return r, err
	}, `SELECT '', day, `+countSums+` FROM unit_days`+w.sql()+` GROUP BY day ORDER BY day`, w.args...)
}

// UnitChildren returns the figures of each child unit of q.UnitCode (the
// top-level units when it is "") with data over q's days, by unit code:
// activity summed, state that of the child's last day with data.
func (t *Tx) UnitChildren(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	w, err := statsWhere(q, "parent_code = ?", q.UnitCode)
	if err != nil {
		return nil, err
	}
	rows, err := getAll(t, func(s scanner) (ravao.UnitDayCounts, error) {
		var code string
		r, err := scanUnitDay(s, &code)
		r.UnitCode = code
		return r, err
	}, `SELECT unit_code, day, `+countSums+` FROM unit_days`+w.sql()+`
		GROUP BY unit_code, day ORDER BY unit_code, day`, w.args...)
	if err != nil {
		return nil, err
	}
	return fold(rows, func(r ravao.UnitDayCounts) string { return r.UnitCode }), nil
}

// UnitTypes returns q's unit's figures per venue type over q's days, by
// type: activity summed, state that of the type's last day with data.
// Declarations with symptoms belong to no venue type and are left out.
func (t *Tx) UnitTypes(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	cond, code := ownRows(q)
	w, err := statsWhere(q, cond, code)
	if err != nil {
		return nil, err
	}
	w.add("venue_type <> ''")
	rows, err := getAll(t, func(s scanner) (ravao.UnitDayCounts, error) {
		var typ string
		r, err := scanUnitDay(s, &typ)
		r.UnitCode, r.VenueType = q.UnitCode, ravao.VenueType(typ)
		return r, err
	}, `SELECT venue_type, day, `+countSums+` FROM unit_days`+w.sql()+`
		GROUP BY venue_type, day ORDER BY venue_type, day`, w.args...)
	if err != nil {
		return nil, err
	}
	return fold(rows, func(r ravao.UnitDayCounts) string { return string(r.VenueType) }), nil
}

// fold turns rows ordered by key then day into one row per key: activity
// summed, state from the key's last day. Day is zero.
func fold(rows []ravao.UnitDayCounts, key func(ravao.UnitDayCounts) string) []ravao.UnitDayCounts {
	out := []ravao.UnitDayCounts{}
	for _, r := range rows {
		if n := len(out); n > 0 && key(out[n-1]) == key(r) {
			last := &out[n-1]
			last.Add(r.Counts)
			last.Venues, last.Approved, last.Pending, last.Suspended = r.Venues, r.Approved, r.Pending, r.Suspended
			continue
		}
		r.Day = 0
		out = append(out, r)
	}
	return out
}

// SilentVenues lists the approved venues under q's unit (and sector),
// registered by the end of day, without a check-in on day, by name then
// ID, at most limit. The unit's path comes from the active unit version.
func (t *Tx) SilentVenues(q ravao.StatsQuery, day ravao.Day, limit int) ([]ravao.SilentVenue, error) {
	if !validDay(day) {
		return nil, ravao.FieldError("day", "err.date")
	}
	w, err := t.statsVenues(q, ravao.VenueApproved, day)
	if err != nil {
		return nil, err
	}
	w.add(`NOT EXISTS (SELECT 1 FROM venue_days d WHERE d.venue_id = venues.id AND d.day = ? AND d.checkins > 0)`,
		int(day))
	lim := w.limit(limit)
	return getAll(t, func(s scanner) (ravao.SilentVenue, error) {
		var v ravao.SilentVenue
		return v, s.Scan(&v.VenueID, &v.Name, &v.UnitCode, &v.Type, &v.Sector)
	}, `SELECT id, name, unit_code, type, sector FROM venues`+w.sql()+` ORDER BY name, id`+lim, w.args...)
}

// UnitVenues lists the venues under q's unit (and sector) registered by
// the end of q.To, with their venue_days summed over q's days, by name then
// ID, at most limit. The venues come from the unit-path index, their days
// from venue_days' key: no visit is read.
func (t *Tx) UnitVenues(q ravao.StatsQuery, limit int) ([]ravao.VenueActivity, error) {
	if !validDay(q.From) || !validDay(q.To) || q.To < q.From {
		return nil, ravao.FieldError("to", "err.date_range")
	}
	w, err := t.statsVenues(q, "", q.To)
	if err != nil {
		return nil, err
	}
	from := len(w.args) + 1
	w.args = append(w.args, int(q.From), int(q.To))
	lim := w.limit(limit)
	return getAll(t, func(s scanner) (ravao.VenueActivity, error) {
		var v ravao.VenueActivity
		return v, s.Scan(&v.VenueID, &v.Name, &v.UnitCode, &v.Type, &v.Sector, &v.Status, &v.ActiveDays,
			&v.CheckIns, &v.CheckOuts, &v.People, &v.Red)
	}, `SELECT v.id, v.name, v.unit_code, v.type, v.sector, v.status,
		COALESCE(SUM(CASE WHEN d.checkins > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(d.checkins), 0),
		COALESCE(SUM(d.checkouts), 0), COALESCE(SUM(d.people), 0), COALESCE(SUM(d.red), 0)
		FROM (SELECT id, name, unit_code, type, sector, status FROM venues`+w.sql()+`) v
		LEFT JOIN venue_days d ON d.venue_id = v.id AND d.day >= $`+strconv.Itoa(from)+` AND d.day <= $`+strconv.Itoa(from+1)+`
		GROUP BY v.id, v.name, v.unit_code, v.type, v.sector, v.status
		ORDER BY v.name, v.id`+lim, w.args...)
}

// statsVenues selects the venues under q's unit (its path from the active
// unit version), sector and zone, with status when given, registered by
// the end of day.
func (t *Tx) statsVenues(q ravao.StatsQuery, status ravao.VenueStatus, day ravao.Day) (where, error) {
	w, err := t.queryVenues(q, status)
	if err != nil {
		return w, err
	}
	_, end := t.dayBounds(day)
	w.add("created_at < ?", end)
	return w, nil
}

// queryVenues selects the venues under q's unit (its path from the active
// unit version), of q's sector and zone when given, with status when
// given.
func (t *Tx) queryVenues(q ravao.StatsQuery, status ravao.VenueStatus) (where, error) {
	if q.Sector != "" && !q.Sector.Valid() {
		return where{}, ravao.FieldError("sector", "err.sector")
	}
	f := ravao.VenueFilter{Sector: q.Sector, Status: status, Zone: q.Zone}
	if q.UnitCode != "" {
		path, err := ravao.UnitPathFor(t, q.UnitCode)
		if err != nil {
			return where{}, err
		}
		f.UnitPath = path
	}
	return venueWhere(f)
}
