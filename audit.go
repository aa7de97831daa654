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

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	UserID     int64
	Action     string
	ObjectType string
	ObjectID   string
	Since      time.Time
	Until      time.Time
	Limit      int
}
