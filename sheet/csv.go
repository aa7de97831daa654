package sheet

import (
	"bufio"
	"io"
	"strings"
)

// bom opens every CSV file: without it Excel reads UTF-8 as the local
// code page and Vietnamese names come out garbled.
const bom = "\uFEFF"

// WriteCSV writes UTF-8 with a BOM (so Excel shows Vietnamese), CRLF line
// ends, every cell cleaned (see Clean) and neutralised (see Neutralise).
// The header is the first record unless it is empty; rows shorter than
// the header are padded with empty cells, so that the table stays
// rectangular, and a record with no cell at all is written as one empty
// quoted cell, so that readers do not skip it as a blank line. Cells are
// quoted only when they must be (a comma, a double quote, a line break).
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(bom)
	if len(header) > 0 {
		writeRecord(bw, header, 0)
	}
	for _, row := range rows {
		writeRecord(bw, row, len(header))
	}
	// A bufio.Writer keeps its first error; Flush returns it.
	return bw.Flush()
}

// writeRecord writes one CSV record of at least width cells.
func writeRecord(w *bufio.Writer, cells []string, width int) {
	n := max(len(cells), width, 1)
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		var c string
		if i < len(cells) {
			c = Neutralise(Clean(cells[i]))
		}
		writeField(w, c, n == 1)
	}
	w.WriteString("\r\n")
}

// writeField writes one cell, quoted when a reader needs it to be: the
// only cell of a record is quoted when empty.
func writeField(w *bufio.Writer, c string, alone bool) {
	if !(alone && c == "") && !strings.ContainsAny(c, "\",\r\n") {
		w.WriteString(c)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(c, `"`, `""`))
	w.WriteByte('"')
}
