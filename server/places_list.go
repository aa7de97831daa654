package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ravao/ravao"
)

// placesPageSize is how many places one page of the list shows.
const placesPageSize = 50

// placesData is the data of the list of places.
type placesData struct {
	Rows          []placeRow
	Total         int
	Status        string
	Type          string
	Sector        string
	Statuses      []choice
	Types         []choice
	Sectors       []choice
	NextURL       string
	CanImport     bool
	Organisations []int64 // organisations the reader manages, for their posters
}

// placeRow is one place in the list.
type placeRow struct {
	ID                  int64
	Name, Address, Unit string
	Type                ravao.VenueType
	Status              ravao.VenueStatus
}

// placesList lists the places the reader may see, filtered by status, type
// and sector (?status=pending is the officials' approval queue).
func (s *Server) placesList(w http.ResponseWriter, r *http.Request) error {
	p, q := principal(r), r.URL.Query()
	f, err := venueFilterFrom(q)
	if err != nil {
		return err
	}
	venues, total, err := s.places.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := placesData{
		Total: total, Status: q.Get("status"), Type: q.Get("type"), Sector: q.Get("sector"),
		Statuses: statusChoices(), Types: venueTypeChoices(), Sectors: sectorChoices(),
		CanImport: p.MayEver(ravao.PermImportPlaces), Organisations: managedOrganisations(p),
	}
	if d.Rows, err = s.placeRows(r.Context(), s.lang(r), venues); err != nil {
		return err
	}
	if len(venues) == f.Limit {
		q.Set("after", strconv.FormatInt(venues[len(venues)-1].ID, 10))
		d.NextURL = "/places?" + q.Encode()
	}
	return s.views.render(w, http.StatusOK, "places.html", s.page(r, "places.title", d))
}

// venueFilterFrom reads the list's filters; an unknown value is a bad
// request rather than a silently wider list.
func venueFilterFrom(q url.Values) (ravao.VenueFilter, error) {
	f := ravao.VenueFilter{
		Status: ravao.VenueStatus(q.Get("status")), Type: ravao.VenueType(q.Get("type")),
		Sector: ravao.Sector(q.Get("sector")), Limit: placesPageSize,
	}
	fe := ravao.FieldErrors{}
	switch f.Status {
	case "", ravao.VenuePending, ravao.VenueApproved, ravao.VenueSuspended:
	default:
		fe.Add("status", "err.venue_status")
	}
	if f.Type != "" && !f.Type.Valid() {
		fe.Add("type", "err.venue_type")
	}
	if f.Sector != "" && !f.Sector.Valid() {
		fe.Add("sector", "err.sector")
	}
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			fe.Add("after", "err.id")
		}
		f.AfterID = n
	}
	return f, fe.Err()
}

// placeRows names the unit of each place in lang.
func (s *Server) placeRows(ctx context.Context, lang string, venues []ravao.Venue) ([]placeRow, error) {
	rows := make([]placeRow, 0, len(venues))
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version, names := ravao.ActiveUnitVersion(tx), map[string]string{}
		for _, v := range venues {
			name, ok := names[v.UnitCode]
			if !ok {
				var err error
				if name, err = unitName(tx, lang, version, v.UnitCode); err != nil {
					return err
				}
				names[v.UnitCode] = name
			}
			rows = append(rows, placeRow{ID: v.ID, Name: v.Name, Address: v.Address, Unit: name, Type: v.Type, Status: v.Status})
		}
		return nil
	})
	return rows, err
}

// managedOrganisations lists the organisations p manages as venue manager.
func managedOrganisations(p *ravao.Principal) []int64 {
	var out []int64
	for _, a := range p.Roles {
		if a.Role == ravao.RoleVenueManager && a.OrganisationID != 0 {
			out = append(out, a.OrganisationID)
		}
	}
	return out
}
