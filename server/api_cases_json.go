package server

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// The JSON of the tracing API. Instants are RFC 3339; every duration is a
// whole number of milliseconds, in a field whose name ends in _ms.

// settingsJSON are a case's thresholds.
type settingsJSON struct {
	BufferMS       int64 `json:"buffer_ms"`
	OpenWindowMS   int64 `json:"open_window_ms"`
	MinOverlapMS   int64 `json:"min_overlap_ms"`
	CloseAfterMS   int64 `json:"close_after_ms"`
	WindowBeforeMS int64 `json:"window_before_ms"`
}

// settingsInJSON are thresholds sent by a client: all five are needed.
type settingsInJSON struct {
	BufferMS       *int64 `json:"buffer_ms"`
	OpenWindowMS   *int64 `json:"open_window_ms"`
	MinOverlapMS   *int64 `json:"min_overlap_ms"`
	CloseAfterMS   *int64 `json:"close_after_ms"`
	WindowBeforeMS *int64 `json:"window_before_ms"`
}

// settings reads the thresholds; the field errors are named as the
// client sent them ("settings.buffer_ms").
func (in *settingsInJSON) settings(fe ravao.FieldErrors) *ravao.TraceSettings {
	if in == nil {
		return nil
	}
	ms := func(field string, v *int64) time.Duration {
		if v == nil {
			fe.Add("settings."+field, "err.required")
			return 0
		}
		if *v < 0 || *v > math.MaxInt64/int64(time.Millisecond) {
			fe.Add("settings."+field, "err.trace_setting")
			return 0
		}
		return time.Duration(*v) * time.Millisecond
	}
	st := ravao.TraceSettings{
		Buffer: ms("buffer_ms", in.BufferMS), OpenWindow: ms("open_window_ms", in.OpenWindowMS),
		MinOverlap: ms("min_overlap_ms", in.MinOverlapMS), CloseAfter: ms("close_after_ms", in.CloseAfterMS),
		WindowBefore: ms("window_before_ms", in.WindowBeforeMS),
	}
	if err := st.Validate(); err != nil {
		var e *ravao.Error
		if errors.As(err, &e) {
			for field, key := range e.Fields {
				fe.Add("settings."+field+"_ms", key)
			}
		}
	}
	return &st
}

func settingsOut(st ravao.TraceSettings) settingsJSON {
	return settingsJSON{
		BufferMS: st.Buffer.Milliseconds(), OpenWindowMS: st.OpenWindow.Milliseconds(), MinOverlapMS: st.MinOverlap.Milliseconds(),
		CloseAfterMS: st.CloseAfter.Milliseconds(), WindowBeforeMS: st.WindowBefore.Milliseconds(),
	}
}

// apiTime reads an optional RFC 3339 instant.
func apiTime(v *string, field string, fe ravao.FieldErrors) time.Time {
	if v == nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(*v))
	if err != nil {
		fe.Add(field, "err.time")
		return time.Time{}
	}
	return t.UTC()
}

// nullTime is an instant that a PATCH may set, clear (null) or leave
// alone (absent).
type nullTime struct {
	Set   bool
	Value *string
}

// UnmarshalJSON records that the field was sent, null or not.
func (n *nullTime) UnmarshalJSON(b []byte) error {
	n.Set = true
	return json.Unmarshal(b, &n.Value)
}

