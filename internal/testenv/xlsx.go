package testenv

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// XLSX writes recs to the first sheet of a new workbook, one record per row
// from row 1, as a spreadsheet program would save a bulk file.
func XLSX(t testing.TB, recs [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, c := range rec {
			row[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
