package guides

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ravao/ravao/i18n"
)

func library(t *testing.T) *Library {
	t.Helper()
	lib, err := Default()
	if err != nil {
		t.Fatalf("the embedded guides do not load: %v", err)
	}
	return lib
}

func catalogue(t *testing.T) *i18n.Catalogue {
	t.Helper()
	c, err := i18n.New("vi")
	if err != nil {
		t.Fatal(err)
	}
	c.OnMissing = func(lang, key string) { t.Errorf("message %q missing in %s", key, lang) }
	return c
}

func TestEveryGuideInEveryLanguage(t *testing.T) {
	lib := library(t)
	for _, slug := range Slugs {
		vi, okVi := lib.Get(slug, "vi")
		en, okEn := lib.Get(slug, "en")
		if !okVi || !okEn {
			t.Fatalf("%s: vi %v, en %v; want both", slug, okVi, okEn)
		}
		for _, g := range []Guide{vi, en} {
			if g.Title == "" || g.For == "" || g.Summary == "" || !slices.Contains(Roles, g.Role) {
				t.Errorf("%s/%s: title %q, for %q, summary %q, role %q: want all set", slug, g.Lang, g.Title, g.For, g.Summary, g.Role)
			}
			kinds := map[Kind]int{}
			for _, s := range g.Sections {
				kinds[s.Kind] += len(s.Items)
			}
			if kinds[Steps] < 3 || kinds[Tips] < 2 || kinds[Problems] < 2 {
				t.Errorf("%s/%s: %d steps, %d tips, %d problems; want at least 3, 2, 2", slug, g.Lang, kinds[Steps], kinds[Tips], kinds[Problems])
			}
		}
		if len(vi.Sections) != len(en.Sections) {
			t.Fatalf("%s: %d sections in vi, %d in en", slug, len(vi.Sections), len(en.Sections))
		}
		for i := range vi.Sections {
			a, b := vi.Sections[i], en.Sections[i]
			if a.Kind != b.Kind || len(a.Items) != len(b.Items) || a.Figure != b.Figure {
				t.Errorf("%s section %d: vi %s with %d items and figure %q, en %s with %d and %q", slug, i+1, a.Kind, len(a.Items), a.Figure, b.Kind, len(b.Items), b.Figure)
			}
		}
	}
	if got := len(lib.List("en")); got != len(Slugs) {
		t.Errorf("List(en): %d guides, want %d", got, len(Slugs))
	}
}

// The figures the brief asks for are in the guides that need them.
func TestFiguresWhereAPictureHelps(t *testing.T) {
	lib := library(t)
	for slug, fig := range map[string]string{"posters": "posters", "gate": "gate", "checkin": "checkin"} {
		g, _ := lib.Get(slug, "vi")
		if !slices.ContainsFunc(g.Sections, func(s Section) bool { return s.Figure == fig && s.Caption != "" }) {
			t.Errorf("%s: no figure %q with a caption", slug, fig)
		}
	}
}

// Every label a guide or figure names is a message of both languages, and
// one a reader can find on screen: no placeholders.
func TestLabelsAreThePagesWords(t *testing.T) {
	lib, c := library(t), catalogue(t)
	keys := append(lib.Keys(), FigureKeys()...)
	if len(keys) < 40 {
		t.Errorf("the guides name %d interface labels, want them to name the buttons they mention", len(keys))
	}
	for _, k := range keys {
		for _, lang := range Langs {
			if !c.Has(lang, k) {
				t.Errorf("label %q is not in %s.json", k, lang)
				continue
			}
			if s := c.T(lang, k); strings.Contains(s, "%") {
				t.Errorf("label %q in %s has a placeholder: %q", k, lang, s)
			}
		}
	}
	g, _ := lib.Get("gate", "vi")
	r := g.Resolve(func(k string) string { return c.T("vi", k) })
	if got := r.Sections[1].Items[0].Text.String(); !strings.Contains(got, "Bật camera để quét") {
		t.Errorf("gate, first scan step: %q, want the camera button's words", got)
	}
}

func TestVietnameseIsNFCWithDiacritics(t *testing.T) {
	lib := library(t)
	g, _ := lib.Get("checkin", "vi")
	all := g.Title + g.Summary
	for _, s := range g.Sections {
		for _, it := range s.Items {
			all += it.Text.String()
		}
	}
	for _, w := range []string{"Quét mã", "khai báo", "điện thoại", "Khai báo"} {
		if !strings.Contains(all, w) {
			t.Errorf("checkin/vi lacks %q", w)
		}
	}
}

