package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

// outboxRow is one SMS of the development outbox: the phone masked, the
// text in full (it is what the developer needs to read).
type outboxRow struct {
	To, Text, At, Purpose string
}

// outboxShow lists the messages the development SMS sender kept, newest
// first. It exists only when that sender is in use: with a real gateway
// the page is not found.
func (s *Server) outboxShow(w http.ResponseWriter, r *http.Request) error {
	if s.outbox == nil {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	msgs := s.outbox.Messages()
	rows := make([]outboxRow, 0, len(msgs))
	for _, m := range msgs {
		rows = append(rows, outboxRow{
			To: ravao.MaskPhone(m.To), Text: m.Text, Purpose: m.Purpose,
			At: m.At.In(s.cfg.TZ).Format("02/01/2006 15:04:05"),
		})
	}
	return s.views.render(w, http.StatusOK, "outbox.html", s.page(r, "outbox.title", rows))
}
