package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// rosterRoutes are the roster upload, coverage and missing-places pages
// and API. Who may see or change which unit's roster is the service's
// decision; the routes only require a monitor.
func (s *Server) rosterRoutes() []Route {
	m := ravao.PermMonitor
	return []Route{
		page("GET", "/stats/units/{code}/coverage", m, s.coverageShow),
		withMaxBody(page("POST", "/stats/units/{code}/coverage", m, s.coverageUpload), maxImportBody),
		page("GET", "/stats/units/{code}/coverage/missing", m, s.coverageMissing),
		page("GET", "/stats/units/{code}/coverage/missing.csv", m, s.coverageMissingFile("csv")),
		page("GET", "/stats/units/{code}/coverage/missing.xlsx", m, s.coverageMissingFile("xlsx")),
		page("POST", "/stats/roster-entries/{id}/confirm", m, s.rosterEntrySubmit("confirm")),
		page("POST", "/stats/roster-entries/{id}/reject", m, s.rosterEntrySubmit("reject")),
		page("POST", "/stats/roster-entries/{id}/choose", m, s.rosterEntrySubmit("choose")),
		page("POST", "/stats/units/{code}/roster/delete", m, s.rosterDeleteSubmit),

		api("GET", "/api/v1/stats/units/{code}/coverage", m, s.apiCoverage, coverageDoc),
		api("GET", "/api/v1/stats/units/{code}/coverage/missing", m, s.apiCoverageMissing, coverageMissingDoc),
		withMaxBody(api("POST", "/api/v1/stats/units/{code}/roster", m, s.apiRosterUpload, rosterUploadDoc), maxImportBody),
		api("DELETE", "/api/v1/stats/units/{code}/roster", m, s.apiRosterDelete, rosterDeleteDoc),
		api("POST", "/api/v1/roster-entries/{id}/confirm", m, s.apiRosterEntry("confirm"), rosterConfirmDoc),
		api("POST", "/api/v1/roster-entries/{id}/reject", m, s.apiRosterEntry("reject"), rosterRejectDoc),
		api("POST", "/api/v1/roster-entries/{id}/choose", m, s.apiRosterEntry("choose"), rosterChooseDoc),
	}
}

// coverageData is the data of a unit's coverage page.
type coverageData struct {
	Shown       bool
	Name        string
	Code        string // the path's unit code ("all" for the whole deployment)
	Path        string // this page's path
	Crumbs      []crumb
	Sector      string   // the sector shown, "" for all
	Sectors     []choice // the filter's choices
	Uploads     []choice // the sectors the reader may upload a roster for
	UploadAll   bool     // the reader may upload a roster for all sectors
	Totals      coverageRowView
	Children    []coverageRowView
	BySector    []coverageRowView
	Rosters     []rosterRow
	Done        string // what the last action did
	Failure     formFailure
	Uploaded    bool // the failure is an upload's: shown beside its form
	RowErrors   []importErrorRow
	ProgressURL string
	MissingURL  string
}

// coverageRowView is one line of coverage as the page shows it.
type coverageRowView struct {
	Name, Href, SectorKey                string
	Required, Covered, Proposed, Percent int
}

// rosterRow is one roster below the unit.
type rosterRow struct {
	Unit, SectorKey, Sector, FileName, Date string
	Entries                                 int
	DeleteURL                               string // empty when the reader may not delete it
}

// coverageShow shows a unit's coverage: ?sector= narrows it, ?done= says
// what the last upload or deletion did.
func (s *Server) coverageShow(w http.ResponseWriter, r *http.Request) error {
	q, err := coverageQuery(r, r.URL.Query().Get("sector"))
	d := &coverageData{Code: r.PathValue("code"), Path: r.URL.Path, Sector: string(q.Sector), Sectors: sectorChoices(), Done: s.coverageDone(r)}
	if err == nil {
		var v progress.CoverageView
		if v, err = s.progress.Coverage(r.Context(), principal(r), q); err == nil {
			return s.renderCoverage(w, r, http.StatusOK, d, v)
		}
	}
	fail, ok := s.formFailed(w, r, err, "sector")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress_roster.html", s.page(r, "coverage.title", d))
}

// coverageQuery reads the unit of the path and a sector; a path code that
// cannot be a unit is a page that does not exist.
func coverageQuery(r *http.Request, sector string) (ravao.StatsQuery, error) {
	code := r.PathValue("code")
	if code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.StatsQuery{}, ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	fe := ravao.FieldErrors{}
	q := ravao.StatsQuery{UnitCode: statsUnitCode(code, fe), Sector: statsSector(sector, fe)}
	return q, fe.Err()
}

