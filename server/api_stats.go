package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// statsCountsJSON are the progress figures in the API.
type statsCountsJSON struct {
	Venues    int `json:"venues"`
	New       int `json:"new"`
	Approved  int `json:"approved"`
	Pending   int `json:"pending"`
	Suspended int `json:"suspended"`
	Active    int `json:"active"`
	CheckIns  int `json:"check_ins"`
	CheckOuts int `json:"check_outs"`
	People    int `json:"people"`
	Red       int `json:"red"`
	Symptoms  int `json:"symptoms"`
}

func toCountsJSON(c ravao.Counts) statsCountsJSON {
	return statsCountsJSON{
		Venues: c.Venues, New: c.New, Approved: c.Approved, Pending: c.Pending, Suspended: c.Suspended,
		Active: c.Active, CheckIns: c.CheckIns, CheckOuts: c.CheckOuts, People: c.People, Red: c.Red, Symptoms: c.Symptoms,
	}
}

// statsDayJSON is one day of a series.
type statsDayJSON struct {
	Day string `json:"day"`
	statsCountsJSON
}

// statsChildJSON is one sub-unit's figures.
type statsChildJSON struct {
	Unit unitJSON `json:"unit"`
	statsCountsJSON
}

// statsTypeJSON is the figures of one venue type.
type statsTypeJSON struct {
	VenueType ravao.VenueType `json:"venue_type"`
	statsCountsJSON
}

// silentVenueJSON is a place without a check-in on the last day.
type silentVenueJSON struct {
	VenueID  int64           `json:"venue_id"`
	Name     string          `json:"name"`
	UnitCode string          `json:"unit_code"`
	Type     ravao.VenueType `json:"type"`
	Sector   ravao.Sector    `json:"sector"`
}

// statsUnitJSON is a unit's progress; Unit is null for the whole
// deployment.
type statsUnitJSON struct {
	Unit           *unitJSON         `json:"unit"`
	Ancestors      []unitJSON        `json:"ancestors"`
	Sector         ravao.Sector      `json:"sector"`
	From           string            `json:"from"`
	To             string            `json:"to"`
	Totals         statsCountsJSON   `json:"totals"`
	Series         []statsDayJSON    `json:"series"`
	Children       []statsChildJSON  `json:"children"`
	SilentChildren []unitJSON        `json:"silent_children"`
	Types          []statsTypeJSON   `json:"types"`
	Silent         []silentVenueJSON `json:"silent"`
	SilentMore     bool              `json:"silent_more"`
	// SilentSkipped: the unit has too many places to list the silent ones
	// by name; its sub-units' views list them.
	SilentSkipped bool `json:"silent_skipped"`
	// Places are a commune's places with their activity (a unit without
	// sub-units); empty above.
	Places     []placeActivityJSON `json:"places"`
	PlacesMore bool                `json:"places_more"`
}

// placeActivityJSON is one place's activity over the range.
type placeActivityJSON struct {
	VenueID    int64             `json:"venue_id"`
	Name       string            `json:"name"`
	UnitCode   string            `json:"unit_code"`
	Type       ravao.VenueType   `json:"type"`
	Sector     ravao.Sector      `json:"sector"`
	Status     ravao.VenueStatus `json:"status"`
	ActiveDays int               `json:"active_days"`
	CheckIns   int               `json:"check_ins"`
	CheckOuts  int               `json:"check_outs"`
	People     int               `json:"people"`
	Red        int               `json:"red"`
}

