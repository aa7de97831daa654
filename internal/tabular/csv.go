package tabular

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

// ReadCSV reads a CSV file, calling fn for every record. The delimiter is a
// comma, or a semicolon when the first line has more semicolons than commas
// (what Excel writes under a Vietnamese locale). A UTF-8 byte order mark is
// skipped. A line that is not valid CSV (a stray quote) is a record flagged
// err.import_csv; an I/O error stops reading with err.import_file.
func ReadCSV(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, sniffBytes)
	if err := skipBOM(br); err != nil {
		return err
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := nextCSV(cr)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fileError(err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
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

// nextCSV reads one record. A line that is not valid CSV becomes a record
// flagged bad, and reading goes on; an I/O error stops.
func nextCSV(cr *csv.Reader) (Record, error) {
	cells, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return Record{Line: pe.StartLine, Bad: "err.import_csv"}, nil
	case err != nil:
		return Record{}, err
	}
	line, _ := cr.FieldPos(0)
	return Record{Line: line, Cells: cells}, nil
}
