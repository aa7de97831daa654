package places

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// transition is one change of a venue's status.
type transition struct {
	action   string // audit action
	conflict string // message key when the venue is not in a from status
	reason   bool   // a reason is required
	to       ravao.VenueStatus
	from     []ravao.VenueStatus
}

var (
	approve   = transition{"venue.approve", "err.venue_status_approve", false, ravao.VenueApproved, []ravao.VenueStatus{ravao.VenuePending}}
	suspend   = transition{"venue.suspend", "err.venue_status_suspend", true, ravao.VenueSuspended, []ravao.VenueStatus{ravao.VenuePending, ravao.VenueApproved}}
	reinstate = transition{"venue.reinstate", "err.venue_status_reinstate", true, ravao.VenueApproved, []ravao.VenueStatus{ravao.VenueSuspended}}
)

// Approve approves a pending venue: a local official whose unit covers it,
// or an administrator, may.
func (s *Service) Approve(ctx context.Context, actor *ravao.Principal, id int64) (ravao.Venue, error) {
	return s.setStatus(ctx, actor, id, approve, "")
}

// Suspend stops a venue from receiving check-ins, with a reason its
// manager reads on their home page.
func (s *Service) Suspend(ctx context.Context, actor *ravao.Principal, id int64, reason string) (ravao.Venue, error) {
	return s.setStatus(ctx, actor, id, suspend, reason)
}

// Reinstate approves a suspended venue again, with a reason.
func (s *Service) Reinstate(ctx context.Context, actor *ravao.Principal, id int64, reason string) (ravao.Venue, error) {
	return s.setStatus(ctx, actor, id, reinstate, reason)
}

// setStatus makes transition tr on a venue. Approval clears the reason.
func (s *Service) setStatus(ctx context.Context, actor *ravao.Principal, id int64, tr transition, reason string) (ravao.Venue, error) {
	reason = oneLine(reason)
	if tr.reason && reason == "" {
		return ravao.Venue{}, ravao.FieldError("reason", "err.reason_required")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return ravao.Venue{}, ravao.FieldError("reason", "err.too_long")
	}
	var out ravao.Venue
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		v, err := loadVenue(tx, actor, ravao.PermApprovePlaces, id)
		if err != nil {
			return err
		}
		if !slices.Contains(tr.from, v.Status) {
			return ravao.Errorf(ravao.Conflict, tr.conflict)
		}
		v.Status, v.StatusReason = tr.to, reason
		if err := tx.UpdateVenue(&v); err != nil {
			return err
		}
		out = v
		return tx.AppendAudit(audit(ctx, actor, tr.action, "venue", v.ID, reason))
	})
	return out, err
}
