package questions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// file is the question-set file as decoded, before validation.
type file struct {
	Version       string      `json:"version"`
	ValidityHours *int        `json:"validity_hours"`
	Questions     []*Question `json:"questions"`
}

// fileKeys are the only object keys a question-set file may use, spelled
// exactly: encoding/json matches keys without regard to case, which would
// let "Risk" through.
var fileKeys = map[string]bool{
	"version": true, "validity_hours": true, "questions": true,
	"id": true, "kind": true, "text": true, "help": true, "options": true,
	"risk_if_yes": true, "required": true, "vi": true, "en": true,
	"risk": true, "exclusive": true,
}

// LoadFile reads and validates the question-set file at path.
func LoadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.questions_file", Err: err}
	}
	defer f.Close()
	return Load(f)
}

// Load reads and validates a question-set file. Problems with the content
// come back as field errors keyed by their place in the file
// ("questions[2].options[0].id"), so an administrator can find them.
func Load(r io.Reader) (*Set, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.questions_file", Err: err}
	}
	if len(b) > MaxFileBytes {
		return nil, ravao.Errorf(ravao.TooLarge, "err.too_large")
	}
	return loadBytes(b)
}

func loadBytes(b []byte) (*Set, error) {
	if !utf8.Valid(b) {
		return nil, ravao.Errorf(ravao.Invalid, "err.utf8")
	}
	if err := checkKeys(b); err != nil {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.json", Err: err}
	}
	var f file
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.json", Err: err}
	}
	return f.validate()
}

// checkKeys walks the JSON tokens and refuses a key that no part of the
// format uses, a key given twice in one object (encoding/json would keep
// the last silently), and anything after the top-level value.
func checkKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := walk(dec, 0); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the top-level value")
	}
	return nil
}

// maxDepth is deeper than the format ever nests (set, questions, question,
// options, option, text), so a hostile file cannot recurse for long.
const maxDepth = 8

// walk consumes one JSON value from dec.
func walk(dec *json.Decoder, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, depth)
	case json.Delim('['):
		for dec.More() {
			if err := walk(dec, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

func walkObject(dec *json.Decoder, depth int) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if !fileKeys[key] || seen[key] {
			return errors.New("unknown or repeated key " + strconv.Quote(key))
		}
		seen[key] = true
		if err := walk(dec, depth+1); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}
