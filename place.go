package ravao

import (
	"slices"
	"time"
)

// Organisation is an agency, business, school... that registers places.
type Organisation struct {
	ID        int64
	Name      string
	UnitCode  string
	Sector    Sector
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
	Address        string
	Status         VenueStatus
	DefaultStay    time.Duration
	CreatedAt      time.Time
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
type Checkpoint struct {
	ID        int64
	VenueID   int64
	Name      string
	Kind      CheckpointKind
	Plate     string // vehicles only
	CreatedAt time.Time
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
	return fe.Err()
}
