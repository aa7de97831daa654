package progress

// The exported surface, stubbed until it lands; the service helper moves
// each piece into its own file and deletes it here.

import (
	"context"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

func errNotYet() error { return ravao.Errorf(ravao.Unavailable, "err.unavailable") }

// UnitView is a unit's progress over a range of days.
type UnitView struct {
	Unit      ravao.Unit
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
}

// ChildRow is one sub-unit's figures.
type ChildRow struct {
	Unit   ravao.Unit
	Counts ravao.Counts
}

// SilentLimit bounds the list of places without a scan in one view.
const SilentLimit = 500

// VenueView is one place's own days.
type VenueView struct {
	Venue ravao.Venue
	Days  []ravao.VenueDay // one per day From..To, zero-filled
}

// Unit shows a unit's progress. The actor needs PermMonitor over the
// unit; a sector supervisor sees their sector only (q.Sector is forced to
// it). UnitCode "" is the actor's own unit. Days default to today; a range
// is at most MaxDays.
func (s *Service) Unit(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (UnitView, error) {
	return UnitView{}, errNotYet()
}

// Venue shows one place's days; the actor needs PermMonitor over the
// place's unit (and sector), or to manage its organisation.
func (s *Service) Venue(ctx context.Context, actor *ravao.Principal, venueID int64, from, to ravao.Day) (VenueView, error) {
	return VenueView{}, errNotYet()
}

// Rollup recomputes the unit rows of one day.
func (s *Service) Rollup(ctx context.Context, day ravao.Day) error { return errNotYet() }

// Repair recomputes venue_days from the visits for from..to, then the unit
// rows of each day, and says how many venue-day rows it wrote.
func (s *Service) Repair(ctx context.Context, from, to ravao.Day) (int, error) { return 0, errNotYet() }

// RunRollups keeps today's unit rows fresh every interval, and rolls up
// yesterday once more after midnight, until ctx ends.
func (s *Service) RunRollups(ctx context.Context, interval time.Duration, log *slog.Logger) {}
