package places

import (
	"context"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/poster"
)

// MaxPosters bounds one batch PDF: a few thousand pages is already a large
// print job, and the PDF is built in memory.
const MaxPosters = 5000

// PosterSet selects the checkpoints to print: exactly one field is set.
type PosterSet struct {
	CheckpointID   int64
	VenueID        int64
	OrganisationID int64
	ImportID       int64
}

// Posters returns the posters of a set of checkpoints the actor may see,
// one per checkpoint with a working code, in venue then checkpoint order.
// Anyone who may see a venue may print its posters: a poster shows only
// what the venue shows the public.
func (s *Service) Posters(ctx context.Context, actor *ravao.Principal, set PosterSet) ([]poster.Poster, error) {
	var out []poster.Poster
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		venues, cps, err := s.posterSet(tx, actor, set)
		if err != nil {
			return err
		}
		places, byID, lines := map[int64]string{}, map[int64]ravao.Venue{}, newPlaceLines(tx)
		for _, v := range venues {
			byID[v.ID] = v
			if places[v.ID], err = lines.line(v); err != nil {
				return err
			}
		}
		for _, c := range cps {
			if c.Revoked {
				continue
			}
			if len(out) == MaxPosters {
				return ravao.FieldError("venues", "err.too_many_posters")
			}
			v, ok := byID[c.VenueID]
			if !ok {
				return ravao.FieldError("venues", "err.too_many_posters")
			}
			code := s.signer.Issue(c.ID, c.Serial)
			out = append(out, poster.Poster{
				VenueName: v.Name, Address: places[v.ID], CheckpointName: c.Name,
				Code: code, URL: s.URL(code), Issued: issued(c).In(s.cfg.TZ),
			})
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = ravao.Errorf(ravao.NotFound, "err.poster_none")
	}
	return out, err
}

// posterSet loads the venues and checkpoints of a set, checking scope.
func (s *Service) posterSet(tx ravao.Tx, actor *ravao.Principal, set PosterSet) ([]ravao.Venue, []ravao.Checkpoint, error) {
	switch {
	case set.CheckpointID != 0:
		c, v, err := loadCheckpoint(tx, actor, ravao.PermViewPlaces, set.CheckpointID)
		return []ravao.Venue{v}, []ravao.Checkpoint{c}, err
	case set.VenueID != 0:
		v, err := loadVenue(tx, actor, ravao.PermViewPlaces, set.VenueID)
		if err != nil {
			return nil, nil, err
		}
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
		return []ravao.Venue{v}, cps, err
	}
	f := ravao.VenueFilter{OrganisationID: set.OrganisationID, ImportID: set.ImportID, Limit: MaxPosters + 1}
	if f.OrganisationID == 0 && f.ImportID == 0 {
		return nil, nil, ravao.FieldError("venues", "err.required")
	}
	venues, err := tx.Venues(f)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range venues {
		if !actor.Can(ravao.PermViewPlaces, v.Target()) {
			return nil, nil, errVenueNotFound()
		}
	}
	if len(venues) == 0 {
		return nil, nil, errVenueNotFound()
	}
	var cps []ravao.Checkpoint
	if set.OrganisationID != 0 {
		cps, err = tx.Checkpoints(ravao.CheckpointFilter{OrganisationID: set.OrganisationID})
		return venues, cps, err
	}
	for _, v := range venues {
		vc, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
		if err != nil {
			return nil, nil, err
		}
		cps = append(cps, vc...)
	}
	return venues, cps, nil
}

// issued is when a checkpoint's current code was issued: its last change,
// or its creation.
func issued(c ravao.Checkpoint) time.Time {
	if c.UpdatedAt.After(c.CreatedAt) {
		return c.UpdatedAt
	}
	return c.CreatedAt
}
