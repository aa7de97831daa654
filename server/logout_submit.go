package server

import (
	"github.com/ravao/ravao"
	"net/http"
)

// logoutSubmit ends the browser's session and returns to the login page.
// It is public so that a browser whose session already expired can still
// clear its cookie.
func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil && !isAuthError(err) {
			return err
		}
	}
	s.setSession(w, "")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// isAuthError reports whether err only says the session is already gone.
func isAuthError(err error) bool {
	c := ravao.ErrorCode(err)
	return c == ravao.Unauthorized || c == ravao.NotFound
}
