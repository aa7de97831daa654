package guides

import "math"

// A figure is a drawing in millimetres (y down), made of a few shapes, and
// rendered twice from the same list: as inline SVG on the pages and with
// PDF primitives in the printable guides. Text in a figure is a message
// key, so labels follow the reader's language and the pages' words.
type figure struct {
	w, h   float64
	shapes []shape
}

// shape is one element of a figure.
type shape interface {
	svg(b *svgWriter)
	pdf(c *pdfCanvas)
}

// Colours, as #rrggbb; "" is none.
const (
	ink    = "#1a1a1a"
	muted  = "#5f6670"
	wall   = "#eef1f5"
	paper  = "#ffffff"
	accent = "#0b5cad"
	green  = "#1b7a3a"
	yellow = "#f2c200"
	red    = "#a4161a"
	band   = "#cfe8d2"
	wood   = "#c9a27a"
	lamp   = "#ffd54a"
)

type rect struct {
	x, y, w, h     float64
	fill, stroke   string
	radius, weight float64
}

type line struct {
	x1, y1, x2, y2 float64
	stroke         string
	weight         float64
	dash           bool
}

type circle struct {
	x, y, r      float64
	fill, stroke string
}

type point struct{ x, y float64 }

// poly is a closed, filled polygon (arrow heads, a scanner's handle).
type poly struct {
	pts  []point
	fill string
}

// label is text whose baseline starts (anchor "start"), is centred on
// ("middle") or ends ("end") at x, y. Key is a message key; Text, when
// Key is empty, is the same in every language ("A4").
type label struct {
	x, y, size float64
	key, text  string
	anchor     string
	bold       bool
	fill       string
}

// arrow is a line with a head at its end.
func arrow(x1, y1, x2, y2 float64, colour string) []shape {
	dx, dy := x2-x1, y2-y1
	n := math.Hypot(dx, dy)
	ux, uy := dx/n, dy/n
	const l, w = 2.6, 1.3
	bx, by := x2-ux*l, y2-uy*l
	return []shape{
		line{x1, y1, bx, by, colour, 0.5, false},
		poly{[]point{{x2, y2}, {bx - uy*w, by + ux*w}, {bx + uy*w, by - ux*w}}, colour},
	}
}

// qrGlyph is a stylised QR code of side s at x, y: three finder patterns
// and a few modules, recognisable at a glance and cheap to draw.
func qrGlyph(x, y, s float64) []shape {
	out := []shape{rect{x: x, y: y, w: s, h: s, fill: paper, stroke: ink, weight: 0.2}}
	f, m := 0.36*s, s/9
	for _, c := range []point{{x, y}, {x + s - f, y}, {x, y + s - f}} {
		out = append(out,
			rect{x: c.x, y: c.y, w: f, h: f, fill: ink},
			rect{x: c.x + f/7, y: c.y + f/7, w: f * 5 / 7, h: f * 5 / 7, fill: paper},
			rect{x: c.x + 2*f/7, y: c.y + 2*f/7, w: f * 3 / 7, h: f * 3 / 7, fill: ink})
	}
	for _, c := range [][2]float64{{4, 0}, {4, 2}, {4, 4}, {5, 4}, {6, 5}, {8, 4}, {4, 6}, {5, 7}, {7, 7}, {8, 8}, {6, 8}, {0, 4}, {2, 4}, {1, 4}, {7, 4}, {8, 6}} {
		out = append(out, rect{x: x + c[0]*m, y: y + c[1]*m, w: m, h: m, fill: ink})
	}
	return out
}

// phone is a smartphone of the given size with its screen's rectangle.
func phone(x, y, w, h float64, screen string) ([]shape, rect) {
	scr := rect{x: x + 1.2, y: y + 3, w: w - 2.4, h: h - 6, fill: screen}
	return []shape{
		rect{x: x, y: y, w: w, h: h, fill: ink, radius: 2},
		scr,
		rect{x: x + w/2 - 2, y: y + 1.2, w: 4, h: 0.7, fill: muted, radius: 0.35},
	}, scr
}

// figures are the drawings guides may show, by name.
var figures = map[string]figure{
	"posters": postersFigure(),
	"gate":    gateFigure(),
	"checkin": checkinFigure(),
}

