package poster

import "github.com/ravao/ravao/internal/printed"

// rect is an area of a page in millimetres from its top-left corner.
type rect = printed.Rect

// textBox is where one line (or short paragraph) of text goes and the font
// size, in points, it starts from before shrinking to fit.
type textBox struct {
	rect
	Pt float64
}

// page is the geometry of one poster: everything PDF draws, computed
// without a PDF so it can be tested.
type page struct {
	W, H float64
	// QR is the symbol without its quiet zone; Modules are its dark
	// modules, merged into horizontal runs, in page coordinates.
	QR                                                                     rect
	Modules                                                                []rect
	Venue, Address, Checkpoint, Code, Instructions, InstructionsEN, Issued textBox
}

// paper gives the page width and height in millimetres of each size.
var paper = map[Size][2]float64{A4: {210, 297}, A5: {148, 210}}

// a4QR is the side of the QR symbol on A4: big enough to scan from a few
// metres away or through a car window. Other sizes scale it.
const a4QR = 150

// layout places a poster on a page of the given size around the QR bitmap
// (without quiet zone). It is designed on A4 and scaled for smaller paper, so
// the QR symbol keeps the same share of the page; the 21 mm (A4) gaps above
// and below it are the quiet zone, four modules or more from version 3 up.
func layout(size Size, bitmap [][]bool) (page, error) {
	dims, ok := paper[size]
	if !ok {
		return page{}, errSize()
	}
	s := dims[0] / 210
	box := func(y, h, pt float64) textBox {
		return textBox{rect{X: 15 * s, Y: y * s, W: 180 * s, H: h * s}, pt * s}
	}
	p := page{
		W: dims[0], H: dims[1],
		QR:             rect{X: 30 * s, Y: 63 * s, W: a4QR * s, H: a4QR * s},
		Venue:          box(10, 12, 26),
		Address:        box(23, 7, 12),
		Checkpoint:     box(31, 10, 20),
		Code:           box(234, 12, 30),
		Instructions:   box(249, 13, 13),
		InstructionsEN: box(263, 6, 10),
		Issued:         box(271, 6, 10),
	}
	p.Modules = printed.ModuleRects(bitmap, p.QR)
	return p, nil
}
