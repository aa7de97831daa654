package guides

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// parser reads one guide file line by line (the format is in
// docs/guides.md).
type parser struct {
	name string
	line int
	g    Guide
	sec  *Section
	open bool // a problem waits for its answer
}

var (
	stepLine  = regexp.MustCompile(`^(\d+)\.\s+(.+)$`)
	labelRef  = regexp.MustCompile(`\[\[([a-z0-9_.]+)\]\]`)
	brokenRef = regexp.MustCompile(`\[\[|\]\]`)
)

// parse reads a guide file; errors name the file and line.
func parse(name, src string) (Guide, error) {
	p := &parser{name: name}
	for i, raw := range strings.Split(norm.NFC.String(src), "\n") {
		p.line = i + 1
		if err := p.feed(strings.TrimSpace(raw)); err != nil {
			return Guide{}, err
		}
	}
	p.line++
	return p.g, p.finish()
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("guides: %s:%d: %s", p.name, p.line, fmt.Sprintf(format, args...))
}

// feed takes one trimmed line.
func (p *parser) feed(l string) error {
	switch {
	case l == "" || strings.HasPrefix(l, "#"):
		return nil
	case strings.HasPrefix(l, "=="):
		return p.section(strings.TrimSpace(l[2:]))
	case p.sec == nil:
		return p.header(l)
	}
	return p.body(l)
}

// header reads a "field: value" line before the first section.
func (p *parser) header(l string) error {
	field, value, ok := strings.Cut(l, ":")
	value = strings.TrimSpace(value)
	if !ok || value == "" {
		return p.errorf("want a header line such as \"title: ...\", got %q", l)
	}
	switch strings.TrimSpace(field) {
	case "title":
		p.g.Title = value
	case "role":
		if !slices.Contains(Roles, value) {
			return p.errorf("unknown role %q (want one of %v)", value, Roles)
		}
		p.g.Role = value
	case "for":
		p.g.For = value
	case "summary":
		p.g.Summary = value
	default:
		return p.errorf("unknown header field %q (want title, role, for or summary)", field)
	}
	return nil
}

// section starts a section: "== steps: Title".
func (p *parser) section(l string) error {
	if err := p.endSection(); err != nil {
		return err
	}
	if p.sec == nil && (p.g.Title == "" || p.g.Role == "" || p.g.For == "" || p.g.Summary == "") {
		return p.errorf("title, role, for and summary must come before the first section")
	}
	kind, title, ok := strings.Cut(l, ":")
	k := Kind(strings.TrimSpace(kind))
	title = strings.TrimSpace(title)
	if !ok || title == "" || !slices.Contains([]Kind{Steps, Tips, Problems}, k) {
		return p.errorf("want \"== steps: Title\" (or tips, problems), got %q", "=="+l)
	}
	p.g.Sections = append(p.g.Sections, Section{Kind: k, Title: title})
	p.sec = &p.g.Sections[len(p.g.Sections)-1]
	return nil
}

// body reads a line inside a section.
func (p *parser) body(l string) error {
	s := p.sec
	if p.open && !strings.HasPrefix(l, "= ") {
		return p.errorf("the problem above needs its answer on a line starting with \"= \"")
	}
	switch {
	case strings.HasPrefix(l, "figure:"):
		if len(s.Items) > 0 || s.Figure != "" {
			return p.errorf("a section has at most one figure, after its paragraphs and before its items")
		}
		return p.figure(strings.TrimSpace(l[len("figure:"):]))
	case s.Kind == Steps && stepLine.MatchString(l):
		m := stepLine.FindStringSubmatch(l)
		if n, _ := strconv.Atoi(m[1]); n != len(s.Items)+1 {
			return p.errorf("step %s, want step %d", m[1], len(s.Items)+1)
		}
		return p.item(m[2], false)
	case s.Kind == Tips && strings.HasPrefix(l, "- "):
		return p.item(l[2:], false)
	case s.Kind == Problems && strings.HasPrefix(l, "? "):
		p.open = true
		return p.item(l[2:], false)
	case s.Kind == Problems && strings.HasPrefix(l, "= "):
		if len(s.Items) == 0 || s.Items[len(s.Items)-1].Answer != nil {
			return p.errorf("an answer needs its problem (\"? ...\") just before it")
		}
		p.open = false
		return p.item(l[2:], true)
	case len(s.Items) == 0 && s.Figure == "":
		t, err := p.text(l)
		s.Intro = append(s.Intro, t)
		return err
	}
	return p.errorf("in a %s section, want %s, got %q", s.Kind, marker(s.Kind), l)
}

func marker(k Kind) string {
	switch k {
	case Steps:
		return "\"1. ...\""
	case Tips:
		return "\"- ...\""
	}
	return "\"? problem\" then \"= answer\""
}

// item adds a step, tip or problem, or the answer of the last problem.
func (p *parser) item(l string, answer bool) error {
	t, err := p.text(l)
	if err != nil {
		return err
	}
	if answer {
		p.sec.Items[len(p.sec.Items)-1].Answer = t
		return nil
	}
	p.sec.Items = append(p.sec.Items, Item{Text: t})
	return nil
}

// figure reads "name | caption".
func (p *parser) figure(l string) error {
	name, caption, _ := strings.Cut(l, "|")
	name, caption = strings.TrimSpace(name), strings.TrimSpace(caption)
	if _, ok := figures[name]; !ok {
		return p.errorf("unknown figure %q", name)
	}
	if caption == "" {
		return p.errorf("figure %s needs a caption: \"figure: %s | what it shows\"", name, name)
	}
	p.sec.Figure, p.sec.Caption = name, caption
	return nil
}

// text splits a line into plain spans and [[key]] labels.
func (p *parser) text(l string) (Text, error) {
	var t Text
	rest := l
	for _, m := range labelRef.FindAllStringSubmatchIndex(l, -1) {
		if m[0] > len(l)-len(rest) {
			t = append(t, Span{Text: l[len(l)-len(rest) : m[0]]})
		}
		t = append(t, Span{Key: l[m[2]:m[3]]})
		rest = l[m[1]:]
	}
	if rest != "" {
		t = append(t, Span{Text: rest})
	}
	for _, s := range t {
		if s.Key == "" && brokenRef.MatchString(s.Text) {
			return nil, p.errorf("a label is written [[message.key]] with lower-case letters, digits, dots and _")
		}
	}
	return t, nil
}

// endSection checks the section just read.
func (p *parser) endSection() error {
	if p.sec == nil {
		return nil
	}
	if p.open {
		return p.errorf("the last problem of %q has no answer", p.sec.Title)
	}
	if len(p.sec.Items) == 0 {
		return p.errorf("section %q has no %s", p.sec.Title, p.sec.Kind)
	}
	return nil
}

// finish checks the end of the file.
func (p *parser) finish() error {
	if p.sec == nil {
		return p.errorf("a guide needs at least one section")
	}
	return p.endSection()
}
