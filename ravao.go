// Package ravao holds Ravao's domain: the types every other package speaks
// (administrative units, places, people, visits, staff and their roles), their
// validation, the pure rules that decide things, and the Store interface that
// the sqlite and postgres packages implement. It imports neither database/sql
// nor net/http: storage and transport live in their own packages and all the
// wiring happens in cmd/ravao.
package ravao

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an error for callers: the HTTP layer maps each code to a
// status, and users see a message in their language for every code but
// Internal.
type Code string

// The error codes. There are deliberately few of them.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Mismatch     Code = "mismatch" // a retry under one idempotency key with another body
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	TooMany      Code = "rate_limited"
	TooLarge     Code = "too_large"
	Unavailable  Code = "unavailable"
	Internal     Code = "internal"
)

// Error is Ravao's error value. Key names a message in the catalogue (never a
// sentence), so the same error reaches a person in Vietnamese or English;
// Fields carries per-field message keys for forms. Err, when set, is the
// underlying cause, logged but never shown.
type Error struct {
	Code   Code
	Key    string
	Args   []any
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Key != "" {
		b.WriteString(": ")
		b.WriteString(e.Key)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for f := range e.Fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			fmt.Fprintf(&b, " [%s: %s]", f, e.Fields[f])
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code, message key and arguments.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// FieldErrors collects per-field problems while validating input; Err returns
// nil when there are none, so callers can write `return fe.Err()`.
type FieldErrors map[string]string

// Add records the message key for a field, keeping the first problem found.
func (fe FieldErrors) Add(field, key string) {
	if _, ok := fe[field]; !ok {
		fe[field] = key
	}
}

// Err returns an Invalid error carrying the fields, or nil.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "err.invalid_fields", Fields: map[string]string(fe)}
}

// FieldError is an Invalid error on one field.
func FieldError(field, key string) error {
	return &Error{Code: Invalid, Key: "err.invalid_fields", Fields: map[string]string{field: key}}
}

// Merge adds the field errors of err to fe; an error without fields is
// recorded on "form" with its message key. A nil err adds nothing.
func (fe FieldErrors) Merge(err error) {
	var e *Error
	if err == nil {
		return
	}
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for f, k := range e.Fields {
			fe.Add(f, k)
		}
		return
	}
	fe.Add("form", ErrorKey(err))
}

// ErrorKey is the message key of err, "err.invalid" when it has none.
func ErrorKey(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Key != "" {
		return e.Key
	}
	return "err.invalid"
}

// ErrorCode returns the code of err, Internal for errors Ravao did not make.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// IsNotFound reports whether err is a NotFound error.
func IsNotFound(err error) bool { return ErrorCode(err) == NotFound }

type ctxKey int

const requestIDKey ctxKey = 0

// ContextWithRequestID returns ctx carrying the id of the request being
// served, so that audit events and logs can name it.
func ContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
