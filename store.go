package ravao

import (
	"context"
	"time"
)

// Store is Ravao's persistence. The sqlite and postgres packages implement
// it, and one conformance suite (storetest) holds both to the same
// behaviour. A store persists and queries; it does not decide: rules live in
// this package or in the services above the store.
type Store interface {
	// Update runs fn in a read-write transaction and commits it durably:
	// when Update returns nil, what fn wrote is on disk. An error from fn
	// rolls everything back.
	Update(ctx context.Context, fn func(Tx) error) error
	// UpdateEach runs every fn in one read-write transaction, each in its
	// own savepoint, and commits durably once (group commit). A fn's
	// error rolls back only that fn's writes and comes back in its slot
	// of errs. err is the transaction's own failure (begin, commit,
	// retries exhausted): then errs is nil and no fn's writes are kept.
	// The fns may run more than once, in order, and share one Now.
	UpdateEach(ctx context.Context, fns []func(Tx) error) (errs []error, err error)
	// Maintain is Update for maintenance that only touches rows no
	// request writes (the retention purge): the engine may run it at a
	// weaker isolation than SERIALIZABLE, so that its wide scans do not
	// make concurrent check-ins fail.
	Maintain(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Peek runs fn's reads each on its own, outside a transaction: for
	// reads that need no common snapshot. It is cheaper than View, and
	// CheckpointPlace may answer from a cache at most a few seconds old
	// for changes made by another server (at once for this one's). fn
	// must not write.
	Peek(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Tx is one transaction. Now is fixed when the transaction begins, and
// every CreatedAt or UpdatedAt the store fills in is that instant. Lookups
// that find nothing return an error with code NotFound, never a zero value
// and nil. Unique violations return Conflict.
type Tx interface {
	Now() time.Time

	// Settings are small deployment-wide values (the active unit version...).
	Setting(key string) (string, error)
	PutSetting(key, value string) error

	// Units. PutUnits inserts or updates by (Version, Code) and says how
	// many rows were new.
	PutUnits(units []Unit) (inserted int, err error)
	Unit(version, code string) (Unit, error)
	Units(f UnitFilter) ([]Unit, error)
	// UnitAncestors lists the ancestors of a unit from the root down,
	// without the unit itself.
	UnitAncestors(version, code string) ([]Unit, error)
	// UnitCounts returns the number of units per level in a version.
	UnitCounts(version string) (map[int]int, error)
	UnitVersions() ([]string, error)

	// Staff accounts and their roles.
	CreateUser(u *User) error
	User(id int64) (User, error)
	UserByLogin(login string) (User, error)
	Users(f UserFilter) ([]User, error)
	UpdateUser(u *User) error
	AddRole(a *RoleAssignment) error
	Roles(userID int64) ([]RoleAssignment, error)
	DeleteRole(id int64) error

	// Sessions and API tokens, by the hash of their secret.
	CreateSession(s *Session) error
	Session(tokenHash []byte) (Session, error)
	TouchSession(tokenHash []byte, lastSeen time.Time) error
	DeleteSession(tokenHash []byte) error
	DeleteUserSessions(userID int64) (int, error)
	DeleteExpiredSessions(now time.Time) (int, error)
	CreateToken(t *APIToken) error
	TokenByHash(hash []byte) (APIToken, error)
	RevokeUserTokens(userID int64) (int, error)

	// Places.
	CreateOrganisation(o *Organisation) error
	Organisation(id int64) (Organisation, error)
	Organisations(ids []int64) ([]Organisation, error) // in ID order; unknown IDs are skipped
	UpdateOrganisation(o *Organisation) error
	CreateVenue(v *Venue) error
	Venue(id int64) (Venue, error)
	Venues(f VenueFilter) ([]Venue, error)
	// CountVenues counts what Venues would return without Limit and AfterID.
	CountVenues(f VenueFilter) (int, error)
	// UpdateVenue writes every mutable field (not OrganisationID, CreatedAt)
	// and sets UpdatedAt.
	UpdateVenue(v *Venue) error
	CreateCheckpoint(c *Checkpoint) error
	Checkpoint(id int64) (Checkpoint, error)
	// CheckpointPlace is a checkpoint with its venue and the venue's
	// organisation, in one read.
	CheckpointPlace(id int64) (Checkpoint, Venue, Organisation, error)
	// Checkpoints lists by venue then ID.
	Checkpoints(f CheckpointFilter) ([]Checkpoint, error)
	// UpdateCheckpoint writes Name, Kind, Plate, Route, Serial, Revoked and
	// sets UpdatedAt.
	UpdateCheckpoint(c *Checkpoint) error

	// Gate-staff invitations, by the hash of their secret.
	CreateInvitation(i *Invitation) error
	InvitationByHash(hash []byte) (Invitation, error)
	// UseInvitation marks an unused invitation used; Conflict when it was
	// already used.
	UseInvitation(id, userID int64, at time.Time) error

	// One-time phone codes.
	CreatePhoneChallenge(c *PhoneChallenge) error
	PhoneChallengeByHash(hash []byte) (PhoneChallenge, error)
	// UpdatePhoneChallenge writes Attempts and VerifiedAt.
	UpdatePhoneChallenge(c *PhoneChallenge) error
	// CountPhoneChallenges counts challenges for a phone created at or after since.
	CountPhoneChallenges(phoneKey []byte, since time.Time) (int, error)

	// People, sealed. The lookups take keyed HMACs, never clear values.
	CreatePerson(p *PersonRecord) error
	Person(id int64) (PersonRecord, error)
	PersonByPhoneKey(key []byte) (PersonRecord, error)
	PersonByIDNumberKey(key []byte) (PersonRecord, error)
	// UpdatePerson writes Sealed, the lookup keys, BirthYear, Sex,
	// UnitCode, the consent fields, CardSerial and sets UpdatedAt.
	UpdatePerson(p *PersonRecord) error
	// Dependants lists the people whose GuardianID is guardianID, by ID.
	Dependants(guardianID int64) ([]PersonRecord, error)
	// PeopleRegisteredBy lists the people a staff member declared on
	// their behalf, in ID order after afterID, at most limit.
	PeopleRegisteredBy(userID, afterID int64, limit int) ([]PersonRecord, error)
	// ErasePerson deletes a person, their dependants and all that is
	// theirs (declarations, devices, visits); it returns how many people
	// were deleted, NotFound when there is no such person.
	ErasePerson(id int64) (int, error)
	AddDeclaration(d *Declaration) error
	// Declarations lists a person's declarations, oldest first.
	Declarations(personID int64) ([]Declaration, error)
	LatestDeclaration(personID int64) (Declaration, error)

	// Visitors' devices, by the hash of their secret.
	CreateDevice(d *Device) error
	DeviceByHash(hash []byte) (Device, error)
	// DeviceVisitor is DeviceByHash, the device's person, their
	// LatestDeclaration (zero when none) and PersonTracing in one read;
	// NotFound when the device or the person is missing.
	DeviceVisitor(hash []byte) (DeviceVisitor, error)
	TouchDevice(id int64, at time.Time) error
	// DeleteDevices forgets every device of a person (consent withdrawn).
	DeleteDevices(personID int64) (int, error)

	// Visits. InsertVisits stores a batch in one statement group so that a
	// group commit can hand it many check-ins at once.
	InsertVisits(vs []*Visit) error
	Visit(id int64) (Visit, error)
	VisitByIdempotencyKey(key string) (Visit, error)
	// VisitsByIdempotencyKeys returns the visits stored with any of keys,
	// in no particular order.
	VisitsByIdempotencyKeys(keys []string) ([]Visit, error)
	PersonVisits(personID int64, from, to time.Time) ([]Visit, error)
	// OpenVisit returns the person's latest visit without check-out at a
	// venue, or NotFound.
	OpenVisit(personID, venueID int64) (Visit, error)
	// OpenVisits lists the visits without check-out of the people that
	// began in [since, until), newest first. The bounds let PostgreSQL
	// plan and read only the partitions of those days, not every day kept
	// and made ahead.
	OpenVisits(since, until time.Time, personIDs ...int64) ([]Visit, error)
	// CheckOutVisit closes an open visit at at with reason; Conflict when
	// it was already closed, NotFound when there is no such visit. at
	// before the visit's InAt is stored as InAt.
	CheckOutVisit(id int64, at time.Time, reason string) error
	// CheckOutVisits closes those of the visits ids still open, as
	// CheckOutVisit does; the others are left as they are.
	CheckOutVisits(ids []int64, at time.Time, reason string) error
	// CheckpointVisits lists the visits that entered through a checkpoint,
	// newest first, at most limit.
	CheckpointVisits(checkpointID int64, limit int) ([]Visit, error)
	// VenueCounts counts a venue's entries and exits since since and the
	// visits open at now.
	VenueCounts(venueID int64, since, now time.Time) (VenueCounts, error)
	// SetVisitDecision changes a visit's decision; NotFound when none.
	SetVisitDecision(id int64, d Decision) error
	// DueVisits lists open visits whose DueAt is set and not after now,
	// oldest due first, at most limit: the automatic check-out's work.
	DueVisits(now time.Time, limit int) ([]Visit, error)

	// Tracing. Cases and their worked contact lists, exports, published
	// exposure windows and the messages queued for contacts.
	CreateCase(c *Case) error
	Case(id int64) (Case, error)
	Cases(f CaseFilter) ([]Case, error)
	// UpdateCase writes Reason, Onset, the window, Settings, Status,
	// ClosedAt and sets UpdatedAt.
	UpdateCase(c *Case) error
	// PersonTracing says whether a person is an open case or a contact on
	// one, and whether the gates must keep them out.
	PersonTracing(personID int64) (PersonTracing, error)
	// ExposurePairs computes, in the database, every exposure to the
	// index person's visits in the window as Exposure judges it, without
	// the index person's own visits; ordered by index visit, then exposed
	// visit. Both engines return the same pairs.
	ExposurePairs(q ExposureQuery) ([]ExposurePair, error)
	// PutContacts adds the people not yet on the case's list (status new)
	// and refreshes the figures (class, overlap, visits, same vehicle,
	// first time) of those already on it, keeping their status and
	// assignee; a person found at degree 1 who was on the list at degree
	// 2 becomes degree 1. It sets each contact's ID and returns how many
	// were new.
	PutContacts(caseID int64, cs []*Contact) (added int, err error)
	Contact(id int64) (Contact, error)
	// Contacts lists a case's contacts: degree, then overlap (longest
	// first), then ID.
	Contacts(caseID int64) ([]Contact, error)
	// UpdateContact writes Status, AssigneeID, PromotedCaseID and sets
	// UpdatedAt.
	UpdateContact(c *Contact) error
	AddContactEvent(e *ContactEvent) error
	// ContactEvents lists a contact's history, oldest first.
	ContactEvents(contactID int64) ([]ContactEvent, error)
	CreateExport(x *Export) error
	Export(id int64) (Export, error)
	// Exports lists a case's exports, newest first, without their files.
	Exports(caseID int64) ([]Export, error)
	// ApproveExport marks a pending export ready, approved by userID at
	// at; Conflict when it is not pending.
	ApproveExport(id, userID int64, at time.Time) error
	CreateExposureWindow(w *ExposureWindow) error
	ExposureWindow(id int64) (ExposureWindow, error)
	ExposureWindows(f ExposureWindowFilter) ([]ExposureWindow, error)
	// WithdrawExposureWindow sets WithdrawnAt; Conflict when it already is.
	WithdrawExposureWindow(id int64, at time.Time) error
	// QueueNotifications stores messages (status queued) and sets their IDs.
	QueueNotifications(ns []*Notification) error
	// DueNotifications lists queued messages whose NextAt is not after
	// now, oldest first, at most limit.
	DueNotifications(now time.Time, limit int) ([]Notification, error)
	// UpdateNotification writes Status, Attempts, LastError, NextAt, SentAt.
	UpdateNotification(n *Notification) error
	// CaseNotifications lists the messages to a case's contacts, by ID.
	CaseNotifications(caseID int64) ([]Notification, error)

	// Progress. InsertVisits and CheckOutVisit keep venue_days current in
	// their own transaction (days in the store's time zone); RollupDay
	// turns one day of venue_days, the venues' state and the day's
	// declarations into unit_days, for every unit of the venues' paths,
	// per sector and venue type. Every total a view shows is a sum over
	// these, never a scan of the visits.
	VenueDays(venueID int64, from, to Day) ([]VenueDay, error)
	// RollupDay recomputes the unit rows of day; running it again gives
	// the same rows.
	RollupDay(day Day) error
	// RepairVenueDays recomputes venue_days for the days from..to from the
	// visits still held, and says how many rows it wrote.
	RepairVenueDays(from, to Day) (int, error)
	// UnitSeries returns q's unit's figures per day with data, summed
	// over venue types (and sectors unless q.Sector is set), by day.
	UnitSeries(q StatsQuery) ([]UnitDayCounts, error)
	// UnitChildren returns the figures of each child unit of q.UnitCode
	// with data over q's days (activity summed, state on the last day with
	// data), by unit code. Day is zero.
	UnitChildren(q StatsQuery) ([]UnitDayCounts, error)
	// UnitTypes returns q's unit's figures per venue type over q's days,
	// by type. Day is zero.
	UnitTypes(q StatsQuery) ([]UnitDayCounts, error)
	// SilentVenues lists the approved venues under q's unit (and sector)
	// without a check-in on day, by name then ID, at most limit.
	SilentVenues(q StatsQuery, day Day, limit int) ([]SilentVenue, error)
	// UnitVenues lists the venues under q's unit (and sector) registered
	// by the end of q.To, whatever their status, with their activity
	// summed over q's days, by name then ID, at most limit.
	UnitVenues(q StatsQuery, limit int) ([]VenueActivity, error)
	// ZoneSeries returns the activity per day (CheckIns, CheckOuts, People,
	// Red, Active) of the venues of zone q.Zone under q's unit (and
	// sector), summed from venue_days, by day, days with data only; its
	// state fields (Venues, New, Approved, Pending, Suspended) are those
	// of the zone's venues at the end of each day as the venues now stand
	// (created by then, current status). UnitCode is q.UnitCode.
	ZoneSeries(q StatsQuery) ([]UnitDayCounts, error)
	// Zones lists the zones with venues under q's unit (and sector), by
	// zone name, with how many venues each has.
	Zones(q StatsQuery) ([]ZoneCount, error)

	// Rosters of places that must register. CreateRoster replaces the
	// roster of r's unit and sector (deleting it and its entries) with r
	// and entries, and sets their IDs and RosterID; Entries is set to
	// len(entries).
	CreateRoster(r *Roster, entries []*RosterEntry) error
	// Roster finds a roster by unit and sector; not found when none.
	Roster(unitCode string, sector Sector) (Roster, error)
	// Rosters lists the rosters whose unit is at or below unitPath (all
	// for ""), by unit code then sector.
	Rosters(unitPath string) ([]Roster, error)
	DeleteRoster(id int64) error
	RosterEntry(id int64) (RosterEntry, error)
	RosterEntries(f RosterFilter) ([]RosterEntry, error)
	// UpdateRosterEntry writes VenueID, Match, RejectedVenueID, UpdatedBy
	// and sets UpdatedAt.
	UpdateRosterEntry(e *RosterEntry) error
	// Coverage counts the entries at or below unitPath (and of sector when
	// not ""), per entry unit and sector, by unit path then sector.
	Coverage(unitPath string, sector Sector) ([]CoverageCount, error)
	// RosterCandidates lists the venues whose organisation has one of
	// taxCodes or whose ContactKey is one of phoneKeys, by venue ID.
	RosterCandidates(taxCodes []string, phoneKeys [][]byte) ([]RosterCandidate, error)

	// Daily reports kept for download. PutProgressReport inserts or
	// replaces by (UnitCode, Sector, Day).
	PutProgressReport(r *ProgressReport) error
	// ProgressReport finds one report, Body included; not found when none.
	ProgressReport(unitCode string, sector Sector, day Day) (ProgressReport, error)
	// ProgressReports lists a unit's reports for a sector, newest day
	// first, at most limit, without Body.
	ProgressReports(unitCode string, sector Sector, limit int) ([]ProgressReport, error)
	// DeleteProgressReports deletes the reports of days before day and
	// says how many.
	DeleteProgressReports(before Day) (int, error)
	// ReportUnits lists the units with registered venues on day (from
	// unit_days), by code: the units the morning job reports on.
	ReportUnits(day Day) ([]string, error)

	// Audit log, written in the same transaction as the action it records.
	AppendAudit(e *AuditEvent) error
	AuditEvents(f AuditFilter) ([]AuditEvent, error)
	// Audit chain (issue 8): methods below.
	// UnsealedAudit lists up to limit events not yet in the chain, by ID.
	UnsealedAudit(limit int) ([]AuditEvent, error)
	// CountUnsealedAudit counts the events not yet in the chain.
	CountUnsealedAudit() (int, error)
	// AuditHead is the last sealed event's seq and hash; 0 and nil when
	// nothing is sealed.
	AuditHead() (seq int64, hash []byte, err error)
	// SealAudit places events in the chain. An event already sealed is
	// Conflict, and so is a seq already taken (another sealer won).
	SealAudit(seals []AuditSeal) error
	// AuditChain lists up to limit sealed events with a seq above
	// afterSeq, by seq.
	AuditChain(afterSeq int64, limit int) ([]AuditEvent, error)

	// Retention (issue 8): methods below.
	// ProtectedPeople lists, by ID and once each, the people an open case
	// needs: the persons of open cases and the people on their contact
	// lists.
	ProtectedPeople() ([]int64, error)
	// PurgeVisits deletes the visits that began before before of people
	// not in keep, and their idempotency keys (which may then be used
	// again); venue_days stay. It returns how many visits went; the
	// caller calls again until 0. SQLite deletes at most limit visits a
	// call. PostgreSQL first drops, whole, each day partition that ends at
	// or before before (putting kept people's visits back), then deletes
	// at most limit visits of its DEFAULT partition; a day that before
	// cuts leaves once it is wholly before the cutoff, so callers pass
	// the start of a day for both engines to agree.
	PurgeVisits(before time.Time, keep []int64, limit int) (int, error)
	// EnsureVisitDays creates the missing day partitions of visits for
	// the days from..to (PostgreSQL; at most 400 days), moving into them
	// the visits of those days that sit in the DEFAULT partition, and
	// says how many it created. SQLite does nothing and returns 0.
	EnsureVisitDays(from, to Day) (int, error)
	// VisitDays lists the days that have a partition of visits, in order
	// (PostgreSQL); nil on SQLite.
	VisitDays() ([]Day, error)

	// The purges below delete at most limit rows, oldest first, and say
	// how many: the retention service calls each in its own transaction
	// until it returns 0, so that check-ins never wait long. keep lists
	// the people an open case needs (ProtectedPeople).
	//
	// PurgeDeclarations deletes declarations created before before of
	// people not in keep.
	PurgeDeclarations(before time.Time, keep []int64, limit int) (int, error)
	// PurgePeople looks at the next limit people after the ID after
	// whose record was last updated before before, and deletes those not
	// in keep who have nothing left: no visit, no declaration, no case,
	// no place on a case's contact list. Their devices go with them, and
	// their dependants when every one of them could go too (counted). It
	// returns how many people went and the last ID it looked at, 0 when
	// none: ravao.Paged walks it.
	PurgePeople(before time.Time, keep []int64, after int64, limit int) (n int, last int64, err error)
	// PurgeCases deletes cases closed before before, with their contact
	// lists, the contacts' histories and messages, and their exports.
	PurgeCases(before time.Time, limit int) (int, error)
	// PurgeExposureWindows deletes exposure windows that ended before
	// before, withdrawn or not.
	PurgeExposureWindows(before time.Time, limit int) (int, error)
	// CountPurge counts, without deleting, what the purges with these
	// cutoffs would delete run in the retention service's order (cases,
	// windows, visits, declarations, then people): the dry run.
	CountPurge(c PurgeCutoffs) (PurgeCounts, error)

	// Data-subject requests and consent (issue 8): methods below.
	// CreateDSR stores a request under the ID the caller chose (its sealed
	// details are bound to it) and sets CreatedAt when zero.
	CreateDSR(r *DSRequest) error
	DSR(id int64) (DSRequest, error)
	// DSRs lists requests by due date, then ID.
	DSRs(f DSRFilter) ([]DSRequest, error)
	// UpdateDSR writes Status, Sealed, ResolvedAt and ResolvedBy.
	UpdateDSR(r *DSRequest) error
	// AddDSREvent appends to a request's history and sets ID and At.
	AddDSREvent(e *DSREvent) error
	// DSREvents is a request's history, oldest first.
	DSREvents(requestID int64) ([]DSREvent, error)

	// Breach register (issue 8): methods below.
	// CreateBreach stores a breach under its ID, which the caller chooses
	// (the sealed text is bound to it), and sets CreatedAt and UpdatedAt.
	CreateBreach(b *Breach) error
	// Breach returns a breach with Sealed; its clear text fields are empty.
	Breach(id int64) (Breach, error)
	// Breaches lists the breaches f selects, by FoundAt then ID, without
	// Sealed.
	Breaches(f BreachFilter) ([]Breach, error)
	// UpdateBreach writes Title, Sealed, OccurredAt, FoundAt, DataKinds,
	// PeopleAffected, Status, NotifiedAt, AuthorityRef, PeopleListedAt and
	// sets UpdatedAt.
	UpdateBreach(b *Breach) error
	// AddBreachEvent records a step of a breach's history, at Now unless
	// At is set, and sets its ID.
	AddBreachEvent(e *BreachEvent) error
	// BreachEvents lists a breach's history, oldest first.
	BreachEvents(breachID int64) ([]BreachEvent, error)
	// AffectedPeople lists the people q selects, each once, by ID.
	AffectedPeople(q AffectedQuery) ([]PersonRecord, error)

	// Leases (issue 9).
	// AcquireLease takes the lease name for holder until Now+ttl when it
	// is free, expired or already holder's (renewing it), in one atomic
	// statement, and reports whether holder has it now.
	AcquireLease(name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives up name when holder has it; otherwise it does
	// nothing.
	ReleaseLease(name, holder string) error
	// Lease returns who holds name and until when, expired or not.
	Lease(name string) (holder string, until time.Time, err error)
	// Hit counts one attempt under key in the fixed window starting at
	// window and reports whether it is within limit; the key's earlier
	// windows are deleted.
	Hit(key string, window time.Time, limit int) (bool, error)
	// PruneRateCounters deletes the windows that began before before and
	// returns how many.
	PruneRateCounters(before time.Time) (int, error)

	// Staff lists (workplaces).
	// ReplaceStaff replaces an organisation's staff list (every member and
	// their venues) with members, and sets their IDs and OrganisationID.
	ReplaceStaff(organisationID int64, members []*StaffMember) error
	// CreateStaffMember adds one member; Conflict when the organisation
	// already has a member with the same phone, ID number or staff number.
	CreateStaffMember(m *StaffMember) error
	StaffMember(id int64) (StaffMember, error)
	// UpdateStaffMember writes every field but OrganisationID and
	// CreatedAt (the venues included) and sets UpdatedAt; Conflict as in
	// CreateStaffMember.
	UpdateStaffMember(m *StaffMember) error
	DeleteStaffMember(id int64) error
	// Staff lists the members f selects, by ID (names are sealed).
	Staff(f StaffFilter) ([]StaffMember, error)
	// LinkStaff links the unlinked members of an organisation (of every
	// organisation when 0) to the person with the same phone key, or else
	// the same ID number key, and says how many it linked.
	LinkStaff(organisationID int64) (int, error)
	// StaffDays says, for each member of q's organisation, by ID, whether
	// they declared and entered on q's day.
	StaffDays(q StaffDayQuery) ([]StaffDay, error)
	// Compliance counts q's day per organisation with staff at q's
	// venues, by organisation name then ID.
	Compliance(q ComplianceQuery) ([]ComplianceCount, error)
}

// Paged walks a table by ID, one page per call: page reads the rows after
// the ID it is given and returns how many it changed and the last ID it
// read (0 when it read none). Paged calls it from 0 until a page reads
// nothing and returns the sum of the pages that succeeded; the first
// error stops it. Each page is
// meant to be its own transaction, so that a walk over a large table
// never holds the write lock for long and keeps what it did when it
// stops.
func Paged(page func(after int64) (n int, last int64, err error)) (int, error) {
	total := 0
	var after int64
	for {
		n, last, err := page(after)
		if err != nil {
			return total, err // a failed page's transaction changed nothing
		}
		if total += n; last == 0 {
			return total, nil
		}
		after = last
	}
}

// PurgeCutoffs are the instants before which the retention purge deletes
// each kind of data, and the people it keeps whatever their age.
type PurgeCutoffs struct {
	Visits, Declarations, People, Cases, Windows time.Time
	Keep                                         []int64 // people an open case needs
}

// PurgeCounts is how many rows a purge deleted, or would delete.
type PurgeCounts struct {
	Visits, Declarations, People, Cases, Windows int
}
