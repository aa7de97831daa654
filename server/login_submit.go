package server

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

// loginSubmit signs a staff member in from the login form. A wrong password
// or too many attempts re-render the form with the message, status 401 or
// 429; any other error goes to fail.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	c := auth.Credentials{
		Login: r.PostForm.Get("login"), Password: r.PostForm.Get("password"),
		TOTP: r.PostForm.Get("totp"), ClientIP: s.clientIP(r),
	}
	next := safeNext(r.PostForm.Get("next"))
	secret, _, err := s.auth.Login(r.Context(), c)
	if err != nil {
		return s.loginFailed(w, r, c.Login, next, err)
	}
	s.setSession(w, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loginFailed re-renders the form for the errors a person can act on.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, login, next string, err error) error {
	code := ravao.ErrorCode(err)
	if code != ravao.Unauthorized && code != ravao.TooMany && code != ravao.Invalid {
		return err
	}
	e := classify(err)
	if code == ravao.TooMany {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(e)))
	}
	d := loginData{Login: login, Next: next, Error: s.cat.T(s.lang(r), e.Key, e.Args...)}
	return s.views.render(w, statuses[code], "login.html", s.page(r, "login.title", d))
}

// formError classifies an error from parsing a form.
func formError(err error) error {
	if e := classify(err); e.Code == ravao.TooLarge {
		return e
	}
	return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid", Err: err}
}

// clientIP is the address the request came from, for rate limiting. Ravao
// does not trust X-Forwarded-For here: a proxy in front is configured in
// main when needed.
func (s *Server) clientIP(r *http.Request) string {
	return ClientIP(r, s.cfg.TrustedProxies)
}

// ClientIP returns the address of the client that sent r: the peer
// address, or, when the peer is a trusted proxy, the nearest address in
// X-Forwarded-For that is not itself a trusted proxy. Addresses a client
// wrote into the header further left are never believed.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	peer := peerAddr(r.RemoteAddr)
	if !isTrusted(peer, trusted) {
		return peerString(peer, r.RemoteAddr)
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a.String()
		}
		peer = a
	}
	return peerString(peer, r.RemoteAddr)
}

func peerAddr(remote string) netip.Addr {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

func peerString(a netip.Addr, remote string) string {
	if !a.IsValid() {
		return remote
	}
	return a.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if a.IsValid() && p.Contains(a) {
			return true
		}
	}
	return false
}
