package placeimport

import (
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// checkpoints fills the checkpoints or plates of a row: vehicles have one
// checkpoint per plate and no checkpoints column; other places have a count,
// a list of names, or nothing (one checkpoint). Plates under an unknown type
// are not reported: the type is what is wrong.
func (p *parser) checkpoints(row *Row, cps, plates string, fe ravao.FieldErrors) {
	if row.Type != ravao.VenueVehicle {
		if plates != "" && row.Type.Valid() {
			fe.Add(colPlates, "err.import_plates_forbidden")
		}
		row.Checkpoints, row.CheckpointCount = checkpointList(cps, fe)
		return
	}
	if cps != "" {
		fe.Add(colCheckpoints, "err.import_checkpoints_vehicle")
	}
	row.Plates = p.plateList(plates, fe)
	row.CheckpointCount = len(row.Plates)
}

// checkpointList reads "3" as three checkpoints the caller names, and
// "Cổng chính; Cổng phụ" as named checkpoints, all different.
func checkpointList(cell string, fe ravao.FieldErrors) ([]string, int) {
	if cell == "" {
		return nil, 1
	}
	if n, err := strconv.Atoi(cell); err == nil || allDigits(cell) {
		if n < 1 || n > MaxCheckpoints {
			fe.Add(colCheckpoints, "err.import_checkpoints")
			return nil, 0
		}
		return nil, n
	}
	var names []string
	seen := map[string]bool{}
	for _, part := range split(cell) {
		n, err := ravao.NormalizeName(part)
		if err != nil {
			fe.Add(colCheckpoints, ravao.ErrorKey(err))
			return nil, 0
		}
		if seen[strings.ToLower(n)] || len(names) == MaxCheckpoints {
			fe.Add(colCheckpoints, "err.import_checkpoints")
			return nil, 0
		}
		seen[strings.ToLower(n)] = true
		names = append(names, n)
	}
	if len(names) == 0 {
		fe.Add(colCheckpoints, "err.import_checkpoints")
		return nil, 0
	}
	return names, len(names)
}

// plateList normalises the plates of a vehicle: upper case, spaces removed,
// 5 to 12 of A-Z 0-9 . -, each vehicle at most once in the file.
func (p *parser) plateList(cell string, fe ravao.FieldErrors) []string {
	parts := split(cell)
	switch {
	case len(parts) == 0:
		fe.Add(colPlates, "err.import_plates_required")
		return nil
	case len(parts) > MaxCheckpoints:
		fe.Add(colPlates, "err.import_checkpoints")
		return nil
	}
	plates := make([]string, 0, len(parts))
	for _, part := range parts {
		pl := strings.ToUpper(strings.Join(strings.Fields(part), ""))
		if !validPlate(pl) {
			fe.Add(colPlates, "err.import_plate")
			return nil
		}
		k := plateKey(pl)
		if p.plates[k] {
			fe.Add(colPlates, "err.import_plate_duplicate")
			return nil
		}
		p.plates[k] = true
		plates = append(plates, pl)
	}
	return plates
}

// validPlate checks a plate loosely, the way people write them (90B-123.45).
func validPlate(s string) bool {
	if len(s) < 5 || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// plateKey identifies a vehicle whatever the punctuation: 90B-123.45 and
// 90B12345 are the same plate.
func plateKey(s string) string {
	return strings.NewReplacer(".", "", "-", "").Replace(s)
}

// split cuts a cell at semicolons, trimming parts and dropping empty ones
// (a trailing ";" is common).
func split(cell string) []string {
	var parts []string
	for part := range strings.SplitSeq(cell, ";") {
		if part = strings.TrimSpace(part); part != "" {
			parts = append(parts, part)
		}
	}
	return parts
}

// allDigits reports whether s is made of ASCII digits only, so that a huge
// count is refused as a count and not read as a name.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
