package tabular

import (
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// Ignore is the column an alias maps to for a header cell that is known
// and left unread, such as a row number ("STT"): its cells are not
// reported as beyond the header.
const Ignore = "-"

// HeaderKey folds a header cell for matching: NFC, lower case, no
// diacritics, and every run of other characters made one underscore, so
// "Tổ chức", "To chuc" and "TỔ CHỨC" all give "to_chuc". Invalid UTF-8
// gives a key no alias has.
func HeaderKey(s string) string {
	if !utf8.ValidString(s) {
		return "\uFFFD"
	}
	var b strings.Builder
	sep := false
	for _, r := range ravao.FoldDiacritics(norm.NFC.String(s)) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	return b.String()
}

// Header maps the header cells to columns through aliases (keyed by
// HeaderKey): the result holds the column of each cell, "" for an empty
// cell. An unknown or repeated column refuses the file (err.import_column,
// with the 1-based column number), for a misspelt column would otherwise
// drop data silently; a missing required column refuses it with
// err.import_header, each missing column in Fields as err.required.
func Header(cells []string, aliases map[string]string, required []string) ([]string, error) {
	return header(cells, aliases, required, "err.import_header")
}

// header is Header with the key of a missing required column.
func header(cells []string, aliases map[string]string, required []string, missing string) ([]string, error) {
	cols := make([]string, len(cells))
	have := map[string]bool{}
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		col, ok := aliases[HeaderKey(c)]
		if !ok || have[col] && col != Ignore {
			return nil, ravao.Errorf(ravao.Invalid, "err.import_column", i+1)
		}
		have[col] = true
		cols[i] = col
	}
	fe := ravao.FieldErrors{}
	for _, col := range required {
		if !have[col] {
			fe.Add(col, "err.required")
		}
	}
	if len(fe) > 0 {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: missing, Fields: fe}
	}
	return cols, nil
}
