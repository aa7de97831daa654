package tabular

import (
	"io"

	"github.com/ravao/ravao"
	"github.com/xuri/excelize/v2"
)

// unzipLimit bounds what an XLSX may expand to, against zip bombs: tens of
// thousands of rows of places are a few megabytes.
const unzipLimit = 64 << 20

// ReadXLSX reads the first sheet of an XLSX workbook, calling fn for every
// row; the line numbers are the sheet's row numbers. Cells are read raw,
// without number formats. A workbook that cannot be read fails with
// err.import_file, one without sheets with err.import_empty.
func ReadXLSX(r io.Reader, fn func(Record) error) error {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipLimit})
	if err != nil {
		return fileError(err)
	}
	// Close only removes temporary files of a workbook we read; its
	// failure changes nothing about what was read.
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return ravao.Errorf(ravao.Invalid, "err.import_empty")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return fileError(err)
	}
	defer func() { _ = rows.Close() }()
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns()
		if err != nil {
			return fileError(err)
		}
		if err := fn(Record{Line: line, Cells: cells}); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fileError(err)
	}
	return nil
}
