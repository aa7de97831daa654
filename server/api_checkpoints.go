package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

var checkpointRevokeDoc = Doc{
	Summary: "Revoke a checkpoint's code at once (a poster was stolen or copied); it has no working code until re-issued (its managers)",
	Tags:    placesTags, Response: checkpointSchema,
}

var checkpointReissueDoc = Doc{
	Summary: "Give a checkpoint a new code; every earlier code stops working and its posters must be printed again (its managers)",
	Tags:    placesTags, Response: checkpointSchema,
}

var checkpointQRPNGDoc = Doc{
	Summary: "The checkpoint's QR code as a PNG image", Tags: placesTags,
	Params:   []Param{{Name: "px", Description: "width and height in pixels, 64-2048 (default 512)"}},
	Response: map[string]any{"type": "string", "format": "binary", "description": "PNG image"},
	Produces: "image/png",
}

var checkpointQRSVGDoc = Doc{
	Summary: "The checkpoint's QR code as an SVG image", Tags: placesTags,
	Response: map[string]any{"type": "string", "description": "SVG image"},
	Produces: "image/svg+xml",
}

// QR image sizes in pixels.
const (
	defaultQRPixels = 512
	minQRPixels     = 64
	maxQRPixels     = 2048
)

// apiCheckpointRevoke revokes a checkpoint's code.
func (s *Server) apiCheckpointRevoke(w http.ResponseWriter, r *http.Request) error {
	return s.checkpointCode(w, r, s.places.Revoke)
}

// apiCheckpointReissue gives a checkpoint a new code.
func (s *Server) apiCheckpointReissue(w http.ResponseWriter, r *http.Request) error {
	return s.checkpointCode(w, r, s.places.Reissue)
}

// checkpointCode runs a change of a checkpoint's code.
func (s *Server) checkpointCode(w http.ResponseWriter, r *http.Request,
	change func(context.Context, *ravao.Principal, int64) (places.CheckpointView, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := change(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCheckpointJSON(c))
}

// apiCheckpointQRPNG draws a checkpoint's QR code as PNG.
func (s *Server) apiCheckpointQRPNG(w http.ResponseWriter, r *http.Request) error {
	px := defaultQRPixels
	if v := r.URL.Query().Get("px"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minQRPixels || n > maxQRPixels {
			return ravao.FieldError("px", "err.qr_px")
		}
		px = n
	}
	return s.checkpointQR(w, r, "image/png", func(url string) ([]byte, error) { return poster.PNG(url, px) })
}

// apiCheckpointQRSVG draws a checkpoint's QR code as SVG.
func (s *Server) apiCheckpointQRSVG(w http.ResponseWriter, r *http.Request) error {
	return s.checkpointQR(w, r, "image/svg+xml", poster.SVG)
}

// checkpointQR draws the QR code of the checkpoint's current code, checked
// like its poster: whoever may see the place may see its codes.
func (s *Server) checkpointQR(w http.ResponseWriter, r *http.Request, contentType string, draw func(string) ([]byte, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.checkpointPosters(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	b, err := draw(p[0].URL)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	_, err = w.Write(b)
	return err
}

// checkpointPosters is the poster of one checkpoint. A revoked checkpoint
// has none: that is said plainly rather than as an empty print job.
func (s *Server) checkpointPosters(ctx context.Context, p *ravao.Principal, id int64) ([]poster.Poster, error) {
	posters, err := s.places.Posters(ctx, p, places.PosterSet{CheckpointID: id})
	var e *ravao.Error
	if errors.As(err, &e) && e.Key == "err.poster_none" {
		return nil, ravao.Errorf(ravao.NotFound, "err.checkpoint_revoked")
	}
	return posters, err
}
