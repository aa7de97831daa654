package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/visitors"
)

// landingShow is the page a poster's QR code opens: the registered place
// behind the code, so a visitor can tell a forged sticker from the real
// one. Every code that leads nowhere gets the same 404, and a client trying
// many of them is slowed down with 429.
func (s *Server) landingShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveCode(r)
	if err != nil {
		return err
	}
	d := landingData{Landing: l}
	if err := s.landingCheckIn(r, &d); err != nil {
		return err
	}
	p := s.page(r, "landing.title", d)
	if d.CanCheckIn {
		p.Device, p.DeviceUnknown = s.knownDevice(s.deviceToken(r), d.Known)
	}
	return s.views.render(w, http.StatusOK, "landing.html", p)
}

// landingCheckIn says how the visitor checks in at an approved place: one
// tap when the device is known (its dependants offered as checkboxes),
// else a start through consent and the declaration.
func (s *Server) landingCheckIn(r *http.Request, d *landingData) error {
	if s.visits == nil || d.Venue.Status != ravao.VenueApproved {
		return nil
	}
	d.CanCheckIn = true
	token := s.deviceToken(r)
	if token == "" {
		return nil
	}
	deps, err := s.visits.Dependants(r.Context(), token)
	if isDeviceUnknown(err) {
		return nil
	}
	d.Known, d.Dependants = err == nil, deps
	return err
}

// landingData is the data of the landing page. Only what the poster itself
// prints is shown: no contact, no reason for a suspension.
type landingData struct {
	places.Landing
	CanCheckIn bool                 // the place is approved and visitors are served
	Known      bool                 // the device has declared: one tap checks in
	Dependants []visitors.Dependant // masked names, ticked to check in together
}

// Vehicle reports whether the checkpoint is a vehicle, whose plate and
// route are shown.
func (d landingData) Vehicle() bool { return d.Checkpoint.Kind == ravao.CheckpointVehicle }
