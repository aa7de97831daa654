package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

var codeShowDoc = Doc{
	Summary: "The registered place behind a checkpoint code, as the poster's landing page shows it; unknown, revoked and re-issued codes are 404, and too many of them from one client 429",
	Tags:    placesTags,
	Response: obj(props{
		"code": str("the code in canonical form"),
		"venue": obj(props{
			"id": integer("place id"), "name": str("registered name"), "type": enum("place type", venueTypeNames()),
			"sector": enum("sector", sectorNames()), "status": enum("registration status", []string{"pending", "approved", "suspended"}),
			"place": str("address with unit names"),
		}, "id", "name", "type", "sector", "status", "place"),
		"organisation": organisationSchema,
		"checkpoint": obj(props{
			"id": integer("checkpoint id"), "name": str("checkpoint name"),
			"kind":  enum("checkpoint kind", []string{"gate", "counter", "floor", "vehicle"}),
			"plate": str("number plate (vehicles)"), "route": str("route (vehicles)"),
		}, "id", "name", "kind"),
	}, "code", "venue", "organisation", "checkpoint"),
}

// landingJSON is what a poster's code leads to: only what the poster
// itself shows the public.
type landingJSON struct {
	Code  string `json:"code"`
	Venue struct {
		ID     int64             `json:"id"`
		Name   string            `json:"name"`
		Type   ravao.VenueType   `json:"type"`
		Sector ravao.Sector      `json:"sector"`
		Status ravao.VenueStatus `json:"status"`
		Place  string            `json:"place"`
	} `json:"venue"`
	Organisation organisationJSON `json:"organisation"`
	Checkpoint   struct {
		ID    int64                `json:"id"`
		Name  string               `json:"name"`
		Kind  ravao.CheckpointKind `json:"kind"`
		Plate string               `json:"plate"`
		Route string               `json:"route"`
	} `json:"checkpoint"`
}

// apiCodeShow resolves a checkpoint code. Only codes that lead nowhere use
// up the client's allowance: a visitor scanning real posters is never
// slowed, someone trying codes is.
func (s *Server) apiCodeShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveCode(r)
	if err != nil {
		return err
	}
	var out landingJSON
	out.Code = l.Code
	out.Venue.ID, out.Venue.Name, out.Venue.Type, out.Venue.Sector = l.Venue.ID, l.Venue.Name, l.Venue.Type, l.Venue.Sector
	out.Venue.Status, out.Venue.Place = l.Venue.Status, l.Place
	out.Organisation = organisationJSON{ID: l.Organisation.ID, Name: l.Organisation.Name}
	c := l.Checkpoint
	out.Checkpoint.ID, out.Checkpoint.Name, out.Checkpoint.Kind, out.Checkpoint.Plate, out.Checkpoint.Route = c.ID, c.Name, c.Kind, c.Plate, c.Route
	return writeJSON(w, http.StatusOK, out)
}
