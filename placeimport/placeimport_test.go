package placeimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/xuri/excelize/v2"
)

var header = []string{"organisation", "venue", "type", "sector", "unit_code", "address", "contact_name", "contact_phone", "checkpoints", "plates"}

// goodRecords are rows a school system and a transport company would send.
var goodRecords = [][]string{
	header,
	{"Trường THPT Chu Văn An", "Cơ sở 1", "school", "education", "00001", "10 Thụy Khuê, Tây Hồ", "Nguyễn Văn An", "0912 345 678", "Cổng chính; Cổng phụ", ""},
	{"Trường THPT Chu Văn An", "Cơ sở 2", "School", "EDUCATION", "00001", "", "", "+84 24 3823 4567", "3", ""},
	{"Công ty Vận tải Hà Nội", "Xe khách", "vehicle", "transport", "00004", "", "", "0987654321", "", "90B-123.45; 29b 678.90"},
	{"Bệnh viện Bạch Mai", "Khoa Khám bệnh", "hospital", "health", "00006", "", "", "912345678", "", ""},
}

// wantGood is what goodRecords parse to.
var wantGood = []Row{
	{Line: 2, Organisation: "Trường THPT Chu Văn An", Venue: "Cơ sở 1", Type: ravao.VenueSchool, Sector: ravao.SectorEducation, UnitCode: "00001", Address: "10 Thụy Khuê, Tây Hồ", ContactName: "Nguyễn Văn An", ContactPhone: "0912345678", Checkpoints: []string{"Cổng chính", "Cổng phụ"}, CheckpointCount: 2},
	{Line: 3, Organisation: "Trường THPT Chu Văn An", Venue: "Cơ sở 2", Type: ravao.VenueSchool, Sector: ravao.SectorEducation, UnitCode: "00001", ContactPhone: "02438234567", CheckpointCount: 3},
	{Line: 4, Organisation: "Công ty Vận tải Hà Nội", Venue: "Xe khách", Type: ravao.VenueVehicle, Sector: ravao.SectorTransport, UnitCode: "00004", ContactPhone: "0987654321", Plates: []string{"90B-123.45", "29B678.90"}, CheckpointCount: 2},
	{Line: 5, Organisation: "Bệnh viện Bạch Mai", Venue: "Khoa Khám bệnh", Type: ravao.VenueHospital, Sector: ravao.SectorHealth, UnitCode: "00006", ContactPhone: "0912345678", CheckpointCount: 1},
}

func csvBytes(t testing.TB, recs [][]string) []byte {
	t.Helper()
	return csvWith(t, recs, ',', false)
}

func csvWith(t testing.TB, recs [][]string, comma rune, crlf bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	if err := w.WriteAll(recs); err != nil {
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

func TestGoodRowsSameInCSVAndXLSX(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"places.csv", csvBytes(t, goodRecords)},
		{"places.XLSX", testenv.XLSX(t, goodRecords)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, tc.name, tc.b)
			if len(res.Errors) != 0 {
				t.Errorf("errors: got %v, want none", res.Errors)
			}
			if !reflect.DeepEqual(res.Rows, wantGood) {
				t.Errorf("rows:\ngot  %+v\nwant %+v", res.Rows, wantGood)
			}
		})
	}
}

// bulkRecords is a header and n good rows of an industrial zone.
func bulkRecords(n int) [][]string {
	recs := [][]string{header}
	for i := range n {
		recs = append(recs, []string{"Ban quản lý KCN Thăng Long", fmt.Sprintf("Nhà xưởng số %d", i+1), "zone_business", "industry", "00017", "KCN Thăng Long, Đông Anh", "Trần Thị Bình", "0912345678", "2", ""})
	}
	return recs
}

