package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao/guides"
)

var guidesListDoc = Doc{
	Summary: "The built-in guides (register a place, posters, gates, check-in, tracing, progress, personal data, workplaces), each with its role and, per language, " +
		"its title, summary and the URLs of its page and of its A4 PDF. Public: anyone may link to them, print them and hand them on",
	Tags: []string{"guides"},
	Response: obj(props{"guides": array(obj(props{
		"slug": str("the guide's fixed name, as in /guides/{slug}"),
		"role": str("who it is for: venue, gate, visitor, health, official or dpo"),
		"languages": array(obj(props{
			"lang":    str("vi or en"),
			"title":   str("the guide's title in that language"),
			"summary": str("one or two sentences on what the guide covers"),
			"page":    str("the guide's page in that language"),
			"pdf":     str("the guide's A4 PDF in that language"),
		}, "lang", "title", "summary", "page", "pdf")),
	}, "slug", "role", "languages"))}, "guides"),
}

// guideJSON is a guide in the API.
type guideJSON struct {
	Slug      string          `json:"slug"`
	Role      string          `json:"role"`
	Languages []guideLangJSON `json:"languages"`
}

type guideLangJSON struct {
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Page    string `json:"page"`
	PDF     string `json:"pdf"`
}

// apiGuidesList answers GET /api/v1/guides.
func (s *Server) apiGuidesList(w http.ResponseWriter, r *http.Request) error {
	lib, err := guides.Default()
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(s.cfg.BaseURL, "/") + "/guides/"
	out := []guideJSON{}
	for _, slug := range guides.Slugs {
		j := guideJSON{Slug: slug}
		for _, lang := range guides.Langs {
			g, _ := lib.Get(slug, lang)
			j.Role = g.Role
			j.Languages = append(j.Languages, guideLangJSON{Lang: lang, Title: g.Title, Summary: g.Summary,
				Page: base + slug + "?lang=" + lang, PDF: base + slug + ".pdf?lang=" + lang})
		}
		out = append(out, j)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"guides": out})
}
