package rosterfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/xuri/excelize/v2"
)

var header = []string{"STT", "Tên cơ sở", "Địa chỉ", "Mã xã", "Ngành", "MST", "SĐT"}

// goodRecords are what a commune would send.
var goodRecords = [][]string{
	header,
	{"1", "Công ty TNHH Minh Phát", "  12 Lê Lợi,  Phường Bến Thành ", "26734", "khu công nghiệp", "0101234567", "0912 345 678"},
	{"2", "Trường Tiểu học Kim Đồng", "", "26734", "EDUCATION", "", ""},
	{"3", "Chợ Bến Thành", "", "26737", "", "0101234567001", "912345679"},
	{"4", "Nhà thuốc An Khang", "", "26737", "Y tế", "", "+84 28 3823 4567"},
}

var wantGood = []Row{
	{Line: 2, Name: "Công ty TNHH Minh Phát", Address: "12 Lê Lợi, Phường Bến Thành", UnitCode: "26734", Sector: ravao.SectorIndustry, TaxCode: "0101234567", Phone: "0912345678"},
	{Line: 3, Name: "Trường Tiểu học Kim Đồng", UnitCode: "26734", Sector: ravao.SectorEducation},
	{Line: 4, Name: "Chợ Bến Thành", UnitCode: "26737", TaxCode: "0101234567-001", Phone: "0912345679"},
	{Line: 5, Name: "Nhà thuốc An Khang", UnitCode: "26737", Sector: ravao.SectorHealth, Phone: "02838234567"},
}

func csvWith(t testing.TB, recs [][]string, comma rune) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = comma
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xlsx writes recs to the first sheet of a workbook, numbers as numbers
// where a spreadsheet would store them so.
func xlsx(t testing.TB, recs [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, c := range rec {
			row[j] = c
			if n, err := strconv.Atoi(c); i > 0 && err == nil && !strings.HasPrefix(c, "0") {
				row[j] = n
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustParse(t testing.TB, name string, b []byte) Result {
	t.Helper()
	res, err := Parse(name, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return res
}

func TestGoodFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"comma.csv", csvWith(t, goodRecords, ',')},
		{"semicolon.csv", csvWith(t, goodRecords, ';')},
		{"bom.csv", append([]byte("\uFEFF"), csvWith(t, goodRecords, ';')...)},
		{"roster.XLSX", xlsx(t, goodRecords)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, tc.name, tc.b)
			if len(res.Errors) != 0 || !reflect.DeepEqual(res.Rows, wantGood) {
				t.Errorf("got rows\n%+v\nerrors %v, want\n%+v", res.Rows, res.Errors, wantGood)
			}
		})
	}
}

func TestEnglishHeadersAndBlankLines(t *testing.T) {
	text := "\nname,unit_code,tax_code\n\n,,\nChợ Bến Thành,26737,0101234567\n"
	res := mustParse(t, "x.csv", []byte(text))
	want := []Row{{Line: 5, Name: "Chợ Bến Thành", UnitCode: "26737", TaxCode: "0101234567"}}
	if len(res.Errors) != 0 || !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("got %+v %v, want %+v", res.Rows, res.Errors, want)
	}
}

func TestRowErrors(t *testing.T) {
	good := goodRecords[1]
	with := func(col int, v string) []string {
		r := append([]string(nil), good...)
		r[col] = v
		return r
	}
	for _, tc := range []struct {
		name string
		row  []string
		want map[string]string
	}{
		{"short line", with(3, "")[:2:2], map[string]string{"unit_code": "err.required"}},
		{"every problem reported", []string{"1", "!!", strings.Repeat("a", 301), "00-17", "nowhere", "12345", "12345"},
			map[string]string{"name": "err.name_empty", "address": "err.address", "unit_code": "err.unit_code", "sector": "err.sector", "tax_code": "err.tax_code", "phone": "err.phone"}},
		{"empty name", with(1, " "), map[string]string{"name": "err.required"}},
		{"control in address", with(2, "12\x01 Lê Lợi"), map[string]string{"address": "err.address"}},
		{"branch dash misplaced", with(5, "010123456-7001"), map[string]string{"tax_code": "err.tax_code"}},
		{"invalid utf-8", with(1, "Ch\xff"), map[string]string{"name": "err.utf8"}},
		{"cell beyond header", append(append([]string(nil), good...), "x"), map[string]string{"row": "err.import_columns"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, "x.csv", csvWith(t, [][]string{header, tc.row}, ','))
			want := []RowError{{Line: 2, Fields: tc.want}}
			if !reflect.DeepEqual(res.Errors, want) || len(res.Rows) != 0 {
				t.Errorf("got rows %v errors %v, want errors %v", res.Rows, res.Errors, want)
			}
		})
	}
	res := mustParse(t, "x.csv", []byte("name,unit_code\nA,26734\n\"bad\"q,1\n"))
	if want := []RowError{{Line: 3, Fields: map[string]string{"row": "err.import_csv"}}}; !reflect.DeepEqual(res.Errors, want) || len(res.Rows) != 1 {
		t.Errorf("bad CSV line: got %v %v, want %v", res.Rows, res.Errors, want)
	}
}

