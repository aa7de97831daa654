// Package printed holds what Ravao's printed matter (posters, QR cards)
// shares: reproducible PDF documents with an embedded Unicode font, and QR
// bitmaps drawn as rectangles.
package printed

import (
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
)

// Rect is an area of a page in millimetres from its top-left corner.
type Rect struct{ X, Y, W, H float64 }

// Run is a horizontal stretch of dark modules, in module units.
type Run struct{ X, Y, W int }

// Runs merges each row's adjacent dark modules into one run: a third to a
// half as many shapes as single modules, and no hairline seams between
// them when printed.
func Runs(bm [][]bool) []Run {
	var out []Run
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			out = append(out, Run{start, y, x - start})
		}
	}
	return out
}

// ModuleRects turns the dark runs of a square bitmap into rectangles
// filling area.
func ModuleRects(bitmap [][]bool, area Rect) []Rect {
	if len(bitmap) == 0 {
		return nil
	}
	m := area.W / float64(len(bitmap))
	rs := Runs(bitmap)
	out := make([]Rect, len(rs))
	for i, r := range rs {
		out[i] = Rect{area.X + float64(r.X)*m, area.Y + float64(r.Y)*m, float64(r.W) * m, m}
	}
	return out
}

// Latest is the latest date of items, or the Unix epoch when there is
// none: a document's creation date taken from what it prints (the issue
// dates), so the same batch always gives the same bytes; a zero date would
// make fpdf use the clock.
func Latest[T any](items []T, date func(T) time.Time) time.Time {
	t := time.Unix(0, 0).UTC()
	for _, it := range items {
		if d := date(it); d.After(t) {
			t = d
		}
	}
	return t
}

// NewDoc starts a portrait PDF of the given paper size ("A4", "A5") in
// millimetres, without margins or automatic page breaks, with DejaVu Sans
// as "sans" (regular and bold) so every Vietnamese diacritic renders and
// can be copied. created is its creation and modification date: the same
// input then always gives the same bytes.
func NewDoc(size string, created time.Time) *fpdf.Fpdf {
	doc := fpdf.New("P", "mm", size, "")
	doc.SetCompression(true)
	doc.SetCatalogSort(true)
	doc.SetCreationDate(created)
	doc.SetModificationDate(created)
	doc.SetAutoPageBreak(false, 0)
	doc.SetMargins(0, 0, 0)
	doc.AddUTF8FontFromBytes("sans", "", dejavusans.TTF)
	doc.AddUTF8FontFromBytes("sans", "B", dejavusansbold.TTF)
	return doc
}
