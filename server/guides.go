package server

import (
	"bytes"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/guides"
	"github.com/ravao/ravao/i18n"
)

// guideRoutes are the built-in guides: public, since unions, press and
// radio hand them on. /guides/{slug}.pdf is served by the same pattern
// (a ServeMux wildcard is a whole path segment).
func (s *Server) guideRoutes() []Route {
	return []Route{
		page("GET", "/guides", Public, s.guidesList),
		page("GET", "/guides/{slug}", Public, s.guideShow),
		api("GET", "/api/v1/guides", Public, s.apiGuidesList, guidesListDoc),
	}
}

// guideLang is the language of a guide request: ?lang= when given (a link
// shared in one language stays in it), else the reader's.
func (s *Server) guideLang(r *http.Request) (string, error) {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		return s.lang(r), nil
	}
	if !i18n.Supported(lang) {
		return "", ravao.Errorf(ravao.Invalid, "err.lang")
	}
	return lang, nil
}

// guidesData is the index of the guides, grouped by role.
type guidesData struct {
	Groups []guideGroup
}

type guideGroup struct {
	Key    string // the role's message key
	Guides []guideEntry
}

// guideEntry is a guide in the index, or the guide a page shows.
type guideEntry struct {
	Slug, Title, Summary, For string
	Page                      string
	PDFs                      []guideLink
}

// guideLink is a guide's PDF in one language.
type guideLink struct {
	Lang, Key, URL string
}

func guideEntryOf(g guides.Guide) guideEntry {
	e := guideEntry{Slug: g.Slug, Title: g.Title, Summary: g.Summary, For: g.For, Page: "/guides/" + g.Slug}
	for _, lang := range guides.Langs {
		e.PDFs = append(e.PDFs, guideLink{Lang: lang, Key: "guide.pdf_" + lang, URL: "/guides/" + g.Slug + ".pdf?lang=" + lang})
	}
	return e
}

// guidesList shows the index of the guides.
func (s *Server) guidesList(w http.ResponseWriter, r *http.Request) error {
	lib, err := guides.Default()
	if err != nil {
		return err
	}
	lang, err := s.guideLang(r)
	if err != nil {
		return err
	}
	d := guidesData{}
	for _, role := range guides.Roles {
		grp := guideGroup{Key: "guide.role." + role}
		for _, g := range lib.List(lang) {
			if g.Role == role {
				grp.Guides = append(grp.Guides, guideEntryOf(g))
			}
		}
		if len(grp.Guides) > 0 {
			d.Groups = append(d.Groups, grp)
		}
	}
	p := s.page(r, "guide.index_title", d)
	p.Lang = lang
	return s.views.render(w, http.StatusOK, "guides.html", p)
}

// guideData is one guide's page.
type guideData struct {
	guideEntry
	Sections []guideSection
}

// guideSection is a section with its anchor and its figure drawn.
type guideSection struct {
	guides.Section
	ID     string
	Figure template.HTML
}

// guideShow shows a guide, or with a .pdf suffix answers its PDF.
func (s *Server) guideShow(w http.ResponseWriter, r *http.Request) error {
	lib, err := guides.Default()
	if err != nil {
		return err
	}
	slug, pdf := strings.CutSuffix(r.PathValue("slug"), ".pdf")
	lang, err := s.guideLang(r)
	if err != nil {
		return err
	}
	g, ok := lib.Get(slug, lang)
	if !ok {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	if pdf {
		return s.guidePDF(w, g)
	}
	t := func(key string) string { return s.cat.T(lang, key) }
	g = g.Resolve(t)
	d := guideData{guideEntry: guideEntryOf(g)}
	for i, sec := range g.Sections {
		gs := guideSection{Section: sec, ID: "s" + strconv.Itoa(i+1)}
		if svg, ok := guides.SVG(sec.Figure, sec.Caption, t); ok {
			gs.Figure = template.HTML(svg) // drawn by the guides package from code, labels escaped
		}
		d.Sections = append(d.Sections, gs)
	}
	p := s.page(r, "guide.index_title", d)
	p.Lang = lang
	return s.views.render(w, http.StatusOK, "guides_show.html", p)
}

// guidePDFs keeps the guides' PDFs once made: a guide's bytes depend only
// on the embedded text, the catalogue and the base URL printed in it, so
// there are at most a few dozen, and a public route should not spend tens
// of milliseconds of CPU on every request.
var guidePDFs sync.Map // "base URL|slug|lang" -> []byte

// guidePDF answers a guide as an A4 PDF.
func (s *Server) guidePDF(w http.ResponseWriter, g guides.Guide) error {
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	key := base + "|" + g.Slug + "|" + g.Lang
	b, ok := guidePDFs.Load(key)
	if !ok {
		var buf bytes.Buffer
		words := guides.Words{T: func(k string, args ...any) string { return s.cat.T(g.Lang, k, args...) }}
		if base != "" {
			words.URL = base + "/guides/" + g.Slug + "?lang=" + g.Lang
		}
		if err := guides.PDF(&buf, g, words); err != nil {
			return err
		}
		b, _ = guidePDFs.LoadOrStore(key, buf.Bytes())
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": "ravao-" + g.Slug + "-" + g.Lang + ".pdf"}))
	_, err := w.Write(b.([]byte))
	return err
}
