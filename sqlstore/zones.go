package sqlstore

import (
	"slices"
	"strings"

	"github.com/ravao/ravao"
)

// Zones lists the zones with venues under q's unit (and sector), by zone
// name compared byte by byte (the same on both engines), with how many
// venues each has. q's days and zone are ignored.
func (t *Tx) Zones(q ravao.StatsQuery) ([]ravao.ZoneCount, error) {
	q.Zone = ""
	w, err := t.queryVenues(q, "")
	if err != nil {
		return nil, err
	}
	w.add("zone <> ''")
	out, err := getAll(t, func(s scanner) (ravao.ZoneCount, error) {
		var z ravao.ZoneCount
		return z, s.Scan(&z.Zone, &z.Venues)
	}, `SELECT zone, COUNT(*) FROM venues`+w.sql()+` GROUP BY zone`, w.args...)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ravao.ZoneCount) int { return strings.Compare(a.Zone, b.Zone) })
	return out, nil
}

// zoneVenue is what ZoneSeries reads of a venue to know its state on a
// day.
type zoneVenue struct {
	status  ravao.VenueStatus
	created int64
}

// ZoneSeries returns the figures per day of the venues of zone q.Zone
// under q's unit (and sector): activity summed from venue_days, state that
// of the venues registered by the end of each day with their current
// status. Only days with data are returned.
func (t *Tx) ZoneSeries(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	if err := checkDays(q.From, q.To, 0); err != nil {
		return nil, err
	}
	if q.Zone == "" {
		return nil, ravao.FieldError("zone", "err.required")
	}
	w, err := t.queryVenues(q, "")
	if err != nil {
		return nil, err
	}
	venues, err := getAll(t, func(s scanner) (zoneVenue, error) {
		var v zoneVenue
		return v, s.Scan(&v.status, &v.created)
	}, `SELECT status, created_at FROM venues`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	w.add("day >= ? AND day <= ?", int(q.From), int(q.To))
	activity, err := getAll(t, func(s scanner) (ravao.UnitDayCounts, error) {
		var r ravao.UnitDayCounts
		return r, s.Scan(&r.Day, &r.CheckIns, &r.CheckOuts, &r.People, &r.Red, &r.Active)
	}, `SELECT day, SUM(checkins), SUM(checkouts), SUM(people), SUM(red),
		SUM(CASE WHEN checkins > 0 THEN 1 ELSE 0 END)
		FROM venue_days JOIN venues ON venues.id = venue_days.venue_id`+w.sql()+` GROUP BY day`, w.args...)
	if err != nil {
		return nil, err
	}
	return t.zoneDays(q, venues, activity), nil
}

// zoneDays merges the activity of a zone's days with the state of its
// venues on each day of q, keeping the days with either.
func (t *Tx) zoneDays(q ravao.StatsQuery, venues []zoneVenue, activity []ravao.UnitDayCounts) []ravao.UnitDayCounts {
	byDay := make(map[ravao.Day]ravao.UnitDayCounts, len(activity))
	for _, a := range activity {
		byDay[a.Day] = a
	}
	out := []ravao.UnitDayCounts{}
	for d := q.From; d <= q.To; d = d.Add(1) {
		r, ok := byDay[d]
		r.Day, r.UnitCode = d, q.UnitCode
		start, end := t.dayBounds(d)
		for _, v := range venues {
			if v.created >= end {
				continue
			}
			r.Venues++
			r.New += b2i(v.created >= start)
			r.Approved += b2i(v.status == ravao.VenueApproved)
			r.Pending += b2i(v.status == ravao.VenuePending)
			r.Suspended += b2i(v.status == ravao.VenueSuspended)
		}
		if ok || r.Venues > 0 {
			out = append(out, r)
		}
	}
	return out
}