// postersFigure: a wall with a door and a poster beside it, its QR code
// in the eye-level band, a person scanning it, height marks, and the two
// poster sizes.
func postersFigure() figure {
	const floor, m = 82.0, 30.0 // the floor's y; millimetres a metre
	h := func(metres float64) float64 { return floor - metres*m }
	s := []shape{
		rect{x: 0, y: 4, w: 128, h: floor - 4, fill: wall},
		rect{x: 0, y: h(1.6), w: 128, h: h(1.4) - h(1.6), fill: band},
		rect{x: 8, y: h(2), w: 26, h: floor - h(2), fill: wood, stroke: ink, weight: 0.4},
		circle{x: 29.5, y: h(1), r: 1, fill: ink},
		label{x: 21, y: h(2) - 2.5, size: 3, key: "guide.fig.door", anchor: "middle", fill: ink},
		rect{x: 40, y: 28, w: 15, h: 21, fill: paper, stroke: ink, weight: 0.3},
		rect{x: 40, y: 28, w: 15, h: 3, fill: accent},
	}
	s = append(s, qrGlyph(42.5, h(1.55)-5, 10)...)
	s = append(s,
		rect{x: 43.5, y: 19, w: 8, h: 2, fill: lamp, stroke: ink, weight: 0.2},
		line{44, 22.5, 42, 25, lamp, 0.5, false}, line{47.5, 22.5, 47.5, 25.5, lamp, 0.5, false}, line{51, 22.5, 53, 25, lamp, 0.5, false},
		label{x: 56, y: 21, size: 2.8, key: "guide.fig.lit", anchor: "start", fill: ink},
		label{x: 47.5, y: 53.5, size: 2.8, key: "guide.fig.poster", anchor: "middle", fill: ink},
	)
	s = append(s, person(86, floor)...)
	s = append(s, line{73, 38.5, 53, h(1.55), accent, 0.4, true})
	s = append(s, heightScale(118, floor, m)...)
	s = append(s, line{0, floor, 128, floor, ink, 0.8, false})
	s = append(s,
		rect{x: 2, y: 87, w: 6, h: 4, fill: band, stroke: ink, weight: 0.2},
		label{x: 10, y: 90.3, size: 3, key: "guide.fig.eye_level", anchor: "start", fill: ink},
	)
	return figure{w: 180, h: 94, shapes: append(s, posterSizes()...)}
}

// person is a standing figure, 1.65 m tall on a 30 mm-a-metre scale,
// holding a phone up towards the left.
func person(x, floor float64) []shape {
	top := floor - 1.65*30
	return []shape{
		circle{x: x, y: top + 3.5, r: 3.5, fill: paper, stroke: ink},
		line{x, top + 7, x, top + 28, ink, 1, false},
		line{x, top + 28, x - 4, floor, ink, 1, false},
		line{x, top + 28, x + 4, floor, ink, 1, false},
		line{x, top + 11, x - 7, top + 8, ink, 0.8, false},
		line{x, top + 11, x + 5, top + 20, ink, 0.8, false},
		rect{x: x - 11, y: top + 3.5, w: 3.5, h: 6, fill: ink, radius: 0.6},
	}
}

// heightScale is a ruler at x from the floor to 2 m, with the eye-level
// band's bounds marked.
func heightScale(x, floor, m float64) []shape {
	s := []shape{line{x, floor, x, floor - 2*m, ink, 0.4, false}}
	for _, t := range []struct {
		metres float64
		key    string
	}{{0, "guide.fig.h0"}, {1, "guide.fig.h1"}, {1.4, "guide.fig.h14"}, {1.6, "guide.fig.h16"}, {2, "guide.fig.h2"}} {
		y := floor - t.metres*m
		s = append(s, line{x - 1.5, y, x + 1.5, y, ink, 0.4, false},
			label{x: x + 2.5, y: y + 1, size: 2.6, key: t.key, anchor: "start", fill: ink})
	}
	return s
}

// posterSizes shows an A4 and an A5 poster side by side, to scale.
func posterSizes() []shape {
	const k = 0.9 / 10 // a tenth of the real size, a little smaller
	var s []shape
	for _, p := range []struct {
		x, w, h, qr float64
		name, key   string
	}{{138, 210 * k, 297 * k, 150 * k, "A4", "guide.fig.a4_qr"}, {163, 148 * k, 210 * k, 106 * k, "A5", "guide.fig.a5_qr"}} {
		top := 70 - p.h
		s = append(s, rect{x: p.x, y: top, w: p.w, h: p.h, fill: paper, stroke: ink, weight: 0.3},
			rect{x: p.x, y: top, w: p.w, h: p.h * 0.1, fill: accent})
		s = append(s, qrGlyph(p.x+(p.w-p.qr)/2, top+p.h*0.2, p.qr)...)
		s = append(s, label{x: p.x + p.w/2, y: 75, size: 3.2, text: p.name, anchor: "middle", bold: true, fill: ink},
			label{x: p.x + p.w/2, y: 79, size: 2.6, key: p.key, anchor: "middle", fill: ink})
	}
	return s
}

