// Package guides holds Ravao's built-in guides: short illustrated
// instructions for each role (register a place, put up posters, run a gate,
// check in, trace a case, read the progress view, protect personal data,
// keep a workplace's staff list), in Vietnamese and English. The text lives
// in small structured files embedded in the binary (text/LANG/SLUG.txt, see
// docs/guides.md for their format); the figures are drawn in code, once, and
// rendered both as inline SVG for the pages and with PDF primitives for the
// printable A4 guides.
package guides

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"
)

//go:embed text
var files embed.FS

// Langs are the languages every guide is written in, Vietnamese first.
var Langs = []string{"vi", "en"}

// Slugs lists the guides in the order they are shown; the pages link to
// /guides/{slug}, so a slug never changes.
var Slugs = []string{"register", "posters", "workplace", "gate", "checkin", "tracing", "progress", "privacy"}

// Roles lists the groups of the guides' index, in order; each guide names
// one in its "role:" line.
var Roles = []string{"venue", "gate", "visitor", "health", "official", "dpo"}

// Edition is the creation date written into every guide's PDF, so that the
// same text always gives the same bytes. Move it forward when the guides
// change substantially.
var Edition = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Kind is what a section's items are.
type Kind string

// The section kinds.
const (
	Steps    Kind = "steps"    // numbered steps, in order
	Tips     Kind = "tips"     // advice, in any order
	Problems Kind = "problems" // a problem and what to do about it
)

// Guide is one guide in one language.
type Guide struct {
	Slug, Lang string
	Role       string // one of Roles
	Title      string
	For        string // who the guide is for
	Summary    string
	Sections   []Section
}

// Section is a titled part of a guide.
type Section struct {
	Kind   Kind
	Title  string
	Intro  []Text // paragraphs before the items
	Items  []Item
	Figure string // the name of a figure drawn before the items, or ""
	// Caption describes the figure; it is also its text alternative.
	Caption string
}

// Item is a step, a tip, or a problem with its answer.
type Item struct {
	Text   Text
	Answer Text // problems only
}

// Text is a run of plain text and interface labels.
type Text []Span

// Span is plain text, or (Key set) the label of a button, link or field as
// the pages show it: a message key of the catalogue, resolved by Resolve so
// that a guide always names what the reader sees on screen.
type Span struct {
	Text string
	Key  string
}

// IsLabel reports whether the span is an interface label.
func (s Span) IsLabel() bool { return s.Key != "" }

// Library is every guide in every language.
type Library struct {
	guides map[string]map[string]Guide // slug -> lang -> guide
}

// Default is the library of the embedded guide files, parsed once.
var Default = sync.OnceValues(func() (*Library, error) { return Load(files) })

// Load parses every guide of fsys (text/LANG/SLUG.txt) and checks that each
// slug exists in every language with the same structure.
func Load(fsys fs.FS) (*Library, error) {
	lib := &Library{guides: map[string]map[string]Guide{}}
	for _, slug := range Slugs {
		lib.guides[slug] = map[string]Guide{}
		for _, lang := range Langs {
			name := "text/" + lang + "/" + slug + ".txt"
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("guides: %w", err)
			}
			g, err := parse(name, string(b))
			if err != nil {
				return nil, err
			}
			g.Slug, g.Lang = slug, lang
			lib.guides[slug][lang] = g
		}
		if err := sameShape(lib.guides[slug]); err != nil {
			return nil, err
		}
	}
	return lib, nil
}

// Get returns a guide in a language; ok is false for an unknown slug or
// language.
func (l *Library) Get(slug, lang string) (Guide, bool) {
	g, ok := l.guides[slug][lang]
	return g, ok
}

// List returns every guide in a language, in the order of Slugs.
func (l *Library) List(lang string) []Guide {
	var out []Guide
	for _, slug := range Slugs {
		if g, ok := l.guides[slug][lang]; ok {
			out = append(out, g)
		}
	}
	return out
}

// Keys lists the interface labels the guides name, for tests that check
// the catalogue has them.
func (l *Library) Keys() []string {
	var keys []string
	add := func(t Text) {
		for _, s := range t {
			if s.Key != "" && !slices.Contains(keys, s.Key) {
				keys = append(keys, s.Key)
			}
		}
	}
	for _, byLang := range l.guides {
		for _, g := range byLang {
			for _, s := range g.Sections {
				for _, p := range s.Intro {
					add(p)
				}
				for _, it := range s.Items {
					add(it.Text)
					add(it.Answer)
				}
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// Resolve returns a copy of g whose labels carry the text t gives their
// keys (the pages' own words in g's language).
func (g Guide) Resolve(t func(key string) string) Guide {
	out := g
	out.Sections = make([]Section, len(g.Sections))
	for i, s := range g.Sections {
		s.Intro = resolveAll(s.Intro, t)
		items := make([]Item, len(s.Items))
		for j, it := range s.Items {
			items[j] = Item{Text: it.Text.resolve(t), Answer: it.Answer.resolve(t)}
		}
		s.Items = items
		out.Sections[i] = s
	}
	return out
}

func resolveAll(ts []Text, t func(string) string) []Text {
	out := make([]Text, len(ts))
	for i, x := range ts {
		out[i] = x.resolve(t)
	}
	return out
}

func (x Text) resolve(t func(string) string) Text {
	if x == nil {
		return nil
	}
	out := make(Text, len(x))
	for i, s := range x {
		if s.Key != "" {
			s.Text = t(s.Key)
		}
		out[i] = s
	}
	return out
}

// String is the text as a reader sees it (labels as resolved).
func (x Text) String() string {
	var b []byte
	for _, s := range x {
		b = append(b, s.Text...)
	}
	return string(b)
}

// Quoted is the text as printed: labels between quotation marks.
func (x Text) Quoted() string {
	var b []byte
	for _, s := range x {
		if s.IsLabel() {
			b = append(b, "“"+s.Text+"”"...)
			continue
		}
		b = append(b, s.Text...)
	}
	return string(b)
}

// sameShape checks that the languages of one guide have the same role,
// sections, item counts and figures: a translation that drops a step is
// a mistake.
func sameShape(byLang map[string]Guide) error {
	ref := byLang[Langs[0]]
	for _, lang := range Langs[1:] {
		g := byLang[lang]
		where := fmt.Sprintf("guides: %s in %s and %s", ref.Slug, ref.Lang, lang)
		if g.Role != ref.Role {
			return fmt.Errorf("%s: roles %q and %q differ", where, ref.Role, g.Role)
		}
		if len(g.Sections) != len(ref.Sections) {
			return fmt.Errorf("%s: %d and %d sections", where, len(ref.Sections), len(g.Sections))
		}
		for i, s := range g.Sections {
			r := ref.Sections[i]
			if s.Kind != r.Kind || len(s.Items) != len(r.Items) || len(s.Intro) != len(r.Intro) || s.Figure != r.Figure {
				return fmt.Errorf("%s: section %d differs (kind, paragraphs, items or figure)", where, i+1)
			}
		}
	}
	return nil
}
