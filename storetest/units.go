package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

var unitTests = []test{
	{"Units/PutAndGet", testUnits},
	{"Units/Filters", testUnitFilters},
	{"Units/Ancestors", testUnitAncestors},
	{"Units/DuplicateInBatch", testUnitDuplicates},
	{"Units/Country", testUnitsCountry},
}

// tree is a small unit tree: two provinces, a district, two communes.
func tree(version string) []ravao.Unit {
	return []ravao.Unit{
		{Version: version, Code: "35", Level: 1, Name: "Hà Nam", FullName: "Tỉnh Hà Nam", NameEn: "Ha Nam", FullNameEn: "Ha Nam Province"},
		{Version: version, Code: "01", Level: 1, Name: "Hà Nội", FullName: "Thành phố Hà Nội"},
		{Version: version, Code: "347", ParentCode: "35", Level: 2, Name: "Phủ Lý", FullName: "Thành phố Phủ Lý", ValidFrom: "2008-06-01"},
		{Version: version, Code: "13321", ParentCode: "347", Level: 3, Name: "Quang Trung", FullName: "Phường Quang Trung"},
		{Version: version, Code: "13318", ParentCode: "347", Level: 3, Name: "Lương Khánh Thiện", FullName: "Phường Lương Khánh Thiện", ValidTo: "2025-06-30"},
	}
}

func (e *env) putUnits(units []ravao.Unit) int {
	e.t.Helper()
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.PutUnits(units)
		return err
	})
	return n
}

func testUnits(e *env) {
	if n := e.putUnits(tree("2025-03")); n != 5 {
		e.t.Errorf("PutUnits of 5 new units: got %d inserted, want 5", n)
	}
	changed := tree("2025-03")
	changed[0].Name = "Hà Nam (mới)"
	changed = append(changed, ravao.Unit{Version: "2025-03", Code: "13324", ParentCode: "347", Level: 3, Name: "Minh Khai"})
	if n := e.putUnits(changed); n != 1 {
		e.t.Errorf("PutUnits of 5 known units and 1 new: got %d inserted, want 1", n)
	}
	if n := e.putUnits(tree("2026-07")); n != 5 {
		e.t.Errorf("PutUnits of the same codes in another version: got %d inserted, want 5", n)
	}
	e.view(func(tx ravao.Tx) error {
		got, err := tx.Unit("2025-03", "35")
		if err != nil || got != changed[0] {
			e.t.Errorf("Unit after update: got %+v, %v; want %+v", got, err, changed[0])
		}
		want := tree("2025-03")[2]
		if got, err := tx.Unit("2025-03", "347"); err != nil || got != want {
			e.t.Errorf("Unit: got %+v, %v; want %+v", got, err, want)
		}
		_, err = tx.Unit("2025-03", "99")
		wantCode(e.t, "Unit of a missing code", err, ravao.NotFound)
		_, err = tx.Unit("1999-01", "35")
		wantCode(e.t, "Unit of a missing version", err, ravao.NotFound)
		versions, err := tx.UnitVersions()
		if err != nil || !slices.Equal(versions, []string{"2025-03", "2026-07"}) {
			e.t.Errorf("UnitVersions: got %v, %v; want [2025-03 2026-07]", versions, err)
		}
		counts, err := tx.UnitCounts("2025-03")
		if want := map[int]int{1: 2, 2: 1, 3: 3}; err != nil || !maps.Equal(counts, want) {
			e.t.Errorf("UnitCounts: got %v, %v; want %v", counts, err, want)
		}
		counts, err = tx.UnitCounts("1999-01")
		if err != nil || len(counts) != 0 {
			e.t.Errorf("UnitCounts of a missing version: got %v, %v; want empty", counts, err)
		}
		return nil
	})
}

func codes(units []ravao.Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Code
	}
	return out
}

func testUnitFilters(e *env) {
	e.putUnits(tree("2025-03"))
	e.putUnits(tree("2026-07")[:2])
	cases := []struct {
		name string
		f    ravao.UnitFilter
		want []string
	}{
		{"roots", ravao.UnitFilter{Version: "2025-03", Roots: true}, []string{"01", "35"}},
		{"children", ravao.UnitFilter{Version: "2025-03", ParentCode: "347"}, []string{"13318", "13321"}},
		{"level", ravao.UnitFilter{Version: "2025-03", Level: 2}, []string{"347"}},
		{"version", ravao.UnitFilter{Version: "2026-07"}, []string{"01", "35"}},
		{"limit", ravao.UnitFilter{Version: "2025-03", Limit: 2}, []string{"01", "13318"}},
		{"no children", ravao.UnitFilter{Version: "2025-03", ParentCode: "13321"}, []string{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.Units(c.f)
			if err != nil || !slices.Equal(codes(got), c.want) {
				e.t.Errorf("Units(%s): got %v, %v; want %v", c.name, codes(got), err, c.want)
			}
		}
		return nil
	})
}

