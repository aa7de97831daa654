package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// statsZoneCountJSON is a zone and how many places registered in it.
type statsZoneCountJSON struct {
	Zone   string `json:"zone"`
	Venues int    `json:"venues"`
}

// statsZonesJSON is the list of the zones under a unit.
type statsZonesJSON struct {
	Zones []statsZoneCountJSON `json:"zones"`
}

// statsZoneJSON is a zone's progress: a unit's view without sub-units or
// venue types, for the places of one zone.
type statsZoneJSON struct {
	Unit       *unitJSON           `json:"unit"`
	Ancestors  []unitJSON          `json:"ancestors"`
	Zone       string              `json:"zone"`
	Sector     ravao.Sector        `json:"sector"`
	From       string              `json:"from"`
	To         string              `json:"to"`
	Totals     statsCountsJSON     `json:"totals"`
	Series     []statsDayJSON      `json:"series"`
	Places     []placeActivityJSON `json:"places"`
	PlacesMore bool                `json:"places_more"`
	Silent     []silentVenueJSON   `json:"silent"`
	SilentMore bool                `json:"silent_more"`
}

// toStatsZoneJSON builds the zone's JSON with the unit view's builder.
func toStatsZoneJSON(v progress.ZoneView) statsZoneJSON {
	u := toStatsUnitJSON(progress.UnitView{
		Unit: v.Unit, Ancestors: v.Ancestors, Query: v.Query, Totals: v.Totals, Series: v.Series,
		Silent: v.Silent, SilentMore: v.SilentMore, Places: v.Places, PlacesMore: v.PlacesMore,
	})
	return statsZoneJSON{
		Unit: u.Unit, Ancestors: u.Ancestors, Zone: v.Query.Zone, Sector: u.Sector, From: u.From, To: u.To,
		Totals: u.Totals, Series: u.Series, Places: u.Places, PlacesMore: u.PlacesMore, Silent: u.Silent, SilentMore: u.SilentMore,
	}
}

// statsZoneUnit reads ?unit= (the caller's own unit when absent) and
// ?sector=.
func statsZoneUnit(r *http.Request, fe ravao.FieldErrors) ravao.StatsQuery {
	q := r.URL.Query()
	sq := ravao.StatsQuery{Sector: statsSector(q.Get("sector"), fe)}
	if code := strings.TrimSpace(q.Get("unit")); code != "" {
		sq.UnitCode = statsUnitCode(code, fe)
	}
	return sq
}

// apiStatsZones lists the zones under a unit with their places.
func (s *Server) apiStatsZones(w http.ResponseWriter, r *http.Request) error {
	fe := ravao.FieldErrors{}
	q := statsZoneUnit(r, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	zones, err := s.progress.Zones(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	out := statsZonesJSON{Zones: make([]statsZoneCountJSON, 0, len(zones))}
	for _, z := range zones {
		out.Zones = append(out.Zones, statsZoneCountJSON{Zone: z.Zone, Venues: z.Venues})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiStatsZone returns one zone's progress under a unit.
func (s *Server) apiStatsZone(w http.ResponseWriter, r *http.Request) error {
	fe := ravao.FieldErrors{}
	q := statsZoneUnit(r, fe)
	q.From, q.To, _ = s.statsRange(r.URL.Query(), fe)
	q.Zone = r.PathValue("zone")
	if err := fe.Err(); err != nil {
		return err
	}
	v, err := s.progress.Zone(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toStatsZoneJSON(v))
}
