package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// currentMaxAge is how long phones and caches may keep the public list of
// windows: a withdrawn window is gone from every phone within it.
const currentMaxAge = 60

// currentJSON is the public list of windows.
type currentJSON struct {
	Windows []tracing.PublicWindow `json:"windows"`
}

// windowInJSON is a window published by hand.
type windowInJSON struct {
	VenueID      int64          `json:"venue_id"`
	CheckpointID int64          `json:"checkpoint_id"`
	From         *string        `json:"from"`
	To           *string        `json:"to"`
	Severity     ravao.Severity `json:"severity"`
	MessageVI    string         `json:"message_vi"`
	MessageEN    string         `json:"message_en"`
	Reason       string         `json:"reason"`
}

// windowJSON is a window as officials see it.
type windowJSON struct {
	ID             int64          `json:"id"`
	VenueID        int64          `json:"venue_id"`
	VenueName      string         `json:"venue_name,omitempty"`
	CheckpointID   int64          `json:"checkpoint_id"`
	CheckpointName string         `json:"checkpoint_name,omitempty"`
	From           time.Time      `json:"from"`
	To             time.Time      `json:"to"`
	Severity       ravao.Severity `json:"severity"`
	MessageVI      string         `json:"message_vi"`
	MessageEN      string         `json:"message_en"`
	CaseID         int64          `json:"case_id"`
	CreatedBy      int64          `json:"created_by"`
	CreatedAt      time.Time      `json:"created_at"`
	WithdrawnAt    *time.Time     `json:"withdrawn_at"`
}

func windowOut(w ravao.ExposureWindow) windowJSON {
	return windowJSON{
		ID: w.ID, VenueID: w.VenueID, CheckpointID: w.CheckpointID, From: w.From, To: w.To, Severity: w.Severity,
		MessageVI: w.MessageVI, MessageEN: w.MessageEN, CaseID: w.CaseID, CreatedBy: w.CreatedBy, CreatedAt: w.CreatedAt,
		WithdrawnAt: optTime(w.WithdrawnAt),
	}
}

// windowsJSON is a list of windows.
type windowsJSON struct {
	Windows []windowJSON `json:"windows"`
}

// casePublishJSON publishes windows from a case's visits.
type casePublishJSON struct {
	VisitIDs  []int64        `json:"visit_ids"`
	Severity  ravao.Severity `json:"severity"`
	MessageVI string         `json:"message_vi"`
	MessageEN string         `json:"message_en"`
}

// notificationJSON is where a message to a contact is.
type notificationJSON struct {
	ID        int64                    `json:"id"`
	ContactID int64                    `json:"contact_id"`
	Status    ravao.NotificationStatus `json:"status"`
	Attempts  int                      `json:"attempts"`
	LastError string                   `json:"last_error,omitempty"`
	NextAt    *time.Time               `json:"next_at"`
	CreatedAt time.Time                `json:"created_at"`
	SentAt    *time.Time               `json:"sent_at"`
}

// apiExposuresCurrent answers the windows every phone matches. The list
// is the same for everyone, so it may be cached for a minute, and a phone
// that has it already gets 304 for its ETag.
func (s *Server) apiExposuresCurrent(w http.ResponseWriter, r *http.Request) error {
	list, err := s.tracing.Current(r.Context())
	if err != nil {
		return err
	}
	body, err := json.Marshal(currentJSON{Windows: list})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(currentMaxAge))
	h.Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(append(body, '\n'))
	return err
}

// etagMatches reports whether an If-None-Match header names etag (weakly,
// as RFC 9110 compares for GET) or is "*".
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// apiExposurePublish publishes a window by hand.
func (s *Server) apiExposurePublish(w http.ResponseWriter, r *http.Request) error {
	var in windowInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	p := tracing.Publish{
		VenueID: in.VenueID, CheckpointID: in.CheckpointID, From: apiTime(in.From, "from", fe), To: apiTime(in.To, "to", fe),
		Severity: in.Severity, MessageVI: in.MessageVI, MessageEN: in.MessageEN, Reason: in.Reason,
	}
	if err := fe.Err(); err != nil {
		return err
	}
	win, err := s.tracing.PublishWindow(r.Context(), principal(r), p)
	if err != nil {
		return err
	}
	return writeCreated(w, windowOut(win))
}

// apiExposuresManage lists the windows at venues in the caller's area,
// withdrawn ones included.
func (s *Server) apiExposuresManage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.windowFilter(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Windows(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := windowsJSON{Windows: make([]windowJSON, 0, len(list))}
	for _, v := range list {
		j := windowOut(v.Window)
		j.VenueName, j.CheckpointName = v.VenueName, v.CheckpointName
		out.Windows = append(out.Windows, j)
	}
	return writeJSON(w, http.StatusOK, out)
}

// windowFilter reads ?venue_id=, ?ends_after= (14 days ago when absent)
// and ?limit= (1 to 1000, 200 when absent).
func (s *Server) windowFilter(r *http.Request) (ravao.ExposureWindowFilter, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	f := ravao.ExposureWindowFilter{IncludeWithdrawn: true, VenueID: queryID(q.Get("venue_id"), "venue_id", fe), Limit: 200}
	f.EndsAfter = s.clock.Now().Add(-tracing.ShownFor)
	if v := q.Get("ends_after"); v != "" {
		f.EndsAfter = apiTime(&v, "ends_after", fe)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fe.Add("limit", "err.limit")
		}
		f.Limit = n
	}
	return f, fe.Err()
}

// apiExposureWithdraw takes a window down.
func (s *Server) apiExposureWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.tracing.Withdraw(r.Context(), principal(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiCasePublish publishes windows from a case's visits.
func (s *Server) apiCasePublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in casePublishJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	list, err := s.tracing.PublishCase(r.Context(), principal(r), id, tracing.PublishFromCase{
		VisitIDs: in.VisitIDs, Severity: in.Severity, MessageVI: in.MessageVI, MessageEN: in.MessageEN,
	})
	if err != nil {
		return err
	}
	out := windowsJSON{Windows: make([]windowJSON, 0, len(list))}
	for _, win := range list {
		out.Windows = append(out.Windows, windowOut(win))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiCaseNotify queues messages to the case's close contacts.
func (s *Server) apiCaseNotify(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.tracing.Notify(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"queued": n})
}

// apiCaseNotifications says where each message to the case's contacts is.
func (s *Server) apiCaseNotifications(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Notifications(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := make([]notificationJSON, 0, len(list))
	for _, n := range list {
		j := notificationJSON{ID: n.ID, ContactID: n.ContactID, Status: n.Status, Attempts: n.Attempts,
			LastError: n.LastError, CreatedAt: n.CreatedAt, SentAt: optTime(n.SentAt)}
		if n.Status == ravao.NotifyQueued {
			j.NextAt = optTime(n.NextAt)
		}
		out = append(out, j)
	}
	return writeJSON(w, http.StatusOK, map[string][]notificationJSON{"notifications": out})
}
