// Package tabular reads the spreadsheets people upload (CSV or the first
// sheet of an XLSX workbook) as records with their line numbers, and maps
// a header row to the columns a package expects. It knows nothing of what
// the columns mean: placeimport and rosterfile validate the cells.
//
// Whole-file problems are *ravao.Error with the keys err.import_format,
// err.import_file, err.import_empty, err.import_header, err.import_column
// and err.import_too_many; a line that cannot be read as cells
// (err.import_csv) is a record flagged bad, and reading goes on.
package tabular

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/ravao/ravao"
)

// Record is one line of a file as cells, whatever the format. Line is the
// file's line (CSV) or the sheet's row number (XLSX), from 1. Cells may be
// reused by the next record: copy what must outlive the callback.
type Record struct {
	Line  int
	Cells []string
	Bad   string // message key when the line could not be read as cells
}

// Blank reports whether every cell of the record is empty or spaces.
func (r Record) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Read reads a file by the extension of its name, .csv or .xlsx, calling
// fn for every record in order. It stops at the first error fn returns and
// returns it unchanged.
func Read(name string, r io.Reader, fn func(Record) error) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return ReadCSV(r, fn)
	case ".xlsx":
		return ReadXLSX(r, fn)
	}
	return ravao.Errorf(ravao.Invalid, "err.import_format")
}

// fileError is the error of a file that could not be read.
func fileError(err error) error {
	return &ravao.Error{Code: ravao.Invalid, Key: "err.import_file", Err: err}
}
