package progress_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ravao/ravao/progress"
)

// published is a table with its mask, as a reader of the public page
// sees it: the lines (a total and the terms it sums) and what is hidden.
type published struct {
	t progress.Suppressible
	m progress.Mask
}

// line is one published equation: values and hidden flags of its terms,
// then of its total.
type line struct {
	values []int
	hidden []bool
}

func (p published) lines() []line {
	var out []line
	rows, cols := len(p.t.Cells), 0
	if rows > 0 {
		cols = len(p.t.Cells[0])
	}
	rowSums, colSums := make([]int, rows), make([]int, cols)
	for r := range rows {
		for c := range cols {
			rowSums[r] += p.t.Cells[r][c]
			colSums[c] += p.t.Cells[r][c]
		}
	}
	if p.t.RowTotals {
		for r := range rows {
			out = append(out, line{append(slices.Clone(p.t.Cells[r]), rowSums[r]), append(slices.Clone(p.m.Cells[r]), p.m.Rows[r])})
		}
	}
	if p.t.ColTotals {
		for c := range cols {
			var l line
			for r := range rows {
				l.values, l.hidden = append(l.values, p.t.Cells[r][c]), append(l.hidden, p.m.Cells[r][c])
			}
			out = append(out, line{append(l.values, colSums[c]), append(l.hidden, p.m.Cols[c])})
		}
	}
	if p.t.RowTotals && p.t.ColTotals {
		g := 0
		for _, s := range rowSums {
			g += s
		}
		out = append(out,
			line{append(slices.Clone(rowSums), g), append(slices.Clone(p.m.Rows), p.m.Grand)},
			line{append(slices.Clone(colSums), g), append(slices.Clone(p.m.Cols), p.m.Grand)})
	}
	return out
}

func randomTable(rng *rand.Rand) progress.Suppressible {
	rows, cols := rng.IntN(6), 1+rng.IntN(5)
	t := progress.Suppressible{RowTotals: rng.IntN(2) == 0, ColTotals: rng.IntN(3) > 0}
	for range rows {
		row := make([]int, cols)
		for c := range row {
			switch rng.IntN(4) {
			case 0: // zero
			case 1:
				row[c] = 1 + rng.IntN(9)
			default:
				row[c] = rng.IntN(60)
			}
		}
		t.Cells = append(t.Cells, row)
	}
	return t
}

func TestSuppressProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2026))
	for n := range 20000 {
		p := published{t: randomTable(rng)}
		p.m = progress.Suppress(p.t)
		small := false
		for r, row := range p.t.Cells {
			for c, v := range row {
				hidden := p.m.Cells[r][c]
				small = small || (v >= 1 && v <= 9)
				if v >= 1 && v <= 9 && !hidden {
					t.Fatalf("table %d %v: cell (%d,%d) = %d is published", n, p.t, r, c, v)
				}
				if v == 0 && hidden {
					t.Fatalf("table %d %v: zero cell (%d,%d) is hidden", n, p.t, r, c)
				}
			}
		}
		anyHidden := false
		for _, l := range p.lines() {
			k := 0
			for i, h := range l.hidden {
				if h {
					k++
				}
				if v := l.values[i]; !h && v >= 1 && v <= 9 {
					t.Fatalf("table %d %v: published total or cell %d in line %v", n, p.t, v, l.values)
				}
				if h && l.values[i] == 0 {
					t.Fatalf("table %d %v: a zero is hidden in line %v", n, p.t, l.values)
				}
			}
			if k == 1 {
				t.Fatalf("table %d %v: line %v %v has exactly one hidden term, found by subtraction", n, p.t, l.values, l.hidden)
			}
			anyHidden = anyHidden || k > 0
		}
		if !small && (anyHidden || hasHidden(p.m)) {
			t.Fatalf("table %d %v: no small cell, yet %v is hidden", n, p.t, p.m)
		}
	}
}

func hasHidden(m progress.Mask) bool {
	for _, r := range m.Cells {
		if slices.Contains(r, true) {
			return true
		}
	}
	return slices.Contains(m.Rows, true) || slices.Contains(m.Cols, true) || m.Grand
}

func TestSuppressTables(t *testing.T) {
	const o, X = false, true
	for _, tt := range []struct {
		name string
		t    progress.Suppressible
		want progress.Mask
	}{
		{
			name: "no small cell: nothing hidden",
			t:    progress.Suppressible{Cells: [][]int{{0, 12}, {30, 0}}, RowTotals: true, ColTotals: true},
			want: progress.Mask{Cells: [][]bool{{o, o}, {o, o}}, Rows: []bool{o, o}, Cols: []bool{o, o}},
		},
		{
			// Column totals only (the public page: rows are sub-units,
			// columns are figures). 3 is hidden; its column then needs a
			// second hidden cell, the smallest positive one, 20 (not 0).
			name: "column totals only",
			t:    progress.Suppressible{Cells: [][]int{{3, 40}, {0, 50}, {20, 60}, {25, 70}}, ColTotals: true},
			want: progress.Mask{Cells: [][]bool{{X, o}, {o, o}, {X, o}, {o, o}}, Cols: []bool{o, o}},
		},
		{
			name: "two small cells in a column protect each other",
			t:    progress.Suppressible{Cells: [][]int{{3, 40}, {5, 50}, {20, 60}}, ColTotals: true},
			want: progress.Mask{Cells: [][]bool{{X, o}, {X, o}, {o, o}}, Cols: []bool{o, o}},
		},
		{
			// The lone cell of a column equals its total, itself small.
			name: "small total",
			t:    progress.Suppressible{Cells: [][]int{{4, 40}, {0, 50}}, ColTotals: true},
			want: progress.Mask{Cells: [][]bool{{X, o}, {o, o}}, Cols: []bool{X, o}},
		},
		{
			// 2 is hidden; row 0 then hides 15 and column 0 hides 11, so
			// row 1 has one hidden cell and hides 16, and column 1 has
			// 15 and 16: every line has two.
			name: "rows and columns",
			t:    progress.Suppressible{Cells: [][]int{{2, 15, 30}, {11, 16, 40}, {50, 60, 70}}, RowTotals: true, ColTotals: true},
			want: progress.Mask{
				Cells: [][]bool{{X, X, o}, {X, X, o}, {o, o, o}},
				Rows:  []bool{o, o, o}, Cols: []bool{o, o, o},
			},
		},
		{
			name: "empty table",
			t:    progress.Suppressible{ColTotals: true},
			want: progress.Mask{Cells: [][]bool{}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := progress.Suppress(tt.t)
			if !equalMask(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func equalMask(a, b progress.Mask) bool {
	if len(a.Cells) != len(b.Cells) || a.Grand != b.Grand || !slices.Equal(a.Rows, b.Rows) {
		return false
	}
	if len(a.Cols) != len(b.Cols) && (len(a.Cols) > 0 || len(b.Cols) > 0) {
		return false
	}
	for i := range a.Cells {
		if !slices.Equal(a.Cells[i], b.Cells[i]) {
			return false
		}
	}
	return slices.Equal(a.Cols, b.Cols) || (len(a.Cols) == 0 && len(b.Cols) == 0)
}
