package progress

import (
	"context"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

// Rollup recomputes the unit rows of one day from its venue-days, the
// venues' state and the day's declarations. Running it again gives the
// same rows. A day to come is refused: its rows would claim a state
// the places are not yet in.
func (s *Service) Rollup(ctx context.Context, day ravao.Day) error {
	switch {
	case !validDay(day):
		return ravao.FieldError("day", "err.date")
	case day > s.Today():
		return ravao.FieldError("day", "err.date_future")
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error { return tx.RollupDay(day) })
}

// Repair recomputes venue_days from the visits for from..to, then the unit
// rows of each day, and says how many venue-day rows it wrote. Each day is
// its own transaction, so that a long repair neither holds one huge
// transaction nor loses the days already done when it stops. Visits past
// retention are gone: their days cannot be repaired, only kept.
func (s *Service) Repair(ctx context.Context, from, to ravao.Day) (int, error) {
	if err := checkRange(from, to, s.Today(), 0); err != nil {
		return 0, err
	}
	total := 0
	for d := from; d <= to; d = d.Add(1) {
		err := s.store.Update(ctx, func(tx ravao.Tx) error {
			n, err := tx.RepairVenueDays(d, d)
			if err != nil {
				return err
			}
			total += n
			return tx.RollupDay(d)
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// RunRollups keeps today's unit rows fresh every interval, and rolls up
// yesterday once more at the first run of a new day (and at start, in
// case the server was down over midnight), and after each pass matches
// the rosters' missing entries again (Rematch), until ctx ends; serve
// starts it.
func (s *Service) RunRollups(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var last ravao.Day
	for {
		today := s.Today()
		if today != last {
			s.logRollup(ctx, today.Add(-1), log)
			last = today
		}
		s.logRollup(ctx, today, log)
		s.logRematch(ctx, log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// logRematch matches the rosters' missing entries against the places
// registered since, when rosters can exist (a vault is configured),
// logging a failure.
func (s *Service) logRematch(ctx context.Context, log *slog.Logger) {
	if s.cfg.Vault == nil {
		return
	}
	if _, err := s.Rematch(ctx); err != nil && ctx.Err() == nil {
		log.Error("progress roster rematch", "err", err.Error())
	}
}

// logRollup rolls up day, logging a failure.
func (s *Service) logRollup(ctx context.Context, day ravao.Day, log *slog.Logger) {
	if err := s.Rollup(ctx, day); err != nil && ctx.Err() == nil {
		log.Error("progress roll-up", "day", day.String(), "err", err.Error())
	}
}
