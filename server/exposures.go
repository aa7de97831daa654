package server

// exposureRoutes are the exposure windows: published by health officials,
// read by every visitor's phone.
func (s *Server) exposureRoutes() []Route {
	return nil
}
