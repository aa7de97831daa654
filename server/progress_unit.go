package server

import (
	"context"
	"html/template"
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// statsData is the data of a unit's progress page. Shown is false when the
// range form failed and there are no figures to show.
type statsData struct {
	Shown   bool
	Name    string // the unit's name, or the whole deployment's
	Path    string // this page's path, the form's action
	Crumbs  []crumb
	Form    statsForm
	Sectors []choice
	Failure formFailure
	LastDay string // the day the silent lists are about
	Sector  bool   // a sector or a zone is shown: symptoms are left out
	Totals  ravao.Counts
	Days    []statsDayRow
	// CheckIns and Active are the charts of check-ins and of active places.
	CheckIns, Active template.HTML
	Children         []statsChildRow
	SilentChildren   int
	Types            []statsTypeRow
	Places           []statsPlaceRow
	PlacesMore       bool
	SilentSkipped    bool // too many places to list by name: see the sub-units
	// Venues are a commune's places with their activity over the range
	// (the end of the drill-down); From and To name the range.
	Venues     []statsVenueRow
	VenuesMore bool
	From, To   string
	// Zone names the industrial zone a zone's page shows; "" on a unit's
	// page, which links to the unit's zones (ZonesHref) instead.
	Zone, ZonesHref string
}

// statsVenueRow is one place of a commune, linking to its own days.
type statsVenueRow struct {
	ravao.VenueActivity
	Href string
}

// crumb is one step of the breadcrumb; no Href when the reader may not
// open it.
type crumb struct {
	Name, Href string
}

// statsDayRow is one day's figures in the table beside the charts.
type statsDayRow struct {
	Day string
	ravao.Counts
}

// statsChildRow is a sub-unit's figures; Silent marks one with places but
// no check-in on the last day.
type statsChildRow struct {
	Name, Href string
	Silent     bool
	ravao.Counts
}

// statsTypeRow is the figures of one venue type.
type statsTypeRow struct {
	Type ravao.VenueType
	ravao.Counts
}

// statsPlaceRow is a place without a scan on the last day.
type statsPlaceRow struct {
	Name, Href, Unit string
	Type             ravao.VenueType
}

// statsUnitShow shows a unit's progress over a range of days.
func (s *Server) statsUnitShow(w http.ResponseWriter, r *http.Request) error {
	if code := r.PathValue("code"); code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	q, f, err := s.statsUnitQuery(r)
	d := &statsData{Path: r.URL.Path, Form: f, Sectors: sectorChoices()}
	if err == nil {
		var v progress.UnitView
		if v, err = s.progress.Unit(r.Context(), principal(r), q); err == nil {
			return s.renderStats(w, r, http.StatusOK, d, v)
		}
	}
	fail, ok := s.formFailed(w, r, err, "from", "to", "sector")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress.html", s.page(r, "stats.title", d))
}

// renderStats fills d from the view and shows it.
func (s *Server) renderStats(w http.ResponseWriter, r *http.Request, status int, d *statsData, v progress.UnitView) error {
	if err := s.fillStats(r, d, v); err != nil {
		return err
	}
	return s.views.render(w, status, "progress.html", s.page(r, "stats.title", d))
}

// fillStats fills d from the view.
func (s *Server) fillStats(r *http.Request, d *statsData, v progress.UnitView) error {
	lang, p := s.lang(r), principal(r)
	d.Shown, d.Totals, d.Sector = true, v.Totals, v.Query.Sector != ""
	d.Form.Sector, d.LastDay = string(v.Query.Sector), dayText(v.Query.To)
	d.Name = s.cat.T(lang, "stats.everywhere")
	if v.Unit.Code != "" {
		d.Name = localName(v.Unit, lang)
	}
	d.Crumbs = statsCrumbs(p, v.Ancestors, v.Query.Sector, lang)
	d.Days, d.CheckIns, d.Active = s.statsSeries(lang, v.Series, v.Query)
	d.Children, d.SilentChildren = statsChildren(v, lang)
	for _, t := range v.Types {
		d.Types = append(d.Types, statsTypeRow{Type: t.VenueType, Counts: t.Counts})
	}
	var err error
	if d.Places, err = s.statsSilentRows(r.Context(), lang, v.Silent); err != nil {
		return err
	}
	d.PlacesMore, d.SilentSkipped = v.SilentMore, v.SilentSkipped
	d.Venues, d.VenuesMore, d.From, d.To = statsVenueRows(v.Places), v.PlacesMore, v.Query.From.String(), v.Query.To.String()
	d.ZonesHref = statsZonesURL(v.Unit.Code) + statsSectorQuery(v.Query.Sector)
	return nil
}

// statsSilentRows are the places without a scan on the last day, each
// with its unit's name and a link to its days.
func (s *Server) statsSilentRows(ctx context.Context, lang string, silent []ravao.SilentVenue) ([]statsPlaceRow, error) {
	codes := make([]string, 0, len(silent))
	for _, sv := range silent {
		codes = append(codes, sv.UnitCode)
	}
	names, err := s.unitNames(ctx, lang, codes)
	if err != nil {
		return nil, err
	}
	out := make([]statsPlaceRow, 0, len(silent))
	for _, sv := range silent {
		out = append(out, statsPlaceRow{Name: sv.Name, Href: statsVenueURL(sv.VenueID), Unit: names[sv.UnitCode], Type: sv.Type})
	}
	return out, nil
}

// statsVenueRows are places with their activity, each linking to its days.
func statsVenueRows(list []ravao.VenueActivity) []statsVenueRow {
	out := make([]statsVenueRow, 0, len(list))
	for _, a := range list {
		out = append(out, statsVenueRow{VenueActivity: a, Href: statsVenueURL(a.VenueID)})
	}
	return out
}

// statsCrumbs are the units of a breadcrumb, from the province down (a
// unit's ancestors); one the reader may not monitor in sector sec is not a
// link.
func statsCrumbs(p *ravao.Principal, units []ravao.Unit, sec ravao.Sector, lang string) []crumb {
	var out []crumb
	path := make([]string, 0, len(units))
	for _, a := range units {
		path = append(path, a.Code)
		c := crumb{Name: localName(a, lang)}
		if p.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: sec}) {
			c.Href = statsUnitURL(a.Code) + statsSectorQuery(sec)
		}
		out = append(out, c)
	}
	return out
}

