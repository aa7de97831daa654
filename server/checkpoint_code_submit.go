package server

import (
	"net/http"
	"strconv"

	"github.com/ravao/ravao/places"
)

// checkpointCodeSubmit revokes a checkpoint's code (a poster was stolen or
// copied) or issues it a new one, then goes back to its place.
func (s *Server) checkpointCodeSubmit(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pageID(r)
		if err != nil {
			return err
		}
		var c places.CheckpointView
		if action == "revoke" {
			c, err = s.places.Revoke(r.Context(), principal(r), id)
		} else {
			c, err = s.places.Reissue(r.Context(), principal(r), id)
		}
		if err != nil {
			return err
		}
		target := placeURL(c.VenueID) + "?done=" + action + "#checkpoint-" + strconv.FormatInt(c.ID, 10)
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
}
