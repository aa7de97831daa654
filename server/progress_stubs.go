package server

// Route hooks for issue 7's rosters, zones and kept reports; each helper
// replaces its function with a real file and deletes it from here.

// rosterRoutes are the roster upload, coverage and missing-places pages
// and API (progress_roster*.go).
func (s *Server) rosterRoutes() []Route { return nil }

// zoneRoutes are the industrial-zone pages and API (progress_zone*.go).
func (s *Server) zoneRoutes() []Route { return nil }

// keptReportRoutes are the report's PDF and the list of kept reports
// (progress_kept*.go).
func (s *Server) keptReportRoutes() []Route { return nil }
