package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

// rootRedirect sends staff to their home page and everyone else to the
// login page.
func (s *Server) rootRedirect(w http.ResponseWriter, r *http.Request) error {
	target := "/login"
	if principal(r) != nil {
		target = "/home"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// notFound answers every path no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return ravao.Errorf(ravao.NotFound, "err.page_not_found")
}
