package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

// posterData is the data of a place's poster preview.
type posterData struct {
	VenueID int64
	Venue   string
	Posters []posterPreview
	// Lang and Words are the language and fixed text of the posters: the
	// deployment's, whoever prints them.
	Lang  string
	Words poster.Wording
}

// posterPreview is one poster as it will print, with its checkpoint for
// the QR image and download links.
type posterPreview struct {
	CheckpointID                          int64
	Venue, Address, Checkpoint, Code, URL string
	Issued                                string
}

// posterShow previews the posters of a place: the QR code, the text as it
// prints, and the A4/A5 downloads. The text comes from the same service
// call the PDF is made from, so what is shown is what prints.
func (s *Server) posterShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	v, err := s.places.Venue(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	ps, err := s.places.Posters(r.Context(), principal(r), places.PosterSet{VenueID: id})
	if err != nil && !isNoPoster(err) {
		return err
	}
	byCode := map[string]int64{}
	for _, c := range v.Checkpoints {
		byCode[c.Code] = c.ID
	}
	d := posterData{VenueID: v.ID, Venue: v.Name, Lang: s.cfg.Lang}
	d.Words = poster.WordingFrom(func(key string) string { return s.cat.T(s.cfg.Lang, key) })
	for _, p := range ps {
		d.Posters = append(d.Posters, posterPreview{
			CheckpointID: byCode[p.Code], Venue: p.VenueName, Address: p.Address, Checkpoint: p.CheckpointName,
			Code: p.Code, URL: p.URL, Issued: p.Issued.Format("02/01/2006"),
		})
	}
	return s.views.render(w, http.StatusOK, "poster.html", s.page(r, "poster.title", d))
}

// isNoPoster reports whether err says every checkpoint's code is revoked.
func isNoPoster(err error) bool {
	e := classify(err)
	return e.Code == ravao.NotFound && e.Key == "err.poster_none"
}