// gateFigure: what can be scanned, what reads it, the gate console, and
// its three answers.
func gateFigure() figure {
	var s []shape
	add := func(xs ...shape) { s = append(s, xs...) }
	ph, _ := phone(6, 4, 13, 23, paper)
	add(ph...)
	add(qrGlyph(8.5, 10, 8)...)
	add(label{x: 22, y: 17, size: 2.8, key: "me_qr.title", anchor: "start", fill: ink})
	add(rect{x: 5, y: 32, w: 16, h: 10, fill: paper, stroke: ink, weight: 0.3, radius: 1})
	add(qrGlyph(6.5, 33, 8)...)
	add(label{x: 22, y: 38.5, size: 2.8, key: "residents.card", anchor: "start", fill: ink})
	add(rect{x: 5, y: 48, w: 16, h: 10, fill: "#dbe7f5", stroke: ink, weight: 0.3, radius: 1},
		rect{x: 6.5, y: 50, w: 5, h: 6, fill: muted})
	add(qrGlyph(14, 50.5, 5.5)...)
	add(label{x: 22, y: 54.5, size: 2.8, key: "guide.fig.cccd", anchor: "start", fill: ink})
	add(label{x: 5, y: 68, size: 2.8, key: "gate.phone_title", anchor: "start", fill: ink},
		label{x: 5, y: 72, size: 2.4, key: "guide.fig.phone_code", anchor: "start", fill: muted})
	add(line{50, 12, 50, 70, muted, 0.4, false})
	add(arrow(50, 40, 54.5, 40, muted)...)
	cam, _ := phone(56, 10, 12, 20, ink)
	add(cam...)
	add(circle{x: 62, y: 20, r: 2, fill: paper, stroke: muted}, label{x: 62, y: 34, size: 2.6, key: "guide.fig.camera", anchor: "middle", fill: ink})
	add(rect{x: 54, y: 42, w: 17, h: 7, fill: ink, radius: 1.5},
		poly{[]point{{60, 49}, {66, 49}, {64, 60}, {60, 60}}, ink},
		line{54, 45.5, 51.5, 45.5, red, 0.5, true},
		label{x: 62, y: 64, size: 2.6, key: "guide.fig.scanner", anchor: "middle", fill: ink})
	add(arrow(73, 40, 86, 40, muted)...)
	add(gateConsole()...)
	for _, d := range []struct {
		y                  float64
		fill, text, key, n string
	}{{6, green, paper, "gate.decision_green", ""}, {26, yellow, ink, "gate.decision_yellow", "gate.answer_title"}, {48, red, paper, "gate.decision_red", "gate.health_desk"}} {
		add(arrow(123, 40, 131, d.y+6, muted)...)
		add(rect{x: 132, y: d.y, w: 46, h: 12, fill: d.fill, radius: 1.5},
			label{x: 155, y: d.y + 7.4, size: 3.1, key: d.key, anchor: "middle", bold: true, fill: d.text})
		if d.n != "" {
			add(label{x: 155, y: d.y + 16, size: 2.5, key: d.n, anchor: "middle", fill: ink})
		}
	}
	return figure{w: 180, h: 78, shapes: s}
}

// gateConsole is a tablet showing the gate page with a green answer.
func gateConsole() []shape {
	s := []shape{
		rect{x: 88, y: 20, w: 34, h: 38, fill: ink, radius: 2},
		rect{x: 90, y: 22, w: 30, h: 32, fill: paper},
		label{x: 105, y: 27.5, size: 2.6, key: "gate.scan_title", anchor: "middle", bold: true, fill: ink},
		rect{x: 92, y: 30, w: 26, h: 9, fill: green, radius: 1},
		rect{x: 92, y: 41.5, w: 12, h: 2, fill: muted}, rect{x: 106, y: 41.5, w: 12, h: 2, fill: muted},
		rect{x: 92, y: 45.5, w: 26, h: 1.5, fill: wall}, rect{x: 92, y: 48.5, w: 26, h: 1.5, fill: wall},
		label{x: 105, y: 64, size: 2.6, key: "place.gate", anchor: "middle", fill: ink},
		label{x: 105, y: 69, size: 2.4, key: "guide.fig.offline", anchor: "middle", fill: muted},
	}
	return append(s, checkMark(105, 34.5, 3, paper)...)
}

