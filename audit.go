package ravao

import "time"

// AuditEvent records a privileged action or a read of personal data: who,
// in which role, did what to which record, why, and when. It never holds a
// personal value: ObjectID is an opaque id, never a phone or a name.
type AuditEvent struct {
	ID         int64
	At         time.Time
	UserID     int64 // 0 for the system or an anonymous visitor
	Role       Role
	Action     string // e.g. "user.create", "person.read"
	ObjectType string
	ObjectID   string
	Reason     string
	RequestID  string
	// Seq, PrevHash and Hash are the event's place in the audit chain,
	// set once by the sealer after the event's transaction committed
	// (package auditlog): Seq counts sealed events from 1 without a gap,
	// PrevHash is the hash of the event sealed before (32 zero bytes for
	// the first), Hash the keyed hash of PrevHash and the event's fields.
	// Seq is 0 and both hashes nil until the event is sealed.
	Seq      int64
	PrevHash []byte
	Hash     []byte
}

// Sealed reports whether the event is in the audit chain yet.
func (e AuditEvent) Sealed() bool { return e.Seq != 0 }

// AuditSeal places one event in the audit chain: the event ID, the next
// sequence number, the previous event's hash and the event's own.
type AuditSeal struct {
	ID       int64
	Seq      int64
	PrevHash []byte
	Hash     []byte
}

// Validate checks an audit event before it is stored.
func (e AuditEvent) Validate() error {
	fe := FieldErrors{}
	if e.Action == "" || len(e.Action) > 64 {
		fe.Add("action", "err.required")
	}
	if len(e.ObjectType) > 64 || len(e.ObjectID) > 64 || len(e.Reason) > 2000 || len(e.RequestID) > 64 {
		fe.Add("audit", "err.too_long")
	}
	return fe.Err()
}

// AuditFilter selects audit events, newest (highest ID) first. Zero
// fields select everything.
type AuditFilter struct {
	UserID     int64
	Action     string   // one action
	Actions    []string // any of these actions (with Action, either)
	ObjectType string
	ObjectID   string
	Since      time.Time // inclusive
	Until      time.Time // exclusive
	BeforeID   int64     // only events with a lower ID: the next page
	Limit      int
}