func testUnitAncestors(e *env) {
	e.putUnits(tree("2025-03"))
	cases := []struct {
		code string
		want []string
	}{
		{"13321", []string{"35", "347"}},
		{"347", []string{"35"}},
		{"35", []string{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.UnitAncestors("2025-03", c.code)
			if err != nil || !slices.Equal(codes(got), c.want) {
				e.t.Errorf("UnitAncestors(%s): got %v, %v; want %v", c.code, codes(got), err, c.want)
			}
		}
		got, _ := tx.UnitAncestors("2025-03", "13321")
		if len(got) == 2 && got[0] != tree("2025-03")[0] {
			e.t.Errorf("UnitAncestors root: got %+v, want %+v", got[0], tree("2025-03")[0])
		}
		_, err := tx.UnitAncestors("2025-03", "99999")
		wantCode(e.t, "UnitAncestors of a missing unit", err, ravao.NotFound)
		return nil
	})
}

func testUnitDuplicates(e *env) {
	units := tree("2025-03")
	again := units[0]
	again.Name = "Last wins"
	if n := e.putUnits(append(units, again)); n != 5 {
		e.t.Errorf("PutUnits with a unit listed twice: got %d inserted, want 5", n)
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Unit("2025-03", "35"); err != nil || got.Name != "Last wins" {
			e.t.Errorf("Unit listed twice: got name %q, %v; want \"Last wins\"", got.Name, err)
		}
		return nil
	})
}

// CountryUnits returns a tree the size of Vietnam's before 2025, for
// benchmarks: 63
// provinces, 700 districts, and communes up to n units in all.
func CountryUnits(n int) []ravao.Unit {
	units := make([]ravao.Unit, 0, n)
	for p := range 63 {
		units = append(units, ravao.Unit{Version: "2025-03", Code: fmt.Sprintf("%02d", p+1), Level: 1, Name: fmt.Sprintf("Tỉnh %d", p+1)})
	}
	for d := range 700 {
		units = append(units, ravao.Unit{Version: "2025-03", Code: fmt.Sprintf("%03d", d+1), ParentCode: fmt.Sprintf("%02d", d%63+1), Level: 2, Name: fmt.Sprintf("Huyện %d", d+1)})
	}
	for c := 0; len(units) < n; c++ {
		units = append(units, ravao.Unit{Version: "2025-03", Code: fmt.Sprintf("%05d", c+1), ParentCode: fmt.Sprintf("%03d", c%700+1), Level: 3, Name: fmt.Sprintf("Xã %d", c+1), FullName: fmt.Sprintf("Xã Số %d", c+1)})
	}
	return units
}

// testUnitsCountry imports a whole country's units, twice, and logs how
// long it took: `go test -v -run Units/Country` shows the figure.
func testUnitsCountry(e *env) {
	units := CountryUnits(10000)
	start := time.Now()
	n := e.putUnits(units)
	first := time.Since(start)
	if n != len(units) {
		e.t.Errorf("PutUnits of %d new units: got %d inserted", len(units), n)
	}
	start = time.Now()
	if n := e.putUnits(units); n != 0 {
		e.t.Errorf("PutUnits of %d known units: got %d inserted, want 0", len(units), n)
	}
	e.t.Logf("PutUnits of %d units: %v new, %v again", len(units), first, time.Since(start))
	if first > 30*time.Second {
		e.t.Errorf("PutUnits of %d units took %v, want seconds at most", len(units), first)
	}
	e.view(func(tx ravao.Tx) error {
		counts, err := tx.UnitCounts("2025-03")
		if want := map[int]int{1: 63, 2: 700, 3: 10000 - 763}; err != nil || !maps.Equal(counts, want) {
			e.t.Errorf("UnitCounts: got %v, %v; want %v", counts, err, want)
		}
		return nil
	})
}

// BenchmarkPutUnits imports a country's worth of units (10,000) into a
// fresh store per iteration; each engine's benchmark calls it.
func BenchmarkPutUnits(b *testing.B, open func(b *testing.B) ravao.Store) {
	units := CountryUnits(10000)
	for b.Loop() {
		b.StopTimer()
		s := open(b)
		b.StartTimer()
		err := s.Update(context.Background(), func(tx ravao.Tx) error {
			_, err := tx.PutUnits(units)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
