package progress

import "slices"

// SmallMax is the largest count a public table hides: cells from 1 to
// SmallMax are shown as "<10". Zero is shown: it reveals nothing about
// anyone.
const SmallMax = 9

// Suppressible is a table of non-negative counts to publish: Cells[r][c],
// with each row's total when RowTotals and each column's total when
// ColTotals (and the grand total when both).
type Suppressible struct {
	Cells     [][]int
	RowTotals bool
	ColTotals bool
}

// Mask says which cells and totals of a table to hide. Rows and Cols are
// the row and column totals, Grand the grand total.
type Mask struct {
	Cells      [][]bool
	Rows, Cols []bool
	Grand      bool
}

// Suppress decides what a public table hides. Primary suppression hides
// every cell and published total from 1 to SmallMax. Complementary
// suppression then makes sure no hidden value can be found by
// subtraction: every published total is an equation (the total is the sum
// of its line), and an equation with exactly one hidden term gives that
// term away, so a second term is hidden, the line's smallest positive
// published cell (its total when no cell will do), until no equation has
// exactly one hidden term. Zeros are never hidden: hiding them protects
// nothing, since the other terms of a line still add up to the same total.
//
// This is the per-line rule statistical offices use for small tables; it
// does not solve the linear system across lines, and it says nothing about
// differences between two tables (two days, two sectors).
func Suppress(t Suppressible) Mask {
	g := newGrid(t)
	for i, v := range g.values {
		g.hidden[i] = v >= 1 && v <= SmallMax
	}
	for changed := true; changed; {
		changed = false
		for _, line := range g.lines {
			if g.protect(line) {
				changed = true
			}
		}
	}
	return g.mask()
}

// grid is a table flattened for suppression: the cells row by row, then
// the row totals, the column totals and the grand total (those
// published), and the lines, each the indices of its cells followed by
// the index of its total.
type grid struct {
	rows, cols int
	values     []int
	hidden     []bool
	rowT, colT int // index of the first row total, first column total (-1: none)
	grand      int // index of the grand total (-1: none)
	lines      [][]int
}

func newGrid(t Suppressible) *grid {
	g := &grid{rows: len(t.Cells), rowT: -1, colT: -1, grand: -1}
	for _, r := range t.Cells {
		g.cols = max(g.cols, len(r))
	}
	rowSums, colSums := make([]int, g.rows), make([]int, g.cols)
	for r := range g.rows {
		for c := range g.cols {
			v := cell(t.Cells, r, c)
			g.values = append(g.values, v)
			rowSums[r] += v
			colSums[c] += v
		}
	}
	if t.RowTotals {
		g.rowT = len(g.values)
		g.values = append(g.values, rowSums...)
		for r := range g.rows {
			g.lines = append(g.lines, append(g.seq(r*g.cols, 1, g.cols), g.rowT+r))
		}
	}
	if t.ColTotals {
		g.colT = len(g.values)
		g.values = append(g.values, colSums...)
		for c := range g.cols {
			g.lines = append(g.lines, append(g.seq(c, g.cols, g.rows), g.colT+c))
		}
	}
	if t.RowTotals && t.ColTotals {
		g.grand = len(g.values)
		g.values = append(g.values, sum(rowSums))
		g.lines = append(g.lines,
			append(g.seq(g.rowT, 1, g.rows), g.grand),
			append(g.seq(g.colT, 1, g.cols), g.grand))
	}
	g.hidden = make([]bool, len(g.values))
	return g
}

// cell is cells[r][c], zero past the end of a short row.
func cell(cells [][]int, r, c int) int {
	if c < len(cells[r]) {
		return max(cells[r][c], 0)
	}
	return 0
}

// seq is n indices from start, step apart.
func (g *grid) seq(start, step, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = start + i*step
	}
	return out
}

// protect hides a second term of line when exactly one is hidden, and
// says whether it did.
func (g *grid) protect(line []int) bool {
	n := 0
	for _, i := range line {
		if g.hidden[i] {
			n++
		}
	}
	if n != 1 {
		return false
	}
	terms := line[:len(line)-1]
	best := g.smallest(terms)
	if best < 0 {
		best = g.smallest(line[len(line)-1:])
	}
	if best < 0 {
		return false // cannot happen: a lone hidden term is positive, so another one is
	}
	g.hidden[best] = true
	return true
}

// smallest is the index of the smallest positive published value among
// idx, the first of equals; -1 when there is none.
func (g *grid) smallest(idx []int) int {
	best := -1
	for _, i := range idx {
		if !g.hidden[i] && g.values[i] > 0 && (best < 0 || g.values[i] < g.values[best]) {
			best = i
		}
	}
	return best
}

// mask unflattens the hidden flags.
func (g *grid) mask() Mask {
	m := Mask{Cells: make([][]bool, g.rows)}
	for r := range g.rows {
		m.Cells[r] = slices.Clone(g.hidden[r*g.cols : (r+1)*g.cols])
	}
	if g.rowT >= 0 {
		m.Rows = slices.Clone(g.hidden[g.rowT : g.rowT+g.rows])
	}
	if g.colT >= 0 {
		m.Cols = slices.Clone(g.hidden[g.colT : g.colT+g.cols])
	}
	m.Grand = g.grand >= 0 && g.hidden[g.grand]
	return m
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
