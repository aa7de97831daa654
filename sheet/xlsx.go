package sheet

import (
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/ravao/ravao"
	"github.com/xuri/excelize/v2"
)

// maxCellChars is Excel's limit on the text of a cell, in UTF-16 units.
const maxCellChars = excelize.TotalCellChars

// textFormat is the built-in number format "@" (Text): a cell so formatted
// stays text when someone edits it, so that neither "=..." nor a phone
// number such as 0912345678 is re-read as a formula or a number.
const textFormat = 49

// WriteXLSX writes one sheet named name; every cell is a string cell
// (never a formula, never a number guessed from text) holding the exact
// text of Clean(cell), not neutralised: spreadsheets do not evaluate
// string cells. Every cell has the Text format, which keeps it text when
// someone edits it; this covers what Excel's quotePrefix style would,
// which excelize's Style cannot set. The header, when not empty, is bold
// and frozen above the rows. A cell longer than Excel's 32,767 characters
// is an Invalid error ("err.too_long") rather than cut silently; a name
// Excel refuses for a sheet (empty, over 31 characters, with one of
// : \ / ? * [ ]) is an error too. Beyond 16 MB of sheet XML excelize
// spills rows to a temporary file, which is removed before WriteXLSX
// returns.
func WriteXLSX(w io.Writer, name string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return fmt.Errorf("sheet: name: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	row := 1
	if len(header) > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := writeRow(sw, row, header, styles.header); err != nil {
			return err
		}
		row++
	}
	for _, cells := range rows {
		if err := writeRow(sw, row, cells, styles.text); err != nil {
			return err
		}
		row++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// styles are the cell styles of a sheet.
type styles struct{ header, text int }

func newStyles(f *excelize.File) (styles, error) {
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat})
	if err != nil {
		return styles{}, err
	}
	header, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Font: &excelize.Font{Bold: true}})
	return styles{header: header, text: text}, err
}

// writeRow writes the cells of one row as text cells of the given style;
// an empty cell has the style but no value.
func writeRow(sw *excelize.StreamWriter, row int, cells []string, style int) error {
	values := make([]any, len(cells))
	for i, c := range cells {
		c = Clean(c)
		if tooLong(c) {
			return ravao.Errorf(ravao.Invalid, "err.too_long")
		}
		cell := excelize.Cell{StyleID: style}
		if c != "" {
			cell.Value = c
		}
		values[i] = cell
	}
	ref, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	return sw.SetRow(ref, values)
}

// tooLong reports whether Excel could not hold s in a cell.
func tooLong(s string) bool {
	if len(s) <= maxCellChars { // a UTF-16 unit takes at least one byte
		return false
	}
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n > maxCellChars
}
