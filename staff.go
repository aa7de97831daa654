package ravao

import (
	"strconv"
	"time"
)

// A staff list is an organisation's workforce as its venue manager keeps
// it (the directive asks factories and agencies to make all their staff
// comply): each member's name, phone, staff number, department and the
// venues where they work, typed in or uploaded as a file. A member is
// linked to their Ravao person when the person's phone or ID number has
// the same keyed lookup as theirs; the daily compliance is then read
// from that person's declarations and visits.

// StaffMember is one member of an organisation's staff list as stored.
// Name, Phone and IDNumber are sealed by the vault (bound to the
// organisation, StaffAAD), as every personal name and number in Ravao
// is; the workplaces service opens them, and orders members by name
// after opening (stores list them by ID). PhoneKey and IDNumberKey are
// the keyed lookups (vault.Lookup "phone" and "cccd", the keys people
// are found by). VenueIDs are the organisation's venues where the member
// works; PersonID is the linked person, 0 when none.
type StaffMember struct {
	ID             int64
	OrganisationID int64
	Name           []byte // sealed; in clear NFC, as NormalizeName gives it
	Phone          []byte
	PhoneKey       []byte
	IDNumber       []byte // nil when not given
	IDNumberKey    []byte // nil when not given
	StaffNumber    string // the organisation's own number ("" when none), unique in it
	Department     string // "" when none
	BirthYear      int    // 0 when not given; a printed card needs it
	VenueIDs       []int64
	PersonID       int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Linked reports whether the member is linked to a Ravao person.
func (m StaffMember) Linked() bool { return m.PersonID != 0 }

// StaffAAD is the additional data a member's name, phone and ID number
// are sealed with (field "name", "phone", "id_number"): a sealed value
// cannot move to another organisation, nor to another field. Not bound
// to the member's ID: a list is written in one batch whose IDs the store
// gives, and sealing after would write every member twice.
func StaffAAD(organisationID int64, field string) string {
	return "staff/" + strconv.FormatInt(organisationID, 10) + "/" + field
}

// StaffFilter selects staff members. Zero fields do not filter.
type StaffFilter struct {
	OrganisationID int64
	IDs            []int64
	VenueID        int64 // members who work at this venue
}

// StaffDayQuery asks how an organisation's staff did on one local day:
// From and To are the day's bounds (the deployment's time zone), and a
// declaration created after DeclaredAfter and before To was valid at some
// moment of the day (DeclaredAfter is From less the validity period).
type StaffDayQuery struct {
	OrganisationID int64
	From, To       time.Time
	DeclaredAfter  time.Time
}

// StaffDay is one member's day: Declared when their linked person had a
// declaration valid during the day, Entered when the person checked in
// that day at a checkpoint of one of the member's venues (self check-in
// or gate scan). A member without a person did neither.
type StaffDay struct {
	StaffID  int64
	Declared bool
	Entered  bool
}

// Compliant reports whether the member both declared and entered.
func (d StaffDay) Compliant() bool { return d.Declared && d.Entered }

// ComplianceQuery asks for the compliance of every organisation with
// staff working at the venues it selects: at or below UnitPath ("" for
// everywhere), of Sector and in Zone when they are set, on the day
// bounded by From and To (DeclaredAfter as in StaffDayQuery).
type ComplianceQuery struct {
	UnitPath      string
	Sector        Sector
	Zone          string
	From, To      time.Time
	DeclaredAfter time.Time
}

// ComplianceCount is one organisation's figures on a day, counting the
// members who work at a venue the query selects, each once: no names.
type ComplianceCount struct {
	OrganisationID int64
	Name           string // the organisation's name
	Staff          int
	Linked         int
	Declared       int
	Entered        int
	Compliant      int
}

// Percent is part × 100 / whole, rounded down; 0 when whole is 0.
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}
