package sheet

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteBookWritesEverySheet(t *testing.T) {
	var b bytes.Buffer
	err := WriteBook(&b, []Sheet{
		{Name: "Tổng hợp", Header: []string{"Đơn vị", "Lượt quét"}, Rows: [][]string{{"Phường Quang Trung", "3"}, {"=cmd|' /C calc'!A0", "0"}}},
		{Name: "Không hoạt động", Header: []string{"Tên"}, Rows: [][]string{{"Chợ Bầu"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Tổng hợp", "Không hoạt động"}; !slices.Equal(got, want) {
		t.Fatalf("sheets: got %q, want %q", got, want)
	}
	rows, _ := f.GetRows("Tổng hợp")
	if len(rows) != 3 || rows[1][0] != "Phường Quang Trung" || rows[2][0] != "=cmd|' /C calc'!A0" {
		t.Errorf("first sheet: got %q", rows)
	}
	if formula, _ := f.GetCellFormula("Tổng hợp", "A3"); formula != "" {
		t.Errorf("A3 holds the formula %q, want text", formula)
	}
	rows, _ = f.GetRows("Không hoạt động")
	if len(rows) != 2 || rows[1][0] != "Chợ Bầu" {
		t.Errorf("second sheet: got %q", rows)
	}
}

func TestWriteBookRefusesBadNames(t *testing.T) {
	for _, sheets := range [][]Sheet{
		nil,
		{{Name: "a"}, {Name: "a"}},
		{{Name: "a/b"}},
		{{Name: "a"}, {Name: "b?"}},
	} {
		if err := WriteBook(&bytes.Buffer{}, sheets); err == nil {
			t.Errorf("WriteBook(%v): got no error", sheets)
		}
	}
}