// optTime is nil for the zero time, so that JSON says null.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// caseJSON is a case.
type caseJSON struct {
	ID              int64            `json:"id"`
	PersonID        int64            `json:"person_id"`
	UnitCode        string           `json:"unit_code"`
	Reason          string           `json:"reason"`
	Status          ravao.CaseStatus `json:"status"`
	Onset           time.Time        `json:"onset"`
	WindowFrom      time.Time        `json:"window_from"`
	WindowTo        *time.Time       `json:"window_to"`
	Settings        settingsJSON     `json:"settings"`
	SourceContactID int64            `json:"source_contact_id"`
	CreatedBy       int64            `json:"created_by"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
	ClosedAt        *time.Time       `json:"closed_at"`
}

func caseOut(c ravao.Case) caseJSON {
	return caseJSON{
		ID: c.ID, PersonID: c.PersonID, UnitCode: c.UnitCode, Reason: c.Reason, Status: c.Status,
		Onset: c.Onset, WindowFrom: c.WindowFrom, WindowTo: optTime(c.WindowTo), Settings: settingsOut(c.Settings),
		SourceContactID: c.SourceContactID, CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		ClosedAt: optTime(c.ClosedAt),
	}
}

// caseRowJSON is a case in a list, the person's name masked.
type caseRowJSON struct {
	caseJSON
	MaskedName string `json:"masked_name"`
	Contacts   int    `json:"contacts"`
}

// tracedJSON says what a tracing run changed on the worked list.
type tracedJSON struct {
	Found int `json:"found"`
	Added int `json:"added"`
}

// caseTracedJSON is a case with the tracing run that opened or changed it.
type caseTracedJSON struct {
	Case   caseJSON   `json:"case"`
	Traced tracedJSON `json:"traced"`
}

func tracedOut(c ravao.Case, t tracing.Traced) caseTracedJSON {
	return caseTracedJSON{Case: caseOut(c), Traced: tracedJSON(t)}
}

// personViewJSON is a person in clear, inside a case.
type personViewJSON struct {
	ID        int64  `json:"id"`
	FullName  string `json:"full_name"`
	Phone     string `json:"phone"`
	BirthYear int    `json:"birth_year"`
	UnitCode  string `json:"unit_code"`
}

// timelineJSON is one of the case's visits.
type timelineJSON struct {
	VisitID        int64                `json:"visit_id"`
	VenueID        int64                `json:"venue_id"`
	VenueName      string               `json:"venue_name"`
	VenueType      ravao.VenueType      `json:"venue_type"`
	VenueUnit      string               `json:"venue_unit"`
	CheckpointID   int64                `json:"checkpoint_id"`
	CheckpointName string               `json:"checkpoint_name"`
	CheckpointKind ravao.CheckpointKind `json:"checkpoint_kind"`
	In             time.Time            `json:"in"`
	Out            *time.Time           `json:"out"`
	OutReason      string               `json:"out_reason"`
	Exposed        int                  `json:"exposed"`
	Close          int                  `json:"close"`
}

// caseViewJSON is a case with its person and timeline.
type caseViewJSON struct {
	Case     caseJSON       `json:"case"`
	Person   personViewJSON `json:"person"`
	Timeline []timelineJSON `json:"timeline"`
}

func caseViewOut(v tracing.CaseView) caseViewJSON {
	out := caseViewJSON{Case: caseOut(v.Case), Person: personViewJSON(v.Person), Timeline: make([]timelineJSON, 0, len(v.Timeline))}
	for _, t := range v.Timeline {
		out.Timeline = append(out.Timeline, timelineJSON{
			VisitID: t.Visit.ID, VenueID: t.Visit.VenueID, VenueName: t.VenueName, VenueType: t.VenueType, VenueUnit: t.VenueUnit,
			CheckpointID: t.Visit.CheckpointID, CheckpointName: t.CheckpointName, CheckpointKind: t.CheckpointKind,
			In: t.Visit.InAt, Out: optTime(t.Visit.OutAt), OutReason: t.Visit.OutReason, Exposed: t.Exposed, Close: t.Close,
		})
	}
	return out
}

// exposureJSON is one exposed person of the live tracing query: no name.
type exposureJSON struct {
	PersonID    int64              `json:"person_id"`
	OverlapMS   int64              `json:"overlap_ms"`
	Visits      int                `json:"visits"`
	SameVehicle bool               `json:"same_vehicle"`
	FirstAt     time.Time          `json:"first_at"`
	Class       ravao.ContactClass `json:"class"`
}

// tracedContactJSON is a contact on the worked list, without name or phone.
type tracedContactJSON struct {
	ID             int64                    `json:"id"`
	CaseID         int64                    `json:"case_id"`
	PersonID       int64                    `json:"person_id"`
	Degree         int                      `json:"degree"`
	ViaContactID   int64                    `json:"via_contact_id"`
	Class          ravao.ContactClass       `json:"class"`
	OverlapMS      int64                    `json:"overlap_ms"`
	Visits         int                      `json:"visits"`
	SameVehicle    bool                     `json:"same_vehicle"`
	FirstAt        time.Time                `json:"first_at"`
	Status         ravao.ContactStatus      `json:"status"`
	AssigneeID     int64                    `json:"assignee_id"`
	AssigneeName   string                   `json:"assignee_name"`
	PromotedCaseID int64                    `json:"promoted_case_id"`
	Notified       ravao.NotificationStatus `json:"notified"`
	CreatedAt      time.Time                `json:"created_at"`
	UpdatedAt      time.Time                `json:"updated_at"`
}

func contactOut(cv tracing.ContactView) tracedContactJSON {
	c := cv.Contact
	return tracedContactJSON{
		ID: c.ID, CaseID: c.CaseID, PersonID: c.PersonID, Degree: c.Degree, ViaContactID: c.ViaContactID, Class: c.Class,
		OverlapMS: c.Overlap.Milliseconds(), Visits: c.Visits, SameVehicle: c.SameVehicle, FirstAt: c.FirstAt,
		Status: c.Status, AssigneeID: c.AssigneeID, AssigneeName: cv.AssigneeName, PromotedCaseID: c.PromotedCaseID,
		Notified: cv.Notified, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// tracedContactListJSON is a contact of the worked list with the person in
// clear: the one answer of the API that names contacts.
type tracedContactListJSON struct {
	tracedContactJSON
	Person personViewJSON `json:"person"`
	Via    string         `json:"via"`
}

// eventJSON is one step of a contact's history.
type eventJSON struct {
	ID         int64               `json:"id"`
	At         time.Time           `json:"at"`
	UserID     int64               `json:"user_id"`
	UserName   string              `json:"user_name"`
	Status     ravao.ContactStatus `json:"status"`
	AssigneeID int64               `json:"assignee_id"`
	Note       string              `json:"note"`
}

// exportJSON is an export, without its file.
type exportJSON struct {
	ID          int64              `json:"id"`
	CaseID      int64              `json:"case_id"`
	Format      string             `json:"format"`
	Rows        int                `json:"rows"`
	Reason      string             `json:"reason"`
	Status      ravao.ExportStatus `json:"status"`
	RequestedBy int64              `json:"requested_by"`
	ApprovedBy  int64              `json:"approved_by"`
	ApprovedAt  *time.Time         `json:"approved_at"`
	CreatedAt   time.Time          `json:"created_at"`
}

func exportOut(x ravao.Export) exportJSON {
	return exportJSON{
		ID: x.ID, CaseID: x.CaseID, Format: x.Format, Rows: x.Rows, Reason: x.Reason, Status: x.Status,
		RequestedBy: x.RequestedBy, ApprovedBy: x.ApprovedBy, ApprovedAt: optTime(x.ApprovedAt), CreatedAt: x.CreatedAt,
	}
}

// apiFields renames the fields of the service's field errors to the names
// the API's bodies use; other errors pass unchanged.
func apiFields(err error, names map[string]string) error {
	var e *ravao.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make(map[string]string, len(e.Fields))
	for field, key := range e.Fields {
		if n, ok := names[field]; ok {
			field = n
		}
		out.Fields[field] = key
	}
	return &out
}
