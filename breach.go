package ravao

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// NotifyWithin is how long after a personal data breach is discovered
// the authority (A05, Ministry of Public Security) must be notified:
// 72 hours (Law 91/2025, Decree 356/2025).
const NotifyWithin = 72 * time.Hour

// BreachStatus is where a breach stands in the register.
type BreachStatus string

// The breach statuses. A breach moves forward only: open, then notified
// (the authority has the report), then closed; an open breach may be
// closed without a notification (assessed as not notifiable).
const (
	BreachOpen     BreachStatus = "open"
	BreachNotified BreachStatus = "notified"
	BreachClosed   BreachStatus = "closed"
)

// BreachStatuses lists the statuses in the order a breach goes through them.
var BreachStatuses = []BreachStatus{BreachOpen, BreachNotified, BreachClosed}

// Valid reports whether s is a known status.
func (s BreachStatus) Valid() bool { return slices.Contains(BreachStatuses, s) }

// CanBecome reports whether a breach in status s may move to next: staying
// put or going forward, never back (a closed breach stays closed).
func (s BreachStatus) CanBecome(next BreachStatus) bool {
	if !s.Valid() || !next.Valid() {
		return false
	}
	return slices.Index(BreachStatuses, next) >= slices.Index(BreachStatuses, s)
}

// BreachDataKinds are the kinds of personal data a breach may expose, as
// the register and the notification name them.
var BreachDataKinds = []string{"name", "phone", "id_number", "health_declaration", "visit_history", "location", "other"}

// Breach is one personal data breach in the data-protection officer's
// register. Title, dates, data kinds, counts and statuses are kept in
// clear: they say nothing about a person. The officer's free text (What,
// Place, Measures, Consequences, LateReason) may name people, so the
// store keeps it only in Sealed; the breaches service seals it on write
// and opens it into the clear fields on read.
type Breach struct {
	ID    int64
	Title string // a short label without personal data

	What         string // description of the breach
	Place        string // where it happened (a system, an office, a venue)
	Measures     string // measures taken and proposed
	Consequences string // likely consequences for the people concerned
	LateReason   string // why the authority was notified after 72 hours
	Sealed       []byte // the five fields above, sealed

	OccurredAt     time.Time // when it happened; zero when unknown
	FoundAt        time.Time // when it was discovered: the 72 hours start here
	DataKinds      []string  // from BreachDataKinds
	PeopleAffected int       // an estimate
	Status         BreachStatus
	NotifiedAt     time.Time // when the authority was notified
	AuthorityRef   string    // the authority's reference for the notification
	PeopleListedAt time.Time // when the affected people were last listed for notification
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Deadline is when the authority must have been notified: 72 hours after
// the breach was discovered.
func (b Breach) Deadline() time.Time { return b.FoundAt.Add(NotifyWithin) }

// Late reports whether the authority was (or, when not yet notified at
// now, will be) notified after the deadline.
func (b Breach) Late(now time.Time) bool {
	if !b.NotifiedAt.IsZero() {
		return b.NotifiedAt.After(b.Deadline())
	}
	return now.After(b.Deadline())
}

// Validate checks a breach in clear before it is sealed and stored.
func (b Breach) Validate() error {
	fe := FieldErrors{}
	if t := strings.TrimSpace(b.Title); t == "" || t != b.Title {
		fe.Add("title", "err.required")
	} else if utf8.RuneCountInString(b.Title) > 200 || !utf8.ValidString(b.Title) {
		fe.Add("title", "err.too_long")
	}
	validText(fe, "what", b.What, 10000, true)
	validText(fe, "place", b.Place, 1000, false)
	validText(fe, "measures", b.Measures, 10000, false)
	validText(fe, "consequences", b.Consequences, 10000, false)
	validText(fe, "late_reason", b.LateReason, 2000, false)
	if b.FoundAt.IsZero() {
		fe.Add("found_at", "err.required")
	}
	if !b.OccurredAt.IsZero() && b.OccurredAt.After(b.FoundAt) {
		fe.Add("occurred_at", "err.breach_occurred_after")
	}
	if len(b.DataKinds) == 0 {
		fe.Add("data_kinds", "err.required")
	}
	for i, k := range b.DataKinds {
		if !slices.Contains(BreachDataKinds, k) || slices.Contains(b.DataKinds[:i], k) {
			fe.Add("data_kinds", "err.breach_data_kind")
		}
	}
	if b.PeopleAffected < 0 || b.PeopleAffected > 1_000_000_000 {
		fe.Add("people_affected", "err.breach_people")
	}
	if !b.Status.Valid() {
		fe.Add("status", "err.breach_status")
	}
	if (b.Status == BreachNotified) && b.NotifiedAt.IsZero() {
		fe.Add("notified_at", "err.required")
	}
	if !b.NotifiedAt.IsZero() && !b.FoundAt.IsZero() && b.NotifiedAt.Before(b.FoundAt) {
		fe.Add("notified_at", "err.breach_notified_before")
	}
	if len(b.AuthorityRef) > 100 || !utf8.ValidString(b.AuthorityRef) {
		fe.Add("authority_ref", "err.too_long")
	}
	return fe.Err()
}

// BreachEvent is one step of a breach's history: recorded, changed,
// notified, closed, its people listed, its report made. It holds no free
// text.
type BreachEvent struct {
	ID       int64
	BreachID int64
	At       time.Time
	UserID   int64
	Action   string       // "recorded", "updated", "notified", "closed", "people_listed", "report"
	Status   BreachStatus // the status after the event
}

// BreachFilter selects breaches, by discovery time then ID (the order of
// their deadlines).
type BreachFilter struct {
	Status BreachStatus // "" for any
	Limit  int
}

// AffectedQuery selects the people a breach may concern, by exactly one
// criterion: visits at VenueIDs overlapping [From, To); declarations made
// in [From, To) (Declarations set); or people whose home unit is UnitCode.
type AffectedQuery struct {
	VenueIDs     []int64
	Declarations bool
	UnitCode     string
	From, To     time.Time
	AfterID      int64 // people with a greater ID (the next page)
	Limit        int
}
