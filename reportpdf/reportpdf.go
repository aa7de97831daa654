// Package reportpdf writes a unit's daily progress report as an A4 PDF,
// the paper a commune or district sends up: the figures of the day, one
// row per sub-unit (with coverage when a roster covers the unit), and the
// sub-units and places without a check-in, by name. Text is set in DejaVu
// Sans, so every Vietnamese diacritic prints and can be copied.
package reportpdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/printed"
	"github.com/ravao/ravao/progress"
)

// Words is what the PDF needs from the reader's language.
type Words struct {
	// T translates a message key, formatting args as fmt.Sprintf does.
	T func(key string, args ...any) string
	// UnitName is a unit's name in the reader's language.
	UnitName func(u ravao.Unit) string
	// PlaceUnits names the units of the silent places, by code.
	PlaceUnits map[string]string
	// TZ is where times are shown (the deployment's time zone).
	TZ *time.Location
	// Now is when a live report (MadeAt zero) was made.
	Now time.Time
}

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	bottom       = pageH - 18 // rows stop here; the page number is below
	rowH         = 5.5
	bodyW        = pageW - 2*margin
)

// Write writes r as a PDF to w.
func Write(w io.Writer, r progress.Report, words Words) error {
	if words.TZ == nil {
		words.TZ = time.UTC
	}
	created := r.MadeAt
	if created.IsZero() {
		created = r.Day.Start(words.TZ)
	}
	p := &pdf{doc: printed.NewDoc("A4", created.UTC()), w: words, r: r}
	p.doc.SetTitle(p.title(), true)
	p.doc.AliasNbPages("{nb}")
	p.doc.SetFooterFunc(p.footer)
	p.doc.AddPage()
	p.y = margin
	p.heading()
	p.totals()
	p.children()
	p.silent()
	if err := p.doc.Error(); err != nil {
		return fmt.Errorf("reportpdf: draw: %w", err)
	}
	if err := p.doc.Output(w); err != nil {
		return fmt.Errorf("reportpdf: write: %w", err)
	}
	return nil
}

// pdf is a report being drawn: the document and the cursor's height.
type pdf struct {
	doc *fpdf.Fpdf
	w   Words
	r   progress.Report
	y   float64
}

// name is the unit's name, or the whole deployment's.
func (p *pdf) name() string {
	if p.r.Unit.Code == "" {
		return p.w.T("stats.everywhere")
	}
	return p.w.UnitName(p.r.Unit)
}

func (p *pdf) title() string { return p.w.T("report.pdf_title", dayText(p.r.Day)) }

// heading draws the title, the unit, the day and when it was made.
func (p *pdf) heading() {
	p.text(16, "B", p.title())
	p.text(14, "B", p.name())
	made := p.w.T("report.made_at", p.r.MadeAt.In(p.w.TZ).Format("15:04 02/01/2006"))
	if p.r.MadeAt.IsZero() {
		made = p.w.T("report.made_now", p.w.Now.In(p.w.TZ).Format("15:04 02/01/2006"))
	}
	line := p.w.T("report.day_of", dayText(p.r.Day)) + " · " + made
	if s := p.r.Query.Sector; s != "" {
		line += " · " + p.w.T("place.sector") + ": " + p.w.T("sector."+string(s))
	}
	p.text(9, "", line)
	p.y += 3
}

// text draws a paragraph across the page, wrapping, breaking pages.
func (p *pdf) text(size float64, style, s string) {
	p.doc.SetFont("sans", style, size)
	h := size * 0.5
	for _, l := range p.doc.SplitText(s, bodyW) {
		p.room(h)
		p.doc.SetXY(margin, p.y)
		p.doc.CellFormat(bodyW, h, l, "", 0, "L", false, 0, "")
		p.y += h
	}
}

// section draws a section title, keeping room for a few rows under it.
func (p *pdf) section(s string) {
	p.room(8 + 3*rowH)
	p.y += 2
	p.text(11, "B", s)
	p.y += 1
}

