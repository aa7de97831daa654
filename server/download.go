package server

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/ravao/ravao/sheet"
)

// writeTable answers a table as a download: an XLSX workbook of one sheet
// when kind is "xlsx", else CSV, named file plus the extension; cells
// that look like formulas are neutralised by the sheet package. Never
// cached: tables hold personal data or audit records.
func writeTable(w http.ResponseWriter, kind, sheetName, file string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	ctype, err := "text/csv; charset=utf-8", error(nil)
	if kind == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = sheet.WriteXLSX(&buf, sheetName, header, rows)
	} else {
		err = sheet.WriteCSV(&buf, header, rows)
	}
	if err != nil {
		return err
	}
	return writeDownload(w, ctype, file+"."+kind, buf.Bytes())
}

// writeDownload answers body as an attachment named name, never cached:
// downloads hold personal data, audit records or reports.
func writeDownload(w http.ResponseWriter, contentType, name string, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	_, err := w.Write(body)
	return err
}
