package server

import (
	"context"
	"net/http"
	"time"

	"github.com/ravao/ravao"
)

var healthzDoc = Doc{
	Summary: "Liveness and readiness: pings the database", Tags: []string{"operations"},
	Response: obj(props{"status": str("ok")}),
}

var metricsDoc = Doc{
	Summary: "Prometheus metrics (text format)", Tags: []string{"operations"},
	Response: str("Prometheus text exposition format"), Produces: "text/plain",
}

// healthz answers 200 when the database answers within two seconds.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return &ravao.Error{Code: ravao.Unavailable, Key: "err.unavailable", Err: err}
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