func toStatsUnitJSON(v progress.UnitView) statsUnitJSON {
	out := statsUnitJSON{
		Ancestors: toUnitsJSON(v.Ancestors), Sector: v.Query.Sector, From: v.Query.From.String(), To: v.Query.To.String(),
		Totals: toCountsJSON(v.Totals), Series: make([]statsDayJSON, 0, len(v.Series)), Children: make([]statsChildJSON, 0, len(v.Children)),
		SilentChildren: toUnitsJSON(v.SilentChildren), Types: make([]statsTypeJSON, 0, len(v.Types)),
		Silent: make([]silentVenueJSON, 0, len(v.Silent)), SilentMore: v.SilentMore, SilentSkipped: v.SilentSkipped,
		Places: make([]placeActivityJSON, 0, len(v.Places)), PlacesMore: v.PlacesMore,
	}
	for _, a := range v.Places {
		out.Places = append(out.Places, placeActivityJSON{VenueID: a.VenueID, Name: a.Name, UnitCode: a.UnitCode, Type: a.Type,
			Sector: a.Sector, Status: a.Status, ActiveDays: a.ActiveDays, CheckIns: a.CheckIns, CheckOuts: a.CheckOuts,
			People: a.People, Red: a.Red})
	}
	if v.Unit.Code != "" {
		out.Unit = &toUnitsJSON([]ravao.Unit{v.Unit})[0]
	}
	for _, d := range v.Series {
		out.Series = append(out.Series, statsDayJSON{Day: d.Day.String(), statsCountsJSON: toCountsJSON(d.Counts)})
	}
	for _, c := range v.Children {
		out.Children = append(out.Children, statsChildJSON{Unit: toUnitsJSON([]ravao.Unit{c.Unit})[0], statsCountsJSON: toCountsJSON(c.Counts)})
	}
	for _, t := range v.Types {
		out.Types = append(out.Types, statsTypeJSON{VenueType: t.VenueType, statsCountsJSON: toCountsJSON(t.Counts)})
	}
	for _, sv := range v.Silent {
		out.Silent = append(out.Silent, silentVenueJSON{VenueID: sv.VenueID, Name: sv.Name, UnitCode: sv.UnitCode, Type: sv.Type, Sector: sv.Sector})
	}
	return out
}

// apiStatsUnit returns a unit's progress ("all": the whole deployment).
func (s *Server) apiStatsUnit(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.statsUnitQuery(r)
	if err != nil {
		return err
	}
	return s.writeStatsUnit(w, r, q)
}

// apiStatsSector returns a unit's progress in one sector: ?unit= (the
// caller's own unit when absent).
func (s *Server) apiStatsSector(w http.ResponseWriter, r *http.Request) error {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	from, to, _ := s.statsRange(q, fe)
	sq := ravao.StatsQuery{Sector: ravao.Sector(r.PathValue("sector")), From: from, To: to}
	if !sq.Sector.Valid() {
		fe.Add("sector", "err.sector")
	}
	if code := strings.TrimSpace(q.Get("unit")); code != "" {
		sq.UnitCode = statsUnitCode(code, fe)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.writeStatsUnit(w, r, sq)
}

// writeStatsUnit answers a unit query.
func (s *Server) writeStatsUnit(w http.ResponseWriter, r *http.Request, q ravao.StatsQuery) error {
	v, err := s.progress.Unit(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toStatsUnitJSON(v))
}

// statsVenueDayJSON is one day of a place.
type statsVenueDayJSON struct {
	Day       string `json:"day"`
	CheckIns  int    `json:"check_ins"`
	CheckOuts int    `json:"check_outs"`
	People    int    `json:"people"`
	Red       int    `json:"red"`
}

// statsVenueJSON is a place's days.
type statsVenueJSON struct {
	Venue struct {
		ID       int64             `json:"id"`
		Name     string            `json:"name"`
		Type     ravao.VenueType   `json:"type"`
		Sector   ravao.Sector      `json:"sector"`
		UnitCode string            `json:"unit_code"`
		Status   ravao.VenueStatus `json:"status"`
	} `json:"venue"`
	From string              `json:"from"`
	To   string              `json:"to"`
	Days []statsVenueDayJSON `json:"days"`
}

// apiStatsVenue returns one place's days.
func (s *Server) apiStatsVenue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	from, to, _ := s.statsRange(r.URL.Query(), fe)
	if err := fe.Err(); err != nil {
		return err
	}
	v, err := s.progress.Venue(r.Context(), principal(r), id, from, to)
	if err != nil {
		return err
	}
	var out statsVenueJSON
	out.Venue.ID, out.Venue.Name, out.Venue.Type = v.Venue.ID, v.Venue.Name, v.Venue.Type
	out.Venue.Sector, out.Venue.UnitCode, out.Venue.Status = v.Venue.Sector, v.Venue.UnitCode, v.Venue.Status
	out.From, out.To, out.Days = from.String(), to.String(), make([]statsVenueDayJSON, 0, len(v.Days))
	if len(v.Days) > 0 {
		out.From, out.To = v.Days[0].Day.String(), v.Days[len(v.Days)-1].Day.String()
	}
	for _, d := range v.Days {
		out.Days = append(out.Days, statsVenueDayJSON{Day: d.Day.String(), CheckIns: d.CheckIns, CheckOuts: d.CheckOuts, People: d.People, Red: d.Red})
	}
	return writeJSON(w, http.StatusOK, out)
}
