package poster

// rect is an area of a page in millimetres from its top-left corner.
type rect struct{ X, Y, W, H float64 }

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
		return textBox{rect{15 * s, y * s, 180 * s, h * s}, pt * s}
	}
	p := page{
		W: dims[0], H: dims[1],
		QR:             rect{30 * s, 63 * s, a4QR * s, a4QR * s},
		Venue:          box(10, 12, 26),
		Address:        box(23, 7, 12),
		Checkpoint:     box(31, 10, 20),
		Code:           box(234, 12, 30),
		Instructions:   box(249, 13, 13),
		InstructionsEN: box(263, 6, 10),
		Issued:         box(271, 6, 10),
	}
	p.Modules = moduleRects(bitmap, p.QR)
	return p, nil
}

// moduleRects turns the dark runs of bitmap into rectangles filling area.
func moduleRects(bitmap [][]bool, area rect) []rect {
	if len(bitmap) == 0 {
		return nil
	}
	m := area.W / float64(len(bitmap))
	rs := runs(bitmap)
	out := make([]rect, len(rs))
	for i, r := range rs {
		out[i] = rect{area.X + float64(r.x)*m, area.Y + float64(r.y)*m, float64(r.w) * m, m}
	}
	return out
}
