package server

// progressRoutes are the deployment progress pages and API.
func (s *Server) progressRoutes() []Route {
	return nil
}
