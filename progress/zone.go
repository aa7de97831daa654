package progress

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// ZoneView is an industrial zone's progress under a unit: the venues
// whose Zone (given at registration) is Query.Zone. Symptoms are always 0:
// declarations are counted by the person's home unit, not by place.
type ZoneView struct {
	Unit      ravao.Unit
	Ancestors []ravao.Unit
	Query     ravao.StatsQuery      // Zone set
	Totals    ravao.Counts          // activity summed over the days, state on the last day
	Series    []ravao.UnitDayCounts // one per day, zero-filled
	// Places are the zone's places with their activity over the range, by
	// name, at most SilentLimit; PlacesMore says there are more.
	Places     []ravao.VenueActivity
	PlacesMore bool
	// Silent are the zone's approved places without a check-in on the last
	// day, by name, at most SilentLimit; SilentMore says there are more.
	Silent     []ravao.SilentVenue
	SilentMore bool
}

// maxZoneLen is the longest zone name, in characters, as a venue takes it.
const maxZoneLen = 200

// Zones lists the zones with venues under q's unit (and sector), by name,
// with how many venues each has. The actor's scope is that of Unit: an
// industrial-zone board, a sector supervisor of industry, sees the zones
// of its sector's places only. q's days are not used.
func (s *Service) Zones(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) ([]ravao.ZoneCount, error) {
	if !actor.MayEver(ravao.PermMonitor) {
		return nil, errForbidden()
	}
	var err error
	if q.UnitCode, err = actor.MonitoredUnit(q.UnitCode); err != nil {
		return nil, err
	}
	var out []ravao.ZoneCount
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		if _, _, err := s.resolve(tx, actor, ravao.ActiveUnitVersion(tx), &q); err != nil {
			return err
		}
		out, err = tx.Zones(q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Zone shows one zone's progress: q.Zone under q.UnitCode, scoped and
// with days checked as in Unit. A zone without places in the actor's
// scope shows zeros, whether it exists elsewhere or not.
func (s *Service) Zone(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (ZoneView, error) {
	zone, zerr := zoneName(q.Zone)
	q, err := s.viewQuery(actor, q)
	if err != nil {
		return ZoneView{}, err
	}
	if zerr != nil {
		return ZoneView{}, zerr
	}
	q.Zone = zone
	var v ZoneView
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		if v.Unit, v.Ancestors, err = s.resolve(tx, actor, ravao.ActiveUnitVersion(tx), &q); err != nil {
			return err
		}
		v.Query = q
		return s.zoneFigures(tx, &v)
	})
	if err != nil {
		return ZoneView{}, err
	}
	return v, nil
}

// zoneName checks a zone's name as a query gives it.
func zoneName(zone string) (string, error) {
	zone = strings.TrimSpace(zone)
	switch {
	case zone == "":
		return "", ravao.FieldError("zone", "err.required")
	case utf8.RuneCountInString(zone) > maxZoneLen:
		return "", ravao.FieldError("zone", "err.too_long")
	}
	return zone, nil
}

// zoneFigures fills the zone's days, totals, places and silent places.
func (s *Service) zoneFigures(tx ravao.Tx, v *ZoneView) error {
	rows, err := tx.ZoneSeries(v.Query)
	if err != nil {
		return err
	}
	v.Series, v.Totals = daySeries(v.Query, v.Unit.Code, rows)
	if v.Places, v.PlacesMore, err = venueList(tx, v.Query); err != nil {
		return err
	}
	v.Silent, v.SilentMore, err = silentList(tx, v.Query)
	return err
}
