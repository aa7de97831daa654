package ravao

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Organisation is an agency, business, school... that registers places.
type Organisation struct {
	ID       int64
	Name     string
	UnitCode string
	Sector   Sector
	// TaxCode is the organisation's tax code (NormalizeTaxCode form), ""
	// when not given: rosters of places that must register match by it.
	TaxCode   string
	CreatedAt time.Time
}

// VenueType is the kind of place; it sets the default stay and the sector.
type VenueType string

// The venue types of the directive.
const (
	VenueAgency       VenueType = "agency"
	VenueBusiness     VenueType = "business"
	VenueZoneBusiness VenueType = "zone_business"
	VenueSchool       VenueType = "school"
	VenueVocational   VenueType = "vocational_school"
	VenueHospital     VenueType = "hospital"
	VenueMarket       VenueType = "market"
	VenueRestaurant   VenueType = "restaurant"
	VenueLodging      VenueType = "lodging"
	VenueStation      VenueType = "station"
	VenueVehicle      VenueType = "vehicle"
	VenuePublicPlace  VenueType = "public_place"
	VenueOther        VenueType = "other"
)

// VenueTypes lists every venue type.
var VenueTypes = []VenueType{VenueAgency, VenueBusiness, VenueZoneBusiness, VenueSchool, VenueVocational, VenueHospital, VenueMarket, VenueRestaurant, VenueLodging, VenueStation, VenueVehicle, VenuePublicPlace, VenueOther}

// Valid reports whether t is a known venue type.
func (t VenueType) Valid() bool { return slices.Contains(VenueTypes, t) }

// VenueStatus is where a venue is in registration.
type VenueStatus string

// The venue statuses.
const (
	VenuePending   VenueStatus = "pending"
	VenueApproved  VenueStatus = "approved"
	VenueSuspended VenueStatus = "suspended"
)

