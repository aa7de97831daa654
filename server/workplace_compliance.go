package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/workplaces"
)

// rateView is one line of figures as the pages show it.
type rateView struct {
	Name                                                 string
	Staff, Linked, Declared, Entered, Compliant, Percent int
}

func toRateView(name string, r workplaces.Rates) rateView {
	return rateView{Name: name, Staff: r.Staff, Linked: r.Linked, Declared: r.Declared, Entered: r.Entered,
		Compliant: r.Compliant, Percent: r.Percent()}
}

// rateTable is a table of rates (the partial "rate-table"): Title and
// Column, the heading of its first column, are message keys; ID names it
// in the page.
type rateTable struct {
	ID, Title, Column string
	Rows              []rateView
}

// complianceData is the data of an organisation's compliance page.
type complianceData struct {
	OrgName      string
	Path         string
	StaffURL     string
	Day          string
	Workday      bool
	PrevURL      string
	NextURL      string
	Totals       rateView
	Tables       []rateTable // by venue, by department, by day: those with rows
	NotCompliant []workplaces.FollowUp
	Failure      formFailure
}

// complianceShow shows an organisation's compliance on ?day= (the latest
// workday when none), to its manager.
func (s *Server) complianceShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	day, err := dayParam(r.URL.Query().Get("day"))
	var v workplaces.DayView
	if err == nil {
		v, err = s.workplaces.Day(r.Context(), principal(r), id, day)
	}
	if err != nil {
		fail, ok := s.formFailed(w, r, err, "day")
		if !ok {
			return err
		}
		d := &complianceData{Path: complianceURL(id, 0), StaffURL: staffURL(id), Day: r.URL.Query().Get("day"), Failure: fail}
		return s.views.render(w, fail.Status, "workplace_compliance.html", s.page(r, "workplace.compliance_title", d))
	}
	lang := s.lang(r)
	d := &complianceData{OrgName: v.Organisation.Name, Path: complianceURL(id, 0), StaffURL: staffURL(id),
		Day: v.Day.String(), Workday: v.Workday, PrevURL: complianceURL(id, v.Prev),
		Totals: toRateView("", v.Totals), NotCompliant: v.NotCompliant}
	if v.Next != 0 {
		d.NextURL = complianceURL(id, v.Next)
	}
	venues := rateTable{ID: "venues", Title: "workplace.by_venue", Column: "workplace.col.venues"}
	for _, row := range v.Venues {
		venues.Rows = append(venues.Rows, toRateView(row.Name, row.Rates))
	}
	departments := rateTable{ID: "departments", Title: "workplace.by_department", Column: "workplace.col.department"}
	for _, row := range v.Departments {
		name := row.Name
		if name == "" {
			name = s.cat.T(lang, "workplace.no_department")
		}
		departments.Rows = append(departments.Rows, toRateView(name, row.Rates))
	}
	series := rateTable{ID: "series", Title: "workplace.series", Column: "workplace.day"}
	for _, day := range v.Series {
		series.Rows = append(series.Rows, toRateView(day.Day.String(), day.Rates))
	}
	for _, t := range []rateTable{venues, departments, series} {
		if len(t.Rows) > 0 {
			d.Tables = append(d.Tables, t)
		}
	}
	return s.views.render(w, http.StatusOK, "workplace_compliance.html", s.page(r, "workplace.compliance_title", d))
}

// dayParam reads a day typed as 2006-01-02; "" is the latest workday.
func dayParam(v string) (ravao.Day, error) {
	if v = strings.TrimSpace(v); v == "" {
		return 0, nil
	}
	return ravao.ParseDay(v)
}

// workplaceStatsData is the data of the compliance per business page.
type workplaceStatsData struct {
	Shown      bool
	Name       string // the unit's name
	Path       string
	Sector     string
	Sectors    []choice
	Zone       string
	Day        string
	Workday    bool
	PrevURL    string
	NextURL    string
	Totals     rateView
	Businesses rateTable
	Failure    formFailure
}

// workplaceStatsShow shows the compliance per business under a unit (all:
// the whole deployment), ?sector=, ?zone= and ?day=.
func (s *Server) workplaceStatsShow(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	qs := r.URL.Query()
	fe := ravao.FieldErrors{}
	q := workplaces.StatsQuery{UnitCode: statsUnitCode(code, fe), Sector: statsSector(qs.Get("sector"), fe), Zone: qs.Get("zone")}
	d := &workplaceStatsData{Path: statsUnitURL(q.UnitCode) + "/compliance", Sectors: sectorChoices(), Sector: string(q.Sector),
		Zone: strings.TrimSpace(q.Zone), Day: qs.Get("day")}
	day, err := dayParam(qs.Get("day"))
	if err == nil {
		err = fe.Err()
	}
	var v workplaces.StatsView
	if err == nil {
		q.Day = day
		v, err = s.workplaces.Stats(r.Context(), principal(r), q)
	}
	if err != nil {
		fail, ok := s.formFailed(w, r, err, "sector", "zone", "day")
		if !ok {
			return err
		}
		d.Failure = fail
		return s.views.render(w, fail.Status, "workplace_stats.html", s.page(r, "workplace.stats_title", d))
	}
	lang := s.lang(r)
	d.Shown, d.Sector, d.Day, d.Workday = true, string(v.Sector), v.Day.String(), v.Workday
	d.Name = s.cat.T(lang, "stats.everywhere")
	if v.Unit.Code != "" {
		d.Name = localName(v.Unit, lang)
	}
	d.PrevURL = statsComplianceURL(d.Path, v, v.Prev)
	if v.Next != 0 {
		d.NextURL = statsComplianceURL(d.Path, v, v.Next)
	}
	d.Totals = toRateView("", v.Totals)
	d.Businesses = rateTable{ID: "businesses", Title: "workplace.business", Column: "workplace.business"}
	for _, b := range v.Businesses {
		d.Businesses.Rows = append(d.Businesses.Rows, toRateView(b.Name, b.Rates))
	}
	return s.views.render(w, http.StatusOK, "workplace_stats.html", s.page(r, "workplace.stats_title", d))
}

// statsComplianceURL is the page of the same scope on another day.
func statsComplianceURL(path string, v workplaces.StatsView, day ravao.Day) string {
	q := url.Values{"day": {day.String()}}
	if v.Sector != "" {
		q.Set("sector", string(v.Sector))
	}
	if v.Zone != "" {
		q.Set("zone", v.Zone)
	}
	return path + "?" + q.Encode()
}