// statsSectorQuery keeps the chosen sector on links to other units.
func statsSectorQuery(sec ravao.Sector) string {
	if sec == "" {
		return ""
	}
	return "?sector=" + string(sec)
}

// statsChildren names the sub-units and marks the silent ones.
func statsChildren(v progress.UnitView, lang string) ([]statsChildRow, int) {
	silent := map[string]bool{}
	for _, u := range v.SilentChildren {
		silent[u.Code] = true
	}
	out := make([]statsChildRow, 0, len(v.Children))
	for _, c := range v.Children {
		out = append(out, statsChildRow{
			Name: localName(c.Unit, lang), Href: statsUnitURL(c.Unit.Code) + statsSectorQuery(v.Query.Sector),
			Silent: silent[c.Unit.Code], Counts: c.Counts,
		})
	}
	return out, len(silent)
}

// statsSeries is the table of the days of q and the two charts.
func (s *Server) statsSeries(lang string, series []ravao.UnitDayCounts, q ravao.StatsQuery) ([]statsDayRow, template.HTML, template.HTML) {
	rows := make([]statsDayRow, 0, len(series))
	labels := make([]string, 0, len(series))
	checkIns, active := make([]int, 0, len(series)), make([]int, 0, len(series))
	for _, day := range series {
		rows = append(rows, statsDayRow{Day: dayText(day.Day), Counts: day.Counts})
		labels = append(labels, dayShort(day.Day))
		checkIns, active = append(checkIns, day.CheckIns), append(active, day.Active)
	}
	ci := s.dayChart(lang, "chart-checkins", "stats.chart_checkins", "stats.axis_checkins", labels, checkIns, q)
	ac := s.dayChart(lang, "chart-active", "stats.chart_active", "stats.axis_active", labels, active, q)
	return rows, ci.SVG(), ac.SVG()
}

// dayChart is a chart of one figure per day from q.From to q.To, its
// description giving the range, the total and the busiest day.
func (s *Server) dayChart(lang, id, title, axis string, labels []string, values []int, q ravao.StatsQuery) barChart {
	total, best := 0, 0
	for i, v := range values {
		total += v
		if v > values[best] {
			best = i
		}
	}
	sep := s.cat.T(lang, "stats.thousands")
	desc := s.cat.T(lang, "stats.chart_empty", dayText(q.From), dayText(q.To))
	if total > 0 {
		desc = s.cat.T(lang, "stats.chart_desc", dayText(q.From), dayText(q.To), groupDigits(int64(total), sep), labels[best], groupDigits(int64(values[best]), sep))
	}
	return barChart{
		ID: id, Title: s.cat.T(lang, title), Desc: desc, XLabel: s.cat.T(lang, "stats.axis_day"), YLabel: s.cat.T(lang, axis),
		Labels: labels, Values: values, Sep: sep,
	}
}

// dayText is a day as the pages show it, 25/11/2026.
func dayText(d ravao.Day) string {
	if d == 0 {
		return ""
	}
	return d.Date().Format("02/01/2006")
}

// dayShort is a day under a chart's bar, 25/11.
func dayShort(d ravao.Day) string { return d.Date().Format("02/01") }
