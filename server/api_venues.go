package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

var venuesListDoc = Doc{
	Summary: "List the places in the caller's scope (a manager's organisation, an official's unit, a supervisor's sector)",
	Tags:    placesTags,
	Params: []Param{
		{Name: "organisation", Description: "organisation id"},
		{Name: "unit", Description: "administrative unit code: places at or below it"},
		{Name: "sector", Description: "sector"},
		{Name: "type", Description: "place type"},
		{Name: "status", Description: "pending, approved or suspended"},
		{Name: "zone", Description: "industrial zone, exactly as registered"},
		{Name: "import", Description: "id of the bulk import that created the places"},
		{Name: "after", Description: "pagination: only places with a larger id"},
		{Name: "limit", Description: "at most this many places (1-1000, default 1000)"},
	},
	Response: obj(props{"venues": array(venueSchema), "total": integer("places matching, all pages")}, "venues", "total"),
}

var venueShowDoc = Doc{
	Summary: "A place with its checkpoints, their codes and, for its managers and officials, its contact",
	Tags:    placesTags, Response: venueDetailSchema,
}

var venueUpdateDoc = Doc{
	Summary: "Change a place's details (its managers)", Tags: placesTags,
	Request: venueInputSchema, Response: venueSchema,
}

var venueApproveDoc = Doc{
	Summary: "Approve a pending place (local officials of its unit)", Tags: placesTags, Response: venueSchema,
}

var venueSuspendDoc = Doc{
	Summary: "Suspend a place: its codes stop admitting visitors (local officials of its unit)", Tags: placesTags,
	Request: reasonBody, Response: venueSchema,
}

var venueReinstateDoc = Doc{
	Summary: "Reinstate a suspended place (local officials of its unit)", Tags: placesTags,
	Request: reasonBody, Response: venueSchema,
}

var checkpointCreateDoc = Doc{
	Summary: "Add a checkpoint (gate, counter, floor, vehicle) to a place (its managers)", Tags: placesTags,
	Request: checkpointInputSchema, Response: checkpointSchema, Status: http.StatusCreated,
}

// apiVenuesList lists the places in the caller's scope.
func (s *Server) apiVenuesList(w http.ResponseWriter, r *http.Request) error {
	f, unit, err := venueFilter(r)
	if err != nil {
		return err
	}
	if unit != "" {
		if f.UnitPath, err = s.unitPath(r.Context(), unit); err != nil {
			return err
		}
	}
	venues, total, err := s.places.List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := make([]venueJSON, 0, len(venues))
	for _, v := range venues {
		out = append(out, toVenueJSON(v))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"venues": out, "total": total})
}

// venueFilter reads the query of GET /api/v1/venues; the unit code is
// returned apart, for the tree turns it into a path.
func venueFilter(r *http.Request) (ravao.VenueFilter, string, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	f := ravao.VenueFilter{
		Sector: ravao.Sector(q.Get("sector")), Type: ravao.VenueType(q.Get("type")),
		Status: ravao.VenueStatus(q.Get("status")), Zone: q.Get("zone"),
	}
	f.OrganisationID = queryID(q.Get("organisation"), "organisation", fe)
	f.ImportID = queryID(q.Get("import"), "import", fe)
	f.AfterID = queryID(q.Get("after"), "after", fe)
	unit := q.Get("unit")
	if unit != "" && !ravao.ValidUnitCode(unit) {
		fe.Add("unit", "err.unit_code")
	}
	if f.Sector != "" && !f.Sector.Valid() {
		fe.Add("sector", "err.sector")
	}
	if f.Type != "" && !f.Type.Valid() {
		fe.Add("type", "err.venue_type")
	}
	switch f.Status {
	case "", ravao.VenuePending, ravao.VenueApproved, ravao.VenueSuspended:
	default:
		fe.Add("status", "err.venue_status")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fe.Add("limit", "err.limit")
		}
		f.Limit = n
	}
	return f, unit, fe.Err()
}

// queryID reads an optional positive id from a query value.
func queryID(v, field string, fe ravao.FieldErrors) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		fe.Add(field, "err.id")
	}
	return id
}

// unitPath turns a unit code of the active version into the path venues
// store, so that a filter by unit is one prefix query.
func (s *Server) unitPath(ctx context.Context, code string) (string, error) {
	var path string
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		path, err = ravao.UnitPathFor(tx, code)
		return err
	})
	return path, err
}

// apiVenueShow returns one place.
func (s *Server) apiVenueShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.places.Venue(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVenueDetailJSON(v))
}

// apiVenueUpdate changes a place's details.
func (s *Server) apiVenueUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in places.VenueInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := s.places.Update(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVenueJSON(v))
}

// apiVenueApprove approves a pending place.
func (s *Server) apiVenueApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.places.Approve(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVenueJSON(v))
}

// apiVenueSuspend suspends a place.
func (s *Server) apiVenueSuspend(w http.ResponseWriter, r *http.Request) error {
	return s.venueStatus(w, r, s.places.Suspend)
}

// apiVenueReinstate reinstates a suspended place.
func (s *Server) apiVenueReinstate(w http.ResponseWriter, r *http.Request) error {
	return s.venueStatus(w, r, s.places.Reinstate)
}

// venueStatus runs a status change that takes a reason.
func (s *Server) venueStatus(w http.ResponseWriter, r *http.Request,
	change func(context.Context, *ravao.Principal, int64, string) (ravao.Venue, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := change(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVenueJSON(v))
}

// apiCheckpointCreate adds a checkpoint to a place.
func (s *Server) apiCheckpointCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in places.CheckpointInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.places.AddCheckpoint(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return writeCreated(w, toCheckpointJSON(c))
}