func TestBulkXLSXWithBadRows(t *testing.T) {
	recs := bulkRecords(1000)
	// recs[i] is on line i+1.
	recs[10][2] = "spaceship"   // line 11
	recs[200][7] = "12345"      // line 201
	recs[450][4] = "00-17"      // line 451
	recs[700][9] = "90B-123.45" // line 701: plates on a factory
	recs[999][1] = recs[998][1] // line 1000 repeats line 999
	// A blank row at the end is skipped.
	recs = append(recs, []string{"", "", "", "", "", "", "", "", "", ""})
	res := mustParse(t, "kcn.xlsx", testenv.XLSX(t, recs))
	want := []RowError{
		{Line: 11, Fields: map[string]string{"type": "err.venue_type"}},
		{Line: 201, Fields: map[string]string{"contact_phone": "err.phone"}},
		{Line: 451, Fields: map[string]string{"unit_code": "err.unit_code"}},
		{Line: 701, Fields: map[string]string{"plates": "err.import_plates_forbidden"}},
		{Line: 1000, Fields: map[string]string{"venue": "err.import_duplicate"}},
	}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("errors:\ngot  %v\nwant %v", res.Errors, want)
	}
	if got, want := len(res.Rows), 995; got != want {
		t.Errorf("valid rows: got %d, want %d", got, want)
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
		{"every problem reported", []string{"", "!!", "", "nowhere", "", "", "123", "", "0", "X"},
			map[string]string{"organisation": "err.required", "venue": "err.name_empty", "type": "err.required", "sector": "err.sector", "unit_code": "err.required", "contact_name": "err.name_empty", "contact_phone": "err.required", "checkpoints": "err.import_checkpoints"}},
		{"too many checkpoints", with(8, "201"), map[string]string{"checkpoints": "err.import_checkpoints"}},
		{"huge count", with(8, "99999999999999999999"), map[string]string{"checkpoints": "err.import_checkpoints"}},
		{"repeated checkpoint", with(8, "Cổng A; cổng a"), map[string]string{"checkpoints": "err.import_checkpoints"}},
		{"checkpoint without letter", with(8, "Cổng A; 12"), map[string]string{"checkpoints": "err.name_empty"}},
		{"long address", with(5, strings.Repeat("a", 301)), map[string]string{"address": "err.address"}},
		{"invalid utf-8", with(0, "Tr\xffường"), map[string]string{"organisation": "err.utf8"}},
		{"cell beyond header", append(append([]string(nil), good...), "x"), map[string]string{"row": "err.import_columns"}},
		{"vehicle without plates", with(2, "vehicle"), map[string]string{"plates": "err.import_plates_required", "checkpoints": "err.import_checkpoints_vehicle"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, "x.csv", csvBytes(t, [][]string{header, tc.row}))
			want := []RowError{{Line: 2, Fields: tc.want}}
			if !reflect.DeepEqual(res.Errors, want) || len(res.Rows) != 0 {
				t.Errorf("got rows %v errors %v, want errors %v", res.Rows, res.Errors, want)
			}
		})
	}
}

func TestVehiclePlates(t *testing.T) {
	vehicle := func(plates string) []string {
		return []string{"Công ty Vận tải", "Xe " + plates, "vehicle", "transport", "00004", "", "", "0987654321", "", plates}
	}
	for _, tc := range []struct {
		plates string
		want   string
	}{
		{"90B-123.45", ""},
		{"51f 999.99;", ""},
		{"90B", "err.import_plate"},
		{"90B_123.45", "err.import_plate"},
		{"90B-123.45; 90B12345", "err.import_plate_duplicate"},
		{strings.Repeat("90B-123.45;", 201), "err.import_checkpoints"},
	} {
		res := mustParse(t, "x.csv", csvBytes(t, [][]string{header, vehicle(tc.plates)}))
		got := ""
		if len(res.Errors) > 0 {
			got = res.Errors[0].Fields["plates"]
		}
		if got != tc.want {
			t.Errorf("plates %.30q: got error %q, want %q (%v)", tc.plates, got, tc.want, res.Errors)
		}
	}
}

func TestPlateSeenOnEarlierLine(t *testing.T) {
	row := func(venue, plate string) []string {
		return []string{"Công ty Vận tải", venue, "vehicle", "transport", "00004", "", "", "0987654321", "", plate}
	}
	res := mustParse(t, "x.csv", csvBytes(t, [][]string{header, row("Xe một", "29A-111.11"), row("Xe hai", "29a11111")}))
	want := []RowError{{Line: 3, Fields: map[string]string{"plates": "err.import_plate_duplicate"}}}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("got %v, want %v", res.Errors, want)
	}
}

func TestVietnameseHeaders(t *testing.T) {
	vi := []string{"Tổ chức", "ĐỊA ĐIỂM", "Loại hình", "Ngành", "Mã đơn vị", "Địa chỉ", "Người liên hệ", "Số điện thoại", "Điểm kiểm soát", "Biển số"}
	recs := append([][]string{vi}, goodRecords[1:]...)
	for _, name := range []string{"vi.csv", "vi.xlsx"} {
		var b []byte
		if name == "vi.csv" {
			b = csvBytes(t, recs)
		} else {
			b = testenv.XLSX(t, recs)
		}
		res := mustParse(t, name, b)
		if !reflect.DeepEqual(res.Rows, wantGood) || len(res.Errors) != 0 {
			t.Errorf("%s: got rows %+v errors %v, want %+v", name, res.Rows, res.Errors, wantGood)
		}
	}
}

func TestCSVForms(t *testing.T) {
	plain := string(csvBytes(t, goodRecords[:3]))
	for _, tc := range []struct {
		name, text string
	}{
		{"byte order mark", "\uFEFF" + plain},
		{"semicolons and CRLF", string(csvWith(t, goodRecords[:3], ';', true))},
		{"blank lines", "\n" + strings.Replace(plain, "\n", "\n\n,,,,,,,,,\n", 1)},
		{"columns in another order", reorder(t, goodRecords[:3])},
		{"NFD", nfd(plain)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, "x.csv", []byte(tc.text))
			if len(res.Errors) != 0 || len(res.Rows) != 2 {
				t.Fatalf("got rows %+v errors %v, want 2 rows", res.Rows, res.Errors)
			}
			for i, r := range res.Rows {
				w := wantGood[i]
				r.Line, w.Line = 0, 0
				if !reflect.DeepEqual(r, w) {
					t.Errorf("row %d:\ngot  %+v\nwant %+v", i, r, w)
				}
			}
		})
	}
}

