package server

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// sessionCookie holds a signed-in browser's session secret.
const sessionCookie = "ravao_session"

// csp allows nothing from other hosts and no inline script or style.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// errNoCredentials is what authenticate returns for a request that carries
// neither a session cookie nor a token.
var errNoCredentials = ravao.Errorf(ravao.Unauthorized, "err.signin_required")

type principalKey struct{}

// principal returns the signed-in staff member of the request, or nil.
func principal(r *http.Request) *ravao.Principal {
	p, _ := r.Context().Value(principalKey{}).(*ravao.Principal)
	return p
}

// recorder remembers the status written, for the access log and for fail,
// which must not write a second response.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *recorder) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap gives a route its middleware: request id, security headers, panic
// recovery, body limit, access log and metrics, then serve.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := vault.NewSecret(9)
		r = r.WithContext(ravao.ContextWithRequestID(r.Context(), id))
		w := &recorder{ResponseWriter: rw, status: http.StatusOK}
		securityHeaders(w.Header(), id)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, rt, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
			s.observe(r.Context(), rt, r.Method, w.status, time.Since(start))
		}()
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(rt))
		if err := s.serve(w, r, rt); err != nil {
			s.fail(w, r, rt, err)
		}
	})
}

// bodyLimit is the largest request body rt accepts.
func (s *Server) bodyLimit(rt Route) int64 {
	if rt.MaxBody > 0 {
		return rt.MaxBody
	}
	return s.cfg.MaxBody
}

// securityHeaders go on every response. Static assets override
// Cache-Control: they are immutable under their content hash.
func securityHeaders(h http.Header, requestID string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Request-Id", requestID)
}

// serve checks the request's origin, finds who is calling, enforces the
// route's access rule and runs the handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt Route) error {
	if err := s.cop.Check(r); err != nil {
		return &ravao.Error{Code: ravao.Forbidden, Key: "err.cross_origin", Err: err}
	}
	p, err := s.authenticate(r)
	if p != nil {
		r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
	}
	if rt.Access == Public {
		return rt.handle(w, r)
	}
	if p == nil {
		return err
	}
	if !p.MayEver(rt.Access) {
		return ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	return rt.handle(w, r)
}

// authenticate finds the staff member behind a Bearer token or the session
// cookie. A request with neither gets errNoCredentials.
func (s *Server) authenticate(r *http.Request) (*ravao.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			return nil, ravao.Errorf(ravao.Unauthorized, "err.bad_token")
		}
		return s.auth.Bearer(r.Context(), strings.TrimSpace(tok))
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoCredentials
	}
	return s.auth.Session(r.Context(), c.Value)
}

// observe writes the access log line and the metrics of one request: the
// route pattern, never the raw URL, query, body or cookies.
func (s *Server) observe(ctx context.Context, rt Route, method string, status int, d time.Duration) {
	s.metrics.observe(rt.Pattern, method, status, d)
	s.log.InfoContext(ctx, "http",
		"method", method, "route", rt.Pattern, "status", status,
		"duration_ms", float64(d.Microseconds())/1000, "request_id", ravao.RequestID(ctx))
}

// lang is the language of the request: the lang cookie, Accept-Language,
// then the configured default.
func (s *Server) lang(r *http.Request) string {
	cookie := ""
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	return s.cat.Choose(cookie, r.Header.Get("Accept-Language"))
}

// setSession sets (or, with an empty secret, clears) the session cookie.
func (s *Server) setSession(w http.ResponseWriter, secret string) {
	c := &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure,
	}
	if secret == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
