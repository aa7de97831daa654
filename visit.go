package ravao

import (
	"context"
	"time"
	"unicode/utf8"
)

// Decision is the colour a check-in gets at the gate.
type Decision string

// The decisions.
const (
	Green  Decision = "green"  // go in
	Yellow Decision = "yellow" // no valid declaration: declare on the spot
	Red    Decision = "red"    // send to the health desk
)

// Decide gives the decision for a person from their latest declaration and
// whether they are isolated as a case or contact.
func Decide(latest *Declaration, isolated bool, now time.Time, validity time.Duration) Decision {
	switch {
	case isolated:
		return Red
	case latest == nil || !latest.ValidFor(now, validity):
		return Yellow
	case latest.Risk:
		return Red
	}
	return Green
}

// VisitSource says how a check-in reached Ravao.
type VisitSource string

// The visit sources.
const (
	SourceSelf VisitSource = "self" // the visitor scanned the poster
	SourceGate VisitSource = "gate" // staff scanned the visitor
	SourceSync VisitSource = "sync" // a gate's offline queue, synced later
	SourceAPI  VisitSource = "api"
)

// Visit is one stay of one person at one venue, entered through a
// checkpoint. OutAt is zero while the person is inside.
type Visit struct {
	ID             int64
	PersonID       int64
	VenueID        int64
	CheckpointID   int64
	InAt           time.Time
	OutAt          time.Time
	OutReason      string // "tap", "auto", "gate"
	Decision       Decision
	Source         VisitSource
	IdempotencyKey string // unique when set; a retry with the same key finds the first visit
	CreatedAt      time.Time
}

// Validate checks a visit before it is stored.
func (v Visit) Validate() error {
	fe := FieldErrors{}
	if v.PersonID <= 0 {
		fe.Add("person", "err.required")
	}
	if v.VenueID <= 0 || v.CheckpointID <= 0 {
		fe.Add("checkpoint", "err.required")
	}
	if v.InAt.IsZero() {
		fe.Add("in_at", "err.required")
	}
	if !v.OutAt.IsZero() && v.OutAt.Before(v.InAt) {
		fe.Add("out_at", "err.out_before_in")
	}
	switch v.Decision {
	case Green, Yellow, Red:
	default:
		fe.Add("decision", "err.decision")
	}
	switch v.Source {
	case SourceSelf, SourceGate, SourceSync, SourceAPI:
	default:
		fe.Add("source", "err.source")
	}
	if len(v.IdempotencyKey) > 128 || !utf8.ValidString(v.IdempotencyKey) {
		fe.Add("idempotency_key", "err.idempotency_key")
	}
	return fe.Err()
}

// VisitWriter is the one path by which check-ins reach the store. Callers
// (visitor pages, gates, the API, offline sync) hand it a visit and get an
// answer only once the visit is durable. Today each call commits on its own;
// the Performance work will collect concurrent calls into one durable
// transaction behind this same method.
type VisitWriter struct {
	Store Store
}

// Record validates v and stores it durably, setting v.ID. When v carries an
// idempotency key already stored, v is replaced by the stored visit and
// Record reports existed=true.
func (w *VisitWriter) Record(ctx context.Context, v *Visit) (existed bool, err error) {
	if err := v.Validate(); err != nil {
		return false, err
	}
	err = w.Store.Update(ctx, func(tx Tx) error {
		if v.IdempotencyKey != "" {
			prior, err := tx.VisitByIdempotencyKey(v.IdempotencyKey)
			if err == nil {
				*v, existed = prior, true
				return nil
			}
			if !IsNotFound(err) {
				return err
			}
		}
		return tx.InsertVisits([]*Visit{v})
	})
	return existed, err
}

// Case is a confirmed or suspected infection under investigation.
type Case struct {
	ID         int64
	PersonID   int64
	UnitCode   string // the unit whose health officials work it
	Reason     string
	WindowFrom time.Time
	WindowTo   time.Time
	Open       bool
	CreatedBy  int64
	CreatedAt  time.Time
}
