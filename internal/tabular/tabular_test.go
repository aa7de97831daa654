package tabular

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
)

// records reads a file and keeps copies of its records.
func records(t *testing.T, name string, b []byte) []Record {
	t.Helper()
	var got []Record
	err := Read(name, bytes.NewReader(b), func(r Record) error {
		r.Cells = append([]string(nil), r.Cells...)
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return got
}

func TestReadCSV(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []Record
	}{
		{"comma", "a,b\n1,2\n", []Record{{Line: 1, Cells: []string{"a", "b"}}, {Line: 2, Cells: []string{"1", "2"}}}},
		{"semicolon BOM CRLF", "\uFEFFa;b;c,d\r\n1;2\r\n", []Record{{Line: 1, Cells: []string{"a", "b", "c,d"}}, {Line: 2, Cells: []string{"1", "2"}}}},
		{"multi-line cell and bad line", "a,b\n\"x\ny\",2\n\"bad\"q,3\nz,4\n", []Record{
			{Line: 1, Cells: []string{"a", "b"}}, {Line: 2, Cells: []string{"x\ny", "2"}}, {Line: 4, Bad: "err.import_csv", Cells: []string{}}, {Line: 5, Cells: []string{"z", "4"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := records(t, "x.CSV", []byte(tc.text))
			for i := range got {
				if got[i].Cells == nil {
					got[i].Cells = []string{}
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadXLSX(t *testing.T) {
	got := records(t, "x.xlsx", testenv.XLSX(t, [][]string{{"a", "b"}, {"", ""}, {"0912345678", "x"}}))
	want := []Record{{Line: 1, Cells: []string{"a", "b"}}, {Line: 2, Cells: []string{}}, {Line: 3, Cells: []string{"0912345678", "x"}}}
	for i := range got {
		if got[i].Cells == nil {
			got[i].Cells = []string{}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"Tổ chức": "to_chuc", "TỔ  CHỨC ": "to_chuc", "Mã số thuế (MST)": "ma_so_thue_mst",
		"o\u031b\u0309": "o", "Đ": "d", "\xff": "\uFFFD", "": "",
	} {
		if got := HeaderKey(in); got != want {
			t.Errorf("HeaderKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeader(t *testing.T) {
	aliases := map[string]string{"ten": "name", "name": "name", "ma": "code", "stt": Ignore, "ghi_chu": Ignore}
	cols, err := Header([]string{"STT", "Tên", "", "Mã", "Ghi chú"}, aliases, []string{"name", "code"})
	if want := []string{Ignore, "name", "", "code", Ignore}; err != nil || !reflect.DeepEqual(cols, want) {
		t.Errorf("got %q %v, want %q", cols, err, want)
	}
	for _, tc := range []struct {
		cells  []string
		key    string
		fields map[string]string
	}{
		{[]string{"ten", "fax"}, "err.import_column", nil},
		{[]string{"ten", "name"}, "err.import_column", nil},
		{[]string{"stt", "ghi chu"}, "err.import_header", map[string]string{"name": "err.required", "code": "err.required"}},
	} {
		_, err := Header(tc.cells, aliases, []string{"name", "code"})
		var e *ravao.Error
		if !errors.As(err, &e) || e.Code != ravao.Invalid || e.Key != tc.key || !reflect.DeepEqual(e.Fields, tc.fields) {
			t.Errorf("%q: got %v, want %s %v", tc.cells, err, tc.key, tc.fields)
		}
	}
}

var schema = Schema{Aliases: map[string]string{"name": "name", "note": "note", "stt": Ignore}, Required: []string{"name"}, MaxRows: 3, HeaderError: "err.test_header"}

// lines reads text with schema, or with no limit of rows.
func lines(text string, unlimited ...bool) ([]Line, error) {
	var got []Line
	s := schema
	if len(unlimited) > 0 {
		s.MaxRows = 0
	}
	err := s.ReadCSV(strings.NewReader(text), func(l Line) error {
		got = append(got, l)
		return nil
	})
	return got, err
}

func TestSchemaLines(t *testing.T) {
	got, err := lines("\n,\nstt,name,note\n1, A ,\n,,\n2,B\xff,x,y\n3,\"q\"q,\n4,Nguye\u0302\u0303n,\n", true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Number: 4, Cells: map[string]string{"name": "A", "note": ""}, Errors: ravao.FieldErrors{}},
		{Number: 6, Cells: map[string]string{"name": "", "note": "x"}, Errors: ravao.FieldErrors{"name": "err.utf8", "row": "err.import_columns"}},
		{Number: 7, Errors: ravao.FieldErrors{"row": "err.import_csv"}, Bad: "err.import_csv"},
	}
	if len(got) != 4 || !reflect.DeepEqual(got[:3], want) {
		t.Fatalf("got %+v, want %+v and a fourth", got, want)
	}
	if n := got[3].Cells["name"]; n != "Nguyễn" {
		t.Errorf("name %q, want NFC Nguyễn", n)
	}
}

func TestSchemaFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, key string }{
		{"empty", "", "err.import_empty"},
		{"only blank lines", "\n,,\n", "err.import_empty"},
		{"missing column", "note\n", "err.test_header"},
		{"unreadable header", "\"name\"x\n", "err.test_header"},
		{"unknown column", "name,fax\n", "err.import_column"},
		{"too many", "name\na\nb\n\nc\n\"d\"x\n", "err.import_too_many"},
	} {
		_, err := lines(tc.text)
		var e *ravao.Error
		if !errors.As(err, &e) || e.Code != ravao.Invalid || e.Key != tc.key {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.key)
		}
	}
	if _, err := lines("name\na\nb\n\nc\n\n"); err != nil {
		t.Errorf("MaxRows lines and blank ones: got %v, want accepted", err)
	}
	for name, b := range map[string][]byte{"x.ods": []byte("x"), "x.xlsx": []byte("PK no")} {
		err := schema.Read(name, bytes.NewReader(b), func(Line) error { return nil })
		if k := ravao.ErrorKey(err); k != map[string]string{"x.ods": "err.import_format", "x.xlsx": "err.import_file"}[name] {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Read("x.csv", strings.NewReader("a\nb\nc\n"), func(Record) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("got %v after %d records, want stop after 1", err, n)
	}
}

func TestCells(t *testing.T) {
	if a, ok := Address("  10  Thụy Khuê,\tTây Hồ "); !ok || a != "10 Thụy Khuê, Tây Hồ" {
		t.Errorf("Address: got %q %v", a, ok)
	}
	for _, bad := range []string{strings.Repeat("a", MaxAddressBytes+1), "a\x01b"} {
		if a, ok := Address(bad); ok || a != "" {
			t.Errorf("Address(%.20q): got %q %v, want refused", bad, a, ok)
		}
	}
	for in, want := range map[string]string{"912345678": "0912345678", "2438234567": "02438234567", "0912345678": "0912345678", "12345": "12345", "112345678": "112345678", "+84912345678": "+84912345678"} {
		if got := PhoneCell(in); got != want {
			t.Errorf("PhoneCell(%q) = %q, want %q", in, got, want)
		}
	}
}
