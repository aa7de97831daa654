package server

import (
	"net/http"
)

// placeStatusSubmit approves, suspends or reinstates a place from the
// official's form on its page. Suspending and reinstating need a reason,
// which the manager reads on their home page.
func (s *Server) placeStatusSubmit(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pageID(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return formError(err)
		}
		p, reason := principal(r), r.PostForm.Get("reason")
		switch action {
		case "approve":
			_, err = s.places.Approve(r.Context(), p, id)
		case "suspend":
			_, err = s.places.Suspend(r.Context(), p, id, reason)
		default:
			_, err = s.places.Reinstate(r.Context(), p, id, reason)
		}
		if err != nil {
			return s.placeFormFailed(w, r, id, err, &placeData{Failed: action, Reason: reason}, "reason")
		}
		http.Redirect(w, r, placeURL(id)+"?done="+action+"#status", http.StatusSeeOther)
		return nil
	}
}
