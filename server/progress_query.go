package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ravao/ravao"
)

// statsDefaultDays is the range a progress view shows when none is asked
// for: two weeks ending today, enough to see a trend.
const statsDefaultDays = 14

// statsAll is the unit code of the whole deployment in progress paths.
const statsAll = "all"

// statsForm is the range form as typed: dates as "2006-01-02".
type statsForm struct {
	From, To, Sector string
}

// statsRange reads ?from= and ?to= into days and what the form shows: to
// is today when absent, from two weeks before to. A date that is not a
// day is a field error; the service checks the range itself.
func (s *Server) statsRange(q url.Values, fe ravao.FieldErrors) (from, to ravao.Day, f statsForm) {
	f = statsForm{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	to = statsDay(f.To, "to", fe)
	if f.To == "" {
		to = s.progress.Today()
	}
	from = statsDay(f.From, "from", fe)
	if f.From == "" && to != 0 {
		from = to.Add(1 - statsDefaultDays)
	}
	if f.From == "" && from != 0 {
		f.From = from.String()
	}
	if f.To == "" {
		f.To = to.String()
	}
	return from, to, f
}

// statsDay reads one date; 0 when absent or bad (bad adds a field error).
func statsDay(v, field string, fe ravao.FieldErrors) ravao.Day {
	if v == "" {
		return 0
	}
	d, err := ravao.ParseDay(v)
	if err != nil {
		fe.Add(field, "err.date")
		return 0
	}
	return d
}

// statsSector reads a sector; "" is every sector.
func statsSector(v string, fe ravao.FieldErrors) ravao.Sector {
	sec := ravao.Sector(strings.TrimSpace(v))
	if sec != "" && !sec.Valid() {
		fe.Add("sector", "err.sector")
	}
	return sec
}

// statsUnitCode turns the {code} of a progress path into a query's unit:
// "all" is the whole deployment (""), anything else must look like a
// unit code.
func statsUnitCode(code string, fe ravao.FieldErrors) string {
	if code == statsAll {
		return ""
	}
	if !ravao.ValidUnitCode(code) {
		fe.Add("unit", "err.unit_code")
	}
	return code
}

// statsUnitQuery reads a unit's progress query from a request: {code} in
// the path, ?from=, ?to= and ?sector=.
func (s *Server) statsUnitQuery(r *http.Request) (ravao.StatsQuery, statsForm, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	from, to, f := s.statsRange(q, fe)
	sq := ravao.StatsQuery{UnitCode: statsUnitCode(r.PathValue("code"), fe), Sector: statsSector(q.Get("sector"), fe), From: from, To: to}
	f.Sector = string(sq.Sector)
	return sq, f, fe.Err()
}

// statsHome is where /stats sends a monitor: their first unit, or the
// whole deployment for an administrator.
func statsHome(p *ravao.Principal) string {
	for _, a := range p.Roles {
		if a.Role.Grants(ravao.PermMonitor) && a.UnitCode != "" {
			return statsUnitURL(a.UnitCode)
		}
	}
	return statsUnitURL("")
}

// statsUnitURL is the path of a unit's progress page ("" for the whole
// deployment).
func statsUnitURL(code string) string {
	if code == "" {
		code = statsAll
	}
	return "/stats/units/" + url.PathEscape(code)
}

// statsVenueURL is the path of a place's progress page.
func statsVenueURL(id int64) string { return "/stats/venues/" + idString(id) }

// statsRedirect sends /stats to the reader's own unit.
func (s *Server) statsRedirect(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, statsHome(principal(r)), http.StatusSeeOther)
	return nil
}
