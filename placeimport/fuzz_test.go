package placeimport

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// FuzzParseCSV checks that no input makes the parser panic, and that every
// line it reports is either a row that is valid on its own or an error that
// names at least one field.
func FuzzParseCSV(f *testing.F) {
	f.Add(csvBytes(f, goodRecords))
	f.Add([]byte("\uFEFFTổ chức;Địa điểm;Loại;Ngành;Mã đơn vị;SĐT;Biển số\nA;B;vehicle;transport;01;0912345678;\"90B-1.23; 29A-55.55\"\n"))
	f.Add([]byte("organisation,venue,type,sector,unit_code,contact_phone,checkpoints\nA,\"x\ny\",school,education,1,84912345678,0\n\"bad\"q,,,,,,\nA,B,other,other,\xff,1,;;\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseCSV(bytes.NewReader(b))
		if err != nil {
			if ravao.ErrorCode(err) != ravao.Invalid {
				t.Fatalf("got error code %s, want invalid: %v", ravao.ErrorCode(err), err)
			}
			return
		}
		lines := map[int]bool{}
		for _, r := range res.Rows {
			checkRow(t, r)
			if lines[r.Line] {
				t.Errorf("line %d reported twice", r.Line)
			}
			lines[r.Line] = true
		}
		for _, e := range res.Errors {
			if len(e.Fields) == 0 || e.Line < 1 || lines[e.Line] {
				t.Errorf("row error %v: want at least one field on a line of its own", e)
			}
			lines[e.Line] = true
		}
	})
}

// checkRow fails t unless r is a row the store may take as it is.
func checkRow(t *testing.T, r Row) {
	t.Helper()
	for _, name := range append([]string{r.Organisation, r.Venue}, r.Checkpoints...) {
		if n, err := ravao.NormalizeName(name); err != nil || n != name {
			t.Errorf("line %d: name %q not normalised", r.Line, name)
		}
	}
	if !r.Type.Valid() || !r.Sector.Valid() || !ravao.ValidUnitCode(r.UnitCode) {
		t.Errorf("line %d: type %q sector %q unit %q", r.Line, r.Type, r.Sector, r.UnitCode)
	}
	if p, err := ravao.NormalizePhone(r.ContactPhone.Reveal()); err != nil || p != r.ContactPhone.Reveal() {
		t.Errorf("line %d: phone not normalised", r.Line)
	}
	if !utf8.ValidString(r.Address) || strings.TrimSpace(r.Address) != r.Address {
		t.Errorf("line %d: address not clean", r.Line)
	}
	vehicle := r.Type == ravao.VenueVehicle
	if vehicle != (len(r.Plates) > 0) || r.CheckpointCount < 1 || r.CheckpointCount > MaxCheckpoints {
		t.Errorf("line %d: type %s with %d plates, %d checkpoints", r.Line, r.Type, len(r.Plates), r.CheckpointCount)
	}
	for _, p := range r.Plates {
		if !validPlate(p) {
			t.Errorf("line %d: plate %q", r.Line, p)
		}
	}
}
