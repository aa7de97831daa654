package tabular

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// RowField is the field of a line's problems that concern the line as a
// whole rather than one column.
const RowField = "row"

// Schema is the shape of a file with a header row: the first non-blank
// record is the header, mapped by Header; every other non-blank record is
// a data line.
type Schema struct {
	Aliases  map[string]string // HeaderKey of a header cell → column
	Required []string          // columns the header must have
	// MaxRows is the most data lines a file may hold; more refuses it as
	// a whole (err.import_too_many, with MaxRows) so one upload stays one
	// reviewable batch. 0 for no limit.
	MaxRows int
	// HeaderError is the message key of a header that lacks a required
	// column or cannot be read; err.import_header when empty.
	HeaderError string
}

// Line is one non-blank data line mapped to its columns. Cells holds every
// column of the header, trimmed and in NFC ("" when the line left it
// empty). Errors holds what reading found: err.utf8 on a column,
// err.import_columns on the row for a cell beyond the header (most often an
// unquoted comma that shifted the line). When the line could not be read
// at all, Bad is its message key, Cells is nil and Errors holds Bad on the
// row: there is nothing else to check.
type Line struct {
	Number int
	Cells  map[string]string
	Errors ravao.FieldErrors
	Bad    string
}

// Read reads a file by the extension of its name (see Read), calling fn
// for every data line in order. A file with no header is refused with
// err.import_empty.
func (s Schema) Read(name string, r io.Reader, fn func(Line) error) error {
	return s.read(func(f func(Record) error) error { return Read(name, r, f) }, fn)
}

// ReadCSV is Read for a CSV file.
func (s Schema) ReadCSV(r io.Reader, fn func(Line) error) error {
	return s.read(func(f func(Record) error) error { return ReadCSV(r, f) }, fn)
}

// ReadXLSX is Read for an XLSX workbook.
func (s Schema) ReadXLSX(r io.Reader, fn func(Line) error) error {
	return s.read(func(f func(Record) error) error { return ReadXLSX(r, f) }, fn)
}

// read runs each over the records of a file through a table.
func (s Schema) read(each func(func(Record) error) error, fn func(Line) error) error {
	t := &table{schema: s, fn: fn}
	if err := each(t.feed); err != nil {
		return err
	}
	if t.cols == nil {
		return ravao.Errorf(ravao.Invalid, "err.import_empty")
	}
	return nil
}

// table is what is known while reading one file: its header and how many
// data lines came.
type table struct {
	schema Schema
	fn     func(Line) error
	cols   []string // column per cell index, "" for none
	count  int
}

// feed takes the first non-blank record as the header, the others as data.
func (t *table) feed(rec Record) error {
	if t.cols != nil {
		return t.data(rec)
	}
	if rec.Bad != "" {
		return ravao.Errorf(ravao.Invalid, t.headerError())
	}
	if rec.Blank() {
		return nil
	}
	cols, err := header(rec.Cells, t.schema.Aliases, t.schema.Required, t.headerError())
	t.cols = cols
	return err
}

// headerError is the key of a header without its required columns.
func (t *table) headerError() string {
	if t.schema.HeaderError != "" {
		return t.schema.HeaderError
	}
	return "err.import_header"
}

// data counts a non-blank data record and hands it to fn as a line.
func (t *table) data(rec Record) error {
	if rec.Blank() && rec.Bad == "" {
		return nil
	}
	t.count++
	if most := t.schema.MaxRows; most > 0 && t.count > most {
		return ravao.Errorf(ravao.Invalid, "err.import_too_many", most)
	}
	l := Line{Number: rec.Line, Errors: ravao.FieldErrors{}}
	if rec.Bad != "" {
		l.Bad = rec.Bad
		l.Errors.Add(RowField, rec.Bad)
		return t.fn(l)
	}
	l.Cells = t.cells(rec.Cells, l.Errors)
	return t.fn(l)
}

// cells maps a record to its columns, trimmed and in NFC. Invalid UTF-8
// is reported on its column; a non-empty cell under no column on the row.
func (t *table) cells(raw []string, fe ravao.FieldErrors) map[string]string {
	m := make(map[string]string, len(t.cols))
	for _, col := range t.cols {
		if col != "" && col != Ignore {
			m[col] = ""
		}
	}
	for i, c := range raw {
		c = strings.TrimSpace(c)
		col := ""
		if i < len(t.cols) {
			col = t.cols[i]
		}
		switch {
		case col == Ignore:
		case col == "" && c != "":
			fe.Add(RowField, "err.import_columns")
		case !utf8.ValidString(c):
			fe.Add(col, "err.utf8")
		case col != "":
			m[col] = norm.NFC.String(c)
		}
	}
	return m
}
