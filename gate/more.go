package gate

import (
	"context"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/visitors"
)

// OnBehalf is a declaration gate staff make for the person in front of
// them (khai hộ).
type OnBehalf struct {
	CheckpointID int64
	// PersonID is the person a yellow scan found, inside now; 0 for
	// someone new, described by Declaration.Profile with their consent.
	PersonID       int64
	Declaration    visitors.Declaration
	IdempotencyKey string
}

// Declare records a declaration made on the person's behalf, with the
// guard's identity, and gives the new decision: a yellow visit turns green
// or red; someone new is checked in.
func (s *Service) Declare(ctx context.Context, actor *ravao.Principal, in OnBehalf) (Result, error) {
	if err := s.View(ctx, actor, in.CheckpointID); err != nil {
		return Result{}, err
	}
	if in.PersonID == 0 {
		// The same form sent again: the person it made, not another.
		if prior, ok, err := s.priorEntry(ctx, in.CheckpointID, in.IdempotencyKey); err != nil || ok {
			return prior, err
		}
		id, err := s.visitors.DeclareOnBehalf(ctx, actor, in.Declaration)
		if err != nil {
			return Result{}, err
		}
		at := s.cfg.Clock.Now().UTC().Truncate(time.Millisecond)
		return s.enter(ctx, actor, Scan{CheckpointID: in.CheckpointID, IdempotencyKey: in.IdempotencyKey, Source: ravao.SourceGate},
			who{kind: KindProxy, personID: id}, at)
	}
	open, err := s.openHere(ctx, actor, in.CheckpointID, in.PersonID)
	if err != nil {
		return Result{}, err
	}
	risk, err := s.visitors.AnswerOnBehalf(ctx, actor, in.PersonID, in.Declaration.Answers)
	if err != nil {
		return Result{}, err
	}
	decision := ravao.Green
	if risk {
		decision = ravao.Red
	}
	if err := s.store.Update(ctx, func(tx ravao.Tx) error { return tx.SetVisitDecision(open.ID, decision) }); err != nil {
		return Result{}, err
	}
	out := Result{Decision: decision, Kind: KindProxy, VisitID: open.ID, Direction: In, At: open.InAt}
	return out, s.describe(ctx, in.PersonID, &out)
}

// priorEntry is the entry recorded under a gate's idempotency key, if any.
func (s *Service) priorEntry(ctx context.Context, checkpointID int64, key string) (Result, bool, error) {
	if key == "" {
		return Result{}, false, nil
	}
	var v ravao.Visit
	err := s.store.View(ctx, func(tx ravao.Tx) (err error) {
		v, err = tx.VisitByIdempotencyKey(gateKey(Scan{CheckpointID: checkpointID, IdempotencyKey: key}))
		return err
	})
	if ravao.IsNotFound(err) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, err
	}
	out := Result{Decision: v.Decision, Kind: KindProxy, VisitID: v.ID, Direction: In, At: v.InAt, Repeated: true}
	return out, true, s.describe(ctx, v.PersonID, &out)
}

// KindProxy is the kind of a result after a declaration on someone's
// behalf.
const KindProxy = "proxy"

// openHere is the person's open visit at the checkpoint's venue: staff
// declare only for someone they have just let in.
func (s *Service) openHere(ctx context.Context, actor *ravao.Principal, checkpointID, personID int64) (ravao.Visit, error) {
	var open ravao.Visit
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		_, venue, err := checkpoint(tx, actor, checkpointID)
		if err != nil {
			return err
		}
		open, err = tx.OpenVisit(personID, venue.ID)
		if ravao.IsNotFound(err) {
			return ravao.Errorf(ravao.NotFound, "err.person_not_found")
		}
		return err
	})
	return open, err
}

// Summary is what the gate page shows around the scans: its checkpoint,
// the venue's counters for today and the latest scans here.
type Summary struct {
	Checkpoint ravao.Checkpoint
	Venue      ravao.Venue
	Counts     ravao.VenueCounts
	Recent     []Result
}

// recentShown is how many of the latest scans a gate shows.
const recentShown = 10

// Summary gives the checkpoint's gate its counters and latest scans,
// masked.
func (s *Service) Summary(ctx context.Context, actor *ravao.Principal, checkpointID int64) (Summary, error) {
	var out Summary
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		cp, venue, err := checkpoint(tx, actor, checkpointID)
		if err != nil {
			return err
		}
		out.Checkpoint, out.Venue = cp, venue
		now := tx.Now()
		local := now.In(s.cfg.TZ)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.cfg.TZ)
		if out.Counts, err = tx.VenueCounts(venue.ID, day, now); err != nil {
			return err
		}
		recent, err := tx.CheckpointVisits(cp.ID, recentShown)
		if err != nil {
			return err
		}
		out.Recent = make([]Result, 0, len(recent))
		for _, v := range recent {
			r, err := tx.Person(v.PersonID)
			if err != nil {
				return err
			}
			res := Result{Decision: v.Decision, VisitID: v.ID, Direction: In, At: v.InAt}
			if err := s.mask(r, &res); err != nil {
				return err
			}
			out.Recent = append(out.Recent, res)
		}
		return nil
	})
	return out, err
}

// MaxSync is the most scans one sync takes.
const MaxSync = 1000

// Synced is what became of a gate's queue.
type Synced struct {
	Accepted   int        // new entries or exits recorded
	Duplicates int        // seen before: a retry, or the person already inside
	Rejected   []Rejected // not recorded, each with the reason
}

// Rejected is a queued scan that was not recorded.
type Rejected struct {
	IdempotencyKey string
	Err            error
}

// Sync records a gate's offline queue: each scan at its device time, late
// ones within Config.MaxLate, each once whatever the number of syncs.
// Scans that cannot be recorded are listed with their reason; an error
// that is not the scan's (the database) stops the sync, which the gate
// retries.
func (s *Service) Sync(ctx context.Context, actor *ravao.Principal, checkpointID int64, scans []Scan) (Synced, error) {
	var out Synced
	if len(scans) > MaxSync {
		return out, ravao.Errorf(ravao.TooLarge, "err.sync_too_many", MaxSync)
	}
	if err := s.View(ctx, actor, checkpointID); err != nil {
		return out, err
	}
	for _, sc := range scans {
		sc.CheckpointID, sc.Source = checkpointID, ravao.SourceSync
		if sc.IdempotencyKey == "" {
			out.Rejected = append(out.Rejected, Rejected{Err: ravao.FieldError("idempotency_key", "err.required")})
			continue
		}
		if sc.DeviceTime.IsZero() {
			out.Rejected = append(out.Rejected, Rejected{IdempotencyKey: sc.IdempotencyKey, Err: ravao.FieldError("device_time", "err.required")})
			continue
		}
		r, err := s.Scan(ctx, actor, sc)
		switch {
		case err == nil && r.Repeated:
			out.Duplicates++
		case err == nil:
			out.Accepted++
		case ravao.ErrorCode(err) == ravao.Internal || ctx.Err() != nil:
			return out, err
		default:
			out.Rejected = append(out.Rejected, Rejected{IdempotencyKey: sc.IdempotencyKey, Err: err})
		}
	}
	return out, nil
}
