package server

// caseRoutes are the health officials' pages and API for cases, contacts
// and exports.
func (s *Server) caseRoutes() []Route {
	return nil
}