// Venue is a place people enter: a building, a site, a vehicle.
type Venue struct {
	ID             int64
	OrganisationID int64
	Name           string
	Type           VenueType
	Sector         Sector
	UnitCode       string
	// UnitPath is the unit's codes from the province down to UnitCode,
	// joined and ended by "/" ("35/347/13363/"), so that every venue under a
	// unit is one prefix query. The places service fills it from the tree.
	UnitPath     string
	Address      string
	Zone         string // industrial zone, economic zone or park; "" when none
	OpeningHours string // free text, e.g. "7:00–17:00, T2–T7"
	// ClosesAt is when the venue closes each day, as time after local
	// midnight (0 when it never closes): open visits are checked out then.
	ClosesAt     time.Duration
	Capacity     int // 0 when not given
	DefaultStay  time.Duration
	Status       VenueStatus
	StatusReason string // why it was suspended or reinstated
	// Contact is the contact person's name and phone sealed by the vault
	// (aad "venue/ID/contact"); the store keeps it opaque.
	Contact []byte
	// ContactKey is the keyed lookup of the contact's phone
	// (vault.Lookup "phone"), nil when none: rosters match by it.
	ContactKey []byte
	// ImportID is the audit event of the bulk import that created the
	// venue (0 for one registered by hand), so an import's posters print
	// as one batch.
	ImportID  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// VenueFilter selects venues. Zero fields do not filter. UnitPath selects
// the venues at or below a unit (a prefix of Venue.UnitPath).
type VenueFilter struct {
	OrganisationID int64
	UnitPath       string
	Sector         Sector
	Type           VenueType
	Status         VenueStatus
	Zone           string
	ImportID       int64
	AfterID        int64 // pagination: only venues with a larger ID
	Limit          int   // at most this many, in ID order; 0 for all
}

// DefaultStayFor is the stay assumed for a visit without check-out, by type:
// short for shops and vehicles, a working day for workplaces and schools.
func DefaultStayFor(t VenueType) time.Duration {
	switch t {
	case VenueAgency, VenueBusiness, VenueZoneBusiness, VenueSchool, VenueVocational:
		return 8 * time.Hour
	case VenueHospital, VenueLodging:
		return 4 * time.Hour
	case VenueMarket, VenueRestaurant, VenueStation, VenuePublicPlace:
		return time.Hour
	case VenueVehicle:
		return 30 * time.Minute
	}
	return 2 * time.Hour
}

// SectorFor is the sector a venue type usually belongs to, offered as the
// default in registration forms.
func SectorFor(t VenueType) Sector {
	switch t {
	case VenueSchool:
		return SectorEducation
	case VenueVocational:
		return SectorLabour
	case VenueHospital:
		return SectorHealth
	case VenueZoneBusiness:
		return SectorIndustry
	case VenueMarket, VenueRestaurant, VenueLodging, VenueBusiness:
		return SectorCommerce
	case VenueStation, VenueVehicle:
		return SectorTransport
	case VenueAgency, VenuePublicPlace:
		return SectorPublic
	}
	return SectorOther
}

// Target is the venue as an authorisation target.
func (v Venue) Target() Target {
	return Target{UnitPath: SplitUnitPath(v.UnitPath), Sector: v.Sector, OrganisationID: v.OrganisationID}
}

// UnitPathOf joins unit codes from the province down into a Venue.UnitPath.
func UnitPathOf(codes []string) string {
	var b strings.Builder
	for _, c := range codes {
		b.WriteString(c)
		b.WriteByte('/')
	}
	return b.String()
}

// SplitUnitPath is the inverse of UnitPathOf.
func SplitUnitPath(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
}

// Validate checks a venue before it is stored.
func (v Venue) Validate() error {
	fe := FieldErrors{}
	if v.OrganisationID <= 0 {
		fe.Add("organisation", "err.required")
	}
	if _, err := NormalizeName(v.Name); err != nil {
		fe.Add("name", "err.place_name")
	}
	if !v.Type.Valid() {
		fe.Add("type", "err.venue_type")
	}
	if !v.Sector.Valid() {
		fe.Add("sector", "err.sector")
	}
	if !validUnitCode(v.UnitCode) {
		fe.Add("unit", "err.unit_code")
	}
	switch v.Status {
	case VenuePending, VenueApproved, VenueSuspended:
	default:
		fe.Add("status", "err.venue_status")
	}
	if v.DefaultStay < 0 || v.DefaultStay > 24*time.Hour {
		fe.Add("default_stay", "err.default_stay")
	}
	if v.ClosesAt < 0 || v.ClosesAt >= 24*time.Hour {
		fe.Add("closes_at", "err.closes_at")
	}
	if v.Capacity < 0 || v.Capacity > 10_000_000 {
		fe.Add("capacity", "err.capacity")
	}
	if utf8.RuneCountInString(v.Address) > 300 {
		fe.Add("address", "err.address")
	}
	if utf8.RuneCountInString(v.Zone) > 200 {
		fe.Add("zone", "err.too_long")
	}
	if utf8.RuneCountInString(v.OpeningHours) > 200 {
		fe.Add("opening_hours", "err.too_long")
	}
	if utf8.RuneCountInString(v.StatusReason) > 500 {
		fe.Add("reason", "err.too_long")
	}
	return fe.Err()
}

// CheckpointKind says what a checkpoint is.
type CheckpointKind string

// The checkpoint kinds.
const (
	CheckpointGate    CheckpointKind = "gate"
	CheckpointCounter CheckpointKind = "counter"
	CheckpointFloor   CheckpointKind = "floor"
	CheckpointVehicle CheckpointKind = "vehicle"
)

// Checkpoint is a gate, counter, floor or vehicle door with its own QR code.
// The code printed on its poster carries Serial: re-issuing increments it, so
// every older poster stops working at once; a revoked checkpoint has no
// working code until it is re-issued.
type Checkpoint struct {
	ID        int64
	VenueID   int64
	Name      string
	Kind      CheckpointKind
	Plate     string // vehicles only: the number plate
	Route     string // vehicles only: the route, e.g. "Phủ Lý – Hà Nội"
	Serial    uint32
	Revoked   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CheckpointFilter selects checkpoints: of one venue, or of every venue of an
// organisation. At least one field must be set.
type CheckpointFilter struct {
	VenueID        int64
	OrganisationID int64
}

// Invitation lets a venue manager bring in gate staff: whoever opens the
// one-time link (or types its code) before it expires creates an account
// with the gate-staff role on the listed checkpoints.
type Invitation struct {
	ID             int64
	TokenHash      []byte // keyed hash of the secret in the link
	OrganisationID int64
	CheckpointIDs  []int64
	CreatedBy      int64
	CreatedAt      time.Time
	ExpiresAt      time.Time
	UsedAt         time.Time // zero until used
	UsedBy         int64
}

// PhoneChallenge is a one-time code sent by SMS to prove a phone number.
// Only keyed hashes are stored: of the challenge's secret (held by the
// browser), of the phone and of the code.
type PhoneChallenge struct {
	ID         int64
	TokenHash  []byte
	PhoneKey   []byte
	CodeHash   []byte
	Purpose    string // "register", "gate"...
	Attempts   int
	CreatedAt  time.Time
	ExpiresAt  time.Time
	VerifiedAt time.Time // zero until the right code is given
}

// Validate checks a checkpoint before it is stored.
func (c Checkpoint) Validate() error {
	fe := FieldErrors{}
	if c.VenueID <= 0 {
		fe.Add("venue", "err.required")
	}
	if _, err := NormalizeName(c.Name); err != nil {
		fe.Add("name", "err.place_name")
	}
	switch c.Kind {
	case CheckpointGate, CheckpointCounter, CheckpointFloor, CheckpointVehicle:
	default:
		fe.Add("kind", "err.checkpoint_kind")
	}
	if c.Kind != CheckpointVehicle && (c.Plate != "" || c.Route != "") {
		fe.Add("plate", "err.plate_not_vehicle")
	}
	if utf8.RuneCountInString(c.Plate) > 20 {
		fe.Add("plate", "err.plate")
	}
	if utf8.RuneCountInString(c.Route) > 200 {
		fe.Add("route", "err.too_long")
	}
	return fe.Err()
}
