package visitors

import (
	"context"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

// autoBatch is how many due visits one transaction closes.
const autoBatch = 500

// CloseDue checks out every open visit whose due time has passed (default
// stay, closing time or the 24-hour cap, fixed at check-in), in batches,
// and says how many it closed. Because the due time is stored with the
// visit, a restart loses nothing: the next run closes what is due, once.
func (s *Service) CloseDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.store.Update(ctx, func(tx ravao.Tx) error {
			n = 0
			due, err := tx.DueVisits(tx.Now(), autoBatch)
			if err != nil {
				return err
			}
			for _, v := range due {
				err := tx.CheckOutVisit(v.ID, v.DueAt, ravao.OutAuto)
				if err != nil && ravao.ErrorCode(err) != ravao.Conflict {
					return err
				}
				n++
			}
			return nil
		})
		total += n
		if err != nil || n < autoBatch {
			return total, err
		}
	}
}

// RunCheckouts runs CloseDue every interval until ctx ends, logging what it
// closed and any error; serve starts it.
func (s *Service) RunCheckouts(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.CloseDue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("automatic check-out", "err", err.Error())
		} else if n > 0 {
			log.Info("automatic check-out", "closed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Visits lists the device person's visits (and their dependants') from
// from on, newest first.
func (s *Service) Visits(ctx context.Context, token string, from time.Time) ([]ravao.Visit, error) {
	var out []ravao.Visit
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		p, deps, err := s.household(tx, token)
		if err != nil {
			return err
		}
		out, err = personVisits(tx, append([]ravao.PersonRecord{p}, deps...), from)
		return err
	})
	return out, err
}