func TestDuplicates(t *testing.T) {
	recs := [][]string{
		{"name", "unit_code", "tax_code", "phone"},
		{"Công ty TNHH Minh Phát", "26734", "0101234567", "0912345678"},
		{"Minh Phát", "26734", "", ""},                          // same unit and name key
		{"Minh Phát", "26737", "0101234567", ""},                // other unit, same tax code
		{"Cửa hàng Hoa", "26737", "", "912345678"},              // same phone
		{"Cửa hàng Lan", "26737", "0101234567-001", "09123456"}, // a branch is another code; bad phone
		{"Cửa hàng Lan", "26737", "0101234567-001", ""},         // seen on a line with an error
	}
	res := mustParse(t, "x.csv", csvWith(t, recs, ','))
	want := []RowError{
		{Line: 3, Fields: map[string]string{"name": "err.duplicate"}},
		{Line: 4, Fields: map[string]string{"tax_code": "err.duplicate"}},
		{Line: 5, Fields: map[string]string{"phone": "err.duplicate"}},
		{Line: 6, Fields: map[string]string{"phone": "err.phone"}},
		{Line: 7, Fields: map[string]string{"name": "err.duplicate", "tax_code": "err.duplicate"}},
	}
	if !reflect.DeepEqual(res.Errors, want) || len(res.Rows) != 1 || res.Rows[0].Line != 2 {
		t.Errorf("got rows %+v errors\n%v, want\n%v", res.Rows, res.Errors, want)
	}
}

func TestSectorNames(t *testing.T) {
	for cell, want := range map[string]ravao.Sector{
		"giáo dục": ravao.SectorEducation, "Lao động": ravao.SectorLabour, "GIAO THONG VAN TAI": ravao.SectorTransport,
		"y tế": ravao.SectorHealth, "industry": ravao.SectorIndustry, "Thương mại": ravao.SectorCommerce,
		"nơi công cộng": ravao.SectorPublic, "khác": ravao.SectorOther, "  Commerce ": ravao.SectorCommerce,
	} {
		res := mustParse(t, "x.csv", []byte("name,unit_code,sector\nA,26734,"+cell+"\n"))
		if len(res.Rows) != 1 || res.Rows[0].Sector != want {
			t.Errorf("sector %q: got %+v %v, want %s", cell, res.Rows, res.Errors, want)
		}
	}
}

// bulk is a header and n good rows.
func bulk(n int) [][]string {
	recs := [][]string{{"name", "unit_code"}}
	for i := range n {
		recs = append(recs, []string{fmt.Sprintf("Cơ sở %d", i+1), "26734"})
	}
	return recs
}

func TestFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		b          []byte
		key        string
		fields     map[string]string
	}{
		{"format", "roster.ods", []byte("x"), "err.import_format", nil},
		{"empty", "x.csv", nil, "err.import_empty", nil},
		{"missing unit code", "x.csv", []byte("Tên cơ sở,Địa chỉ\n"), "err.roster_header", map[string]string{"unit_code": "err.required"}},
		{"missing both", "x.csv", []byte("stt,mst\n"), "err.roster_header", map[string]string{"name": "err.required", "unit_code": "err.required"}},
		{"unknown column", "x.csv", []byte("name,unit_code,fax\n"), "err.import_column", nil},
		{"invalid utf-8 header", "x.csv", []byte("name,unit_code,\xff\n"), "err.import_column", nil},
		{"too many rows", "x.csv", csvWith(t, bulk(MaxRows+1), ','), "err.import_too_many", nil},
		{"not a workbook", "x.xlsx", []byte("PK not really"), "err.import_file", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.file, bytes.NewReader(tc.b))
			var e *ravao.Error
			if !errors.As(err, &e) || e.Code != ravao.Invalid || e.Key != tc.key || len(tc.fields) > 0 && !reflect.DeepEqual(e.Fields, tc.fields) {
				t.Errorf("got %v %v, want invalid %s %v", err, e, tc.key, tc.fields)
			}
			if res.Rows != nil || res.Errors != nil {
				t.Errorf("got a result %v with an error", res)
			}
		})
	}
	res, err := ParseCSV(bytes.NewReader(csvWith(t, bulk(MaxRows), ',')))
	if err != nil || len(res.Rows) != MaxRows {
		t.Errorf("%d rows: got %d, %v, want accepted", MaxRows, len(res.Rows), err)
	}
}

func TestInvalidUTF8Everywhere(t *testing.T) {
	res := mustParse(t, "x.csv", []byte("name;unit_code;address;phone\n\xff;\xfe;\xc3;\xe1\n"))
	want := []RowError{{Line: 2, Fields: map[string]string{"name": "err.utf8", "unit_code": "err.utf8", "address": "err.utf8", "phone": "err.utf8"}}}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("got %v, want %v", res.Errors, want)
	}
}
