package sheet

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet of a workbook: its name, a header (bold and frozen
// when not empty) and its rows.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]string
}

// WriteBook writes a workbook of several sheets, in order, each as
// WriteXLSX writes its one: text cells only, holding Clean(cell), with the
// Text format. The sheet names follow WriteXLSX's rules and must differ.
func WriteBook(w io.Writer, sheets []Sheet) error {
	if len(sheets) == 0 {
		return errors.New("sheet: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheets[0].Name); err != nil {
		return fmt.Errorf("sheet: name: %w", err)
	}
	for _, sh := range sheets[1:] {
		if i, _ := f.GetSheetIndex(sh.Name); i >= 0 {
			return fmt.Errorf("sheet: two sheets named %q", sh.Name)
		}
		if _, err := f.NewSheet(sh.Name); err != nil {
			return fmt.Errorf("sheet: name: %w", err)
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for _, sh := range sheets {
		if err := writeSheet(f, sh, st); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// writeSheet streams one sheet's header and rows.
func writeSheet(f *excelize.File, sh Sheet, st styles) error {
	sw, err := f.NewStreamWriter(sh.Name)
	if err != nil {
		return err
	}
	row := 1
	if len(sh.Header) > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := writeRow(sw, row, sh.Header, st.header); err != nil {
			return err
		}
		row++
	}
	for _, cells := range sh.Rows {
		if err := writeRow(sw, row, cells, st.text); err != nil {
			return err
		}
		row++
	}
	return sw.Flush()
}
