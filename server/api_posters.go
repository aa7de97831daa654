package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

var checkpointPosterDoc = Doc{
	Summary: "The printable poster of one checkpoint (PDF)", Tags: placesTags,
	Params: []Param{sizeParam}, Response: pdfSchema, Produces: "application/pdf",
}

var venuePostersDoc = Doc{
	Summary: "The posters of every checkpoint of a place, one page each (PDF)", Tags: placesTags,
	Params: []Param{sizeParam}, Response: pdfSchema, Produces: "application/pdf",
}

var organisationPostersDoc = Doc{
	Summary: "The posters of every checkpoint of an organisation, one page each (PDF)", Tags: placesTags,
	Params: []Param{sizeParam}, Response: pdfSchema, Produces: "application/pdf",
}

var importPostersDoc = Doc{
	Summary: "The posters of the places a bulk import created, one page per checkpoint (PDF)", Tags: placesTags,
	Params: []Param{sizeParam}, Response: pdfSchema, Produces: "application/pdf",
}

// posterLoader finds the posters of the set an id names, in the
// caller's scope.
type posterLoader func(ctx context.Context, p *ravao.Principal, id int64) ([]poster.Poster, error)

// apiCheckpointPoster prints one checkpoint's poster.
func (s *Server) apiCheckpointPoster(w http.ResponseWriter, r *http.Request) error {
	return s.posters(w, r, "checkpoint", s.checkpointPosters)
}

// apiVenuePosters prints a place's posters.
func (s *Server) apiVenuePosters(w http.ResponseWriter, r *http.Request) error {
	return s.posters(w, r, "venue", s.posterSet(func(id int64) places.PosterSet { return places.PosterSet{VenueID: id} }))
}

// apiOrganisationPosters prints an organisation's posters.
func (s *Server) apiOrganisationPosters(w http.ResponseWriter, r *http.Request) error {
	return s.posters(w, r, "organisation", s.posterSet(func(id int64) places.PosterSet { return places.PosterSet{OrganisationID: id} }))
}

// apiImportPosters prints the posters of a bulk import.
func (s *Server) apiImportPosters(w http.ResponseWriter, r *http.Request) error {
	return s.posters(w, r, "import", s.posterSet(func(id int64) places.PosterSet { return places.PosterSet{ImportID: id} }))
}

// posterSet loads the posters of the set an id names.
func (s *Server) posterSet(set func(int64) places.PosterSet) posterLoader {
	return func(ctx context.Context, p *ravao.Principal, id int64) ([]poster.Poster, error) {
		return s.places.Posters(ctx, p, set(id))
	}
}

// posters answers a poster PDF of the set named by the path's id. The PDF
// is built in memory first, so a failure is still a proper error response.
// Posters speak the deployment's language, whoever prints them: they hang
// on a wall for every visitor. The file name is ASCII only, so that every
// browser saves it under the same name.
func (s *Server) posters(w http.ResponseWriter, r *http.Request, what string, load posterLoader) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	size, err := posterSize(r)
	if err != nil {
		return err
	}
	list, err := load(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	words := poster.WordingFrom(func(key string) string { return s.cat.T(s.cfg.Lang, key) })
	if err := poster.PDF(&b, size, words, list...); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ravao-poster-%s-%d.pdf"`, what, id))
	_, err = b.WriteTo(w)
	return err
}

// posterSize reads ?size=, A4 when absent.
func posterSize(r *http.Request) (poster.Size, error) {
	switch v := poster.Size(strings.ToUpper(r.URL.Query().Get("size"))); v {
	case "":
		return poster.A4, nil
	case poster.A4, poster.A5:
		return v, nil
	}
	return "", ravao.FieldError("size", "err.poster_size")
}
