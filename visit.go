package ravao

import (
	"bytes"
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

// PersonDecision is Decide for a stored person: their latest declaration,
// and whether tracing isolates them (an open case, or a contact isolating
// or tested positive).
func PersonDecision(tx Tx, personID int64, now time.Time, validity time.Duration) (Decision, error) {
	tr, err := tx.PersonTracing(personID)
	if err != nil {
		return "", err
	}
	latest, err := tx.LatestDeclaration(personID)
	if IsNotFound(err) {
		return Decide(nil, tr.Isolated, now, validity), nil
	}
	if err != nil {
		return "", err
	}
	return Decide(&latest, tr.Isolated, now, validity), nil
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
	// RequestHash is a hash of the request that created the visit under
	// IdempotencyKey, so that the same key with another body is refused.
	RequestHash []byte
	// DueAt is when the visit is checked out automatically if nobody does:
	// the earliest of the venue's default stay, its closing time and 24
	// hours. Zero for visits that are never closed automatically.
	DueAt     time.Time
	CreatedAt time.Time
}

// VenueCounts is what a gate shows of its venue today.
type VenueCounts struct {
	In     int `json:"in"`     // entries today
	Out    int `json:"out"`    // exits today
	Inside int `json:"inside"` // visits open now
}

// The ways a visit ends (Visit.OutReason).
const (
	OutTap  = "tap"  // the visitor tapped check-out
	OutAuto = "auto" // closed automatically at DueAt
	OutGate = "gate" // scanned out at a gate
	OutMove = "move" // superseded: the person entered another venue
)

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
// Record reports existed=true; when the stored visit was made by another
// request (RequestHash differs), it is refused with Mismatch.
func (w *VisitWriter) Record(ctx context.Context, v *Visit) (existed bool, err error) {
	return w.RecordWith(ctx, v, nil)
}

// Prepare runs inside the check-in's transaction before the insert, after
// the idempotency check: it may change v (its due time, its decision), do
// related writes (a declaration, closing the person's visit elsewhere), or
// replace v by a visit already open and return done to skip the insert.
type Prepare func(tx Tx, v *Visit) (done bool, err error)

// RecordWith is Record with a Prepare step in the same transaction, so a
// check-in and what it implies commit together or not at all.
func (w *VisitWriter) RecordWith(ctx context.Context, v *Visit, prepare Prepare) (existed bool, err error) {
	if err := v.Validate(); err != nil {
		return false, err
	}
	fresh := *v
	err = w.Store.Update(ctx, func(tx Tx) error {
		*v, existed = fresh, false // the store may run this more than once
		if v.IdempotencyKey != "" {
			prior, err := tx.VisitByIdempotencyKey(v.IdempotencyKey)
			if err == nil {
				if len(v.RequestHash) > 0 && !bytes.Equal(prior.RequestHash, v.RequestHash) {
					return Errorf(Mismatch, "err.idempotency_mismatch")
				}
				*v, existed = prior, true
				return nil
			}
			if !IsNotFound(err) {
				return err
			}
		}
		if prepare != nil {
			done, err := prepare(tx, v)
			if err != nil || done {
				existed = done
				return err
			}
			if err := v.Validate(); err != nil {
				return err
			}
		}
		return tx.InsertVisits([]*Visit{v})
	})
	return existed, err
}

// MaxStay bounds every visit: one not checked out within a day is closed.
const MaxStay = 24 * time.Hour

// DueAt is when a visit to v that began at in is checked out if nobody
// does: after the venue's default stay, at its next closing time (in loc,
// the deployment's time zone), and never later than MaxStay after in.
func DueAt(in time.Time, v Venue, loc *time.Location) time.Time {
	due := in.Add(MaxStay)
	if v.DefaultStay > 0 && in.Add(v.DefaultStay).Before(due) {
		due = in.Add(v.DefaultStay)
	}
	if v.ClosesAt > 0 {
		local := in.In(loc)
		closing := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc).Add(v.ClosesAt)
		if !closing.After(local) {
			closing = time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).Add(v.ClosesAt)
		}
		if closing.Before(due) {
			due = closing
		}
	}
	return due.UTC()
}

// LeaveOthers closes a person's open visits at venues other than venueID
// at at (OutMove): nobody is in two places at once.
func LeaveOthers(tx Tx, personID, venueID int64, at time.Time) error {
	open, err := tx.OpenVisits(personID)
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.VenueID == venueID {
			continue
		}
		if err := tx.CheckOutVisit(o.ID, at, OutMove); err != nil && ErrorCode(err) != Conflict {
			return err
		}
	}
	return nil
}
