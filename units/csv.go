package units

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// The CSV columns: the first five are required, the English names
// optional.
var (
	requiredColumns = []string{"code", "parent_code", "level", "name", "full_name"}
	optionalColumns = []string{"name_en", "full_name_en"}
)

// ParseCSV reads units from a CSV file whose header names the columns
// code,parent_code,level,name,full_name and optionally name_en and
// full_name_en, in any order. A row that cannot be a unit gives Invalid
// "err.units_csv_row" with the line number in Args and the column in
// Fields. So do a code listed twice and a level that does not follow its
// parent's when the parent is in the file; a parent that is not in the
// file is checked by Import, against the store.
func ParseCSV(r io.Reader, version string) ([]ravao.Unit, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, headerError(err)
	}
	cols, err := columns(header)
	if err != nil {
		return nil, err
	}
	var out []ravao.Unit
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, rowError(csvLine(err), "row", "err.units_csv_format")
		}
		line, _ := cr.FieldPos(0)
		u, err := row(rec, cols, version, line)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		lines = append(lines, line)
	}
	return out, checkTree(out, lines)
}

// csvLine is the line a csv.Reader error is on, 0 if it does not say.
func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

// columns maps each known column name to its index in the header.
func columns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // Excel writes a BOM
		if _, dup := cols[h]; dup || !known(h) {
			return nil, headerError(nil)
		}
		cols[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := cols[c]; !ok {
			return nil, headerError(nil)
		}
	}
	return cols, nil
}

func known(col string) bool {
	return slices.Contains(requiredColumns, col) || slices.Contains(optionalColumns, col)
}

func headerError(err error) error {
	return &ravao.Error{Code: ravao.Invalid, Key: "err.units_csv_header", Err: err}
}

// row turns one record into a unit and validates it on its own.
func row(rec []string, cols map[string]int, version string, line int) (ravao.Unit, error) {
	get := func(col string) string {
		i, ok := cols[col]
		if !ok || i >= len(rec) {
			return ""
		}
		return clean(rec[i])
	}
	u := ravao.Unit{
		Version: version, Code: get("code"), ParentCode: get("parent_code"),
		Name: get("name"), FullName: get("full_name"), NameEn: get("name_en"), FullNameEn: get("full_name_en"),
	}
	level, err := strconv.Atoi(get("level"))
	if err != nil {
		return u, rowError(line, "level", "err.unit_level")
	}
	u.Level = level
	if err := u.Validate(); err != nil {
		return u, rowFieldsError(line, err)
	}
	return u, nil
}

// checkTree checks what needs the whole file: codes are unique, and a
// unit whose parent is in the file is one level below it.
func checkTree(units []ravao.Unit, lines []int) error {
	level := make(map[string]int, len(units))
	for i, u := range units {
		if _, dup := level[u.Code]; dup {
			return rowError(lines[i], "code", "err.unit_duplicate")
		}
		level[u.Code] = u.Level
	}
	for i, u := range units {
		if pl, ok := level[u.ParentCode]; ok && u.Level != pl+1 {
			return rowError(lines[i], "level", "err.unit_level")
		}
	}
	return nil
}

// rowError is the error for a bad CSV line.
func rowError(line int, field, key string) error {
	return &ravao.Error{Code: ravao.Invalid, Key: "err.units_csv_row", Args: []any{line}, Fields: map[string]string{field: key}, Err: lineCause(line)}
}

// rowFieldsError turns a unit's validation error into the error for its
// line.
func rowFieldsError(line int, err error) error {
	e := &ravao.Error{Code: ravao.Invalid, Key: "err.units_csv_row", Args: []any{line}, Fields: map[string]string{}, Err: lineCause(line)}
	var ve *ravao.Error
	if errors.As(err, &ve) {
		for f, k := range ve.Fields {
			e.Fields[f] = k
		}
	}
	return e
}

// lineCause names the line in the error's text too, for logs and
// terminals that print the error without the catalogue.
func lineCause(line int) error { return fmt.Errorf("line %d", line) }
