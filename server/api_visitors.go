package server

// visitorAPI lists the JSON API of visitors.
func (s *Server) visitorAPI() []Route {
	return nil
}
