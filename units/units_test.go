package units_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/units"
)

// engines runs fn once per SQL engine, each on a fresh database.
func engines(t *testing.T, fn func(t *testing.T, store ravao.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ravao.db"), ravao.SystemClock{}, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := postgres.Open(context.Background(), testenv.PostgresDB(t), ravao.SystemClock{}, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
}

// parseShared parses one of the national lists in ../shared.
func parseShared(t *testing.T, name string) []ravao.Unit {
	t.Helper()
	f, err := os.Open(testenv.Shared(t, "data/admin-units/"+name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	list, err := units.ParseJSON(f, units.VersionFromFilename(name))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	t.Logf("%s: parsed %d units in %v", name, len(list), time.Since(start).Round(time.Millisecond))
	return list
}

func view(t *testing.T, store ravao.Store, fn func(tx ravao.Tx) error) {
	t.Helper()
	if err := store.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestImportNationalLists(t *testing.T) {
	files := []struct {
		name    string
		version string
		counts  map[int]int
		unit    string   // a known unit
		path    []string // its ancestors, root first
		name0   string
	}{
		{"vn-units-2025-03.json", "2025-03", map[int]int{1: 63, 2: 696, 3: 10035}, "13285", []string{"35", "347"}, "Quang Trung"},
		{"vn-units-2026-07.json", "2026-07", map[int]int{1: 34, 2: 3321}, "00004", []string{"01"}, "Ba Đình"},
	}
	parsed := map[string][]ravao.Unit{}
	for _, f := range files {
		parsed[f.name] = parseShared(t, f.name)
	}
	engines(t, func(t *testing.T, store ravao.Store) {
		ctx := context.Background()
		for _, f := range files {
			list := parsed[f.name]
			calls, lastDone := 0, 0
			start := time.Now()
			res, err := units.Import(ctx, store, list, func(done, total int) {
				calls++
				if done <= lastDone || total != len(list) {
					t.Errorf("progress went from %d to %d of %d", lastDone, done, total)
				}
				lastDone = done
			})
			if err != nil {
				t.Fatalf("import %s: %v", f.name, err)
			}
			t.Logf("%s on %s: imported %d units in %v", f.name, t.Name(), res.Total, time.Since(start).Round(time.Millisecond))
			if res.Version != f.version || res.Inserted != len(list) || lastDone != len(list) || calls < 2 {
				t.Errorf("got %+v after %d progress calls ending at %d, want version %s, %d inserted",
					res, calls, lastDone, f.version, len(list))
			}
			view(t, store, func(tx ravao.Tx) error {
				counts, err := tx.UnitCounts(f.version)
				if err != nil {
					return err
				}
				for lvl, want := range f.counts {
					if counts[lvl] != want {
						t.Errorf("%s level %d: got %d units, want %d", f.version, lvl, counts[lvl], want)
					}
				}
				if len(counts) != len(f.counts) {
					t.Errorf("%s: got levels %v, want %v", f.version, counts, f.counts)
				}
				u, err := tx.Unit(f.version, f.unit)
				if err != nil || u.Name != f.name0 {
					t.Errorf("%s unit %s: got %q, %v; want %q", f.version, f.unit, u.Name, err, f.name0)
				}
				anc, err := tx.UnitAncestors(f.version, f.unit)
				if err != nil {
					return err
				}
				if got := ravao.UnitPath(anc, u); strings.Join(got, "/") != strings.Join(append(f.path, f.unit), "/") {
					t.Errorf("%s unit %s: got path %v, want %v", f.version, f.unit, got, append(f.path, f.unit))
				}
				return nil
			})
			again := time.Now()
			res, err = units.Import(ctx, store, list, nil)
			if err != nil || res.Inserted != 0 || res.Total != len(list) {
				t.Errorf("re-import %s: got %+v, %v; want 0 inserted of %d", f.name, res, err, len(list))
			}
			t.Logf("%s on %s: re-imported in %v", f.name, t.Name(), time.Since(again).Round(time.Millisecond))
		}
		view(t, store, func(tx ravao.Tx) error {
			haNam, err := tx.Unit("2025-03", "35")
			if err != nil || haNam.FullName != "Tỉnh Hà Nam" || haNam.Level != 1 {
				t.Errorf("2025-03 unit 35: got %+v, %v; want Tỉnh Hà Nam", haNam, err)
			}
			districts, err := tx.Units(ravao.UnitFilter{Version: "2025-03", ParentCode: "35"})
			if err != nil || len(districts) != 6 {
				t.Errorf("Hà Nam in 2025-03: got %d districts, %v; want 6", len(districts), err)
			}
			ninhBinh, err := tx.Unit("2026-07", "37")
			if err != nil || ninhBinh.Name != "Ninh Bình" || ninhBinh.Level != 1 {
				t.Errorf("2026-07 unit 37: got %+v, %v; want Ninh Bình", ninhBinh, err)
			}
			if _, err := tx.Unit("2026-07", "35"); !ravao.IsNotFound(err) {
				t.Errorf("2026-07 unit 35: got %v, want NotFound (Hà Nam merged into Ninh Bình)", err)
			}
			active, err := tx.Setting(units.ActiveVersionSetting)
			if err != nil || active != "2025-03" {
				t.Errorf("active version: got %q, %v; want the first imported, 2025-03", active, err)
			}
			evs, err := tx.AuditEvents(ravao.AuditFilter{Action: "units.import"})
			if err != nil || len(evs) != 4 {
				t.Errorf("got %d units.import events, %v; want 4", len(evs), err)
			} else if evs[0].ObjectID != "2026-07" || evs[0].ObjectType != "units" {
				t.Errorf("latest event: got %+v, want object units 2026-07", evs[0])
			}
			return nil
		})
	})
}

func TestImportCSVBadRowWritesNothing(t *testing.T) {
	const good = "code,parent_code,level,name,full_name\n" +
		"35,,1,Hà Nam,Tỉnh Hà Nam\n" +
		"347,35,2,Phủ Lý,Thành phố Phủ Lý\n" +
		"13285,347,3,Quang Trung,Phường Quang Trung\n"
	tests := []struct {
		name, extra string
		line        int // 0: the error comes from Import, naming the unit
		field, key  string
	}{
		{"wrong level", "13291,347,2,Lê Hồng Phong,Phường Lê Hồng Phong\n", 5, "level", "err.unit_level"},
		{"level not a number", "13291,347,ba,Lê Hồng Phong,\n", 5, "level", "err.unit_level"},
		{"empty name", "13291,347,3, ,Phường Lê Hồng Phong\n", 5, "name", "err.unit_name"},
		{"duplicate code", "347,35,2,Phủ Lý,\n", 5, "code", "err.unit_duplicate"},
		{"bad code", "13 291,347,3,Lê Hồng Phong,\n", 5, "code", "err.unit_code"},
		{"missing column", "13291,347,3\n", 5, "row", "err.units_csv_format"},
		{"unknown parent", "13291,999,3,Lê Hồng Phong,\n", 0, "parent_code", "err.unit_parent"},
	}
	engines(t, func(t *testing.T, store ravao.Store) {
		ctx := context.Background()
		for _, tt := range tests {
			list, err := units.ParseCSV(strings.NewReader(good+tt.extra), "csv-test")
			if err == nil {
				_, err = units.Import(ctx, store, list, nil)
			}
			var re *ravao.Error
			if !errors.As(err, &re) || re.Code != ravao.Invalid || re.Fields[tt.field] != tt.key {
				t.Errorf("%s: got %v, want Invalid with %s: %s", tt.name, err, tt.field, tt.key)
				continue
			}
			switch {
			case tt.line > 0 && (re.Key != "err.units_csv_row" || len(re.Args) != 1 || re.Args[0] != tt.line):
				t.Errorf("%s: got %s %v, want err.units_csv_row naming line %d", tt.name, re.Key, re.Args, tt.line)
			case tt.line == 0 && (re.Key != "err.units_unit" || len(re.Args) != 1 || re.Args[0] != "13291"):
				t.Errorf("%s: got %s %v, want err.units_unit naming 13291", tt.name, re.Key, re.Args)
			}
		}
		view(t, store, func(tx ravao.Tx) error {
			if n, _ := tx.UnitCounts("csv-test"); len(n) != 0 {
				t.Errorf("got units %v after refused imports, want none", n)
			}
			return nil
		})
		list, err := units.ParseCSV(strings.NewReader(good), "csv-test")
		if err != nil {
			t.Fatal(err)
		}
		if res, err := units.Import(ctx, store, list, nil); err != nil || res.Inserted != 3 {
			t.Fatalf("good CSV: got %+v, %v; want 3 inserted", res, err)
		}
		// A later file may add communes under districts already stored.
		more, err := units.ParseCSV(strings.NewReader("code,level,parent_code,name,full_name,name_en\n13291,3,347,Lê Hồng Phong,Phường Lê Hồng Phong,Le Hong Phong\n"), "csv-test")
		if err != nil {
			t.Fatal(err)
		}
		if res, err := units.Import(ctx, store, more, nil); err != nil || res.Inserted != 1 {
			t.Errorf("commune under a stored district: got %+v, %v; want 1 inserted", res, err)
		}
		more[0].Level = 2
		_, err = units.Import(ctx, store, more, nil)
		if ravao.ErrorCode(err) != ravao.Invalid {
			t.Errorf("level 2 under a stored district: got %v, want Invalid", err)
		}
	})
}

func TestParseCSV(t *testing.T) {
	in := "\ufeffCode,Parent_Code,level,name,full_name,name_en,full_name_en\n" +
		"35,,1,  Hà Nam ,Tỉnh Hà Nam,Ha Nam,Ha Nam Province\n" +
		"\n" +
		"347,35,2,Phu\u0309 Lý,\"Thành phố Phủ Lý\",Phu Ly,Phu Ly City\n"
	list, err := units.ParseCSV(strings.NewReader(in), "v")
	if err != nil {
		t.Fatal(err)
	}
	want := []ravao.Unit{
		{Version: "v", Code: "35", Level: 1, Name: "Hà Nam", FullName: "Tỉnh Hà Nam", NameEn: "Ha Nam", FullNameEn: "Ha Nam Province"},
		{Version: "v", Code: "347", ParentCode: "35", Level: 2, Name: "Phủ Lý", FullName: "Thành phố Phủ Lý", NameEn: "Phu Ly", FullNameEn: "Phu Ly City"},
	}
	if len(list) != len(want) {
		t.Fatalf("got %d units, want %d", len(list), len(want))
	}
	for i := range want {
		if list[i] != want[i] {
			t.Errorf("unit %d: got %+v, want %+v", i, list[i], want[i])
		}
	}
	for _, header := range []string{"", "code,parent_code,level,name\n", "code,parent_code,level,name,full_name,population\n", "code,code,parent_code,level,name,full_name\n"} {
		_, err := units.ParseCSV(strings.NewReader(header+"35,,1,Hà Nam,Tỉnh Hà Nam\n"), "v")
		var re *ravao.Error
		if !errors.As(err, &re) || re.Key != "err.units_csv_header" {
			t.Errorf("header %q: got %v, want err.units_csv_header", header, err)
		}
	}
}

func TestParseJSON(t *testing.T) {
	in := `[{"Code":"35","Name":"Hà Nam","FullName":"Tỉnh Hà Nam","District":[
		{"Code":"347","Name":"Phủ Lý","ProvinceCode":"35","Ward":[{"Code":"13285","Name":"Quang Trung"}]}]},
		{"Code":"37","Name":"Ninh Bình","Wards":[{"Code":"13291","Name":"Lê Hồng Phong"}]}]`
	list, err := units.ParseJSON(strings.NewReader(in), "mixed")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code, parent string
		level        int
	}{{"35", "", 1}, {"347", "35", 2}, {"13285", "347", 3}, {"37", "", 1}, {"13291", "37", 2}}
	if len(list) != len(want) {
		t.Fatalf("got %d units, want %d", len(list), len(want))
	}
	for i, w := range want {
		if u := list[i]; u.Code != w.code || u.ParentCode != w.parent || u.Level != w.level || u.Version != "mixed" {
			t.Errorf("unit %d: got %s under %q at %d, want %s under %q at %d", i, u.Code, u.ParentCode, u.Level, w.code, w.parent, w.level)
		}
	}
	for _, bad := range []string{"", "{}", `[{"Code":"35"`, `[{"Code": 35}]`, `[] []`} {
		_, err := units.ParseJSON(strings.NewReader(bad), "v")
		var re *ravao.Error
		if !errors.As(err, &re) || re.Code != ravao.Invalid || re.Key != "err.json" {
			t.Errorf("JSON %q: got %v, want Invalid err.json", bad, err)
		}
	}
}

func TestVersionFromFilename(t *testing.T) {
	tests := map[string]string{
		"vn-units-2025-03.json":         "2025-03",
		"/data/x/vn-units-2026-07.json": "2026-07",
		"units-2026-07-01.csv":          "2026-07-01",
		"hanam.csv":                     "hanam",
		"ha-nam":                        "ha-nam",
	}
	for in, want := range tests {
		if got := units.VersionFromFilename(in); got != want {
			t.Errorf("VersionFromFilename(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestDemo(t *testing.T) {
	demo := units.Demo()
	engines(t, func(t *testing.T, store ravao.Store) {
		res, err := units.Import(context.Background(), store, demo, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Version != "demo" || res.Inserted != len(demo) {
			t.Errorf("got %+v, want %d demo units inserted", res, len(demo))
		}
		view(t, store, func(tx ravao.Tx) error {
			counts, err := tx.UnitCounts("demo")
			if err != nil || counts[1] != 1 || counts[2] != 6 || counts[3] < 12 || counts[3] > 18 {
				t.Errorf("got counts %v, %v; want 1 province, 6 districts, 2 to 3 communes each", counts, err)
			}
			return nil
		})
	})
}

// The demo's units are the real ones: same codes, names and parents as in
// the national list of 2025-03.
func TestDemoMatchesNationalList(t *testing.T) {
	real := map[string]ravao.Unit{}
	for _, u := range parseShared(t, "vn-units-2025-03.json") {
		real[u.Code] = u
	}
	for _, d := range units.Demo() {
		r, ok := real[d.Code]
		r.Version = d.Version
		if !ok || r != d {
			t.Errorf("demo unit %s: got %+v, want %+v", d.Code, d, r)
		}
	}
}
