package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// zoneRoutes are the industrial-zone pages and API: the zones under a unit
// and one zone's progress, for the monitors who may see the unit (an
// industrial-zone board is the sector supervisor of industry).
func (s *Server) zoneRoutes() []Route {
	monitor := ravao.PermMonitor
	return []Route{
		page("GET", "/stats/units/{code}/zones", monitor, s.statsZonesList),
		page("GET", "/stats/units/{code}/zones/view", monitor, s.statsZoneShow),

		api("GET", "/api/v1/stats/zones", monitor, s.apiStatsZones, statsZonesDoc),
		api("GET", "/api/v1/stats/zones/{zone}", monitor, s.apiStatsZone, statsZoneDoc),
	}
}

// statsZonesData is the data of the list of a unit's zones.
type statsZonesData struct {
	Shown   bool
	Name    string // the unit's name
	Path    string
	Crumbs  []crumb
	Form    statsForm // Sector only
	Sectors []choice
	Failure formFailure
	Zones   []statsZoneRow
}

// statsZoneRow is one zone and its places, linking to its progress.
type statsZoneRow struct {
	Zone, Href string
	Venues     int
}

// statsZonesURL is the path of the list of a unit's zones ("" for the
// whole deployment).
func statsZonesURL(code string) string { return statsUnitURL(code) + "/zones" }

// statsZoneURL is the path of a zone's progress under a unit, in sector
// sec ("" for all).
func statsZoneURL(code, zone string, sec ravao.Sector) string {
	q := url.Values{"zone": {zone}}
	if sec != "" {
		q.Set("sector", string(sec))
	}
	return statsZonesURL(code) + "/view?" + q.Encode()
}

// statsZonesList lists the zones under a unit with their places. "all"
// stands for the reader's own unit when they have one, as on /stats.
func (s *Server) statsZonesList(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	if home := statsHome(principal(r)); code == statsAll && home != statsUnitURL("") {
		http.Redirect(w, r, home+"/zones"+statsSectorQuery(ravao.Sector(r.URL.Query().Get("sector"))), http.StatusSeeOther)
		return nil
	}
	fe := ravao.FieldErrors{}
	q := ravao.StatsQuery{UnitCode: statsUnitCode(code, fe), Sector: statsSector(r.URL.Query().Get("sector"), fe)}
	d := &statsZonesData{Path: r.URL.Path, Form: statsForm{Sector: string(q.Sector)}, Sectors: sectorChoices()}
	err := fe.Err()
	if err == nil {
		var zones []ravao.ZoneCount
		if zones, err = s.progress.Zones(r.Context(), principal(r), q); err == nil {
			return s.renderZones(w, r, d, q, zones)
		}
	}
	fail, ok := s.formFailed(w, r, err, "sector")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress_zone.html", s.page(r, "zone.list_title", d))
}

// renderZones fills d with the zones and shows them.
func (s *Server) renderZones(w http.ResponseWriter, r *http.Request, d *statsZonesData, q ravao.StatsQuery, zones []ravao.ZoneCount) error {
	lang := s.lang(r)
	units, err := s.statsUnitChain(r.Context(), q.UnitCode)
	if err != nil {
		return err
	}
	d.Shown, d.Name = true, s.cat.T(lang, "stats.everywhere")
	if len(units) > 0 {
		d.Name = localName(units[len(units)-1], lang)
	}
	d.Crumbs = s.zoneCrumbs(principal(r), units, q.Sector, lang, false)
	for _, z := range zones {
		d.Zones = append(d.Zones, statsZoneRow{Zone: z.Zone, Href: statsZoneURL(q.UnitCode, z.Zone, q.Sector), Venues: z.Venues})
	}
	return s.views.render(w, http.StatusOK, "progress_zone.html", s.page(r, "zone.list_title", d))
}

// statsUnitChain is a unit's ancestors then the unit itself; none for the
// whole deployment (""). The service has checked the reader may see it.
func (s *Server) statsUnitChain(ctx context.Context, code string) ([]ravao.Unit, error) {
	if code == "" {
		return nil, nil
	}
	var units []ravao.Unit
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		u, err := tx.Unit(version, code)
		if err != nil {
			return err
		}
		if units, err = tx.UnitAncestors(version, code); err != nil {
			return err
		}
		units = append(units, u)
		return nil
	})
	return units, err
}

// zoneCrumbs is the breadcrumb of the zone pages: the unit's ancestors
// (links when the reader may open them), the unit itself or the whole
// deployment (a link: the service has let the reader see it), then, on a
// zone's page (withList), the list of the unit's zones.
func (s *Server) zoneCrumbs(p *ravao.Principal, units []ravao.Unit, sec ravao.Sector, lang string, withList bool) []crumb {
	code, here := "", crumb{Name: s.cat.T(lang, "stats.everywhere")}
	var out []crumb
	if n := len(units); n > 0 {
		out = statsCrumbs(p, units[:n-1], sec, lang)
		code, here.Name = units[n-1].Code, localName(units[n-1], lang)
	}
	here.Href = statsUnitURL(code) + statsSectorQuery(sec)
	out = append(out, here)
	if withList {
		out = append(out, crumb{Name: s.cat.T(lang, "zone.link"), Href: statsZonesURL(code) + statsSectorQuery(sec)})
	}
	return out
}

// statsZoneShow shows one zone's progress under a unit: ?zone=, the range
// and the sector as on a unit's page, whose template it shares.
func (s *Server) statsZoneShow(w http.ResponseWriter, r *http.Request) error {
	if code := r.PathValue("code"); code != statsAll && !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	q, f, err := s.statsUnitQuery(r)
	q.Zone = strings.TrimSpace(r.URL.Query().Get("zone"))
	d := &statsData{Path: r.URL.Path, Form: f, Sectors: sectorChoices(), Zone: q.Zone, Name: q.Zone}
	if err == nil {
		var v progress.ZoneView
		if v, err = s.progress.Zone(r.Context(), principal(r), q); err == nil {
			return s.renderZone(w, r, d, v)
		}
	}
	fail, ok := s.formFailed(w, r, err, "from", "to", "sector")
	if !ok {
		return err
	}
	d.Failure = fail
	return s.views.render(w, fail.Status, "progress.html", s.page(r, "stats.title", d))
}

// renderZone fills d from the zone's view as a unit's page would be, named
// after the zone, and shows it.
func (s *Server) renderZone(w http.ResponseWriter, r *http.Request, d *statsData, v progress.ZoneView) error {
	err := s.fillStats(r, d, progress.UnitView{
		Unit: v.Unit, Ancestors: v.Ancestors, Query: v.Query, Totals: v.Totals, Series: v.Series,
		Silent: v.Silent, SilentMore: v.SilentMore, Places: v.Places, PlacesMore: v.PlacesMore,
	})
	if err != nil {
		return err
	}
	units := v.Ancestors
	if v.Unit.Code != "" {
		units = append(slices.Clone(v.Ancestors), v.Unit)
	}
	d.Name, d.Zone, d.ZonesHref, d.Sector = v.Query.Zone, v.Query.Zone, "", true
	d.Crumbs = s.zoneCrumbs(principal(r), units, v.Query.Sector, s.lang(r), true)
	return s.views.render(w, http.StatusOK, "progress.html", s.page(r, "stats.title", d))
}
