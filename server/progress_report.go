package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/sheet"
)

// reportData is the data of the printable daily report of a unit.
type reportData struct {
	Name   string // the unit's name, or the whole deployment's
	Day    string // 25/11/2026
	DayISO string // 2026-11-25, the day form's value
	Path   string // the report's path, the day form's action
	XLSX   string // the same report as a workbook
	PDF    string // the same report as a PDF
	Kept   string // the list of the unit's kept reports
	Back   string // the unit's progress page
	// MadeAt is when a kept report was made ("06:00 25/11"); "" for a
	// report made for this request.
	MadeAt    string
	SectorKey string // the chosen sector's message key, "" for all
	Sector    string
	Totals    ravao.Counts
	Children  []statsChildRow
	// SilentUnits are the sub-units with places but no check-in that day.
	SilentUnits   []string
	Places        []statsPlaceRow
	PlacesMore    bool
	SilentSkipped bool
	// Coverage is the unit's coverage against its rosters; nil when no
	// roster covers it.
	Coverage *reportCoverage
}

// reportCoverage is the report's coverage section: the unit's totals and
// one row per sub-unit with places to register.
type reportCoverage struct {
	Totals   coverageCells
	Children []coverageCells
}

// coverageCells is one line of coverage as the report shows it.
type coverageCells struct {
	Name                        string
	Required, Covered, Proposed int
	Percent                     int
}

// toCoverageCells is one coverage row, named.
func toCoverageCells(name string, r progress.CoverageRow) coverageCells {
	return coverageCells{Name: name, Required: r.Required, Covered: r.Covered, Proposed: r.Proposed, Percent: r.Percent()}
}

// reportCoverageOf is the report's coverage section, nil without coverage.
func reportCoverageOf(rep progress.Report, lang, name string) *reportCoverage {
	if rep.Coverage == nil {
		return nil
	}
	c := &reportCoverage{Totals: toCoverageCells(name, rep.Coverage.Totals)}
	for _, row := range rep.Coverage.Children {
		c.Children = append(c.Children, toCoverageCells(localName(row.Unit, lang), row))
	}
	return c
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
	day := "?day=" + rep.Day.String() + strings.Replace(sector, "?", "&", 1)
	d := &reportData{
		Name: s.reportName(rep, lang), Day: dayText(rep.Day), DayISO: rep.Day.String(), Path: r.URL.Path,
		XLSX: unit + "/report.xlsx" + day, PDF: unit + "/report.pdf" + day, Kept: unit + "/reports" + sector, Back: unit + sector,
		Sector: string(rep.Query.Sector), Totals: rep.Totals, PlacesMore: rep.SilentMore, SilentSkipped: rep.SilentSkipped,
	}
	d.Coverage = reportCoverageOf(rep, lang, s.reportName(rep, lang))
	if !rep.MadeAt.IsZero() {
		d.MadeAt = rep.MadeAt.In(s.cfg.TZ).Format("15:04 02/01")
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
	return s.reportFile(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(buf *bytes.Buffer, rep progress.Report, lang string, names map[string]string) error {
			return sheet.WriteBook(buf, s.reportSheets(rep, lang, names))
		})
}

// reportFile answers the report a request asks for as a download made by
// write, given the report, the reader's language and the names of the
// silent places' units; never cached.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request, ext, ctype string,
	write func(buf *bytes.Buffer, rep progress.Report, lang string, names map[string]string) error) error {
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
	if err := write(&buf, rep, lang, names); err != nil {
		return err
	}
	return writeDownload(w, ctype, reportFileName(rep, ext), buf.Bytes())
}

// statsReportJSON is a unit's report in the API: the unit view of the
// day, its coverage and when it was kept.
type statsReportJSON struct {
	statsUnitJSON
	Coverage *reportCoverageJSON `json:"coverage"` // null without a roster
	MadeAt   *time.Time          `json:"made_at"`  // null for a report made for this request
}

// reportCoverageJSON is the report's coverage: the unit's then each
// sub-unit's (the figures and children as GET /api/v1/stats/units/{code}/coverage has
// them).
type reportCoverageJSON struct {
	coverageFiguresJSON
	Children []coverageChildJSON `json:"children"`
}

// toStatsReportJSON is a report as the API gives it.
func toStatsReportJSON(rep progress.Report) statsReportJSON {
	out := statsReportJSON{statsUnitJSON: toStatsUnitJSON(rep.UnitView)}
	if !rep.MadeAt.IsZero() {
		t := rep.MadeAt.UTC()
		out.MadeAt = &t
	}
	if cv := rep.Coverage; cv != nil {
		out.Coverage = &reportCoverageJSON{coverageFiguresJSON: toFiguresJSON(cv.Totals), Children: make([]coverageChildJSON, 0, len(cv.Children))}
		for _, c := range cv.Children {
			out.Coverage.Children = append(out.Coverage.Children, coverageChildJSON{Unit: toUnitsJSON([]ravao.Unit{c.Unit})[0], coverageFiguresJSON: toFiguresJSON(c)})
		}
	}
	return out
}

// apiStatsReport returns a unit's figures for one day, as
// GET /api/v1/stats/units/{code} gives them for a range, with the unit's
// coverage and, for a kept report, when it was made.
func (s *Server) apiStatsReport(w http.ResponseWriter, r *http.Request) error {
	q, err := s.statsReportQuery(r)
	if err != nil {
		return err
	}
	rep, err := s.progress.Report(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toStatsReportJSON(rep))
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
	if rep.Coverage != nil {
		header = append(header, t("report.required"), t("report.covered"), t("report.proposed"), t("report.percent"))
	}
	cover := coverageByUnit(rep.Coverage)
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
	totals := [][]string{append(row(t("report.total", name), rep.Totals), coverageCellsText(rep.Coverage, cover, "")...)}
	for _, c := range rep.Children {
		totals = append(totals, append(row(localName(c.Unit, lang), c.Counts), coverageCellsText(rep.Coverage, cover, c.Unit.Code)...))
	}
	totals = append(totals, nil, []string{t("report.day_of", dayText(rep.Day))}, []string{t("stats.note_people")})
	if rep.Coverage == nil {
		totals = append(totals, []string{t("report.coverage_none")})
	}
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

// coverageByUnit is the coverage rows by sub-unit code, the unit's own
// totals under "".
func coverageByUnit(cv *progress.CoverageView) map[string]progress.CoverageRow {
	out := map[string]progress.CoverageRow{}
	if cv == nil {
		return out
	}
	out[""] = cv.Totals
	for _, r := range cv.Children {
		out[r.Unit.Code] = r
	}
	return out
}

// coverageCellsText is a workbook row's coverage cells (must register,
// registered, to confirm, percent); none without coverage.
func coverageCellsText(cv *progress.CoverageView, by map[string]progress.CoverageRow, code string) []string {
	if cv == nil {
		return nil
	}
	r := by[code]
	return []string{strconv.Itoa(r.Required), strconv.Itoa(r.Covered), strconv.Itoa(r.Proposed), strconv.Itoa(r.Percent())}
}
