package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/ravao/ravao"
)

// Report is what one purge deleted, or in a dry run would delete.
type Report struct {
	Visits, Declarations, People, Cases, Windows int
	// Kept is how many people an open case needs: their visits,
	// declarations and records stay whatever their age.
	Kept   int
	Took   time.Duration
	DryRun bool
}

// String is the report in one line, for logs and the audit log: counts
// only, never who.
func (r Report) String() string {
	return fmt.Sprintf("visits=%d declarations=%d people=%d cases=%d windows=%d kept=%d dry_run=%t",
		r.Visits, r.Declarations, r.People, r.Cases, r.Windows, r.Kept, r.DryRun)
}

// The purge deletes this many rows per transaction, then pauses as long
// (yield): each transaction holds SQLite's write lock for about a
// millisecond, so a check-in queued behind it barely waits. (On
// PostgreSQL visits leave a day at a time, by partition.) A case cascades to its whole contact list, so fewer
// cases go at once.
const (
	batchRows  = 25
	batchCases = 20
)

// lastPurgeKey is the setting that holds when the last purge ended
// (RFC 3339), so that a server started after a missed night purges at once.
const lastPurgeKey = "retention.last_purge"

// checkpointer is a store that can move what a purge freed out of its
// log; the SQLite store is one (sqlstore.DB.Checkpoint).
type checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// Purge deletes what is past its period, except what an open case needs,
// or with dryRun only counts it. Everything goes in small batches, each
// its own transaction, oldest first: closed cases, exposure windows,
// visits, declarations, then the people left with nothing. A real purge
// is recorded in the audit log with its counts.
func (s *Service) Purge(ctx context.Context, dryRun bool) (Report, error) {
	start := time.Now()
	now := s.cfg.Clock.Now()
	keep, err := s.protected(ctx)
	if err != nil {
		return Report{}, err
	}
	c := s.Cutoffs(now, keep)
	var r Report
	if dryRun {
		r, err = s.count(ctx, c)
	} else {
		r, err = s.purge(ctx, c, now)
	}
	r.Kept, r.DryRun, r.Took = len(keep), dryRun, time.Since(start)
	if err != nil {
		return r, err
	}
	if !dryRun {
		err = s.record(ctx, r, now)
	}
	return r, err
}

// Cutoffs are the instants before which each kind of data goes at now:
// the start of the local day the period reaches back to, so that a day
// leaves whole (on PostgreSQL, as its visits partition).
func (s *Service) Cutoffs(now time.Time, keep []int64) ravao.PurgeCutoffs {
	at := func(period time.Duration) time.Time {
		return ravao.DayOf(now.Add(-period), s.cfg.TZ).Start(s.cfg.TZ)
	}
	return ravao.PurgeCutoffs{Visits: at(s.cfg.Visits), Declarations: at(s.cfg.Declarations),
		People: at(s.cfg.People), Cases: at(s.cfg.Cases), Windows: at(s.cfg.Windows), Keep: keep}
}

// protected reads, once per purge, the people open cases need.
func (s *Service) protected(ctx context.Context) ([]int64, error) {
	var keep []int64
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		keep, err = tx.ProtectedPeople()
		return err
	})
	return keep, err
}

// count is the dry run: one read transaction that deletes nothing.
func (s *Service) count(ctx context.Context, c ravao.PurgeCutoffs) (Report, error) {
	var n ravao.PurgeCounts
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		n, err = tx.CountPurge(c)
		return err
	})
	return Report{Visits: n.Visits, Declarations: n.Declarations, People: n.People,
		Cases: n.Cases, Windows: n.Windows}, err
}

// purge deletes, batch after batch, after making sure the coming week's
// visits have their day partitions (PostgreSQL; nothing on SQLite).
func (s *Service) purge(ctx context.Context, c ravao.PurgeCutoffs, now time.Time) (Report, error) {
	var r Report
	today := ravao.DayOf(now, s.cfg.TZ)
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.EnsureVisitDays(today, today.Add(7))
		return err
	})
	if err != nil {
		return r, err
	}
	steps := []struct {
		n     *int
		batch func(tx ravao.Tx) (int, error)
	}{
		{&r.Cases, func(tx ravao.Tx) (int, error) { return tx.PurgeCases(c.Cases, batchCases) }},
		{&r.Windows, func(tx ravao.Tx) (int, error) { return tx.PurgeExposureWindows(c.Windows, batchRows) }},
		{&r.Visits, func(tx ravao.Tx) (int, error) { return tx.PurgeVisits(c.Visits, c.Keep, batchRows) }},
		{&r.Declarations, func(tx ravao.Tx) (int, error) { return tx.PurgeDeclarations(c.Declarations, c.Keep, batchRows) }},
	}
	for _, st := range steps {
		if *st.n, err = s.batches(ctx, st.batch); err != nil {
			return r, err
		}
	}
	if r.People, err = s.purgePeople(ctx, c); err != nil {
		return r, err
	}
	if cp, ok := s.store.(checkpointer); ok {
		err = cp.Checkpoint(ctx)
	}
	return r, err
}

// batches runs batch, each time in its own transaction, until it deletes
// nothing, and returns how many rows went.
func (s *Service) batches(ctx context.Context, batch func(tx ravao.Tx) (int, error)) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int
		start := time.Now()
		err := s.store.Maintain(ctx, func(tx ravao.Tx) error {
			var err error
			n, err = batch(tx)
			return err
		})
		if err != nil || n == 0 {
			return total, err
		}
		total += n
		s.yield(ctx, time.Since(start))
	}
}

// (batches run through Maintain: they delete old rows that no request
// writes, so PostgreSQL runs them READ COMMITTED, and their scans do not
// make check-ins fail. People stay SERIALIZABLE: whether someone has no
// visit left must not change while they are deleted.)

// yield pauses after a batch that held the write lock for took, as long
// again: the purge takes at most half of the writer's time, so a check-in
// arriving during the purge waits for at most one short batch and then
// finds the writer free.
func (s *Service) yield(ctx context.Context, took time.Duration) {
	t := time.NewTimer(took)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// purgePeople walks the people by ID, a page per transaction.
func (s *Service) purgePeople(ctx context.Context, c ravao.PurgeCutoffs) (int, error) {
	return ravao.Paged(func(after int64) (int, int64, error) {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		var n int
		var last int64
		err := s.store.Update(ctx, func(tx ravao.Tx) error {
			var err error
			n, last, err = tx.PurgePeople(c.People, c.Keep, after, batchRows)
			return err
		})
		return n, last, err
	})
}

// record writes the purge into the audit log, counts only, and keeps when
// it ran.
func (s *Service) record(ctx context.Context, r Report, now time.Time) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		e := ravao.AuditEvent{Action: "retention.purge", ObjectType: "retention", Reason: r.String()}
		if err := tx.AppendAudit(&e); err != nil {
			return err
		}
		return tx.PutSetting(lastPurgeKey, now.UTC().Format(time.RFC3339))
	})
}
