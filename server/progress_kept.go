package server

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/reportpdf"
)

// keptReportRoutes are the report's PDF and the list of kept reports.
func (s *Server) keptReportRoutes() []Route {
	monitor := ravao.PermMonitor
	return []Route{
		page("GET", "/stats/units/{code}/report.pdf", monitor, s.statsReportPDF),
		page("GET", "/stats/units/{code}/reports", monitor, s.statsKeptShow),
		api("GET", "/api/v1/stats/units/{code}/reports", monitor, s.apiStatsKept, statsKeptDoc),
	}
}

// keptData is the page listing a unit's kept reports.
type keptData struct {
	Name     string // the unit's name, or the whole deployment's
	Back     string // the unit's report of yesterday
	KeepDays int
	Reports  []keptRow
}

// keptRow is one kept report with its links.
type keptRow struct {
	Day, MadeAt     string
	Page, XLSX, PDF string
}

// statsReportPDF answers a unit's daily report as an A4 PDF; never cached.
func (s *Server) statsReportPDF(w http.ResponseWriter, r *http.Request) error {
	return s.reportFile(w, r, "pdf", "application/pdf",
		func(buf *bytes.Buffer, rep progress.Report, lang string, names map[string]string) error {
			return reportpdf.Write(buf, rep, reportpdf.Words{
				T:          func(key string, args ...any) string { return s.cat.T(lang, key, args...) },
				UnitName:   func(u ravao.Unit) string { return localName(u, lang) },
				PlaceUnits: names, TZ: s.cfg.TZ, Now: s.clock.Now(),
			})
		})
}

// reportFileName is a report's download name: the unit's code and the
// day, nothing personal ("bao-cao-347-2026-11-24.pdf").
func reportFileName(rep progress.Report, ext string) string {
	code := rep.Unit.Code
	if code == "" {
		code = statsAll
	}
	return "bao-cao-" + code + "-" + rep.Day.String() + "." + ext
}

// statsKeptQuery reads a kept-report list's query: {code} and ?sector=.
func statsKeptQuery(r *http.Request) (ravao.StatsQuery, error) {
	if code := r.PathValue("code"); code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.StatsQuery{}, ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	fe := ravao.FieldErrors{}
	q := ravao.StatsQuery{UnitCode: statsUnitCode(r.PathValue("code"), fe), Sector: statsSector(r.URL.Query().Get("sector"), fe)}
	return q, fe.Err()
}

// statsKeptShow lists a unit's kept reports, newest first, each with its
// page, workbook and PDF.
func (s *Server) statsKeptShow(w http.ResponseWriter, r *http.Request) error {
	q, err := statsKeptQuery(r)
	if err != nil {
		return err
	}
	list, err := s.progress.KeptReports(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		q.UnitCode = list[0].UnitCode // "all" is the reader's own unit
	}
	lang := s.lang(r)
	name := s.cat.T(lang, "stats.everywhere")
	if q.UnitCode != "" {
		names, err := s.unitNames(r.Context(), lang, []string{q.UnitCode})
		if err != nil {
			return err
		}
		name = names[q.UnitCode]
	}
	base := statsUnitURL(q.UnitCode) + "/report"
	sector := strings.Replace(statsSectorQuery(q.Sector), "?", "&", 1)
	d := &keptData{Name: name, Back: base + statsSectorQuery(q.Sector), KeepDays: s.progress.KeepReports()}
	for _, k := range list {
		day := "?day=" + k.Day.String() + sector
		d.Reports = append(d.Reports, keptRow{Day: dayText(k.Day), MadeAt: s.madeAt(k.MadeAt),
			Page: base + day, XLSX: base + ".xlsx" + day, PDF: base + ".pdf" + day})
	}
	return s.views.render(w, http.StatusOK, "progress_reports.html", s.page(r, "report.kept_title", d))
}

// madeAt is when a report was made, "06:00 25/11/2026" in the
// deployment's time zone.
func (s *Server) madeAt(t time.Time) string { return t.In(s.cfg.TZ).Format("15:04 02/01/2006") }

// keptJSON is one kept report in the API.
type keptJSON struct {
	Day    string    `json:"day"`
	MadeAt time.Time `json:"made_at"`
}

// apiStatsKept lists a unit's kept reports, newest first.
func (s *Server) apiStatsKept(w http.ResponseWriter, r *http.Request) error {
	q, err := statsKeptQuery(r)
	if err != nil {
		return err
	}
	list, err := s.progress.KeptReports(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	out := make([]keptJSON, 0, len(list))
	for _, k := range list {
		out = append(out, keptJSON{Day: k.Day.String(), MadeAt: k.MadeAt.UTC()})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"reports": out})
}

var statsKeptDoc = Doc{
	Summary: "The daily reports kept for a unit (code, or all for the whole deployment) and sector, newest first: every morning at --report-hour " +
		"Ravao makes and keeps the report of the day before for every unit with places, for 92 days (`ravao stats reports` makes a day's by hand). " +
		"GET /api/v1/stats/units/{code}/report?day= then answers the kept report, with its made_at. Only reports of all sectors are kept, so a sector " +
		"supervisor's list is empty. Monitors only; a unit outside the caller's scope is 403",
	Tags:   statsTags,
	Params: []Param{{Name: "sector", Description: "one sector only; a sector supervisor always sees their own"}},
	Response: obj(props{
		"reports": array(obj(props{
			"day": statsDaySchema, "made_at": str("when the report was made, RFC 3339"),
		}, "day", "made_at")),
	}, "reports"),
}
