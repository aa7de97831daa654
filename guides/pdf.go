package guides

import (
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ravao/ravao/internal/printed"
)

// Words is what a guide's PDF needs from the reader's language.
type Words struct {
	// T translates a message key, formatting args as fmt.Sprintf does.
	T func(key string, args ...any) string
	// URL is where the guide is online, printed under its title so a
	// paper copy leads back to it; "" prints none.
	URL string
}

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 18.0
	bodyW        = pageW - 2*margin
	breakAt      = 22.0 // the bottom margin; the page number is in it
	bodyPt       = 10.5
	lineH        = 5.2
)

// PDF writes g as an A4 document: title, who it is for, the sections with
// their steps, tips, problems and figures, and "page n of m" on every
// page. The text is set in DejaVu Sans (every Vietnamese diacritic prints
// and can be copied), as on the posters; the creation date is Edition, so
// the same guide always gives the same bytes.
func PDF(w io.Writer, g Guide, words Words) error {
	g = g.Resolve(func(key string) string { return words.T(key) })
	p := &guidePDF{doc: printed.NewDoc("A4", Edition), w: words, g: g}
	d := p.doc
	d.SetMargins(margin, margin, margin)
	d.SetAutoPageBreak(true, breakAt)
	d.SetTitle(g.Title, true)
	d.SetLang(g.Lang)
	d.AliasNbPages("{nb}")
	d.SetFooterFunc(p.footer)
	d.AddPage()
	p.heading()
	for _, s := range g.Sections {
		p.section(s)
	}
	if err := d.Error(); err != nil {
		return fmt.Errorf("guides: draw %s: %w", g.Slug, err)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("guides: write %s: %w", g.Slug, err)
	}
	return nil
}

// guidePDF is a guide being drawn.
type guidePDF struct {
	doc *fpdf.Fpdf
	w   Words
	g   Guide
}

// heading draws the title, the online address, the summary and who the
// guide is for.
func (p *guidePDF) heading() {
	d := p.doc
	d.SetTextColor(11, 92, 173)
	d.SetFont("sans", "B", 9)
	d.CellFormat(bodyW, 5, p.w.T("guide.pdf_kicker"), "", 1, "L", false, 0, "")
	d.SetTextColor(0, 0, 0)
	d.SetFont("sans", "B", 20)
	d.MultiCell(bodyW, 9, p.g.Title, "", "L", false)
	if p.w.URL != "" {
		d.SetFont("sans", "", 8.5)
		d.SetTextColor(90, 90, 90)
		d.MultiCell(bodyW, 4.5, p.w.T("guide.online", p.w.URL), "", "L", false)
		d.SetTextColor(0, 0, 0)
	}
	d.Ln(2)
	d.SetFont("sans", "", 11.5)
	d.MultiCell(bodyW, 5.8, p.g.Summary, "", "L", false)
	d.Ln(1.5)
	d.SetFillColor(232, 241, 251)
	d.SetFont("sans", "B", bodyPt)
	d.MultiCell(bodyW, lineH, p.w.T("guide.for")+": "+p.g.For, "", "L", true)
	d.Ln(2)
}

// section draws a section's title, paragraphs, items and figure.
func (p *guidePDF) section(s Section) {
	d := p.doc
	p.room(22)
	d.Ln(3)
	d.SetFont("sans", "B", 13.5)
	d.SetTextColor(11, 92, 173)
	d.MultiCell(bodyW, 7, s.Title, "", "L", false)
	d.SetTextColor(0, 0, 0)
	d.SetDrawColor(200, 205, 212)
	d.SetLineWidth(0.3)
	d.Line(margin, d.GetY()+0.5, margin+bodyW, d.GetY()+0.5)
	d.Ln(2.5)
	for _, t := range s.Intro {
		p.rich(t, false)
		d.Ln(lineH + 1)
	}
	if s.Figure != "" {
		p.figure(s.Figure, s.Caption)
	}
	for i, it := range s.Items {
		p.item(s.Kind, i, it)
	}
}

// item draws a step ("1."), a tip ("•") or a problem (in bold) with its
// answer, each hanging from its marker.
func (p *guidePDF) item(k Kind, i int, it Item) {
	d := p.doc
	p.room(2 * lineH)
	mark := "•"
	switch k {
	case Steps:
		mark = strconv.Itoa(i+1) + "."
	case Problems:
		mark = "?"
	}
	d.SetX(margin)
	d.SetFont("sans", "B", bodyPt)
	d.CellFormat(8, lineH, mark, "", 0, "L", false, 0, "")
	d.SetLeftMargin(margin + 8)
	p.rich(it.Text, k == Problems)
	if it.Answer != nil {
		d.Ln(lineH)
		d.SetX(margin + 8)
		p.rich(it.Answer, false)
	}
	d.SetLeftMargin(margin)
	d.Ln(lineH + 1.8)
}

// rich writes text flowing from the cursor, labels in bold (everything,
// when bold is set).
func (p *guidePDF) rich(t Text, bold bool) {
	for _, s := range t {
		style := ""
		if bold || s.IsLabel() {
			style = "B"
		}
		p.doc.SetFont("sans", style, bodyPt)
		p.doc.Write(lineH, Text{s}.Quoted())
	}
}

