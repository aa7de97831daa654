package server

// Route hooks for issue 8 (data protection); each helper replaces its
// function with a real file and deletes it from here.

// auditRoutes are the data-protection officer's audit viewer and export
// (audit_*.go).
func (s *Server) auditRoutes() []Route { return nil }

// rightsRoutes are the visitor's data-subject requests and the officer's
// queue (rights_*.go).
func (s *Server) rightsRoutes() []Route { return nil }

// breachRoutes are the breach register (breach_*.go).
func (s *Server) breachRoutes() []Route { return nil }
