// Package placeimport turns a bulk registration file of places (CSV or XLSX),
// as industrial-zone boards, school systems and transport companies upload
// it, into validated rows or per-row errors. It writes nothing: checking that
// unit codes exist and storing the places is the caller's job.
package placeimport

import (
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/ravao/ravao"
)

// MaxRows is the largest number of data rows one file may hold; more is
// refused as a whole (err.import_too_many) so one upload stays one reviewable
// batch.
const MaxRows = 10000

// MaxCheckpoints is the most checkpoints (or plates) one row may ask for.
const MaxCheckpoints = 200

// Row is one valid place of the file, normalised. Checkpoints holds the
// checkpoint names when the file gave names; when it gave a count or nothing,
// Checkpoints is nil and the caller names CheckpointCount checkpoints itself
// (user-facing names belong to the message catalogue, not to this package).
// For vehicles, Checkpoints is nil and there is one checkpoint per plate.
type Row struct {
	Line            int
	Organisation    string
	Venue           string
	Type            ravao.VenueType
	Sector          ravao.Sector
	UnitCode        string
	Address         string
	ContactName     ravao.PII
	ContactPhone    ravao.PII
	Checkpoints     []string
	CheckpointCount int
	Plates          []string
}

// RowError lists every problem of one line: Fields maps a column name
// (organisation, venue, type, sector, unit_code, address, contact_name,
// contact_phone, checkpoints, plates, or row for the line as a whole) to a
// message key.
type RowError struct {
	Line   int
	Fields map[string]string
}

// Result is a parsed file: the valid rows and the errors, each in file order.
type Result struct {
	Rows   []Row
	Errors []RowError
}

// Parse reads a file by the extension of its name: .csv or .xlsx.
func Parse(name string, r io.Reader) (Result, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return ParseCSV(r)
	case ".xlsx":
		return ParseXLSX(r)
	}
	return Result{}, ravao.Errorf(ravao.Invalid, "err.import_format")
}

// record is one line of the file as cells, whatever the format.
type record struct {
	line  int
	cells []string
	bad   string // message key when the line could not be read as cells
}

// parser holds what is known while reading one file: the header and what
// earlier lines registered, for the duplicate checks.
type parser struct {
	cols   []string // canonical column per cell index, "" for none
	seen   map[string]bool
	plates map[string]bool
	count  int
	res    Result
}

// add validates one data record and files it as a row or an error.
func (p *parser) add(rec record) error {
	if blank(rec.cells) && rec.bad == "" {
		return nil
	}
	p.count++
	if p.count > MaxRows {
		return ravao.Errorf(ravao.Invalid, "err.import_too_many", MaxRows)
	}
	row, fe := p.validate(rec)
	if len(fe) > 0 {
		p.res.Errors = append(p.res.Errors, RowError{Line: rec.line, Fields: map[string]string(fe)})
		return nil
	}
	p.res.Rows = append(p.res.Rows, row)
	return nil
}

// blank reports whether every cell is empty or spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parse reads the header, then every record, from next until io.EOF.
func parse(next func() (record, error)) (Result, error) {
	p := &parser{seen: map[string]bool{}, plates: map[string]bool{}}
	for {
		rec, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, &ravao.Error{Code: ravao.Invalid, Key: "err.import_file", Err: err}
		}
		if err := p.feed(rec); err != nil {
			return Result{}, err
		}
	}
	if p.cols == nil {
		return Result{}, ravao.Errorf(ravao.Invalid, "err.import_empty")
	}
	return p.res, nil
}

// feed takes the first non-blank record as the header, the others as data.
func (p *parser) feed(rec record) error {
	if p.cols != nil {
		return p.add(rec)
	}
	if rec.bad != "" {
		return ravao.Errorf(ravao.Invalid, "err.import_header")
	}
	if blank(rec.cells) {
		return nil
	}
	cols, err := readHeader(rec.cells)
	p.cols = cols
	return err
}
