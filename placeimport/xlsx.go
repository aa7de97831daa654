package placeimport

import (
	"io"

	"github.com/ravao/ravao"
	"github.com/xuri/excelize/v2"
)

// unzipLimit bounds what an XLSX may expand to, against zip bombs: 10,000
// rows of places are a few megabytes.
const unzipLimit = 64 << 20

// ParseXLSX reads the first sheet of an XLSX workbook: a header row, then one
// place per row; the line numbers are the sheet's row numbers. Cells are read
// raw, without number formats. It fails only when the workbook cannot be
// read or its header is wrong; bad rows are reported in Result.Errors.
func ParseXLSX(r io.Reader) (Result, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipLimit})
	if err != nil {
		return Result{}, &ravao.Error{Code: ravao.Invalid, Key: "err.import_file", Err: err}
	}
	// Close only removes temporary files of a workbook we read; its
	// failure changes nothing about what was parsed.
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Result{}, ravao.Errorf(ravao.Invalid, "err.import_empty")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return Result{}, &ravao.Error{Code: ravao.Invalid, Key: "err.import_file", Err: err}
	}
	defer rows.Close()
	line := 0
	return parse(func() (record, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return record{}, err
			}
			return record{}, io.EOF
		}
		line++
		cells, err := rows.Columns()
		return record{line: line, cells: cells}, err
	})
}
