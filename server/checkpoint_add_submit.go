package server

import (
	"net/http"

	"github.com/ravao/ravao/places"
)

// checkpointAddSubmit adds a checkpoint (a gate, counter, floor or vehicle)
// to a place from its manager's form.
func (s *Server) checkpointAddSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	in := places.CheckpointInput{
		Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"),
		Plate: r.PostForm.Get("plate"), Route: r.PostForm.Get("route"),
	}
	if _, err := s.places.AddCheckpoint(r.Context(), principal(r), id, in); err != nil {
		d := &placeData{Failed: "checkpoint", Checkpoint: in}
		return s.placeFormFailed(w, r, id, err, d, "name", "kind", "plate", "route")
	}
	http.Redirect(w, r, placeURL(id)+"?done=checkpoint#checkpoints", http.StatusSeeOther)
	return nil
}
