package tracing

// The exported surface of the service, stubbed until each part lands.
// Each helper moves the types and methods it implements into its own file
// and deletes them here; when this file is empty it goes.

import (
	"context"
	"time"

	"github.com/ravao/ravao"
)

func errNotYet() error { return ravao.Errorf(ravao.Unavailable, "err.unavailable") }

// ---- cases.go, contacts.go, exports.go (cases helper) ----

// OpenCase is what a health official gives to open a case. The person is
// named by exactly one of PersonID (from POST /api/v1/people/lookup),
// Phone, IDNumber or PersonalQR (a scanned personal QR code or card),
// always through the keyed lookups.
type OpenCase struct {
	PersonID   int64
	Phone      string
	IDNumber   string
	PersonalQR string
	Reason     string
	// UnitCode is the unit that works the case; it must be in the
	// official's scope. Empty: the official's own unit when they have one.
	UnitCode string
	// Onset is the symptom onset or positive test; zero is now.
	Onset time.Time
	// WindowFrom defaults to Onset less Settings.WindowBefore; WindowTo
	// to open-ended (until isolation).
	WindowFrom, WindowTo time.Time
	// Settings are the case's thresholds; nil: the deployment's.
	Settings *ravao.TraceSettings
}

// PersonView is a person in clear, shown only inside a case.
type PersonView struct {
	ID        int64
	FullName  string
	Phone     string
	BirthYear int
	UnitCode  string
}

// CaseRow is a case in a list: the person's name masked.
type CaseRow struct {
	Case       ravao.Case
	MaskedName string
	Contacts   int // on the worked list
}

// CaseView is a case as its officials see it: the person in clear and the
// timeline of the case's visits in the window.
type CaseView struct {
	Case     ravao.Case
	Person   PersonView
	Timeline []TimelineVisit
	Source   *ravao.Contact // the contact it was promoted from, if any
}

// TimelineVisit is one of the case's visits, with how many people it
// exposed (computed with the case's settings).
type TimelineVisit struct {
	Visit          ravao.Visit
	VenueName      string
	VenueType      ravao.VenueType
	VenueUnit      string
	CheckpointName string
	CheckpointKind ravao.CheckpointKind
	Exposed        int // people exposed at this visit
	Close          int // of whom close contacts (after ranking over all visits)
}

// CaseUpdate changes a case; nil fields are left alone. Changing the
// window or the settings traces again.
type CaseUpdate struct {
	Reason     *string
	Onset      *time.Time
	WindowFrom *time.Time
	WindowTo   *time.Time // a zero time: open-ended
	Settings   *ravao.TraceSettings
	Close      bool
}

// Traced says what a tracing run changed on the worked list.
type Traced struct {
	Found int // contacts found by the run
	Added int // of which new on the list
}

// ContactView is a contact on the worked list, in clear.
type ContactView struct {
	Contact      ravao.Contact
	Person       PersonView
	AssigneeName string
	Via          string                   // for F2: the F1 contact's masked name
	Notified     ravao.NotificationStatus // "" when no message was queued
}

// EventView is one step of a contact's history.
type EventView struct {
	Event    ravao.ContactEvent
	UserName string
	Note     string // opened
}

// ContactUpdate changes a contact; nil fields are left alone. A note is
// added to the history.
type ContactUpdate struct {
	Status     *ravao.ContactStatus
	AssigneeID *int64 // 0 unassigns
	Note       string
}

// Download is an export's file.
type Download struct {
	Name        string // e.g. ravao-case-12-contacts.csv
	ContentType string
	Data        []byte
}

// Open opens a case, marks the person isolated, traces at once and stores
// the contacts. Audited "case.open".
func (s *Service) Open(ctx context.Context, actor *ravao.Principal, in OpenCase) (ravao.Case, Traced, error) {
	return ravao.Case{}, Traced{}, errNotYet()
}

// Cases lists the cases in the actor's scope, newest first. Audited
// "case.list".
func (s *Service) Cases(ctx context.Context, actor *ravao.Principal, f ravao.CaseFilter) ([]CaseRow, error) {
	return nil, errNotYet()
}

// Case shows a case with its timeline. Audited "case.view".
func (s *Service) Case(ctx context.Context, actor *ravao.Principal, id int64) (CaseView, error) {
	return CaseView{}, errNotYet()
}

// Update changes a case (window, settings, reason, closing). Audited
// "case.update" / "case.close".
func (s *Service) Update(ctx context.Context, actor *ravao.Principal, id int64, in CaseUpdate) (ravao.Case, Traced, error) {
	return ravao.Case{}, Traced{}, errNotYet()
}

// Exposures computes the case's contacts now, ranked, without storing
// them: the tracing query. Audited "case.query".
func (s *Service) Exposures(ctx context.Context, actor *ravao.Principal, id int64) ([]ravao.ContactSummary, error) {
	return nil, errNotYet()
}

// Trace computes the contacts again and stores them. Audited "case.trace".
func (s *Service) Trace(ctx context.Context, actor *ravao.Principal, id int64) (Traced, error) {
	return Traced{}, errNotYet()
}

// Contacts lists the worked list in clear. Audited "contacts.view".
func (s *Service) Contacts(ctx context.Context, actor *ravao.Principal, caseID int64) ([]ContactView, error) {
	return nil, errNotYet()
}

