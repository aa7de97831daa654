package rosterfile

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// FuzzParseCSV checks that no input makes the parser panic, that every
// line it reports is either a row that is valid on its own or an error that
// names at least one field, and that no line is reported twice.
func FuzzParseCSV(f *testing.F) {
	f.Add(csvWith(f, goodRecords, ','))
	f.Add(csvWith(f, goodRecords, ';'))
	f.Add([]byte("\uFEFFTên cơ sở;Mã xã;MST;SĐT\nMinh Phát;26734;0101234567;0912345678\nMinh Phat;26734;0101234567-001;\n"))
	f.Add([]byte("name,unit_code,sector,phone\nA,\"x\ny\",giáo dục,84912345678\n\"bad\"q,,,\nA,\xff,other,1\n,,,\nA,1,y te,+84\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseCSV(bytes.NewReader(b))
		if err != nil {
			if ravao.ErrorCode(err) != ravao.Invalid {
				t.Fatalf("got error code %s, want invalid: %v", ravao.ErrorCode(err), err)
			}
			if res.Rows != nil || res.Errors != nil {
				t.Fatalf("got a result with error %v", err)
			}
			return
		}
		if n := len(res.Rows) + len(res.Errors); n > MaxRows {
			t.Errorf("%d lines reported, want at most %d", n, MaxRows)
		}
		lines := map[int]bool{}
		for _, r := range res.Rows {
			checkRow(t, r)
			if r.Line < 1 || lines[r.Line] {
				t.Errorf("row line %d: reported twice or not a line", r.Line)
			}
			lines[r.Line] = true
		}
		for _, e := range res.Errors {
			if len(e.Fields) == 0 || e.Line < 1 || lines[e.Line] {
				t.Errorf("row error %v: want at least one field on a line of its own", e)
			}
			lines[e.Line] = true
		}
		if len(lines) != len(res.Rows)+len(res.Errors) {
			t.Errorf("%d lines for %d rows and %d errors", len(lines), len(res.Rows), len(res.Errors))
		}
	})
}

// checkRow fails t unless r is an entry the store may take as it is.
func checkRow(t *testing.T, r Row) {
	t.Helper()
	if n, err := ravao.NormalizeName(r.Name); err != nil || n != r.Name {
		t.Errorf("line %d: name %q not normalised", r.Line, r.Name)
	}
	if !ravao.ValidUnitCode(r.UnitCode) || r.Sector != "" && !r.Sector.Valid() {
		t.Errorf("line %d: unit %q sector %q", r.Line, r.UnitCode, r.Sector)
	}
	if tc, err := ravao.NormalizeTaxCode(r.TaxCode); r.TaxCode != "" && (err != nil || tc != r.TaxCode) {
		t.Errorf("line %d: tax code %q not normalised", r.Line, r.TaxCode)
	}
	if p, err := ravao.NormalizePhone(r.Phone.Reveal()); r.Phone != "" && (err != nil || p != r.Phone.Reveal()) {
		t.Errorf("line %d: phone not normalised", r.Line)
	}
	if !utf8.ValidString(r.Address) || strings.TrimSpace(r.Address) != r.Address || len(r.Address) > 300 {
		t.Errorf("line %d: address not clean", r.Line)
	}
}