// reorder writes recs with the columns reversed.
func reorder(t *testing.T, recs [][]string) string {
	out := make([][]string, len(recs))
	for i, r := range recs {
		for j := len(r) - 1; j >= 0; j-- {
			out[i] = append(out[i], r[j])
		}
	}
	return string(csvBytes(t, out))
}

// nfd decomposes the Vietnamese letters of the sample the way macOS does.
func nfd(s string) string {
	return strings.NewReplacer("ư", "u\u031b", "ờ", "o\u031b\u0300", "ổ", "o\u0302\u0309", "ở", "o\u031b\u0309", "ơ", "o\u031b").Replace(s)
}

func TestLineNumbers(t *testing.T) {
	bad := "school,education,00001,,,0912345678,,"
	text := "organisation,venue,type,sector,unit_code,address,contact_name,contact_phone,checkpoints,plates\n" +
		"\n" +
		"A,\"Nhà\nhai dòng\"," + bad + "\n" +
		"A,B,spaceship,education,00001,,,0912345678,,\n" +
		"A,\"bad\"quote\",school,education,00001,,,0912345678,,\n" +
		"A,C," + bad + "\n"
	res := mustParse(t, "x.csv", []byte(text))
	var lines []int
	for _, r := range res.Rows {
		lines = append(lines, r.Line)
	}
	if want := []int{3, 7}; !reflect.DeepEqual(lines, want) {
		t.Errorf("row lines: got %v, want %v", lines, want)
	}
	want := []RowError{{Line: 5, Fields: map[string]string{"type": "err.venue_type"}}, {Line: 6, Fields: map[string]string{"row": "err.import_csv"}}}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("errors: got %v, want %v", res.Errors, want)
	}
}

func TestFileErrors(t *testing.T) {
	tooMany := csvBytes(t, bulkRecords(MaxRows+1))
	for _, tc := range []struct {
		name, file string
		b          []byte
		key        string
	}{
		{"format", "places.ods", []byte("x"), "err.import_format"},
		{"empty", "x.csv", nil, "err.import_empty"},
		{"only blank", "x.csv", []byte("\n,,\n"), "err.import_empty"},
		{"missing column", "x.csv", []byte("organisation,venue,type,sector,unit_code\n"), "err.import_header"},
		{"unknown column", "x.csv", []byte("organisation,venue,type,sector,unit_code,contact_phone,fax\n"), "err.import_column"},
		{"repeated column", "x.csv", []byte("organisation,venue,type,sector,unit_code,phone,contact_phone\n"), "err.import_column"},
		{"bad header csv", "x.csv", []byte("\"organisation\"x,venue\n"), "err.import_header"},
		{"too many rows", "x.csv", tooMany, "err.import_too_many"},
		{"not a workbook", "x.xlsx", []byte("PK not really"), "err.import_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.file, bytes.NewReader(tc.b))
			var e *ravao.Error
			if !errors.As(err, &e) || e.Code != ravao.Invalid || e.Key != tc.key {
				t.Errorf("got %v, want invalid %s", err, tc.key)
			}
		})
	}
	if _, err := Parse("x.csv", bytes.NewReader(csvBytes(t, bulkRecords(MaxRows)))); err != nil {
		t.Errorf("%d rows: got %v, want accepted", MaxRows, err)
	}
}

func TestMissingRequiredColumnsNamed(t *testing.T) {
	_, err := ParseCSV(strings.NewReader("venue,type,sector,unit_code\n"))
	var e *ravao.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *ravao.Error", err)
	}
	want := map[string]string{"organisation": "err.required", "contact_phone": "err.required"}
	if !reflect.DeepEqual(e.Fields, want) {
		t.Errorf("fields: got %v, want %v", e.Fields, want)
	}
}

func TestSparseXLSXRowNumbers(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, c := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr("Sheet1", cell, c); err != nil {
			t.Fatal(err)
		}
	}
	row := []any{"A", "B", "school", "education", "00001", "", "", "0912345678", "x\x01", ""}
	if err := f.SetSheetRow("Sheet1", "A7", &row); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	res := mustParse(t, "x.xlsx", b.Bytes())
	if len(res.Errors) != 1 || res.Errors[0].Line != 7 {
		t.Errorf("got errors %v, want one on line 7", res.Errors)
	}
}

func BenchmarkParseXLSX1000(b *testing.B) {
	data := testenv.XLSX(b, bulkRecords(1000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := ParseXLSX(bytes.NewReader(data))
		if err != nil || len(res.Rows) != 1000 {
			b.Fatalf("got %d rows, %v", len(res.Rows), err)
		}
	}
}
