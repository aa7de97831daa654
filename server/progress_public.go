package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// publicProgressRoutes are the public progress pages, when the deployment
// publishes them (Config.PublicProgress): anyone may read them, so they
// show units only, never a place, and hide small counts.
func (s *Server) publicProgressRoutes() []Route {
	if !s.cfg.PublicProgress {
		return nil
	}
	return []Route{
		page("GET", "/public/progress", Public, s.publicProgressShow),
		page("GET", "/public/progress/{code}", Public, s.publicProgressShow),
	}
}

// publicData is the data of the public progress page.
type publicData struct {
	Shown   bool
	Name    string
	Path    string
	Crumbs  []crumb
	Day     string // the form's value, 2006-01-02
	DayText string
	Failure formFailure
	Rows    []publicRow
	Total   publicRow
	Hidden  bool // some figure is shown as "<10"
}

// publicRow is one sub-unit's line, the figures already as shown.
type publicRow struct {
	Name, Href               string
	Venues, Active, CheckIns progress.PublicCount
}

// publicProgressShow shows a unit's public progress on one day
// (?day=2006-01-02, yesterday by default).
func (s *Server) publicProgressShow(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if code != "" && !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	d := &publicData{Path: r.URL.Path, Day: strings.TrimSpace(r.URL.Query().Get("day"))}
	var day ravao.Day
	var err error
	if d.Day != "" {
		day, err = ravao.ParseDay(d.Day)
	}
	var v progress.PublicView
	if err == nil {
		v, err = s.progress.Public(r.Context(), code, day)
	}
	if err == nil {
		w.Header().Set("Cache-Control", "public, max-age=300")
		s.fillPublic(d, v, s.lang(r))
		return s.views.render(w, http.StatusOK, "progress_public.html", s.page(r, "public.title", d))
	}
	fail, ok := s.formFailed(w, r, err, "day")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress_public.html", s.page(r, "public.title", d))
}

// fillPublic turns the view into what the page shows.
func (s *Server) fillPublic(d *publicData, v progress.PublicView, lang string) {
	d.Shown, d.Day, d.DayText = true, v.Day.String(), dayText(v.Day)
	d.Name = s.cat.T(lang, "stats.everywhere")
	if v.Unit.Code != "" {
		d.Name = localName(v.Unit, lang)
		d.Crumbs = append(d.Crumbs, crumb{Name: s.cat.T(lang, "stats.everywhere"), Href: "/public/progress?day=" + d.Day})
	}
	for _, a := range v.Ancestors {
		d.Crumbs = append(d.Crumbs, crumb{Name: localName(a, lang), Href: "/public/progress/" + a.Code + "?day=" + d.Day})
	}
	for _, row := range v.Rows {
		d.Rows = append(d.Rows, publicRow{
			Name: localName(row.Unit, lang), Href: "/public/progress/" + row.Unit.Code + "?day=" + d.Day,
			Venues: row.Venues, Active: row.Active, CheckIns: row.CheckIns,
		})
		d.Hidden = d.Hidden || row.Venues.Hidden || row.Active.Hidden || row.CheckIns.Hidden
	}
	t := v.Total
	d.Total = publicRow{Name: s.cat.T(lang, "public.total"), Venues: t.Venues, Active: t.Active, CheckIns: t.CheckIns}
	d.Hidden = d.Hidden || t.Venues.Hidden || t.Active.Hidden || t.CheckIns.Hidden
}
