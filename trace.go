package ravao

import (
	"cmp"
	"slices"
	"time"
	"unicode/utf8"
)

// TraceSettings are the thresholds of contact tracing. The deployment sets
// defaults; each case keeps its own copy, which its officials may change.
type TraceSettings struct {
	// Buffer extends the case's stay after they leave: someone who came in
	// within it breathed the same air (30 minutes).
	Buffer time.Duration
	// OpenWindow is the rule when either visit has no real check-out (none,
	// or closed automatically): the two check-ins within ± OpenWindow of
	// each other are an exposure (60 minutes, as PC-Covid did).
	OpenWindow time.Duration
	// MinOverlap drops pairs whose overlap is shorter (0: any).
	MinOverlap time.Duration
	// CloseAfter is the total overlap that makes a close contact (15
	// minutes); people on the same vehicle are close whatever the overlap.
	CloseAfter time.Duration
	// WindowBefore is how long before symptom onset, or the positive test,
	// a new case's infectious window begins (two days).
	WindowBefore time.Duration
}

// DefaultTraceSettings are the thresholds of the Ministry of Health's
// guidance as PC-Covid applied them.
func DefaultTraceSettings() TraceSettings {
	return TraceSettings{
		Buffer: 30 * time.Minute, OpenWindow: time.Hour, MinOverlap: 0,
		CloseAfter: 15 * time.Minute, WindowBefore: 48 * time.Hour,
	}
}

// Validate checks the thresholds: none negative, none absurd, all whole
// milliseconds as the stores keep them.
func (s TraceSettings) Validate() error {
	fe := FieldErrors{}
	check := func(field string, d, max time.Duration) {
		if d < 0 || d > max || d%time.Millisecond != 0 {
			fe.Add(field, "err.trace_setting")
		}
	}
	check("buffer", s.Buffer, 24*time.Hour)
	check("open_window", s.OpenWindow, 24*time.Hour)
	check("min_overlap", s.MinOverlap, 24*time.Hour)
	check("close_after", s.CloseAfter, 24*time.Hour)
	check("window_before", s.WindowBefore, 30*24*time.Hour)
	return fe.Err()
}

// Stay is a visit as tracing sees it: when the person came in and, when
// they really checked out (by tap, at a gate, or by entering another
// venue), when they left. Out is zero when nobody knows: no check-out, or
// one made automatically at the venue's default time.
type Stay struct {
	In, Out time.Time
}

// StayOf is the stay a visit records.
func StayOf(v Visit) Stay {
	if v.OutAt.IsZero() || v.OutReason == OutAuto {
		return Stay{In: v.InAt}
	}
	return Stay{In: v.InAt, Out: v.OutAt}
}

