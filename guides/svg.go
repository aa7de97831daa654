package guides

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// svgWriter collects a figure's SVG, translating labels with t.
type svgWriter struct {
	strings.Builder
	t func(key string) string
}

// SVG draws a named figure as an inline SVG element, its labels in the
// language of t and caption as its text alternative. Colours are
// presentation attributes (the pages' CSP forbids inline styles). ok is
// false for an unknown figure.
func SVG(name, caption string, t func(key string) string) (svg string, ok bool) {
	f, ok := figures[name]
	if !ok {
		return "", false
	}
	b := &svgWriter{t: t}
	fmt.Fprintf(b, `<svg class="figure" viewBox="0 0 %s %s" role="img" aria-label="%s" font-family="DejaVu Sans, Verdana, sans-serif">`,
		num(f.w), num(f.h), html.EscapeString(caption))
	for _, s := range f.shapes {
		s.svg(b)
	}
	b.WriteString("</svg>")
	return b.String(), true
}

// num formats a coordinate briefly, to a hundredth of a millimetre: 12,
// 12.5, 12.35.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// paint writes fill and stroke attributes.
func (b *svgWriter) paint(fill, stroke string, weight float64) {
	if fill == "" {
		fill = "none"
	}
	fmt.Fprintf(b, ` fill="%s"`, fill)
	if stroke != "" {
		if weight == 0 {
			weight = 0.3
		}
		fmt.Fprintf(b, ` stroke="%s" stroke-width="%s"`, stroke, num(weight))
	}
}

func (r rect) svg(b *svgWriter) {
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s"`, num(r.x), num(r.y), num(r.w), num(r.h))
	if r.radius > 0 {
		fmt.Fprintf(b, ` rx="%s"`, num(r.radius))
	}
	b.paint(r.fill, r.stroke, r.weight)
	b.WriteString("/>")
}

func (l line) svg(b *svgWriter) {
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s"`, num(l.x1), num(l.y1), num(l.x2), num(l.y2))
	b.paint("", l.stroke, l.weight)
	if l.dash {
		b.WriteString(` stroke-dasharray="1.5 1"`)
	}
	b.WriteString(` stroke-linecap="round"/>`)
}

func (c circle) svg(b *svgWriter) {
	fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s"`, num(c.x), num(c.y), num(c.r))
	b.paint(c.fill, c.stroke, 0)
	b.WriteString("/>")
}

func (p poly) svg(b *svgWriter) {
	b.WriteString(`<polygon points="`)
	for i, pt := range p.pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(pt.x) + "," + num(pt.y))
	}
	b.WriteByte('"')
	b.paint(p.fill, "", 0)
	b.WriteString("/>")
}

func (l label) svg(b *svgWriter) {
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s"`, num(l.x), num(l.y), num(l.size), l.anchor)
	if l.bold {
		b.WriteString(` font-weight="bold"`)
	}
	b.paint(l.fill, "", 0)
	fmt.Fprintf(b, ">%s</text>", html.EscapeString(l.words(b.t)))
}

// words is the label's text in the reader's language.
func (l label) words(t func(string) string) string {
	if l.key != "" {
		return t(l.key)
	}
	return l.text
}