// room starts a new page when h more millimetres do not fit; it says
// whether it did.
func (p *pdf) room(h float64) bool {
	if p.y+h <= bottom {
		return false
	}
	p.doc.AddPage()
	p.y = margin
	return true
}

// footer numbers the page: "Trang 2/5".
func (p *pdf) footer() {
	p.doc.SetFont("sans", "", 8)
	p.doc.SetXY(margin, pageH-12)
	p.doc.CellFormat(bodyW, 5, p.w.T("report.page", p.doc.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
}

// totals draws the unit's figures as a two-column table, and the coverage
// totals when there is coverage.
func (p *pdf) totals() {
	t, c := p.w.T, p.r.Totals
	rows := [][]string{
		{t("stats.venues"), num(c.Venues)}, {t("stats.new"), num(c.New)}, {t("stats.approved"), num(c.Approved)},
		{t("stats.pending"), num(c.Pending)}, {t("stats.active"), num(c.Active)}, {t("stats.checkins"), num(c.CheckIns)},
		{t("stats.people"), num(c.People)}, {t("stats.red"), num(c.Red)},
	}
	if p.r.Query.Sector == "" {
		rows = append(rows, []string{t("stats.symptoms"), num(c.Symptoms)})
	}
	if cv := p.r.Coverage; cv != nil {
		rows = append(rows, []string{t("report.required"), num(cv.Totals.Required)}, []string{t("report.covered"), num(cv.Totals.Covered)},
			[]string{t("report.proposed"), num(cv.Totals.Proposed)}, []string{t("report.percent"), pct(cv.Totals)})
	}
	p.section(t("stats.totals"))
	p.table([]column{{t("report.name"), 100, "L"}, {t("stats.totals"), 40, "R"}}, rows)
}

// column is one column of a table: its header, width and alignment.
type column struct {
	head  string
	width float64
	align string
}

// children draws one row per sub-unit, with coverage columns when the
// report has coverage.
func (p *pdf) children() {
	if len(p.r.Children) == 0 {
		return
	}
	t := p.w.T
	withSymptoms, cv := p.r.Query.Sector == "", p.r.Coverage
	const n = 13.5 // a figure's column
	cols := []column{{t("stats.unit"), 0, "L"}, {t("stats.venues"), n, "R"}, {t("stats.new"), n, "R"}, {t("stats.active"), n, "R"},
		{t("stats.checkins"), n, "R"}, {t("stats.people"), n, "R"}, {t("stats.red"), n, "R"}}
	if withSymptoms {
		cols = append(cols, column{t("stats.symptoms"), n, "R"})
	}
	if cv != nil {
		cols = append(cols, column{t("report.required"), n, "R"}, column{t("report.covered"), n, "R"}, column{t("report.percent"), n, "R"})
	}
	cols[0].width = bodyW
	for _, c := range cols[1:] {
		cols[0].width -= c.width
	}
	cover := map[string]progress.CoverageRow{}
	if cv != nil {
		for _, row := range cv.Children {
			cover[row.Unit.Code] = row
		}
	}
	var rows [][]string
	for _, ch := range p.r.Children {
		c := ch.Counts
		row := []string{p.w.UnitName(ch.Unit), num(c.Venues), num(c.New), num(c.Active), num(c.CheckIns), num(c.People), num(c.Red)}
		if withSymptoms {
			row = append(row, num(c.Symptoms))
		}
		if cv != nil {
			cr := cover[ch.Unit.Code]
			row = append(row, num(cr.Required), num(cr.Covered), pct(cr))
		}
		rows = append(rows, row)
	}
	p.section(t("stats.children"))
	p.table(cols, rows)
}

// silent draws the sub-units and the places without a check-in.
func (p *pdf) silent() {
	t := p.w.T
	p.section(t("report.silent_title", dayText(p.r.Day)))
	if len(p.r.SilentChildren) > 0 {
		p.text(10, "B", t("report.silent_units"))
		var rows [][]string
		for _, u := range p.r.SilentChildren {
			rows = append(rows, []string{p.w.UnitName(u)})
		}
		p.table([]column{{t("stats.unit"), bodyW, "L"}}, rows)
		p.y += 2
	}
	switch {
	case len(p.r.Silent) > 0:
		p.text(10, "B", t("report.silent_places"))
		var rows [][]string
		for _, sv := range p.r.Silent {
			rows = append(rows, []string{sv.Name, t("venue_type." + string(sv.Type)), p.w.PlaceUnits[sv.UnitCode]})
		}
		p.table([]column{{t("report.name"), 80, "L"}, {t("place.type"), 55, "L"}, {t("stats.unit"), bodyW - 135, "L"}}, rows)
		if p.r.SilentMore {
			p.text(9, "", t("stats.silent_more"))
		}
	case p.r.SilentSkipped:
		p.text(9, "", t("stats.silent_skipped"))
	default:
		p.text(9, "", t("stats.silent_none"))
	}
	p.y += 2
	p.text(8, "", t("stats.note_people"))
}

// table draws rows under a header, breaking pages between rows and
// drawing the header again at the top of each new page. A cell too wide
// for its column is cut at the column's edge.
func (p *pdf) table(cols []column, rows [][]string) {
	p.header(cols)
	p.doc.SetFont("sans", "", 8)
	for _, row := range rows {
		if p.room(rowH) {
			p.header(cols)
			p.doc.SetFont("sans", "", 8)
		}
		x := margin
		for i, c := range cols {
			p.doc.SetXY(x, p.y)
			p.doc.CellFormat(c.width, rowH, fit(p.doc, row[i], c.width-2), "1", 0, c.align, false, 0, "")
			x += c.width
		}
		p.y += rowH
	}
}

// header draws a table's header row, its labels wrapped to their column
// in a size where their longest word fits.
func (p *pdf) header(cols []column) {
	sizes, lines := make([]float64, len(cols)), make([][]string, len(cols))
	h := 0.0
	for i, c := range cols {
		sizes[i] = p.headSize(c)
		p.doc.SetFont("sans", "B", sizes[i])
		lines[i] = p.doc.SplitText(c.head, c.width-2)
		h = max(h, float64(len(lines[i]))*sizes[i]*0.45)
	}
	h += 1.5
	p.room(h + rowH)
	p.doc.SetFillColor(230, 230, 230)
	x := margin
	for i, c := range cols {
		p.doc.Rect(x, p.y, c.width, h, "FD")
		p.doc.SetFont("sans", "B", sizes[i])
		lh := sizes[i] * 0.45
		for j, l := range lines[i] {
			p.doc.SetXY(x+1, p.y+0.75+float64(j)*lh)
			p.doc.CellFormat(c.width-2, lh, l, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	p.y += h
}

// headSize is the font size of a column's header: 7.5 points, less (down
// to 5) when a word would not fit the column otherwise.
func (p *pdf) headSize(c column) float64 {
	const most, least = 7.5, 5.0
	p.doc.SetFont("sans", "B", most)
	size := most
	for _, w := range strings.Fields(c.head) {
		if ww := p.doc.GetStringWidth(w); ww > c.width-2 {
			size = min(size, most*(c.width-2)/ww)
		}
	}
	return max(size, least)
}

// fit cuts s to width w in the current font, ending it with "…".
func fit(doc *fpdf.Fpdf, s string, w float64) string {
	if doc.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && doc.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// num writes a count.
func num(n int) string { return strconv.Itoa(n) }

// pct is a coverage row's rate, "87%"; "–" when none must register.
func pct(r progress.CoverageRow) string {
	if r.Required == 0 {
		return "–"
	}
	return strconv.Itoa(r.Percent()) + "%"
}

// dayText is a day as Vietnamese and English readers both write it,
// 25/11/2026.
func dayText(d ravao.Day) string { return d.Date().Format("02/01/2006") }
