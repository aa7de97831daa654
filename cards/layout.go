package cards

import "github.com/ravao/ravao/internal/printed"

// rect is an area of a page in millimetres from its top-left corner.
type rect = printed.Rect

// textBox is where a text goes: Lines lines at most, starting from a font
// size of Pt points before shrinking to fit.
type textBox struct {
	rect
	Pt    float64
	Lines int
}

// Sheet and card geometry in millimetres. Cards are ID-1 (ISO/IEC 7810),
// the size of a CCCD card; the gaps between them let scissors miss a
// border without cutting into the next card.
const (
	pageW, pageH = 210.0, 297.0
	cardW, cardH = 85.6, 54.0
	cols, rows   = 2, 4
	perPage      = cols * rows
	gap          = 6.0
)

// qrSide is the side of the QR symbol, quiet zone excluded: at version 5
// (37 modules) a module is 0.89 mm, well within what a phone camera or a
// handheld scanner reads at arm's length.
const qrSide = 33.0

// face is the geometry of one card on its sheet: everything PDF draws,
// computed without a PDF so it can be tested. Modules are the dark modules
// of the QR symbol, merged into horizontal runs, in page coordinates.
type face struct {
	Card, QR                               rect
	Modules                                []rect
	Title, Name, BirthYear, Place, Expires textBox
	Serial, Instructions, InstructionsEN   textBox
}

// slot is where the i-th card of a batch goes on its page: row by row,
// the sheet centred on A4.
func slot(i int) rect {
	i %= perPage
	x0 := (pageW - cols*cardW - (cols-1)*gap) / 2
	y0 := (pageH - rows*cardH - (rows-1)*gap) / 2
	c, r := float64(i%cols), float64(i/cols)
	return rect{X: x0 + c*(cardW+gap), Y: y0 + r*(cardH+gap), W: cardW, H: cardH}
}

// layout places a card in card around the QR bitmap (without quiet zone).
// The QR code sits on the left with at least four modules of white to the
// card's edges and to the text column on its right; the English line runs
// under both.
func layout(card rect, bitmap [][]bool) face {
	box := func(x, y, w, h, pt float64, lines int) textBox {
		return textBox{rect{X: card.X + x, Y: card.Y + y, W: w, H: h}, pt, lines}
	}
	const col, colW = 43, cardW - 43 - 3
	f := face{
		Card:           card,
		QR:             rect{X: card.X + 5, Y: card.Y + 8, W: qrSide, H: qrSide},
		Title:          box(col, 3.5, colW, 5.5, 10, 1),
		Name:           box(col, 10, colW, 6, 11, 1),
		BirthYear:      box(col, 16.5, colW, 4, 8, 1),
		Place:          box(col, 21, colW, 7, 7, 2),
		Expires:        box(col, 28.5, colW, 4, 8, 1),
		Serial:         box(col, 33, colW, 3.5, 6.5, 1),
		Instructions:   box(col, 37.5, colW, 6.5, 6.5, 2),
		InstructionsEN: box(5, 47.5, cardW-8, 4, 6, 1),
	}
	f.Modules = printed.ModuleRects(bitmap, f.QR)
	return f
}
