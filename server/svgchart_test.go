package server

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// svgShape is what a test reads back from a chart: its accessible name and
// every coordinate, parsed as XML.
type svgShape struct {
	Role, LabelledBy, Title, Desc string
	Rects                         []map[string]float64
	Texts                         []string
}

// parseSVG parses a chart with encoding/xml; a chart that is not
// well-formed XML fails the test.
func parseSVG(t *testing.T, svg string) svgShape {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var out svgShape
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not valid XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			stack = append(stack, el.Name.Local)
			out.readStart(t, el)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			out.readText(stack, string(el))
		}
	}
	return out
}

func (s *svgShape) readStart(t *testing.T, el xml.StartElement) {
	t.Helper()
	attrs := map[string]float64{}
	for _, a := range el.Attr {
		switch a.Name.Local {
		case "role":
			s.Role = a.Value
		case "aria-labelledby":
			s.LabelledBy = a.Value
		case "x", "y", "width", "height", "x1", "x2", "y1", "y2":
			f, err := strconv.ParseFloat(a.Value, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("<%s %s=%q>: not a finite number", el.Name.Local, a.Name.Local, a.Value)
			}
			attrs[a.Name.Local] = f
		}
	}
	if el.Name.Local == "rect" {
		s.Rects = append(s.Rects, attrs)
	}
}

func (s *svgShape) readText(stack []string, text string) {
	if len(stack) == 0 || strings.TrimSpace(text) == "" {
		return
	}
	switch {
	case len(stack) == 2 && stack[1] == "title":
		s.Title += text
	case len(stack) == 2 && stack[1] == "desc":
		s.Desc += text
	default:
		s.Texts = append(s.Texts, text)
	}
}

func TestChartOfNoDaysIsValidAndNamed(t *testing.T) {
	c := barChart{ID: "c", Title: "Lượt quét <mã> & ngày", Desc: "Không có lượt nào.", XLabel: "Ngày", YLabel: "Lượt quét", Sep: "."}
	got := parseSVG(t, string(c.SVG()))
	if got.Role != "img" || got.LabelledBy != "c-title c-desc" {
		t.Errorf("got role %q labelled by %q, want img labelled by c-title c-desc", got.Role, got.LabelledBy)
	}
	if got.Title != c.Title || got.Desc != c.Desc {
		t.Errorf("got title %q, desc %q; want %q, %q", got.Title, got.Desc, c.Title, c.Desc)
	}
	if len(got.Rects) != 0 {
		t.Errorf("got %d bars, want none", len(got.Rects))
	}
	for _, want := range []string{"Ngày", "Lượt quét", "0", "1"} {
		if !strings.Contains(strings.Join(got.Texts, "|"), want) {
			t.Errorf("axis texts %q: missing %q", got.Texts, want)
		}
	}
}

func TestChartOfOneHugeDayKeepsEveryBarInside(t *testing.T) {
	values := []int{0, 3, 0, 2_000_000_000_000, 7, 0, -5}
	labels := []string{"01/11", "02/11", "03/11", "04/11", "05/11", "06/11", "07/11"}
	c := barChart{ID: "h", Title: "Check-ins per day", Desc: "x", XLabel: "Day", YLabel: "Check-ins", Labels: labels, Values: values, Sep: ","}
	got := parseSVG(t, string(c.SVG()))
	if len(got.Rects) != len(values) {
		t.Fatalf("got %d bars, want %d", len(got.Rects), len(values))
	}
	tallest := 0.0
	for i, r := range got.Rects {
		if r["height"] < 0 || r["width"] <= 0 {
			t.Errorf("bar %d: height %v, width %v; want height ≥ 0 and width > 0", i, r["height"], r["width"])
		}
		if r["y"] < chartTop-0.05 || r["y"]+r["height"] > chartTop+chartPlotH+0.05 || r["x"] < chartLeft || r["x"]+r["width"] > chartLeft+chartPlotW+0.05 {
			t.Errorf("bar %d %v: outside the plot", i, r)
		}
		tallest = max(tallest, r["height"])
	}
	if got.Rects[3]["height"] != tallest || tallest < chartPlotH/2 {
		t.Errorf("the huge day is %v high, tallest %v: want it the tallest, above half the plot", got.Rects[3]["height"], tallest)
	}
	if !strings.Contains(strings.Join(got.Texts, "|"), "04/11: 2,000,000,000,000") {
		t.Errorf("bar titles %q: want the huge day's own title with grouped digits", got.Texts)
	}
}

func TestChartScaleSteps(t *testing.T) {
	for _, tt := range []struct {
		values    []int
		top, step float64
	}{
		{nil, 1, 1},
		{[]int{0, 0}, 1, 1},
		{[]int{3}, 3, 1},
		{[]int{17}, 20, 5},
		{[]int{1234}, 1500, 500},
	} {
		top, step := chartScale(tt.values)
		if top != tt.top || step != tt.step {
			t.Errorf("chartScale(%v): got top %v step %v, want %v %v", tt.values, top, step, tt.top, tt.step)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		sep  string
		want string
	}{{0, ".", "0"}, {999, ".", "999"}, {1000, ".", "1.000"}, {1234567, ",", "1,234,567"}, {-12345, ".", "-12.345"}} {
		if got := groupDigits(tt.n, tt.sep); got != tt.want {
			t.Errorf("groupDigits(%d, %q): got %q, want %q", tt.n, tt.sep, got, tt.want)
		}
	}
}
