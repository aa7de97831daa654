package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// landingShow is the page a poster's QR code opens: the registered place
// behind the code, so a visitor can tell a forged sticker from the real
// one. Every code that leads nowhere gets the same 404, and a client trying
// many of them is slowed down with 429.
func (s *Server) landingShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.places.Resolve(r.Context(), r.PathValue("code"))
	if ravao.IsNotFound(err) && !s.codeLimit.Allow(s.clientIP(r), s.clock.Now()) {
		return ravao.Errorf(ravao.TooMany, "err.rate_limited")
	}
	if err != nil {
		return err
	}
	return s.views.render(w, http.StatusOK, "landing.html", s.page(r, "landing.title", landingData{l}))
}

// landingData is the data of the landing page. Only what the poster itself
// prints is shown: no contact, no reason for a suspension.
type landingData struct {
	places.Landing
}

// Vehicle reports whether the checkpoint is a vehicle, whose plate and
// route are shown.
func (d landingData) Vehicle() bool { return d.Checkpoint.Kind == ravao.CheckpointVehicle }