// renderCoverage fills d from the view and shows it with status.
func (s *Server) renderCoverage(w http.ResponseWriter, r *http.Request, status int, d *coverageData, v progress.CoverageView) error {
	lang, p := s.lang(r), principal(r)
	d.Shown, d.Sector = true, string(v.Sector)
	d.Name = s.cat.T(lang, "stats.everywhere")
	if v.Unit.Code != "" {
		d.Name = localName(v.Unit, lang)
	}
	d.Crumbs = coverageCrumbs(p, v, lang)
	d.ProgressURL = statsUnitURL(v.Unit.Code) + statsSectorQuery(v.Sector)
	d.MissingURL = coverageURL(v.Unit.Code) + "/missing" + statsSectorQuery(v.Sector)
	d.Totals = coverageRow(v.Totals, "", "")
	for _, c := range v.Children {
		d.Children = append(d.Children, coverageRow(c, localName(c.Unit, lang), coverageURL(c.Unit.Code)+statsSectorQuery(v.Sector)))
	}
	for _, c := range v.Sectors {
		d.BySector = append(d.BySector, coverageRow(c, "", ""))
	}
	if v.Unit.Code != "" {
		d.Uploads, d.UploadAll = uploadChoices(p, unitPath(v))
	}
	rows, err := s.rosterRows(r, p, v.Rosters)
	if err != nil {
		return err
	}
	d.Rosters = rows
	return s.views.render(w, status, "progress_roster.html", s.page(r, "coverage.title", d))
}

// coverageRow puts one line of coverage into words.
func coverageRow(c progress.CoverageRow, name, href string) coverageRowView {
	out := coverageRowView{Name: name, Href: href, Required: c.Required, Covered: c.Covered, Proposed: c.Proposed, Percent: c.Percent()}
	if c.Sector != "" {
		out.SectorKey = "sector." + string(c.Sector)
	}
	return out
}

// unitPath is the codes from the province down to the view's unit.
func unitPath(v progress.CoverageView) []string {
	path := make([]string, 0, len(v.Ancestors)+1)
	for _, a := range v.Ancestors {
		path = append(path, a.Code)
	}
	return append(path, v.Unit.Code)
}

// uploadChoices are the sectors the reader may upload a roster for in the
// unit at path; all is true when they may upload one for every sector.
func uploadChoices(p *ravao.Principal, path []string) ([]choice, bool) {
	all := p.Can(ravao.PermMonitor, ravao.Target{UnitPath: path})
	var out []choice
	for _, c := range sectorChoices() {
		if p.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: ravao.Sector(c.Value)}) {
			out = append(out, c)
		}
	}
	return out, all
}

// coverageCrumbs are the unit's ancestors, each a link to its coverage
// when the reader may monitor it.
func coverageCrumbs(p *ravao.Principal, v progress.CoverageView, lang string) []crumb {
	var out []crumb
	path := make([]string, 0, len(v.Ancestors))
	for _, a := range v.Ancestors {
		path = append(path, a.Code)
		c := crumb{Name: localName(a, lang)}
		if p.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: v.Sector}) {
			c.Href = coverageURL(a.Code) + statsSectorQuery(v.Sector)
		}
		out = append(out, c)
	}
	return out
}

// rosterRows names the rosters' units and says which the reader may delete.
func (s *Server) rosterRows(r *http.Request, p *ravao.Principal, rosters []ravao.Roster) ([]rosterRow, error) {
	lang := s.lang(r)
	codes := make([]string, 0, len(rosters))
	for _, ro := range rosters {
		codes = append(codes, ro.UnitCode)
	}
	names, err := s.unitNames(r.Context(), lang, codes)
	if err != nil {
		return nil, err
	}
	out := make([]rosterRow, 0, len(rosters))
	for _, ro := range rosters {
		row := rosterRow{
			Unit: names[ro.UnitCode], Sector: string(ro.Sector), FileName: ro.FileName, Entries: ro.Entries,
			Date: ro.CreatedAt.In(s.cfg.TZ).Format("02/01/2006 15:04"), SectorKey: "coverage.all_sectors",
		}
		if ro.Sector != "" {
			row.SectorKey = "sector." + string(ro.Sector)
		}
		path := ravao.SplitUnitPath(ro.UnitPath)
		if p.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: ro.Sector}) {
			row.DeleteURL = statsUnitURL(ro.UnitCode) + "/roster/delete"
		}
		out = append(out, row)
	}
	return out, nil
}

// coverageURL is the path of a unit's coverage page ("" for the whole
// deployment).
func coverageURL(code string) string { return statsUnitURL(code) + "/coverage" }

// coverageDoneCounts are the announcements a redirect may ask for, with the
// counts each carries.
var coverageDoneCounts = map[string][]string{
	"upload": {"covered", "proposed", "missing"}, "delete": nil,
	"confirm": nil, "reject": nil, "choose": nil,
}

// coverageDone is the announcement of ?done=...; empty for anything else
// or when a count is not a number.
func (s *Server) coverageDone(r *http.Request) string {
	q := r.URL.Query()
	names, ok := coverageDoneCounts[q.Get("done")]
	if !ok {
		return ""
	}
	args := make([]any, 0, len(names))
	for _, name := range names {
		n, err := strconv.Atoi(q.Get(name))
		if err != nil || n < 0 {
			return ""
		}
		args = append(args, n)
	}
	return s.cat.T(s.lang(r), "coverage.done_"+q.Get("done"), args...)
}

// doneQuery is the query of a redirect after an upload.
func doneQuery(res progress.RosterResult) url.Values {
	return url.Values{
		"done": {"upload"}, "covered": {strconv.Itoa(res.Covered)},
		"proposed": {strconv.Itoa(res.Proposed)}, "missing": {strconv.Itoa(res.Missing)},
	}
}
