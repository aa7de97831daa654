package placeimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"

	"github.com/ravao/ravao"
)

// sniffBytes is how much of the file is looked at to guess the delimiter.
const sniffBytes = 64 << 10

// ParseCSV reads a CSV file: a header row, then one place per line. The
// delimiter is a comma, or a semicolon when the header uses semicolons (what
// Excel writes under a Vietnamese locale). A UTF-8 byte order mark is
// skipped. It fails only when the file cannot be read or its header is
// wrong; bad lines are reported in Result.Errors.
func ParseCSV(r io.Reader) (Result, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	if err := skipBOM(br); err != nil {
		return Result{}, err
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return parse(func() (record, error) { return nextCSV(cr) })
}

// skipBOM drops a leading UTF-8 byte order mark.
func skipBOM(br *bufio.Reader) error {
	b, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return ravao.Errorf(ravao.Invalid, "err.import_file")
	}
	if bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3) // cannot fail: the bytes were peeked
	}
	return nil
}

// sniffComma picks ';' when the first line has more semicolons than commas.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(sniffBytes) // a short file gives what there is
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.Count(b, []byte(";")) > bytes.Count(b, []byte(",")) {
		return ';'
	}
	return ','
}

// nextCSV reads one record. A line that is not valid CSV (a stray quote)
// becomes a record flagged bad, and reading goes on; an I/O error stops.
func nextCSV(cr *csv.Reader) (record, error) {
	cells, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return record{line: pe.StartLine, bad: "err.import_csv"}, nil
	case err != nil:
		return record{}, err
	}
	line, _ := cr.FieldPos(0)
	return record{line: line, cells: cells}, nil
}
