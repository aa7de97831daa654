package server

import "github.com/ravao/ravao"

// progressRoutes are the deployment progress pages and API: per unit (and
// sector) for monitors, per place for monitors and the place's managers
// (the service decides who sees which place).
func (s *Server) progressRoutes() []Route {
	monitor, view := ravao.PermMonitor, ravao.PermViewPlaces
	routes := append(s.publicProgressRoutes(), s.rosterRoutes()...)
	routes = append(routes, s.zoneRoutes()...)
	routes = append(routes, s.keptReportRoutes()...)
	return append(routes, []Route{
		page("GET", "/stats", monitor, s.statsRedirect),
		page("GET", "/stats/units/{code}", monitor, s.statsUnitShow),
		page("GET", "/stats/units/{code}/report", monitor, s.statsReportShow),
		page("GET", "/stats/units/{code}/report.xlsx", monitor, s.statsReportXLSX),
		page("GET", "/stats/venues/{id}", view, s.statsVenueShow),

		api("GET", "/api/v1/stats/units/{code}", monitor, s.apiStatsUnit, statsUnitDoc),
		api("GET", "/api/v1/stats/units/{code}/report", monitor, s.apiStatsReport, statsReportDoc),
		api("GET", "/api/v1/stats/sectors/{sector}", monitor, s.apiStatsSector, statsSectorDoc),
		api("GET", "/api/v1/stats/venues/{id}", view, s.apiStatsVenue, statsVenueDoc),
	}...)
}
