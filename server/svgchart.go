package server

import (
	"encoding/xml"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// barChart is one figure per day drawn as bars in an inline SVG, on the
// server: no script, no chart library. Its numbers are also in a table on
// the page, for screen readers and for copying.
type barChart struct {
	ID     string   // prefix of the ids of its title and description, unique in the page
	Title  string   // what it shows, in the page's language
	Desc   string   // a sentence: the range, the total and the highest day
	XLabel string   // name of the horizontal axis ("Ngày")
	YLabel string   // name of the vertical axis ("Lượt quét")
	Labels []string // one per bar, e.g. "25/11"
	Values []int
	Sep    string // thousands separator of the page's language
}

// The chart's geometry, in SVG user units; CSS scales it to the page.
const (
	chartW, chartH             = 640.0, 260.0
	chartLeft, chartRight      = 64.0, 12.0
	chartTop, chartBottom      = 16.0, 52.0
	chartPlotW, chartPlotH     = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
	chartMaxXLabels            = 8   // day labels under the bars, at most
	chartBarShare              = 0.7 // of each day's slot
	chartMinBarW               = 1.0
	chartTickLen               = 4.0
	chartLabelGap, chartDY     = 6.0, 4.0
	chartXTitleY, chartYTitleX = chartH - 8, 14.0
)

// SVG renders the chart. Every text is escaped here, so the result is safe
// to put in a page as is.
func (c barChart) SVG() template.HTML {
	var b strings.Builder
	top, step := chartScale(c.Values)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 640 260" role="img" aria-labelledby="`)
	esc(&b, c.ID+"-title "+c.ID+"-desc")
	b.WriteString(`"><title id="`)
	esc(&b, c.ID+"-title")
	b.WriteString(`">`)
	esc(&b, c.Title)
	b.WriteString(`</title><desc id="`)
	esc(&b, c.ID+"-desc")
	b.WriteString(`">`)
	esc(&b, c.Desc)
	b.WriteString(`</desc>`)
	c.writeGrid(&b, top, step)
	c.writeBars(&b, top)
	c.writeAxes(&b)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// writeGrid draws the horizontal lines and the numbers of the vertical axis.
func (c barChart) writeGrid(b *strings.Builder, top, step float64) {
	b.WriteString(`<g class="chart-grid">`)
	for v := 0.0; v <= top+step/2; v += step {
		y := chartTop + chartPlotH - v/top*chartPlotH
		b.WriteString(`<line x1="` + num(chartLeft-chartTickLen) + `" y1="` + num(y) + `" x2="` + num(chartLeft+chartPlotW) + `" y2="` + num(y) + `"/>`)
		b.WriteString(`<text x="` + num(chartLeft-chartLabelGap) + `" y="` + num(y+chartDY) + `" text-anchor="end">`)
		esc(b, groupDigits(int64(math.Round(v)), c.Sep))
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
}

// writeBars draws one bar per value, each with its own title for a mouse
// pointer, and labels some of the days under them.
func (c barChart) writeBars(b *strings.Builder, top float64) {
	n := len(c.Values)
	if n == 0 {
		return
	}
	slot := chartPlotW / float64(n)
	w := max(slot*chartBarShare, chartMinBarW)
	every := (n + chartMaxXLabels - 1) / chartMaxXLabels
	b.WriteString(`<g class="chart-bars">`)
	for i, v := range c.Values {
		h := max(float64(v), 0) / top * chartPlotH
		x := chartLeft + float64(i)*slot + (slot-w)/2
		b.WriteString(`<rect x="` + num(x) + `" y="` + num(chartTop+chartPlotH-h) + `" width="` + num(w) + `" height="` + num(h) + `"><title>`)
		esc(b, c.label(i)+": "+groupDigits(int64(v), c.Sep))
		b.WriteString(`</title></rect>`)
	}
	b.WriteString(`</g><g class="chart-days">`)
	for i := 0; i < n; i += every {
		x := chartLeft + (float64(i)+0.5)*slot
		b.WriteString(`<text x="` + num(x) + `" y="` + num(chartTop+chartPlotH+16) + `" text-anchor="middle">`)
		esc(b, c.label(i))
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)
}

// writeAxes draws the two axes and their names.
func (c barChart) writeAxes(b *strings.Builder) {
	base := num(chartTop + chartPlotH)
	b.WriteString(`<g class="chart-axes"><line x1="` + num(chartLeft) + `" y1="` + num(chartTop) + `" x2="` + num(chartLeft) + `" y2="` + base + `"/>`)
	b.WriteString(`<line x1="` + num(chartLeft) + `" y1="` + base + `" x2="` + num(chartLeft+chartPlotW) + `" y2="` + base + `"/>`)
	b.WriteString(`<text x="` + num(chartLeft+chartPlotW/2) + `" y="` + num(chartXTitleY) + `" text-anchor="middle">`)
	esc(b, c.XLabel)
	b.WriteString(`</text><text x="` + num(chartYTitleX) + `" y="` + num(chartTop+chartPlotH/2) + `" text-anchor="middle" transform="rotate(-90 ` + num(chartYTitleX) + " " + num(chartTop+chartPlotH/2) + `)">`)
	esc(b, c.YLabel)
	b.WriteString(`</text></g>`)
}

// label is the name of bar i, or its position when there is none.
func (c barChart) label(i int) string {
	if i < len(c.Labels) {
		return c.Labels[i]
	}
	return strconv.Itoa(i + 1)
}

// chartScale chooses the top of the vertical axis and the step between its
// lines: a step of 1, 2 or 5 times a power of ten, about four lines, the
// top a whole number of steps at or above the highest value. An empty or
// all-zero series gets an axis from 0 to 1, so nothing divides by zero.
func chartScale(values []int) (top, step float64) {
	hi := 0.0
	for _, v := range values {
		hi = max(hi, float64(v))
	}
	step = niceStep(hi / 4)
	top = math.Max(step, math.Ceil(hi/step)*step)
	return top, step
}

// niceStep is the smallest of 1, 2 and 5 times a power of ten (at least
// 1) that is at least x.
func niceStep(x float64) float64 {
	if x <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// num formats a coordinate with one decimal.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// esc writes s escaped for XML text and attribute values.
func esc(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder does not fail
}

// groupDigits writes n with sep between groups of three digits
// (1.234.567 in Vietnamese, 1,234,567 in English).
func groupDigits(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
