package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/ravao/ravao"
)

// decodeJSON reads exactly one JSON value into v. Unknown fields, wrong
// types, malformed JSON and trailing data are Invalid "err.json"; a body
// over the limit is TooLarge.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return jsonError(err)
	}
	return nil
}

// jsonError classifies a decoding error.
func jsonError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &ravao.Error{Code: ravao.TooLarge, Key: "err.too_large", Err: err}
	}
	return &ravao.Error{Code: ravao.Invalid, Key: "err.json", Err: err}
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}
