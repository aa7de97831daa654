package progress

import (
	"context"

	"github.com/ravao/ravao"
)

// VenueView is one place's own days.
type VenueView struct {
	Venue ravao.Venue
	Days  []ravao.VenueDay // one per day From..To, zero-filled
}

// Venue shows one place's days; the actor needs PermMonitor over the
// place's unit (and sector), or to manage its organisation. A place
// outside the actor's scope is not found, so that scopes do not leak what
// exists. Days are checked as in Unit.
func (s *Service) Venue(ctx context.Context, actor *ravao.Principal, venueID int64, from, to ravao.Day) (VenueView, error) {
	if !actor.MayEver(ravao.PermMonitor) && !actor.MayEver(ravao.PermManagePlaces) {
		return VenueView{}, errForbidden()
	}
	from, to, err := s.days(from, to)
	if err != nil {
		return VenueView{}, err
	}
	var v VenueView
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		if v.Venue, err = tx.Venue(venueID); ravao.IsNotFound(err) {
			return errVenueNotFound()
		} else if err != nil {
			return err
		}
		t := v.Venue.Target()
		if !actor.Can(ravao.PermMonitor, t) && !actor.Can(ravao.PermManagePlaces, ravao.Target{OrganisationID: t.OrganisationID}) {
			return errVenueNotFound()
		}
		rows, err := tx.VenueDays(venueID, from, to)
		v.Days = zeroFill(venueID, from, to, rows)
		return err
	})
	if err != nil {
		return VenueView{}, err
	}
	return v, nil
}

func errVenueNotFound() error { return ravao.Errorf(ravao.NotFound, "err.venue_not_found") }

// zeroFill is one row per day from..to, those of rows where they exist.
func zeroFill(venueID int64, from, to ravao.Day, rows []ravao.VenueDay) []ravao.VenueDay {
	byDay := make(map[ravao.Day]ravao.VenueDay, len(rows))
	for _, r := range rows {
		byDay[r.Day] = r
	}
	out := make([]ravao.VenueDay, 0, span(from, to))
	each(from, to, func(d ravao.Day) {
		r, ok := byDay[d]
		if !ok {
			r = ravao.VenueDay{VenueID: venueID, Day: d}
		}
		out = append(out, r)
	})
	return out
}
