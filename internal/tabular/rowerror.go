package tabular

import "slices"

// RowError is every problem of one line of an uploaded file: Fields maps
// a column (or RowField, for the line as a whole) to a message key. The
// place import, rosters and staff lists all report their bad lines so.
type RowError struct {
	Line   int
	Fields map[string]string
}

// RowErrors lists the bad lines of bad (line → column → message key) in
// line order; nil when there are none.
func RowErrors(bad map[int]map[string]string) []RowError {
	if len(bad) == 0 {
		return nil
	}
	out := make([]RowError, 0, len(bad))
	for line, fields := range bad {
		out = append(out, RowError{Line: line, Fields: fields})
	}
	slices.SortFunc(out, func(a, b RowError) int { return a.Line - b.Line })
	return out
}
