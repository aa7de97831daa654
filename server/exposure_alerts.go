package server

import (
	"context"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// alertRow is an exposure window that one of the visitor's own visits
// falls in, as their page shows it.
type alertRow struct {
	ID              int64
	Venue, From, To string
	Message         string // in the page's language
}

// exposureAlerts matches the device's visits (and its dependants') against
// the current windows, on the server, so that /me shows the alert without
// any script. The rule is the one the phone's script applies.
func (s *Server) exposureAlerts(ctx context.Context, lang, token string) ([]alertRow, error) {
	if s.tracing == nil {
		return nil, nil
	}
	windows, err := s.tracing.Current(ctx)
	if err != nil || len(windows) == 0 {
		return nil, err
	}
	visits, err := s.visits.Visits(ctx, token, s.clock.Now().Add(-tracing.ShownFor-ravao.MaxStay-7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	var out []alertRow
	for _, w := range windows {
		for _, v := range visits {
			if w.Matches(v) {
				out = append(out, s.alertRow(w, lang))
				break
			}
		}
	}
	return out, nil
}

// alertRow shows a window in lang, the Vietnamese message standing in for
// a missing one.
func (s *Server) alertRow(w tracing.PublicWindow, lang string) alertRow {
	msg := w.Message[lang]
	if msg == "" {
		msg = w.Message["vi"]
	}
	return alertRow{ID: w.ID, Venue: w.VenueName, From: s.localTime(w.From, shownTime), To: s.localTime(w.To, shownTime), Message: msg}
}

// venueNotice lists, for a place's page, when the current exposure windows
// at the place are: what its manager is told, with nothing of the case.
func (s *Server) venueNotice(ctx context.Context, venueID int64) ([]string, error) {
	if s.tracing == nil {
		return nil, nil
	}
	list, err := s.tracing.VenueWindows(ctx, venueID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, w := range list {
		out = append(out, s.localTime(w.From, shownTime)+" – "+s.localTime(w.To, shownTime))
	}
	return out, nil
}