// Exposure says whether someone whose stay was o was exposed to a case
// whose stay was c at the same venue, and for how long. Arithmetic is in
// whole milliseconds, as the stores compute it:
//
//   - both checked out: the overlap of [c.In, c.Out+Buffer] with
//     [o.In, o.Out]; an exposure when it is longer than zero;
//   - either without a check-out: OpenWindow − |o.In − c.In|; an exposure
//     when the check-ins are at most OpenWindow apart (the overlap of two
//     stays of OpenWindow that began at those times).
//
// Either way a pair whose overlap is shorter than MinOverlap is not one.
func Exposure(c, o Stay, s TraceSettings) (overlap time.Duration, exposed bool) {
	cin, oin := c.In.UnixMilli(), o.In.UnixMilli()
	var ms int64
	if !c.Out.IsZero() && !o.Out.IsZero() {
		ms = min(c.Out.UnixMilli()+s.Buffer.Milliseconds(), o.Out.UnixMilli()) - max(cin, oin)
		exposed = ms > 0
	} else {
		d := oin - cin
		if d < 0 {
			d = -d
		}
		ms = s.OpenWindow.Milliseconds() - d
		exposed = ms >= 0
	}
	if !exposed || ms < s.MinOverlap.Milliseconds() {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

// ExposureQuery asks for the exposures to one person's visits: a case's,
// or a contact's for the second degree.
type ExposureQuery struct {
	PersonID int64
	// From and To bound the infectious window: the person's visits whose
	// stay overlaps [From, To) count, whole. A zero To is open-ended.
	From, To time.Time
	Settings TraceSettings
}

// ExposurePair is one exposure: another person's visit at the same venue
// as one of the index person's visits, as Exposure judges it.
type ExposurePair struct {
	IndexVisitID int64 // the index person's visit
	VisitID      int64 // the exposed person's visit
	PersonID     int64 // the exposed person
	VenueID      int64
	CheckpointID int64 // where the exposed person came in
	In           time.Time
	Out          time.Time // zero when no real check-out
	Overlap      time.Duration
	// SameVehicle is set when both came in through the same checkpoint and
	// it is a vehicle: always a close contact.
	SameVehicle bool
}

// ContactClass says how close a contact was.
type ContactClass string

// The contact classes.
const (
	ContactClose    ContactClass = "close"    // F1: overlap of at least CloseAfter, or the same vehicle
	ContactPossible ContactClass = "possible" // exposed, for less
)

// ContactSummary is one exposed person, over all the index person's
// visits.
type ContactSummary struct {
	PersonID    int64
	Overlap     time.Duration // total over the pairs
	Visits      int           // how many pairs
	SameVehicle bool
	FirstAt     time.Time // the earliest check-in among the pairs
	Class       ContactClass
}

// RankContacts folds exposure pairs into one summary per person, ranked
// by total overlap (longest first), then by person ID so that the order is
// the same on every engine.
func RankContacts(pairs []ExposurePair, s TraceSettings) []ContactSummary {
	byPerson := map[int64]int{}
	var out []ContactSummary
	for _, p := range pairs {
		i, ok := byPerson[p.PersonID]
		if !ok {
			i = len(out)
			byPerson[p.PersonID] = i
			out = append(out, ContactSummary{PersonID: p.PersonID, FirstAt: p.In})
		}
		c := &out[i]
		c.Overlap += p.Overlap
		c.Visits++
		c.SameVehicle = c.SameVehicle || p.SameVehicle
		if p.In.Before(c.FirstAt) {
			c.FirstAt = p.In
		}
	}
	for i := range out {
		out[i].Class = ContactPossible
		if out[i].SameVehicle || out[i].Overlap >= s.CloseAfter {
			out[i].Class = ContactClose
		}
	}
	slices.SortFunc(out, func(a, b ContactSummary) int {
		return cmp.Or(cmp.Compare(b.Overlap, a.Overlap), cmp.Compare(a.PersonID, b.PersonID))
	})
	return out
}

// CaseStatus says whether a case is being worked.
type CaseStatus string

// The case statuses.
const (
	CaseOpen   CaseStatus = "open"
	CaseClosed CaseStatus = "closed"
)

// Case is a confirmed or suspected infection under investigation (F0).
// While it is open the person is isolated: gates show red.
type Case struct {
	ID       int64
	PersonID int64
	UnitCode string // the unit whose health officials work it
	UnitPath string // its ancestors' codes and its own, "01/001/00001/"
	Reason   string // why it was opened; every audit event of the case repeats it
	// Onset is the symptom onset or the positive test; the window's
	// default start is Onset less WindowBefore.
	Onset      time.Time
	WindowFrom time.Time
	WindowTo   time.Time // zero: until isolation, still open
	Settings   TraceSettings
	Status     CaseStatus
	// SourceContactID is the contact this case was promoted from (F1 →
	// F0); 0 when it was opened directly.
	SourceContactID int64
	CreatedBy       int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClosedAt        time.Time
}

// Validate checks a case before it is stored.
func (c Case) Validate() error {
	fe := FieldErrors{}
	if c.PersonID == 0 {
		fe.Add("person", "err.required")
	}
	if !validUnitCode(c.UnitCode) || c.UnitPath == "" {
		fe.Add("unit", "err.unit_code")
	}
	validText(fe, "reason", c.Reason, 500, true)
	if c.WindowFrom.IsZero() {
		fe.Add("window_from", "err.required")
	}
	if !c.WindowTo.IsZero() && !c.WindowTo.After(c.WindowFrom) {
		fe.Add("window_to", "err.window_order")
	}
	if !c.WindowTo.IsZero() && c.WindowTo.Sub(c.WindowFrom) > 60*24*time.Hour {
		fe.Add("window_to", "err.window_long")
	}
	fe.Merge(c.Settings.Validate())
	switch c.Status {
	case CaseOpen, CaseClosed:
	default:
		fe.Add("status", "err.case_status")
	}
	return fe.Err()
}

// validText checks a free-text field: valid UTF-8, at most max bytes, not
// blank when required.
func validText(fe FieldErrors, field, s string, max int, required bool) {
	switch {
	case required && s == "":
		fe.Add(field, "err.required")
	case len(s) > max || !utf8.ValidString(s):
		fe.Add(field, "err.too_long")
	}
}

// CaseFilter selects cases, newest first.
type CaseFilter struct {
	UnitPath string // cases whose UnitPath begins with it; "" for all
	PersonID int64
	Status   CaseStatus // "" for any
	AfterID  int64      // cases with a smaller ID (the next page)
	Limit    int
}

// ContactStatus is where a contact is in the tracing team's work.
type ContactStatus string

// The contact statuses, in the order the work usually goes.
const (
	ContactNew         ContactStatus = "new"
	ContactCalled      ContactStatus = "called"
	ContactIsolating   ContactStatus = "isolating"
	ContactNegative    ContactStatus = "tested_negative"
	ContactPositive    ContactStatus = "tested_positive"
	ContactUnreachable ContactStatus = "unreachable"
)

// ContactStatuses lists every status.
var ContactStatuses = []ContactStatus{ContactNew, ContactCalled, ContactIsolating, ContactNegative, ContactPositive, ContactUnreachable}

// Valid reports whether s is a known status.
func (s ContactStatus) Valid() bool { return slices.Contains(ContactStatuses, s) }

// Isolates reports whether a contact in this status is kept out by the
// gates (red).
func (s ContactStatus) Isolates() bool { return s == ContactIsolating || s == ContactPositive }

// Contact is one exposed person on a case's worked list. A person is on a
// case's list once, whatever the number of shared visits.
type Contact struct {
	ID       int64
	CaseID   int64
	PersonID int64
	// Degree is 1 for the case's own contacts (F1), 2 for contacts of a
	// contact (F2), found by expanding from ViaContactID.
	Degree       int
	ViaContactID int64
	Class        ContactClass
	Overlap      time.Duration
	Visits       int
	SameVehicle  bool
	FirstAt      time.Time
	Status       ContactStatus
	AssigneeID   int64 // the official calling them; 0 for nobody yet
	// PromotedCaseID is the case opened when the contact tested positive.
	PromotedCaseID int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ContactEvent is one step of a contact's history: a status change, an
// assignment, a note. The note is personal (health) data and is sealed.
type ContactEvent struct {
	ID         int64
	ContactID  int64
	At         time.Time
	UserID     int64
	Status     ContactStatus // the status after the event
	AssigneeID int64         // the assignee after the event
	Note       []byte        // sealed; nil when none
}

// ExportStatus says whether an export may be downloaded.
type ExportStatus string

// The export statuses.
const (
	ExportPending ExportStatus = "pending" // above the size limit: waits for a second official
	ExportReady   ExportStatus = "ready"
)

// Export is a file of a case's contacts, made once at the request and kept
// sealed until it is downloaded.
type Export struct {
	ID          int64
	CaseID      int64
	Format      string // "csv" or "xlsx"
	Rows        int
	Reason      string
	Status      ExportStatus
	RequestedBy int64
	ApprovedBy  int64
	ApprovedAt  time.Time
	Sealed      []byte // the file
	CreatedAt   time.Time
}

// Severity is how strongly an exposure window asks visitors to act.
type Severity string

// The severities.
const (
	SeverityHigh Severity = "high" // isolate and get tested
	SeverityLow  Severity = "low"  // watch for symptoms
)

// ExposureWindow is a time at a venue (or one of its checkpoints) when a
// case was there, published so that visitors' phones can match their own
// history. It holds no personal data.
type ExposureWindow struct {
	ID           int64
	VenueID      int64
	CheckpointID int64 // 0: the whole venue
	From, To     time.Time
	Severity     Severity
	MessageVI    string
	MessageEN    string
	CaseID       int64 // the case it was published from; 0 when by hand
	CreatedBy    int64
	CreatedAt    time.Time
	WithdrawnAt  time.Time // the kill switch; zero while current
}

// Validate checks a window before it is stored.
func (w ExposureWindow) Validate() error {
	fe := FieldErrors{}
	if w.VenueID <= 0 {
		fe.Add("venue", "err.required")
	}
	if w.From.IsZero() {
		fe.Add("from", "err.required")
	}
	if w.To.IsZero() || !w.To.After(w.From) {
		fe.Add("to", "err.window_order")
	} else if w.To.Sub(w.From) > 7*24*time.Hour {
		fe.Add("to", "err.window_long")
	}
	switch w.Severity {
	case SeverityHigh, SeverityLow:
	default:
		fe.Add("severity", "err.severity")
	}
	validText(fe, "message_vi", w.MessageVI, 500, false)
	validText(fe, "message_en", w.MessageEN, 500, false)
	return fe.Err()
}

// ExposureWindowFilter selects windows, by start, newest first.
type ExposureWindowFilter struct {
	EndsAfter        time.Time // windows whose To is after it; zero for any
	VenueID          int64
	CaseID           int64
	IncludeWithdrawn bool
	Limit            int
}

// NotificationStatus is where a message to a contact is.
type NotificationStatus string

// The notification statuses.
const (
	NotifyQueued NotificationStatus = "queued"
	NotifySent   NotificationStatus = "sent"
	NotifyFailed NotificationStatus = "failed" // gave up after the last attempt
)

// Notification is a message queued for a contact (an SMS telling a close
// contact to isolate). It holds no phone: the sender opens the person's
// sealed record when it sends.
type Notification struct {
	ID        int64
	ContactID int64
	PersonID  int64
	Status    NotificationStatus
	Attempts  int
	LastError string // a message key or a short gateway error, never personal data
	NextAt    time.Time
	CreatedAt time.Time
	SentAt    time.Time
}

// PersonTracing is what tracing holds against a person right now.
type PersonTracing struct {
	OpenCase    bool // the person is an open case
	OpenContact bool // the person is a contact on an open case
	Isolated    bool // gates show red: an open case, or a contact isolating or positive
}
