package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// placeData is the data of a place's page. The forms on it come back to
// it: Failed names the form that failed, with what was typed in it.
type placeData struct {
	Venue                     places.VenueView
	ContactName, ContactPhone string
	CanManage, CanApprove     bool
	Kinds                     []choice
	Done                      string // message key of what was just done
	Failed                    string // approve, suspend, reinstate, checkpoint or invite
	Failure                   formFailure
	Reason                    string
	Checkpoint                places.CheckpointInput
	Invite                    *inviteLink
	// Exposures are the times of the exposure windows published at the
	// place and still shown to visitors; nothing of the case.
	Exposures []string
}

// inviteLink is an invitation just made: its link is shown once.
type inviteLink struct {
	URL, Expires string
}

// placeDone are the actions whose success the page announces after the
// redirect (?done=...).
var placeDone = []string{"approve", "suspend", "reinstate", "checkpoint", "revoke", "reissue"}

// placeShow shows a place with its checkpoints, codes and posters, and the
// forms of those who manage or approve it. A place outside the reader's
// scope is not found.
func (s *Server) placeShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	d := &placeData{}
	if done := r.URL.Query().Get("done"); slices.Contains(placeDone, done) {
		d.Done = "place.done_" + done
	}
	return s.renderPlace(w, r, id, http.StatusOK, d)
}

// renderPlace loads the place and shows its page with d.
func (s *Server) renderPlace(w http.ResponseWriter, r *http.Request, id int64, status int, d *placeData) error {
	p := principal(r)
	v, err := s.places.Venue(r.Context(), p, id)
	if err != nil {
		return err
	}
	d.Venue, d.Kinds = v, checkpointKindChoices()
	d.ContactName, d.ContactPhone = v.Contact.Name.Reveal(), v.Contact.Phone.Reveal()
	d.CanManage = p.Can(ravao.PermManagePlaces, v.Target())
	d.CanApprove = p.Can(ravao.PermApprovePlaces, v.Target())
	if d.Exposures, err = s.venueNotice(r.Context(), v.ID); err != nil {
		return err
	}
	return s.views.render(w, status, "place.html", s.page(r, "place.title", d))
}

// placeFormFailed shows the place again with the failure of one of its
// forms, or passes on an error no form can fix.
func (s *Server) placeFormFailed(w http.ResponseWriter, r *http.Request, id int64, err error, d *placeData, shown ...string) error {
	f, ok := s.formFailed(w, r, err, shown...)
	if !ok {
		return err
	}
	d.Failure = f
	return s.renderPlace(w, r, id, f.Status, d)
}

// placeURL is the path of a place's page.
func placeURL(id int64) string { return "/places/" + strconv.FormatInt(id, 10) }
