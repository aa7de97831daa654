package server

// visitorPages lists the visitor's pages: consent, declaration, pass,
// check-out, their visits and personal QR code.
func (s *Server) visitorPages() []Route {
	return nil
}
