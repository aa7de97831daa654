package retention

import (
	"context"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

// DefaultHour is the local hour of the daily purge: the quietest of the
// night for check-ins.
const DefaultHour = 3

// Run purges every day at Config.Hour (local time) until ctx ends, and at
// once when the last purge is more than a day old (a server that was down
// at that hour, or a new deployment).
func (s *Service) Run(ctx context.Context, log *slog.Logger) {
	if s.due(ctx) {
		s.logPurge(ctx, log)
	}
	ravao.Daily(ctx, s.cfg.Clock, s.cfg.TZ, s.cfg.Hour, func() { s.logPurge(ctx, log) })
}

// LastPurge returns when the last real purge ran; the zero time when none
// has.
func (s *Service) LastPurge(ctx context.Context) (time.Time, error) {
	var v string
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		v, err = tx.Setting(lastPurgeKey)
		return err
	})
	if ravao.IsNotFound(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339, v)
}

// due reports whether the last purge is more than a day old. An error
// reading it counts as not due, so that a broken store is not worked
// harder at start; the nightly purge still runs.
func (s *Service) due(ctx context.Context) bool {
	last, err := s.LastPurge(ctx)
	return err == nil && s.cfg.Clock.Now().Sub(last) > 24*time.Hour
}

// logPurge purges and logs the counts.
func (s *Service) logPurge(ctx context.Context, log *slog.Logger) {
	r, err := s.Purge(ctx, false)
	if err != nil && ctx.Err() == nil {
		log.Error("retention purge", "report", r.String(), "err", err.Error())
		return
	}
	if err == nil {
		log.Info("retention purge", "visits", r.Visits, "declarations", r.Declarations, "people", r.People,
			"cases", r.Cases, "windows", r.Windows, "kept", r.Kept, "took", r.Took.Round(time.Millisecond).String())
	}
}
