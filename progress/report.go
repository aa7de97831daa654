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

// Report makes a unit's report for one day: q.To, else q.From, else
// yesterday (the last whole day). The scope rules are Unit's: the actor
// needs PermMonitor over the unit, a sector supervisor sees their sector
// only.
func (s *Service) Report(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (Report, error) {
	day := q.To
	if day == 0 {
		day = q.From
	}
	if day == 0 {
		day = s.Today().Add(-1)
	}
	q.From, q.To = day, day
	v, err := s.Unit(ctx, actor, q)
	if err != nil {
		return Report{}, err
	}
	return Report{UnitView: v, Day: day}, nil
}
