package progress

import (
	"cmp"
	"context"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/ravao/ravao"
)

// UnitView is a unit's progress over a range of days. People are counted
// per place and day: someone who checked in at two places, or on two
// days, counts twice.
type UnitView struct {
	Unit      ravao.Unit   // zero (Code "") for the whole deployment
	Ancestors []ravao.Unit // from the province down, for the breadcrumb
	Query     ravao.StatsQuery
	Totals    ravao.Counts // activity summed over the days, state on the last day
	// Series has one entry per day From..To, zero-filled.
	Series []ravao.UnitDayCounts
	// Children are the sub-units (all of them, zero-filled), by name.
	Children []ChildRow
	// SilentChildren are the sub-units with registered places but no
	// check-in on the last day, by name.
	SilentChildren []ravao.Unit
	// Types are the figures per venue type, every type with places.
	Types []ravao.UnitDayCounts
	// Silent are the approved places with no check-in on the last day, by
	// name, at most SilentLimit; SilentMore says there are more.
	Silent     []ravao.SilentVenue
	SilentMore bool
	// SilentSkipped says the unit has more than Config.SilentScanMax approved
	// places, too many to list by name: the sub-units (SilentChildren)
	// name where to look, and their pages list the places.
	SilentSkipped bool
	// Places are, for a unit without sub-units (a commune), its places
	// with their activity over the range, by name, at most SilentLimit;
	// PlacesMore says there are more. Each links to the place's own days.
	Places     []ravao.VenueActivity
	PlacesMore bool
}

// ChildRow is one sub-unit's figures.
type ChildRow struct {
	Unit   ravao.Unit
	Counts ravao.Counts
}

// SilentLimit bounds the list of places without a scan in one view.
const SilentLimit = 500

// Unit shows a unit's progress. The actor needs PermMonitor over the
// unit; a sector supervisor sees their sector only (q.Sector is forced to
// it, another sector is forbidden). UnitCode "" is the actor's own unit
// (an administrator without one: the whole deployment, whose sub-units
// are the provinces). To defaults to today and From to To; a range ends
// today at the latest and spans at most MaxDays.
func (s *Service) Unit(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (UnitView, error) {
	q, err := s.viewQuery(actor, q)
	if err != nil {
		return UnitView{}, err
	}
	var v UnitView
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		if err := s.place(tx, actor, version, &q, &v); err != nil {
			return err
		}
		v.Query = q
		if err := s.series(tx, &v); err != nil {
			return err
		}
		if err := s.children(tx, version, &v); err != nil {
			return err
		}
		if err := s.places(tx, &v); err != nil {
			return err
		}
		return s.silent(tx, &v)
	})
	if err != nil {
		return UnitView{}, err
	}
	return v, nil
}

// viewQuery checks what every view over a range asks of the actor and the
// days: a monitor, a range as days takes it, and the actor's own unit
// when q names none.
func (s *Service) viewQuery(actor *ravao.Principal, q ravao.StatsQuery) (ravao.StatsQuery, error) {
	if !actor.MayEver(ravao.PermMonitor) {
		return q, errForbidden()
	}
	var err error
	if q.From, q.To, err = s.days(q.From, q.To); err != nil {
		return q, err
	}
	q.UnitCode, err = actor.MonitoredUnit(q.UnitCode)
	return q, err
}

// place resolves q's unit and its ancestors into v, and checks that the
// actor may see it (forcing a sector supervisor's sector into q).
func (s *Service) place(tx ravao.Tx, actor *ravao.Principal, version string, q *ravao.StatsQuery, v *UnitView) error {
	var err error
	v.Unit, v.Ancestors, err = s.resolve(tx, actor, version, q)
	return err
}

// resolve resolves q's unit and its ancestors (zero and none for the whole
// deployment), and checks that the actor may see it (forcing a sector
// supervisor's sector into q).
func (s *Service) resolve(tx ravao.Tx, actor *ravao.Principal, version string, q *ravao.StatsQuery) (ravao.Unit, []ravao.Unit, error) {
	var (
		unit      ravao.Unit
		ancestors []ravao.Unit
		path      []string
		err       error
	)
	if q.UnitCode != "" {
		unit, err = tx.Unit(version, q.UnitCode)
		if ravao.IsNotFound(err) {
			return unit, nil, ravao.FieldError("unit", "err.unit_unknown")
		}
		if err != nil {
			return unit, nil, err
		}
		if ancestors, err = tx.UnitAncestors(version, unit.Code); err != nil {
			return unit, nil, err
		}
		path = ravao.UnitPath(ancestors, unit)
	}
	q.Sector, err = actor.MonitoredSector(path, q.Sector)
	return unit, ancestors, err
}

