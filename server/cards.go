package server

import (
	"bytes"
	"net/http"

	"github.com/ravao/ravao/cards"
)

// writeCards answers with the PDF of printed QR cards, worded in the
// request's language. The file name says only what it is.
func (s *Server) writeCards(w http.ResponseWriter, r *http.Request, cs []cards.Card) error {
	lang := s.lang(r)
	var b bytes.Buffer
	if err := cards.PDF(&b, cards.WordingFrom(func(k string) string { return s.cat.T(lang, k) }), cs...); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="ravao-qr-cards.pdf"`)
	w.Header().Set("Cache-Control", "no-store") // names and personal codes
	_, err := b.WriteTo(w)
	return err
}