// figure draws a figure across the text width, with its caption.
func (p *guidePDF) figure(name, caption string) {
	f, ok := figures[name]
	if !ok {
		p.doc.SetError(fmt.Errorf("unknown figure %q", name))
		return
	}
	k := min(1, bodyW/f.w)
	h := f.h * k
	p.room(h + 14)
	d := p.doc
	d.Ln(2)
	c := &pdfCanvas{doc: d, x: margin + (bodyW-f.w*k)/2, y: d.GetY(), k: k, t: func(key string) string { return p.w.T(key) }}
	d.SetLineCapStyle("round")
	for _, s := range f.shapes {
		s.pdf(c)
	}
	d.SetLineCapStyle("butt")
	d.SetDashPattern(nil, 0)
	d.SetTextColor(90, 90, 90)
	d.SetY(c.y + h + 2)
	d.SetFont("sans", "", 8.5)
	d.MultiCell(bodyW, 4.3, caption, "", "C", false)
	d.SetTextColor(0, 0, 0)
	d.Ln(2)
}

// room starts a new page unless h millimetres fit above the bottom margin.
func (p *guidePDF) room(h float64) {
	if p.doc.GetY()+h > pageH-breakAt {
		p.doc.AddPage()
	}
}

// footer names the guide and numbers the page: "Trang 2/5".
func (p *guidePDF) footer() {
	d := p.doc
	d.SetFont("sans", "", 8)
	d.SetTextColor(90, 90, 90)
	d.SetXY(margin, pageH-13)
	d.CellFormat(bodyW/2, 5, p.w.T("app.name")+" · "+p.g.Title, "", 0, "L", false, 0, "")
	d.CellFormat(bodyW/2, 5, p.w.T("guide.page", d.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	d.SetTextColor(0, 0, 0)
}

// pdfCanvas draws figure shapes at an offset and scale on a page.
type pdfCanvas struct {
	doc  *fpdf.Fpdf
	x, y float64 // the figure's top-left corner on the page
	k    float64 // page millimetres per figure millimetre
	t    func(key string) string
}

func (c *pdfCanvas) px(x float64) float64 { return c.x + x*c.k }
func (c *pdfCanvas) py(y float64) float64 { return c.y + y*c.k }

// paint sets the colours and returns the fpdf style for them.
func (c *pdfCanvas) paint(fill, stroke string, weight float64) string {
	style := ""
	if fill != "" {
		r, g, b := rgb(fill)
		c.doc.SetFillColor(r, g, b)
		style = "F"
	}
	if stroke != "" {
		r, g, b := rgb(stroke)
		c.doc.SetDrawColor(r, g, b)
		if weight == 0 {
			weight = 0.3
		}
		c.doc.SetLineWidth(weight * c.k)
		style += "D"
	}
	return style
}

// rgb parses #rrggbb.
func rgb(hex string) (r, g, b int) {
	v, _ := strconv.ParseUint(hex[1:], 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

func (r rect) pdf(c *pdfCanvas) {
	style := c.paint(r.fill, r.stroke, r.weight)
	if r.radius > 0 {
		c.doc.RoundedRect(c.px(r.x), c.py(r.y), r.w*c.k, r.h*c.k, r.radius*c.k, "1234", style)
		return
	}
	c.doc.Rect(c.px(r.x), c.py(r.y), r.w*c.k, r.h*c.k, style)
}

func (l line) pdf(c *pdfCanvas) {
	c.paint("", l.stroke, l.weight)
	if l.dash {
		c.doc.SetDashPattern([]float64{1.5 * c.k, 1 * c.k}, 0)
	}
	c.doc.Line(c.px(l.x1), c.py(l.y1), c.px(l.x2), c.py(l.y2))
	if l.dash {
		c.doc.SetDashPattern(nil, 0)
	}
}

func (ci circle) pdf(c *pdfCanvas) {
	c.doc.Circle(c.px(ci.x), c.py(ci.y), ci.r*c.k, c.paint(ci.fill, ci.stroke, 0))
}

func (p poly) pdf(c *pdfCanvas) {
	pts := make([]fpdf.PointType, len(p.pts))
	for i, pt := range p.pts {
		pts[i] = fpdf.PointType{X: c.px(pt.x), Y: c.py(pt.y)}
	}
	c.doc.Polygon(pts, c.paint(p.fill, "", 0))
}

// mmPerPt converts a font size in millimetres (the SVG's units) to points.
const mmPerPt = 25.4 / 72

func (l label) pdf(c *pdfCanvas) {
	style := ""
	if l.bold {
		style = "B"
	}
	text := l.words(c.t)
	c.doc.SetFont("sans", style, l.size*c.k/mmPerPt)
	r, g, b := rgb(l.fill)
	c.doc.SetTextColor(r, g, b)
	x := c.px(l.x)
	switch l.anchor {
	case "middle":
		x -= c.doc.GetStringWidth(text) / 2
	case "end":
		x -= c.doc.GetStringWidth(text)
	}
	c.doc.Text(x, c.py(l.y), text)
	c.doc.SetTextColor(0, 0, 0)
}
