package places

import (
	"context"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/codes"
)

// Revoke stops a checkpoint's code from working at once (a poster was
// stolen or copied); the checkpoint has no working code until Reissue.
func (s *Service) Revoke(ctx context.Context, actor *ravao.Principal, checkpointID int64) (CheckpointView, error) {
	return s.changeCode(ctx, actor, checkpointID, "checkpoint.revoke", func(c *ravao.Checkpoint) { c.Revoked = true })
}

// Reissue gives a checkpoint a new code; every earlier code of it stops
// working, and its posters must be printed again.
func (s *Service) Reissue(ctx context.Context, actor *ravao.Principal, checkpointID int64) (CheckpointView, error) {
	return s.changeCode(ctx, actor, checkpointID, "checkpoint.reissue", func(c *ravao.Checkpoint) {
		c.Serial++
		c.Revoked = false
	})
}

func (s *Service) changeCode(ctx context.Context, actor *ravao.Principal, id int64, action string, change func(*ravao.Checkpoint)) (CheckpointView, error) {
	var out CheckpointView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, _, err := loadCheckpoint(tx, actor, ravao.PermManagePlaces, id)
		if err != nil {
			return err
		}
		change(&c)
		if err := tx.UpdateCheckpoint(&c); err != nil {
			return err
		}
		out = s.checkpointView(c)
		return tx.AppendAudit(audit(ctx, actor, action, "checkpoint", c.ID, ""))
	})
	return out, err
}

// Landing is what /q/{code} shows: the registered place behind a code.
type Landing struct {
	Venue        ravao.Venue
	Organisation ravao.Organisation
	Checkpoint   ravao.Checkpoint
	Place        string // address with unit names
	Code         string // the code in canonical form
}

// errCodeUnknown is the one answer for every code that does not lead to a
// live checkpoint: malformed, forged, revoked, re-issued or deleted. The
// reasons are not told apart, so probing learns nothing.
func errCodeUnknown() error { return ravao.Errorf(ravao.NotFound, "err.code_unknown") }

// Resolve checks a code's signature (no database work for a forged one),
// then that it is the checkpoint's current code, and returns the place.
// Suspended and pending venues resolve: the page tells the visitor.
func (s *Service) Resolve(ctx context.Context, code string) (Landing, error) {
	parsed, err := s.ParseCode(code)
	if err != nil {
		return Landing{}, err
	}
	var out Landing
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		out, err = s.ResolveIn(tx, parsed)
		return err
	})
	return out, err
}

// ParseCode checks a code's signature, without the database.
func (s *Service) ParseCode(code string) (codes.Code, error) {
	parsed, err := s.signer.Parse(code)
	if err != nil {
		return codes.Code{}, errCodeUnknown()
	}
	return parsed, nil
}

// ResolveIn is Resolve of a parsed code inside the caller's transaction,
// for a caller that reads more beside it (a check-in reads its visitor in
// the same one).
func (s *Service) ResolveIn(tx ravao.Tx, parsed codes.Code) (Landing, error) {
	c, v, o, err := tx.CheckpointPlace(parsed.Checkpoint)
	if ravao.IsNotFound(err) || err == nil && (c.Revoked || c.Serial != parsed.Serial) {
		return Landing{}, errCodeUnknown()
	}
	if err != nil {
		return Landing{}, err
	}
	place, err := s.units.line(tx, v)
	if err != nil {
		return Landing{}, err
	}
	return Landing{Venue: v, Organisation: o, Checkpoint: c, Place: place, Code: s.signer.Issue(c.ID, c.Serial)}, nil
}