// Contact shows one contact with its history. Audited "contact.view".
func (s *Service) Contact(ctx context.Context, actor *ravao.Principal, id int64) (ContactView, []EventView, error) {
	return ContactView{}, nil, errNotYet()
}

// UpdateContact changes a contact's status, assignee or adds a note.
// Audited "contact.update".
func (s *Service) UpdateContact(ctx context.Context, actor *ravao.Principal, id int64, in ContactUpdate) (ContactView, error) {
	return ContactView{}, errNotYet()
}

// Promote opens a case for a contact who tested positive (F1 → F0).
// Audited "contact.promote" and "case.open".
func (s *Service) Promote(ctx context.Context, actor *ravao.Principal, contactID int64, reason string) (ravao.Case, Traced, error) {
	return ravao.Case{}, Traced{}, errNotYet()
}

// Expand traces the second degree from chosen contacts of the case: their
// own contacts join the case's list at degree 2. Audited "case.expand".
func (s *Service) Expand(ctx context.Context, actor *ravao.Principal, caseID int64, contactIDs []int64) (Traced, error) {
	return Traced{}, errNotYet()
}

// RequestExport makes a file of the case's contacts (format "csv" or
// "xlsx") with a reason; above ApprovalRows it waits for a second
// official. Audited "export.request".
func (s *Service) RequestExport(ctx context.Context, actor *ravao.Principal, caseID int64, format, reason string) (ravao.Export, error) {
	return ravao.Export{}, errNotYet()
}

// Exports lists a case's exports.
func (s *Service) Exports(ctx context.Context, actor *ravao.Principal, caseID int64) ([]ravao.Export, error) {
	return nil, errNotYet()
}

// ApproveExport lets a pending export be downloaded; the approver must be
// another official covering the case. Audited "export.approve".
func (s *Service) ApproveExport(ctx context.Context, actor *ravao.Principal, id int64) (ravao.Export, error) {
	return ravao.Export{}, errNotYet()
}

// DownloadExport opens a ready export. Audited "export.download".
func (s *Service) DownloadExport(ctx context.Context, actor *ravao.Principal, id int64) (Download, error) {
	return Download{}, errNotYet()
}

// ---- exposures.go, notify.go (exposures helper) ----

// Publish is an exposure window given by hand.
type Publish struct {
	VenueID      int64
	CheckpointID int64
	From, To     time.Time
	Severity     ravao.Severity
	MessageVI    string
	MessageEN    string
}

// PublishFromCase publishes one window per chosen visit of the case (all
// its visits in the window when VisitIDs is empty): the visit's stay,
// extended by the case's buffer.
type PublishFromCase struct {
	VisitIDs  []int64
	Severity  ravao.Severity
	MessageVI string
	MessageEN string
}

// PublicWindow is a current window as every visitor's phone reads it.
type PublicWindow struct {
	ID           int64             `json:"id"`
	VenueID      int64             `json:"venue_id"`
	CheckpointID int64             `json:"checkpoint_id,omitempty"`
	VenueName    string            `json:"venue_name"`
	From         time.Time         `json:"from"`
	To           time.Time         `json:"to"`
	Severity     ravao.Severity    `json:"severity"`
	Message      map[string]string `json:"message"` // "vi", "en"
}

// PublishWindow publishes a window by hand at a venue in the actor's
// scope. Audited "exposure.publish".
func (s *Service) PublishWindow(ctx context.Context, actor *ravao.Principal, in Publish) (ravao.ExposureWindow, error) {
	return ravao.ExposureWindow{}, errNotYet()
}

// PublishCase publishes windows from a case's visits. Audited
// "exposure.publish".
func (s *Service) PublishCase(ctx context.Context, actor *ravao.Principal, caseID int64, in PublishFromCase) ([]ravao.ExposureWindow, error) {
	return nil, errNotYet()
}

// Withdraw takes a window down (the kill switch). Audited
// "exposure.withdraw".
func (s *Service) Withdraw(ctx context.Context, actor *ravao.Principal, id int64) error {
	return errNotYet()
}

// Windows lists the windows an official manages (in scope), current and
// withdrawn, newest first.
func (s *Service) Windows(ctx context.Context, actor *ravao.Principal, f ravao.ExposureWindowFilter) ([]ravao.ExposureWindow, error) {
	return nil, errNotYet()
}

// Current lists the windows every phone should match: not withdrawn, ended
// within the last 14 days. Public, no personal data.
func (s *Service) Current(ctx context.Context) ([]PublicWindow, error) {
	return nil, errNotYet()
}

// VenueWindows lists the current windows at a venue, for its manager.
func (s *Service) VenueWindows(ctx context.Context, venueID int64) ([]ravao.ExposureWindow, error) {
	return nil, errNotYet()
}

// Notify queues a message to each close contact of the case who has a
// phone and has none queued yet; it returns how many were queued.
// Audited "contacts.notify".
func (s *Service) Notify(ctx context.Context, actor *ravao.Principal, caseID int64) (int, error) {
	return 0, errNotYet()
}

// SendDue sends the queued messages that are due, retrying failures with
// a back-off and giving up after a few attempts.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	return 0, errNotYet()
}
