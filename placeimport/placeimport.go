// Package placeimport turns a bulk registration file of places (CSV or XLSX),
// as industrial-zone boards, school systems and transport companies upload
// it, into validated rows or per-row errors. It writes nothing: checking that
// unit codes exist and storing the places is the caller's job.
package placeimport

import (
	"io"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
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
	TaxCode         string // the organisation's, ravao.NormalizeTaxCode form; "" when none
	Checkpoints     []string
	CheckpointCount int
	Plates          []string
}

// RowError lists every problem of one line: Fields maps a column name
// (organisation, venue, type, sector, unit_code, address, contact_name,
// contact_phone, tax_code, checkpoints, plates, or row for the line as a whole) to a
// message key.
type RowError = tabular.RowError

// Result is a parsed file: the valid rows and the errors, each in file order.
type Result struct {
	Rows   []Row
	Errors []RowError
}

// schema is the shape of a bulk registration file.
var schema = tabular.Schema{Aliases: aliases, Required: required, MaxRows: MaxRows}

// Parse reads a file by the extension of its name: .csv or .xlsx.
func Parse(name string, r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.Read(name, r, p.add))
}

// ParseCSV reads a CSV file: a header row, then one place per line. The
// delimiter is a comma, or a semicolon when the header uses semicolons (what
// Excel writes under a Vietnamese locale). A UTF-8 byte order mark is
// skipped. It fails only when the file cannot be read or its header is
// wrong; bad lines are reported in Result.Errors.
func ParseCSV(r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.ReadCSV(r, p.add))
}

// ParseXLSX reads the first sheet of an XLSX workbook: a header row, then one
// place per row; the line numbers are the sheet's row numbers. Cells are read
// raw, without number formats. It fails only when the workbook cannot be
// read or its header is wrong; bad rows are reported in Result.Errors.
func ParseXLSX(r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.ReadXLSX(r, p.add))
}

// parser holds what earlier lines registered, for the duplicate checks,
// and what was found.
type parser struct {
	seen   map[string]bool
	plates map[string]bool
	res    Result
}

// newParser starts reading a file.
func newParser() *parser {
	return &parser{seen: map[string]bool{}, plates: map[string]bool{}}
}

// result is what was found, or nothing when the file was refused.
func (p *parser) result(err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	return p.res, nil
}

// add validates one data line and files it as a row or an error.
func (p *parser) add(l tabular.Line) error {
	row, fe := p.validate(l)
	if len(fe) > 0 {
		p.res.Errors = append(p.res.Errors, RowError{Line: l.Number, Fields: map[string]string(fe)})
		return nil
	}
	p.res.Rows = append(p.res.Rows, row)
	return nil
}
