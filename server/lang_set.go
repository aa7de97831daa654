package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
)

// langSet remembers the chosen language in the lang cookie and goes back to
// the page given as ?next=, when it is a path of this site.
func (s *Server) langSet(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if !i18n.Supported(lang) {
		return ravao.Errorf(ravao.Invalid, "err.lang")
	}
	http.SetCookie(w, &http.Cookie{
		Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure,
	})
	next := r.URL.Query().Get("next")
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}
