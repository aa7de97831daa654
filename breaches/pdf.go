package breaches

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ravao/ravao/internal/printed"
)

// Page geometry, in millimetres.
const (
	pageH  = 297.0
	margin = 20.0
	bodyW  = 210.0 - 2*margin
	bottom = pageH - margin
)

// WritePDF writes the report as an A4 PDF, set in DejaVu Sans so every
// Vietnamese diacritic prints and can be copied. The same report always
// gives the same bytes (its date is the report's).
func WritePDF(w io.Writer, r NotificationReport) error {
	p := &pdfDoc{doc: printed.NewDoc("A4", r.ReportedAt.UTC())}
	p.doc.SetTitle(r.Title, true)
	p.doc.AddPage()
	p.y = margin
	p.text(15, "B", r.Title, "C")
	p.y += 2
	p.text(11, "", r.To, "C")
	p.y += 4
	for i, sec := range r.Sections {
		p.y += 2
		p.text(11, "B", strconv.Itoa(i+1)+". "+sec.Heading, "L")
		for _, line := range strings.Split(sec.Body, "\n") {
			p.text(10.5, "", line, "L")
		}
	}
	if err := p.doc.Error(); err != nil {
		return fmt.Errorf("breaches: draw: %w", err)
	}
	if err := p.doc.Output(w); err != nil {
		return fmt.Errorf("breaches: write: %w", err)
	}
	return nil
}

// pdfDoc is a report being drawn: the document and the cursor's height.
type pdfDoc struct {
	doc *fpdf.Fpdf
	y   float64
}

// text draws a paragraph across the page, wrapping, breaking pages.
func (p *pdfDoc) text(size float64, style, s, align string) {
	p.doc.SetFont("sans", style, size)
	h := size * 0.5
	for _, l := range p.doc.SplitText(s, bodyW) {
		if p.y+h > bottom {
			p.doc.AddPage()
			p.y = margin
		}
		p.doc.SetXY(margin, p.y)
		p.doc.CellFormat(bodyW, h, l, "", 0, align, false, 0, "")
		p.y += h
	}
}