// series fills the day-by-day figures, zero-filled, the totals and the
// figures per venue type.
func (s *Service) series(tx ravao.Tx, v *UnitView) error {
	rows, err := tx.UnitSeries(v.Query)
	if err != nil {
		return err
	}
	v.Series, v.Totals = daySeries(v.Query, v.Unit.Code, rows)
	v.Types, err = tx.UnitTypes(v.Query)
	return err
}

// daySeries is one row per day of q from rows (days with data only),
// zero-filled, and their totals: activity summed, state of the last day.
func daySeries(q ravao.StatsQuery, unitCode string, rows []ravao.UnitDayCounts) ([]ravao.UnitDayCounts, ravao.Counts) {
	byDay := make(map[ravao.Day]ravao.Counts, len(rows))
	for _, r := range rows {
		byDay[r.Day] = r.Counts
	}
	series := make([]ravao.UnitDayCounts, 0, span(q.From, q.To))
	var totals ravao.Counts
	each(q.From, q.To, func(d ravao.Day) {
		c := byDay[d]
		series = append(series, ravao.UnitDayCounts{Day: d, UnitCode: unitCode, Counts: c})
		totals.Add(c)
		totals.Venues, totals.Approved, totals.Pending, totals.Suspended = c.Venues, c.Approved, c.Pending, c.Suspended
	})
	return series, totals
}

// children fills every sub-unit's figures over the range, by name, and
// those with places but no check-in on the last day.
func (s *Service) children(tx ravao.Tx, version string, v *UnitView) error {
	units, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: v.Unit.Code, Roots: v.Unit.Code == ""})
	if err != nil {
		return err
	}
	sortByName(units)
	over, err := childCounts(tx, v.Query)
	if err != nil {
		return err
	}
	last := v.Query
	last.From = last.To
	onLast, err := childCounts(tx, last)
	if err != nil {
		return err
	}
	v.Children = make([]ChildRow, 0, len(units))
	for _, u := range units {
		v.Children = append(v.Children, ChildRow{Unit: u, Counts: over[u.Code]})
		if c := onLast[u.Code]; c.Venues > 0 && c.CheckIns == 0 {
			v.SilentChildren = append(v.SilentChildren, u)
		}
	}
	return nil
}

// childCounts are the figures of q's sub-units with data, by code.
func childCounts(tx ravao.Tx, q ravao.StatsQuery) (map[string]ravao.Counts, error) {
	rows, err := tx.UnitChildren(q)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ravao.Counts, len(rows))
	for _, r := range rows {
		out[r.UnitCode] = r.Counts
	}
	return out, nil
}

// places fills a commune's places (a unit without sub-units): the end of
// the drill-down, from where each place's days are one click away.
func (s *Service) places(tx ravao.Tx, v *UnitView) error {
	if v.Unit.Code == "" || len(v.Children) > 0 {
		return nil
	}
	var err error
	v.Places, v.PlacesMore, err = venueList(tx, v.Query)
	return err
}

// venueList is q's places with their activity, at most SilentLimit, and
// whether there are more.
func venueList(tx ravao.Tx, q ravao.StatsQuery) ([]ravao.VenueActivity, bool, error) {
	list, err := tx.UnitVenues(q, SilentLimit+1)
	if err != nil || len(list) <= SilentLimit {
		return list, false, err
	}
	return list[:SilentLimit], true, nil
}

// silent fills the approved places without a check-in on the last day.
func (s *Service) silent(tx ravao.Tx, v *UnitView) error {
	if v.Totals.Approved > s.cfg.SilentScanMax {
		v.SilentSkipped = true
		return nil
	}
	var err error
	v.Silent, v.SilentMore, err = silentList(tx, v.Query)
	return err
}

// silentList is q's approved places without a check-in on q.To, at most
// SilentLimit, and whether there are more.
func silentList(tx ravao.Tx, q ravao.StatsQuery) ([]ravao.SilentVenue, bool, error) {
	list, err := tx.SilentVenues(q, q.To, SilentLimit+1)
	if err != nil || len(list) <= SilentLimit {
		return list, false, err
	}
	return list[:SilentLimit], true, nil
}

// sortByName sorts units by name as a Vietnamese reader expects ("Đông"
// after "Dương", "Ân" after "An"), then code. A collator is not safe for
// concurrent use, hence one per call.
func sortByName(units []ravao.Unit) {
	vietnamese := collate.New(language.Vietnamese)
	slices.SortStableFunc(units, func(a, b ravao.Unit) int {
		return cmp.Or(vietnamese.CompareString(a.Name, b.Name), cmp.Compare(a.Code, b.Code))
	})
}
