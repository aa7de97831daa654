package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// statuses maps error codes to HTTP statuses.
var statuses = map[ravao.Code]int{
	ravao.Invalid:      http.StatusBadRequest,
	ravao.NotFound:     http.StatusNotFound,
	ravao.Conflict:     http.StatusConflict,
	ravao.Mismatch:     http.StatusUnprocessableEntity,
	ravao.Unauthorized: http.StatusUnauthorized,
	ravao.Forbidden:    http.StatusForbidden,
	ravao.TooMany:      http.StatusTooManyRequests,
	ravao.TooLarge:     http.StatusRequestEntityTooLarge,
	ravao.Unavailable:  http.StatusServiceUnavailable,
	ravao.Internal:     http.StatusInternalServerError,
}

// defaultRetryAfter is sent with 429 when the error does not say how long.
const defaultRetryAfter = 60 * time.Second

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    ravao.Code        `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail is the one place errors become responses: JSON for API routes, a
// page (or a redirect to /login) for pages, in the caller's language.
// Internal errors are logged with the request id and shown as a generic
// message.
func (s *Server) fail(w *recorder, r *http.Request, rt Route, err error) {
	e := classify(err)
	ctx := r.Context()
	switch e.Code {
	case ravao.Internal:
		s.log.ErrorContext(ctx, "internal error", "request_id", ravao.RequestID(ctx), "route", rt.Pattern, "err", err.Error())
	case ravao.Unavailable:
		s.log.WarnContext(ctx, "unavailable", "request_id", ravao.RequestID(ctx), "route", rt.Pattern, "err", err.Error())
	}
	if w.wrote {
		return // the handler already answered; nothing more can be said
	}
	if e.Code == ravao.TooMany {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(e)))
	}
	lang := s.lang(r)
	if rt.Kind == KindAPI || strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, statuses[e.Code], errorBody{Error: s.detail(lang, e)})
		return
	}
	if e.Code == ravao.Unauthorized {
		if _, err := r.Cookie(sessionCookie); err == nil {
			s.setSession(w, "")
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.Path)), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, statuses[e.Code], s.cat.T(lang, e.Key, e.Args...))
}

// detail translates e for an API response.
func (s *Server) detail(lang string, e *ravao.Error) errorDetail {
	d := errorDetail{Code: e.Code, Message: s.cat.T(lang, e.Key, e.Args...)}
	if len(e.Fields) > 0 {
		d.Fields = make(map[string]string, len(e.Fields))
		for f, key := range e.Fields {
			d.Fields[f] = s.cat.T(lang, key)
		}
	}
	return d
}

// classify turns any error into a *ravao.Error with a known code and a
// message key. Errors Ravao did not make are internal, and internal errors
// never show their own key.
func classify(err error) *ravao.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return ravao.Errorf(ravao.TooLarge, "err.too_large")
	}
	var re *ravao.Error
	if !errors.As(err, &re) {
		return ravao.Errorf(ravao.Internal, "err.internal")
	}
	e := *re
	if _, ok := statuses[e.Code]; !ok || e.Code == ravao.Internal {
		return ravao.Errorf(ravao.Internal, "err.internal")
	}
	if e.Key == "" {
		e.Key = "err." + string(e.Code)
	}
	return &e
}

// retryAfter finds how many seconds to ask a rate-limited client to wait: a
// time.Duration or time.Time among the error's arguments, or a default.
func retryAfter(e *ravao.Error) int {
	d := defaultRetryAfter
	for _, a := range e.Args {
		switch v := a.(type) {
		case time.Duration:
			d = v
		case time.Time:
			d = time.Until(v)
		}
	}
	return max(1, int((d+time.Second-1)/time.Second))
}

// safeNext returns path when it is a same-origin path ("/x", not "//x" nor
// "/\x", which browsers read as another host), else "/home".
func safeNext(path string) string {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.ContainsAny(path, "\\\r\n") {
		return "/home"
	}
	return path
}
