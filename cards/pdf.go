package cards

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao/internal/printed"
)

// level is Medium: a scuffed or folded card still reads, and a 196-digit
// payload fits version 5, whose modules stay large on a small card.
const level = qrcode.Medium

// PDF writes the cards to w on A4 pages, 8 cards per page (2 columns × 4
// rows) at ID-1 size (85.6 × 54 mm), each with a thin border to cut along.
// Each card shows its QR code (33 mm, four-module quiet zone), the title,
// the masked name, birth year, place, expiry and serial. Text is set in an
// embedded DejaVu font, so every Vietnamese diacritic renders and can be
// copied. It fails with a user-facing error when there are no cards, more
// than MaxCards, or a payload that is not a personal QR code.
func PDF(w io.Writer, words Wording, cards ...Card) error {
	if err := check(cards); err != nil {
		return err
	}
	doc := newDoc(printed.Latest(cards, func(x Card) time.Time { return x.Issued }))
	for i, c := range cards {
		if i%perPage == 0 {
			doc.AddPage()
		}
		if err := drawCard(doc, slot(i), words, c); err != nil {
			return err
		}
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("cards: write PDF: %w", err)
	}
	return nil
}

// newDoc starts an A4 PDF set up for reproducible output; text sits at
// the very edge of its box.
func newDoc(created time.Time) *fpdf.Fpdf {
	doc := printed.NewDoc("A4", created)
	doc.SetCellMargin(0)
	return doc
}

// drawCard draws c in the card-sized area at. Everything is clipped to the
// card, so a name too long even at half size cannot spill onto the next.
func drawCard(doc *fpdf.Fpdf, at rect, words Wording, c Card) error {
	q, err := qrcode.New(c.Payload, level)
	if err != nil {
		return fmt.Errorf("cards: encode QR: %w", err)
	}
	q.DisableBorder = true
	f := layout(at, q.Bitmap())
	doc.SetDrawColor(150, 150, 150)
	doc.SetLineWidth(0.2)
	doc.Rect(at.X, at.Y, at.W, at.H, "D")
	doc.ClipRect(at.X, at.Y, at.W, at.H, false)
	text(doc, "B", f.Title, words.Title)
	text(doc, "B", f.Name, c.Name)
	text(doc, "", f.BirthYear, words.BirthYearLabel+": "+strconv.Itoa(c.BirthYear))
	text(doc, "", f.Place, c.Place)
	text(doc, "B", f.Expires, words.ExpiresLabel+": "+c.Expires.Format(dateLayout))
	text(doc, "", f.Serial, words.SerialLabel+": "+strconv.FormatUint(uint64(c.Serial), 10))
	text(doc, "", f.Instructions, words.Instructions)
	text(doc, "", f.InstructionsEN, words.InstructionsEN)
	doc.SetFillColor(0, 0, 0)
	for _, r := range f.Modules {
		doc.Rect(r.X, r.Y, r.W, r.H, "F")
	}
	doc.ClipEnd()
	if err := doc.Error(); err != nil {
		return fmt.Errorf("cards: draw card: %w", err)
	}
	return nil
}

// text writes s left-aligned in box, shrinking the font (down to half its
// size) until it wraps to box.Lines lines or fewer. Whatever still does not
// fit goes on the last line, to be cut at the card's edge.
func text(doc *fpdf.Fpdf, style string, box textBox, s string) {
	s = norm.NFC.String(s)
	pt := box.Pt
	doc.SetFont("sans", style, pt)
	lines := doc.SplitText(s, box.W)
	for pt > box.Pt/2 && len(lines) > box.Lines {
		pt -= 0.5
		doc.SetFontSize(pt)
		lines = doc.SplitText(s, box.W)
	}
	if len(lines) > box.Lines {
		lines = append(lines[:box.Lines-1], strings.Join(lines[box.Lines-1:], " "))
	}
	h := box.H / float64(box.Lines)
	for i, l := range lines {
		doc.SetXY(box.X, box.Y+float64(i)*h)
		doc.CellFormat(box.W, h, l, "", 0, "L", false, 0, "")
	}
}
