package server

import (
	"context"
	"net/http"

	"github.com/ravao/ravao"
)

// inviteData is the data of the page that accepts a gate-staff invitation.
type inviteData struct {
	Code         string
	Organisation string
	Checkpoints  []string
	Login, Name  string
	Failure      formFailure
}

// inviteFields are the fields the invitation form shows errors beside.
var inviteFields = []string{"login", "display_name", "password"}

// inviteShow shows what an invitation is for and the form that creates the
// gate-staff account.
func (s *Server) inviteShow(w http.ResponseWriter, r *http.Request) error {
	d := &inviteData{Code: r.PathValue("code")}
	if err := s.loadInvite(r, d); err != nil {
		return err
	}
	return s.views.render(w, http.StatusOK, "invite.html", s.page(r, "invite.title", d))
}

// loadInvite fills in the organisation and checkpoints of a live
// invitation. Unknown, used and expired codes are one 404, and a client
// guessing many is slowed down with 429.
func (s *Server) loadInvite(r *http.Request, d *inviteData) error {
	inv, err := s.places.Invitation(r.Context(), d.Code)
	if err := s.limitUnknown(r, err); err != nil {
		return err
	}
	return s.inviteNames(r.Context(), inv, d)
}

func (s *Server) inviteNames(ctx context.Context, inv ravao.Invitation, d *inviteData) error {
	return s.store.View(ctx, func(tx ravao.Tx) error {
		o, err := tx.Organisation(inv.OrganisationID)
		if err != nil {
			return err
		}
		d.Organisation = o.Name
		for _, id := range inv.CheckpointIDs {
			c, err := tx.Checkpoint(id)
			if ravao.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			d.Checkpoints = append(d.Checkpoints, c.Name)
		}
		return nil
	})
}
