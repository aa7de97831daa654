package server

import (
	"net/http"

	"github.com/ravao/ravao/auth"
)

// inviteSubmit creates the gate-staff account of an invitation, signs it
// in and sends it home. The invitation is checked before the password is
// hashed, so guessing codes costs the server nothing.
func (s *Server) inviteSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	d := &inviteData{Code: r.PathValue("code"), Login: r.PostForm.Get("login"), Name: r.PostForm.Get("display_name")}
	if err := s.loadInvite(r, d); err != nil {
		return err
	}
	nu := auth.NewUser{Login: d.Login, DisplayName: d.Name, Password: r.PostForm.Get("password"), Lang: s.lang(r)}
	secret, _, err := s.places.Accept(r.Context(), d.Code, nu)
	if err == nil {
		s.setSession(w, secret)
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	f, ok := s.formFailed(w, r, err, inviteFields...)
	if !ok {
		return err
	}
	d.Failure = f
	return s.views.render(w, f.Status, "invite.html", s.page(r, "invite.title", d))
}
