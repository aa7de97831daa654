package server

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/sheet"
)

// reportData is the data of the printable daily report of a unit.
type reportData struct {
	Name      string // the unit's name, or the whole deployment's
	Day       string // 25/11/2026
	DayISO    string // 2026-11-25, the day form's value
	Path      string // the report's path, the day form's action
	XLSX      string // the same report as a workbook
	Back      string // the unit's progress page
	SectorKey string // the chosen sector's message key, "" for all
	Sector    string
	Totals    ravao.Counts
	Children  []statsChildRow
	// SilentUnits are the sub-units with places but no check-in that day.
	SilentUnits   []string
	Places        []statsPlaceRow
	PlacesMore    bool
	SilentSkipped bool
}

// statsReportQuery reads a report's query: {code} in the path, ?day=
// (yesterday when absent) and ?sector=. A day after today is a field
// error on day.
func (s *Server) statsReportQuery(r *http.Request) (ravao.StatsQuery, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	day := statsDay(strings.TrimSpace(q.Get("day")), "day", fe)
	if day > s.progress.Today() {
		fe.Add("day", "err.date_future")
	}
	sq := ravao.StatsQuery{UnitCode: statsUnitCode(r.PathValue("code"), fe), Sector: statsSector(q.Get("sector"), fe), From: day, To: day}
	return sq, fe.Err()
}

// statsReport makes the report a request asks for.
func (s *Server) statsReport(r *http.Request) (progress.Report, error) {
	if code := r.PathValue("code"); code != statsAll && !ravao.ValidUnitCode(code) {
		return progress.Report{}, ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	q, err := s.statsReportQuery(r)
	if err != nil {
		return progress.Report{}, err
	}
	return s.progress.Report(r.Context(), principal(r), q)
}

// statsReportShow shows a unit's daily report as a page to print.
func (s *Server) statsReportShow(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.statsReport(r)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	unit := statsUnitURL(rep.Unit.Code)
	sector := statsSectorQuery(rep.Query.Sector)
	d := &reportData{
		Name: s.reportName(rep, lang), Day: dayText(rep.Day), DayISO: rep.Day.String(), Path: r.URL.Path,
		XLSX: unit + "/report.xlsx?day=" + rep.Day.String() + strings.Replace(sector, "?", "&", 1), Back: unit + sector,
		Sector: string(rep.Query.Sector), Totals: rep.Totals, PlacesMore: rep.SilentMore, SilentSkipped: rep.SilentSkipped,
	}
	if rep.Query.Sector != "" {
		d.SectorKey = "sector." + string(rep.Query.Sector)
	}
	d.Children, _ = statsChildren(rep.UnitView, lang)
	for _, u := range rep.SilentChildren {
		d.SilentUnits = append(d.SilentUnits, localName(u, lang))
	}
	names, err := s.silentUnitNames(r, lang, rep)
	if err != nil {
		return err
	}
	for _, sv := range rep.Silent {
		d.Places = append(d.Places, statsPlaceRow{Name: sv.Name, Href: statsVenueURL(sv.VenueID), Unit: names[sv.UnitCode], Type: sv.Type})
	}
	return s.views.render(w, http.StatusOK, "progress_report.html", s.page(r, "report.title", d))
}

// statsReportXLSX answers a unit's daily report as a workbook of two
// sheets, the figures and the places without activity; never cached.
func (s *Server) statsReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.statsReport(r)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	names, err := s.silentUnitNames(r, lang, rep)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteBook(&buf, s.reportSheets(rep, lang, names)); err != nil {
		return err
	}
	code := rep.Unit.Code
	if code == "" {
		code = statsAll
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "bao-cao-" + code + "-" + rep.Day.String() + ".xlsx"}))
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}

// apiStatsReport returns a unit's figures for one day, as
// GET /api/v1/stats/units/{code} gives them for a range.
func (s *Server) apiStatsReport(w http.ResponseWriter, r *http.Request) error {
	q, err := s.statsReportQuery(r)
	if err != nil {
		return err
	}
	rep, err := s.progress.Report(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toStatsUnitJSON(rep.UnitView))
}

// reportName is the unit's name in lang, or the whole deployment's.
func (s *Server) reportName(rep progress.Report, lang string) string {
	if rep.Unit.Code == "" {
		return s.cat.T(lang, "stats.everywhere")
	}
	return localName(rep.Unit, lang)
}

// silentUnitNames names the units of the report's silent places.
func (s *Server) silentUnitNames(r *http.Request, lang string, rep progress.Report) (map[string]string, error) {
	codes := make([]string, 0, len(rep.Silent))
	for _, sv := range rep.Silent {
		codes = append(codes, sv.UnitCode)
	}
	return s.unitNames(r.Context(), lang, codes)
}

// reportSheets are the report's two sheets: the unit's total then one row
// per sub-unit; the sub-units and places without a check-in that day.
// Symptoms are left out when a sector is chosen.
func (s *Server) reportSheets(rep progress.Report, lang string, names map[string]string) []sheet.Sheet {
	t := func(key string, args ...any) string { return s.cat.T(lang, key, args...) }
	withSymptoms := rep.Query.Sector == ""
	header := []string{t("stats.unit"), t("stats.venues"), t("stats.new"), t("stats.approved"), t("stats.pending"),
		t("stats.active"), t("stats.checkins"), t("stats.people"), t("stats.red")}
	if withSymptoms {
		header = append(header, t("stats.symptoms"))
	}
	row := func(name string, c ravao.Counts) []string {
		out := []string{name}
		for _, n := range []int{c.Venues, c.New, c.Approved, c.Pending, c.Active, c.CheckIns, c.People, c.Red} {
			out = append(out, strconv.Itoa(n))
		}
		if withSymptoms {
			out = append(out, strconv.Itoa(c.Symptoms))
		}
		return out
	}
	name := s.reportName(rep, lang)
	totals := [][]string{row(t("report.total", name), rep.Totals)}
	for _, c := range rep.Children {
		totals = append(totals, row(localName(c.Unit, lang), c.Counts))
	}
	totals = append(totals, nil, []string{t("report.day_of", dayText(rep.Day))}, []string{t("stats.note_people")}, []string{t("report.no_coverage")})
	silent := [][]string{}
	for _, u := range rep.SilentChildren {
		silent = append(silent, []string{t("report.kind_unit"), localName(u, lang), "", name})
	}
	for _, sv := range rep.Silent {
		silent = append(silent, []string{t("report.kind_place"), sv.Name, t("venue_type." + string(sv.Type)), names[sv.UnitCode]})
	}
	switch {
	case rep.SilentSkipped:
		silent = append(silent, nil, []string{t("stats.silent_skipped")})
	case rep.SilentMore:
		silent = append(silent, nil, []string{t("stats.silent_more")})
	}
	return []sheet.Sheet{
		{Name: t("report.sheet_totals"), Header: header, Rows: totals},
		{Name: t("report.sheet_silent"), Header: []string{t("report.kind"), t("report.name"), t("place.type"), t("stats.unit")}, Rows: silent},
	}
}