// checkMark is a tick centred at x, y.
func checkMark(x, y, r float64, colour string) []shape {
	return []shape{line{x - r, y, x - r/3, y + r*0.7, colour, 0.8, false}, line{x - r/3, y + r*0.7, x + r, y - r*0.7, colour, 0.8, false}}
}

// checkinFigure: a phone scanning a poster, then the declaration (the
// first time only), the pass and the check-out.
func checkinFigure() figure {
	var s []shape
	add := func(xs ...shape) { s = append(s, xs...) }
	add(rect{x: 4, y: 6, w: 30, h: 42, fill: paper, stroke: ink, weight: 0.4},
		rect{x: 4, y: 6, w: 30, h: 6, fill: accent},
		rect{x: 8, y: 40, w: 22, h: 1.5, fill: muted}, rect{x: 11, y: 43.5, w: 16, h: 1.2, fill: muted})
	add(qrGlyph(9, 15, 20)...)
	ph, scr := phone(46, 12, 15, 30, muted)
	add(ph...)
	add(line{scr.x + 2, scr.y + 3, 29, 15, accent, 0.35, true}, line{scr.x + 2, scr.y + scr.h - 3, 29, 35, accent, 0.35, true})
	for _, c := range []point{{scr.x + 1, scr.y + 2}, {scr.x + scr.w - 1, scr.y + 2}, {scr.x + 1, scr.y + scr.h - 2}, {scr.x + scr.w - 1, scr.y + scr.h - 2}} {
		add(circle{x: c.x, y: c.y, r: 0.5, fill: paper})
	}
	add(arrow(63, 27, 76, 27, muted)...)
	add(declareScreen(78)...)
	add(arrow(95, 27, 108, 27, muted)...)
	pass, p := phone(110, 12, 15, 30, green)
	add(pass...)
	add(checkMark(p.x+p.w/2, p.y+p.h/2-3, 4, paper)...)
	add(rect{x: p.x + 2, y: p.y + p.h - 5, w: p.w - 4, h: 2, fill: paper, radius: 1})
	add(arrow(127, 27, 140, 27, muted)...)
	out, o := phone(142, 12, 15, 30, paper)
	add(out...)
	add(rect{x: o.x + 1.5, y: o.y + 3, w: o.w - 3, h: 1.5, fill: muted}, rect{x: o.x + 1.5, y: o.y + o.h - 8, w: o.w - 3, h: 5, fill: accent, radius: 1})
	for i, k := range []string{"guide.fig.step_scan", "guide.fig.step_declare", "guide.fig.step_pass", "guide.fig.step_out"} {
		x := []float64{53.5, 85.5, 117.5, 149.5}[i]
		add(label{x: x, y: 55, size: 3, key: k, anchor: "middle", bold: true, fill: ink})
	}
	add(label{x: 85.5, y: 60, size: 2.5, key: "guide.fig.first_time", anchor: "middle", fill: muted})
	return figure{w: 180, h: 64, shapes: s}
}

// declareScreen is a phone showing a short form and its button.
func declareScreen(x float64) []shape {
	s, scr := phone(x, 12, 15, 30, paper)
	for i := range 4 {
		y := scr.y + 2 + float64(i)*4
		s = append(s, rect{x: scr.x + 1.5, y: y, w: 5, h: 0.9, fill: muted}, rect{x: scr.x + 1.5, y: y + 1.3, w: scr.w - 3, h: 1.8, fill: wall, stroke: muted, weight: 0.15})
	}
	return append(s, rect{x: scr.x + 1.5, y: scr.y + scr.h - 5, w: scr.w - 3, h: 3.5, fill: accent, radius: 0.8})
}

// FigureKeys lists the message keys figures use, for tests.
func FigureKeys() []string {
	var keys []string
	for _, f := range figures {
		for _, s := range f.shapes {
			if l, ok := s.(label); ok && l.key != "" {
				keys = append(keys, l.key)
			}
		}
	}
	return keys
}