func TestSVGFigures(t *testing.T) {
	c := catalogue(t)
	for name := range figures {
		for _, lang := range Langs {
			svg, ok := SVG(name, "Chú thích <&>", func(k string) string { return c.T(lang, k) })
			if !ok {
				t.Fatalf("%s: not drawn", name)
			}
			d := xml.NewDecoder(strings.NewReader(svg))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s/%s: not well-formed SVG: %v", name, lang, err)
				}
			}
			if strings.Contains(svg, "style=") || !strings.Contains(svg, `aria-label="Chú thích &lt;&amp;&gt;"`) {
				t.Errorf("%s/%s: inline style or caption not escaped as the text alternative", name, lang)
			}
			if len(svg) > 12000 {
				t.Errorf("%s/%s: %d bytes of SVG, want a light page", name, lang, len(svg))
			}
		}
	}
	svg, _ := SVG("gate", "", func(k string) string { return c.T("en", k) })
	for _, w := range []string{"Go in", "Handheld scanner", "Chip ID card (CCCD)"} {
		if !strings.Contains(svg, w) {
			t.Errorf("gate figure in English lacks %q", w)
		}
	}
	if _, ok := SVG("nope", "", nil); ok {
		t.Error("an unknown figure was drawn")
	}
}

func TestParseRejectsMistakes(t *testing.T) {
	head := "title: T\nrole: venue\nfor: F\nsummary: S\n"
	tests := []struct{ name, src, want string }{
		{"no sections", head, "at least one section"},
		{"unknown role", "title: T\nrole: boss\n", "unknown role"},
		{"unknown field", "titel: T\n", "unknown header field"},
		{"header missing", "title: T\n== steps: A\n1. x\n", "must come before the first section"},
		{"bad kind", head + "== howto: A\n", "want \"== steps: Title\""},
		{"step numbers", head + "== steps: A\n1. x\n3. y\n", ":7: step 3, want step 2"},
		{"tip in steps", head + "== steps: A\n1. x\n- y\n", "want \"1. ...\""},
		{"empty section", head + "== tips: A\n== tips: B\n- x\n", "section \"A\" has no tips"},
		{"answer missing", head + "== problems: P\n? x\n? y\n", "needs its answer"},
		{"answer alone", head + "== problems: P\n= y\n", "needs its problem"},
		{"last answer missing", head + "== problems: P\n? x\n", "has no answer"},
		{"unknown figure", head + "== steps: A\nfigure: moon | x\n1. x\n", "unknown figure"},
		{"figure without caption", head + "== steps: A\nfigure: gate\n1. x\n", "needs a caption"},
		{"figure after items", head + "== steps: A\n1. x\nfigure: gate | c\n", "at most one figure"},
		{"broken label", head + "== steps: A\n1. press [[Send]]\n", "a label is written"},
	}
	for _, tt := range tests {
		_, err := parse("x.txt", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}

func TestParseLabelsAndParagraphs(t *testing.T) {
	g, err := parse("x.txt", "title: T\nrole: gate\nfor: F\nsummary: S\n== steps: A\nIntro [[a.b]].\n1. Press [[gate.in]] then [[gate.out]]\n")
	if err != nil {
		t.Fatal(err)
	}
	s := g.Sections[0]
	want := Text{{Text: "Press "}, {Key: "gate.in"}, {Text: " then "}, {Key: "gate.out"}}
	if len(s.Intro) != 1 || !slices.Equal(s.Items[0].Text, want) {
		t.Errorf("got intro %v, step %v; want one paragraph and %v", s.Intro, s.Items[0].Text, want)
	}
}

// Load refuses a translation that drops a step.
func TestLoadRefusesTranslationsThatDiffer(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, slug := range Slugs {
		for _, lang := range Langs {
			b, err := files.ReadFile("text/" + lang + "/" + slug + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			fsys["text/"+lang+"/"+slug+".txt"] = &fstest.MapFile{Data: b}
		}
	}
	if _, err := Load(fsys); err != nil {
		t.Fatalf("a copy of the guides: %v", err)
	}
	f := fsys["text/en/posters.txt"]
	lines := strings.Split(string(f.Data), "\n")
	f.Data = []byte(strings.Join(slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, "5. Several places") }), "\n"))
	if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), "posters in vi and en: section 1 differs") {
		t.Errorf("a translation without its last step: got %v, want an error naming posters", err)
	}
}
