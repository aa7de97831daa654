package server

import (
	"net/http"

	"github.com/ravao/ravao/places"
)

// consentData is the data of the consent page: the place the visitor is
// checking in at, and the error of an unticked box.
type consentData struct {
	places.Landing
	Failure formFailure
}

// consentShow explains, before anything is asked, what is collected, why
// (contact tracing only), who sees it and how long it is kept. Nothing is
// ticked in advance.
func (s *Server) consentShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveActive(r)
	if err != nil {
		return err
	}
	return s.views.render(w, http.StatusOK, "consent.html", s.page(r, "consent.title", consentData{Landing: l}))
}

// consentSubmit goes on to the declaration when the box is ticked, and
// shows the page again with an error when it is not.
func (s *Server) consentSubmit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveActive(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if r.PostForm.Get("consent") != "yes" {
		d := consentData{Landing: l, Failure: s.rejectForm(w, r, "consent", "err.consent", "consent")}
		return s.views.render(w, d.Failure.Status, "consent.html", s.page(r, "consent.title", d))
	}
	http.Redirect(w, r, codePath(l.Code, "/declare?consent=yes"), http.StatusSeeOther)
	return nil
}
