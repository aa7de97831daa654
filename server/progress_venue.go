package server

import (
	"html/template"
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// statsVenueData is the data of a place's progress page: its own days.
type statsVenueData struct {
	Shown   bool
	ID      int64
	Name    string
	Type    ravao.VenueType
	Unit    string
	UnitURL string // the unit's progress, for those who monitor it
	Path    string
	Form    statsForm
	Failure formFailure
	Totals  ravao.VenueDay
	Days    []statsVenueDayRow
	Chart   template.HTML
}

// statsVenueDayRow is one day of a place.
type statsVenueDayRow struct {
	Day string
	ravao.VenueDay
}

// statsVenueShow shows one place's days.
func (s *Server) statsVenueShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	from, to, f := s.statsRange(r.URL.Query(), fe)
	d := &statsVenueData{ID: id, Path: r.URL.Path, Form: f}
	err = fe.Err()
	if err == nil {
		var v progress.VenueView
		if v, err = s.progress.Venue(r.Context(), principal(r), id, from, to); err == nil {
			return s.renderStatsVenue(w, r, d, v, from, to)
		}
	}
	fail, ok := s.formFailed(w, r, err, "from", "to")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress_venue.html", s.page(r, "stats.venue_title", d))
}

// renderStatsVenue fills d from the view and shows it.
func (s *Server) renderStatsVenue(w http.ResponseWriter, r *http.Request, d *statsVenueData, v progress.VenueView, from, to ravao.Day) error {
	lang, p := s.lang(r), principal(r)
	names, err := s.unitNames(r.Context(), lang, []string{v.Venue.UnitCode})
	if err != nil {
		return err
	}
	d.Shown, d.Name, d.Type, d.Unit = true, v.Venue.Name, v.Venue.Type, names[v.Venue.UnitCode]
	if p.Can(ravao.PermMonitor, v.Venue.Target()) {
		d.UnitURL = statsUnitURL(v.Venue.UnitCode)
	}
	labels, values := make([]string, 0, len(v.Days)), make([]int, 0, len(v.Days))
	for _, day := range v.Days {
		d.Days = append(d.Days, statsVenueDayRow{Day: dayText(day.Day), VenueDay: day})
		d.Totals.CheckIns += day.CheckIns
		d.Totals.CheckOuts += day.CheckOuts
		d.Totals.People += day.People
		d.Totals.Red += day.Red
		labels, values = append(labels, dayShort(day.Day)), append(values, day.CheckIns)
	}
	if len(v.Days) > 0 {
		from, to = v.Days[0].Day, v.Days[len(v.Days)-1].Day
	}
	d.Chart = s.dayChart(lang, "chart-venue", "stats.chart_checkins", "stats.axis_checkins", labels, values, ravao.StatsQuery{From: from, To: to}).SVG()
	return s.views.render(w, http.StatusOK, "progress_venue.html", s.page(r, "stats.venue_title", d))
}
