package server

import (
	"net/http"
)

// loginData is the data of the login page.
type loginData struct {
	Login string
	Next  string
	Error string // translated message of the last attempt
}

// loginShow shows the login form, or sends a signed-in user home.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) error {
	if principal(r) != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	d := loginData{Next: safeNext(r.URL.Query().Get("next"))}
	return s.views.render(w, http.StatusOK, "login.html", s.page(r, "login.title", d))
}
