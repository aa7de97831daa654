package placeimport

import (
	"reflect"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
)

func TestTaxCodeColumn(t *testing.T) {
	good := goodRecords[1]
	for _, head := range []string{"tax_code", "MST", "Mã số thuế", "Mã số doanh nghiệp"} {
		recs := [][]string{append(append([]string(nil), header...), head)}
		for _, tc := range []string{"0101234567", "0101 234 567-001", "0101234567001", "", "12345", "0101234567-1", "01012345a7"} {
			recs = append(recs, append(append([]string(nil), good...), tc))
			recs[len(recs)-1][1] = "Cơ sở " + tc // distinct venues
		}
		for _, file := range []struct {
			name string
			b    []byte
		}{{"x.csv", csvBytes(t, recs)}, {"x.xlsx", testenv.XLSX(t, recs)}} {
			res := mustParse(t, file.name, file.b)
			var got []string
			for _, r := range res.Rows {
				got = append(got, r.TaxCode)
			}
			if want := []string{"0101234567", "0101234567-001", "0101234567-001", ""}; !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: tax codes %q, want %q", head, file.name, got, want)
			}
			want := []RowError{
				{Line: 6, Fields: map[string]string{"tax_code": "err.tax_code"}},
				{Line: 7, Fields: map[string]string{"tax_code": "err.tax_code"}},
				{Line: 8, Fields: map[string]string{"tax_code": "err.tax_code"}},
			}
			if !reflect.DeepEqual(res.Errors, want) {
				t.Errorf("%s %s: errors %v, want %v", head, file.name, res.Errors, want)
			}
		}
	}
}
