package server

import (
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// maxImportBody is the body limit of a bulk import: a 10,000-row XLSX is a
// few megabytes, far above the limit of JSON calls.
const maxImportBody = 8 << 20

// placeAPI lists the JSON API of places.
func (s *Server) placeAPI() []Route {
	view, manage, approve := ravao.PermViewPlaces, ravao.PermManagePlaces, ravao.PermApprovePlaces
	return []Route{
		api("POST", "/api/v1/registrations/code", Public, s.apiRegistrationCode, registrationCodeDoc),
		api("POST", "/api/v1/registrations", Public, s.apiRegistrationCreate, registrationCreateDoc),
		api("GET", "/api/v1/codes/{code}", Public, s.apiCodeShow, codeShowDoc),
		api("POST", "/api/v1/invitations/{code}/accept", Public, s.apiInvitationAccept, invitationAcceptDoc),
		api("POST", "/api/v1/invitations", manage, s.apiInvitationCreate, invitationCreateDoc),
		api("GET", "/api/v1/venues", view, s.apiVenuesList, venuesListDoc),
		api("GET", "/api/v1/venues/{id}", view, s.apiVenueShow, venueShowDoc),
		api("PUT", "/api/v1/venues/{id}", manage, s.apiVenueUpdate, venueUpdateDoc),
		api("POST", "/api/v1/venues/{id}/approve", approve, s.apiVenueApprove, venueApproveDoc),
		api("POST", "/api/v1/venues/{id}/suspend", approve, s.apiVenueSuspend, venueSuspendDoc),
		api("POST", "/api/v1/venues/{id}/reinstate", approve, s.apiVenueReinstate, venueReinstateDoc),
		api("POST", "/api/v1/venues/{id}/checkpoints", manage, s.apiCheckpointCreate, checkpointCreateDoc),
		api("POST", "/api/v1/checkpoints/{id}/revoke", manage, s.apiCheckpointRevoke, checkpointRevokeDoc),
		api("POST", "/api/v1/checkpoints/{id}/reissue", manage, s.apiCheckpointReissue, checkpointReissueDoc),
		api("GET", "/api/v1/checkpoints/{id}/qr.png", view, s.apiCheckpointQRPNG, checkpointQRPNGDoc),
		api("GET", "/api/v1/checkpoints/{id}/qr.svg", view, s.apiCheckpointQRSVG, checkpointQRSVGDoc),
		withMaxBody(api("POST", "/api/v1/imports", ravao.PermImportPlaces, s.apiImportCreate, importCreateDoc), maxImportBody),
		api("GET", "/api/v1/checkpoints/{id}/poster.pdf", view, s.apiCheckpointPoster, checkpointPosterDoc),
		api("GET", "/api/v1/venues/{id}/posters.pdf", view, s.apiVenuePosters, venuePostersDoc),
		api("GET", "/api/v1/organisations/{id}/posters.pdf", view, s.apiOrganisationPosters, organisationPostersDoc),
		api("GET", "/api/v1/imports/{id}/posters.pdf", view, s.apiImportPosters, importPostersDoc),
	}
}

// withMaxBody gives rt its own request body limit.
func withMaxBody(rt Route, limit int64) Route {
	rt.MaxBody = limit
	return rt
}

// placesTags tags every route of places in the OpenAPI document.
var placesTags = []string{"places"}

// venueJSON is a venue in the API. The sealed contact never appears here;
// venueDetailJSON carries it, opened, for those allowed to see it.
type venueJSON struct {
	ID                 int64             `json:"id"`
	OrganisationID     int64             `json:"organisation_id"`
	Name               string            `json:"name"`
	Type               ravao.VenueType   `json:"type"`
	Sector             ravao.Sector      `json:"sector"`
	UnitCode           string            `json:"unit_code"`
	Address            string            `json:"address"`
	Zone               string            `json:"zone"`
	OpeningHours       string            `json:"opening_hours"`
	Capacity           int               `json:"capacity"`
	DefaultStayMinutes int               `json:"default_stay_minutes"`
	Status             ravao.VenueStatus `json:"status"`
	StatusReason       string            `json:"status_reason"`
	ImportID           int64             `json:"import_id,omitempty"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
}

func toVenueJSON(v ravao.Venue) venueJSON {
	return venueJSON{
		ID: v.ID, OrganisationID: v.OrganisationID, Name: v.Name, Type: v.Type, Sector: v.Sector,
		UnitCode: v.UnitCode, Address: v.Address, Zone: v.Zone, OpeningHours: v.OpeningHours,
		Capacity: v.Capacity, DefaultStayMinutes: int(v.DefaultStay / time.Minute), Status: v.Status,
		StatusReason: v.StatusReason, ImportID: v.ImportID, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}

// venueDetailJSON is a venue with its organisation, place line,
// checkpoints and, for its managers and officials, its contact.
type venueDetailJSON struct {
	venueJSON
	Organisation organisationJSON `json:"organisation"`
	Place        string           `json:"place"`
	Checkpoints  []checkpointJSON `json:"checkpoints"`
	Contact      *contactJSON     `json:"contact,omitempty"`
}

type organisationJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	TaxCode string `json:"tax_code,omitempty"`
}

// contactJSON is a venue's contact person, revealed on purpose: only the
// service decides who gets one.
type contactJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

func toVenueDetailJSON(v places.VenueView) venueDetailJSON {
	out := venueDetailJSON{
		venueJSON:    toVenueJSON(v.Venue),
		Organisation: organisationJSON{ID: v.Organisation.ID, Name: v.Organisation.Name, TaxCode: v.Organisation.TaxCode},
		Place:        v.Place, Checkpoints: make([]checkpointJSON, 0, len(v.Checkpoints)),
	}
	for _, c := range v.Checkpoints {
		out.Checkpoints = append(out.Checkpoints, toCheckpointJSON(c))
	}
	if !v.Contact.Name.Empty() || !v.Contact.Phone.Empty() {
		out.Contact = &contactJSON{Name: v.Contact.Name.Reveal(), Phone: v.Contact.Phone.Reveal()}
	}
	return out
}

// checkpointJSON is a checkpoint with its current code and the URL its QR
// code encodes (both empty when revoked).
type checkpointJSON struct {
	ID      int64                `json:"id"`
	VenueID int64                `json:"venue_id"`
	Name    string               `json:"name"`
	Kind    ravao.CheckpointKind `json:"kind"`
	Plate   string               `json:"plate"`
	Route   string               `json:"route"`
	Serial  uint32               `json:"serial"`
	Revoked bool                 `json:"revoked"`
	Code    string               `json:"code"`
	URL     string               `json:"url"`
}

func toCheckpointJSON(c places.CheckpointView) checkpointJSON {
	return checkpointJSON{
		ID: c.ID, VenueID: c.VenueID, Name: c.Name, Kind: c.Kind, Plate: c.Plate, Route: c.Route,
		Serial: c.Serial, Revoked: c.Revoked, Code: c.Code, URL: c.URL,
	}
}

// Schemas of places.
var (
	dateTime    = map[string]any{"type": "string", "format": "date-time"}
	venueFields = props{
		"id": integer("place id"), "organisation_id": integer("organisation id"), "name": str("registered name"),
		"type": enum("place type", venueTypeNames()), "sector": enum("sector", sectorNames()),
		"unit_code": str("administrative unit code"), "address": str("street address"),
		"zone": str("industrial zone, economic zone or park"), "opening_hours": str("free text"),
		"capacity": integer("0 when not given"), "default_stay_minutes": integer("stay assumed without check-out"),
		"status":        enum("registration status", []string{"pending", "approved", "suspended"}),
		"status_reason": str("why it was suspended or reinstated"), "import_id": integer("bulk import that created it"),
		"created_at": dateTime, "updated_at": dateTime,
	}
	venueRequired   = []string{"id", "organisation_id", "name", "type", "sector", "unit_code", "status"}
	venueSchema     = obj(venueFields, venueRequired...)
	checkpointProps = props{
		"id": integer("checkpoint id"), "venue_id": integer("place id"), "name": str("checkpoint name"),
		"kind":  enum("checkpoint kind", []string{"gate", "counter", "floor", "vehicle"}),
		"plate": str("number plate (vehicles)"), "route": str("route (vehicles)"),
		"serial": integer("code serial: re-issuing increments it"), "revoked": boolean("whether the code is revoked"),
		"code": str("current code; empty when revoked"), "url": str("what the QR code encodes; empty when revoked"),
	}
	checkpointSchema   = obj(checkpointProps, "id", "venue_id", "name", "kind", "serial", "revoked")
	organisationSchema = obj(props{"id": integer("organisation id"), "name": str("organisation name"),
		"tax_code": str("the organisation's tax code (mã số thuế), absent when not given")}, "id", "name")
	venueDetailSchema = obj(merge(venueFields, props{
		"organisation": organisationSchema, "place": str("address with unit names, as posters print it"),
		"checkpoints": array(checkpointSchema),
		"contact": obj(props{"name": str("contact person"), "phone": str("contact phone")},
			"phone"),
	}), append(venueRequired, "organisation", "place", "checkpoints")...)
	venueInputSchema = obj(props{
		"name": str("place name"), "type": enum("place type", venueTypeNames()),
		"sector": str("sector; the type's usual sector when empty"), "unit_code": str("administrative unit code"),
		"address": str("street address"), "zone": str("industrial zone, economic zone or park"),
		"opening_hours": str("free text"), "capacity": integer("0 when not given"),
		"default_stay_minutes": integer("0 for the type's default"), "contact_name": str("contact person"),
		"contact_phone": str("contact phone"),
	}, "name", "type", "unit_code", "contact_phone")
	checkpointInputSchema = obj(props{
		"name":  str("checkpoint name; the plate when empty for vehicles"),
		"kind":  str("gate, counter, floor or vehicle; gate (vehicle for a vehicle) when empty"),
		"plate": str("number plate (vehicles)"), "route": str("route (vehicles)"),
	})
	pdfSchema  = map[string]any{"type": "string", "format": "binary", "description": "PDF, one page per checkpoint"}
	sizeParam  = Param{Name: "size", Description: "paper size: A4 (default) or A5"}
	reasonBody = obj(props{"reason": str("why; up to 500 characters")}, "reason")
)

// enum is a string schema with its allowed values.
func enum(desc string, values []string) map[string]any {
	return map[string]any{"type": "string", "description": desc, "enum": values}
}

// merge is a copy of a with b's properties added.
func merge(a, b props) props {
	out := make(props, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func venueTypeNames() []string {
	out := make([]string, 0, len(ravao.VenueTypes))
	for _, t := range ravao.VenueTypes {
		out = append(out, string(t))
	}
	return out
}

func sectorNames() []string {
	out := make([]string, 0, len(ravao.Sectors))
	for _, s := range ravao.Sectors {
		out = append(out, string(s))
	}
	return out
}

// writeCreated answers 201 with v.
func writeCreated(w http.ResponseWriter, v any) error { return writeJSON(w, http.StatusCreated, v) }
