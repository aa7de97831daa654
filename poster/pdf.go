package poster

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusansmonobold"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao/internal/printed"
)

// minVersion is the smallest QR version used on paper: with fewer modules
// each one is so big that the fixed gaps around the symbol would be less
// than the four-module quiet zone scanners expect.
const minVersion = 3

// PDF writes one page of the given size per poster to w. Text is set in an
// embedded DejaVu font (every Vietnamese diacritic renders and can be
// copied), and the QR code is drawn as vector rectangles.
func PDF(w io.Writer, size Size, words Wording, posters ...Poster) error {
	if len(posters) == 0 {
		return errNone()
	}
	if _, ok := paper[size]; !ok {
		return errSize()
	}
	doc := newDoc(size, printed.Latest(posters, func(x Poster) time.Time { return x.Issued }))
	for _, p := range posters {
		if err := addPage(doc, size, words, p); err != nil {
			return err
		}
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("poster: write PDF: %w", err)
	}
	return nil
}

// newDoc starts a PDF set up for reproducible output, with a bold
// monospace font for the printed code.
func newDoc(size Size, created time.Time) *fpdf.Fpdf {
	doc := printed.NewDoc(string(size), created)
	doc.AddUTF8FontFromBytes("mono", "B", dejavusansmonobold.TTF)
	return doc
}

// addPage draws one poster on a new page.
func addPage(doc *fpdf.Fpdf, size Size, words Wording, p Poster) error {
	bitmap, err := paperBitmap(p.URL)
	if err != nil {
		return err
	}
	l, err := layout(size, bitmap)
	if err != nil {
		return err
	}
	doc.AddPage()
	line(doc, "sans", "B", l.Venue, p.VenueName)
	line(doc, "sans", "", l.Address, p.Address)
	line(doc, "sans", "B", l.Checkpoint, p.CheckpointName)
	doc.SetFillColor(0, 0, 0)
	for _, r := range l.Modules {
		doc.Rect(r.X, r.Y, r.W, r.H, "F")
	}
	line(doc, "mono", "B", l.Code, p.Code)
	paragraph(doc, l.Instructions, words.Instructions)
	line(doc, "sans", "", l.InstructionsEN, words.InstructionsEN)
	line(doc, "sans", "", l.Issued, words.Issued+": "+p.Issued.Format(dateLayout))
	if err := doc.Error(); err != nil {
		return fmt.Errorf("poster: draw page: %w", err)
	}
	return nil
}

// paperBitmap is the QR bitmap for url without quiet zone, at version
// minVersion or more.
func paperBitmap(url string) ([][]bool, error) {
	q, err := encode(url)
	if err != nil {
		return nil, err
	}
	if q.VersionNumber < minVersion {
		if q, err = qrcode.NewWithForcedVersion(url, minVersion, level); err != nil {
			return nil, fmt.Errorf("poster: encode QR: %w", err)
		}
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// line writes text centred on one line of box, shrinking the font (down to
// half its size) so that a long venue name still fits the page width.
func line(doc *fpdf.Fpdf, family, style string, box textBox, text string) {
	text = norm.NFC.String(text)
	pt := box.Pt
	doc.SetFont(family, style, pt)
	for pt > box.Pt/2 && doc.GetStringWidth(text) > box.W {
		pt -= 0.5
		doc.SetFontSize(pt)
	}
	doc.SetXY(box.X, box.Y)
	doc.CellFormat(box.W, box.H, text, "", 0, "C", false, 0, "")
}

// paragraph writes text centred in box on up to two lines.
func paragraph(doc *fpdf.Fpdf, box textBox, text string) {
	doc.SetFont("sans", "", box.Pt)
	doc.SetXY(box.X, box.Y)
	doc.MultiCell(box.W, box.H/2, norm.NFC.String(text), "", "C", false)
}
