package progress

import (
	"context"
	"time"

	"github.com/ravao/ravao"
)

// Report is a unit's daily progress report, the one a commune or district
// sends up each day: the unit's figures for one day, one row per
// sub-unit, coverage against the rosters of places that must register,
// and the sub-units and places with no check-in that day.
type Report struct {
	UnitView
	Day ravao.Day // the day reported on
	// Coverage is the unit's coverage as the report was made; nil when no
	// roster covers the unit.
	Coverage *CoverageView
	// MadeAt is when a kept report was made (the morning job, or on
	// demand); zero for a report made live for this request.
	MadeAt time.Time
}

// Report gives a unit's report for one day: q.To, else q.From, else
// yesterday (the last whole day). The scope rules are Unit's: the actor
// needs PermMonitor over the unit, a sector supervisor sees their sector
// only. A past day's report is the one kept that morning when there is
// one (MadeAt set), else it is made now; today's is always made now.
func (s *Service) Report(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (Report, error) {
	day := q.To
	if day == 0 {
		day = q.From
	}
	if day == 0 {
		day = s.Today().Add(-1)
	}
	q.From, q.To = day, day
	if day < s.Today() {
		r, ok, err := s.keptReport(ctx, actor, q)
		if err != nil || ok {
			return r, err
		}
	}
	return s.liveReport(ctx, actor, q)
}

// liveReport makes the report of q's day (From = To) now.
func (s *Service) liveReport(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (Report, error) {
	v, err := s.Unit(ctx, actor, q)
	if err != nil {
		return Report{}, err
	}
	r := Report{UnitView: v, Day: q.To}
	cv, err := s.Coverage(ctx, actor, v.Query)
	if err != nil {
		return Report{}, err
	}
	if cv.Totals.Required > 0 {
		r.Coverage = &cv
	}
	return r, nil
}

// reportScope checks that the actor may see q's unit and sector as Unit
// does, and returns q with the unit (the actor's own when "") and the
// sector (a sector supervisor's own) it resolves to.
func (s *Service) reportScope(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (ravao.StatsQuery, error) {
	q, err := s.viewQuery(actor, q)
	if err != nil {
		return q, err
	}
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		_, _, err := s.resolve(tx, actor, ravao.ActiveUnitVersion(tx), &q)
		return err
	})
	return q, err
}
