package ravao

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a staff account may do; a RoleAssignment gives it a scope.
type Role string

// The staff roles. Visitors have no account and no role.
const (
	RoleAdmin        Role = "admin"
	RoleHealth       Role = "health_official"
	RoleLocal        Role = "local_official"
	RoleSector       Role = "sector_supervisor"
	RoleVenueManager Role = "venue_manager"
	RoleGateStaff    Role = "gate_staff"
	RoleDPO          Role = "dpo"
)

// Roles lists every role, in the order pages show them.
var Roles = []Role{RoleAdmin, RoleHealth, RoleLocal, RoleSector, RoleVenueManager, RoleGateStaff, RoleDPO}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a staff account. Visitors never have one.
type User struct {
	ID           int64
	Login        string
	DisplayName  string
	PasswordHash string
	TOTPSecret   []byte // sealed; empty when TOTP is off
	Lang         string
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NormalizeLogin folds a login name for storage and comparison.
func NormalizeLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user before it is stored.
func (u User) Validate() error {
	fe := FieldErrors{}
	if !validLogin(u.Login) {
		fe.Add("login", "err.login")
	}
	if n := utf8.RuneCountInString(u.DisplayName); !utf8.ValidString(u.DisplayName) || n == 0 || n > 100 {
		fe.Add("display_name", "err.display_name")
	}
	if u.PasswordHash == "" {
		fe.Add("password", "err.password")
	}
	if u.Lang != "" && u.Lang != "vi" && u.Lang != "en" {
		fe.Add("lang", "err.lang")
	}
	return fe.Err()
}

// validLogin accepts 3 to 64 lower-case ASCII letters, digits and . _ - @.
func validLogin(s string) bool {
	if len(s) < 3 || len(s) > 64 || s != NormalizeLogin(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("._-@", c) >= 0) {
			return false
		}
	}
	return true
}

// UserFilter selects users.
type UserFilter struct {
	Role     Role
	Disabled *bool
	Limit    int
}

// Sector is the branch of administration a place belongs to; sector
// supervisors watch one sector.
type Sector string

// The sectors of the directive.
const (
	SectorEducation Sector = "education"
	SectorLabour    Sector = "labour"
	SectorTransport Sector = "transport"
	SectorHealth    Sector = "health"
	SectorIndustry  Sector = "industry"
	SectorCommerce  Sector = "commerce"
	SectorPublic    Sector = "public"
	SectorOther     Sector = "other"
)

// Sectors lists every sector.
var Sectors = []Sector{SectorEducation, SectorLabour, SectorTransport, SectorHealth, SectorIndustry, SectorCommerce, SectorPublic, SectorOther}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return slices.Contains(Sectors, s) }

// RoleAssignment gives a user a role within a scope. Which scope fields a
// role needs is fixed by Validate: officials have a unit, sector supervisors
// a sector and a unit, managers an organisation, gate staff a checkpoint.
type RoleAssignment struct {
	ID             int64
	UserID         int64
	Role           Role
	UnitCode       string
	Sector         Sector
	OrganisationID int64
	CheckpointID   int64
	CreatedAt      time.Time
}

// Validate checks that the assignment has exactly the scope its role needs.
func (a RoleAssignment) Validate() error {
	fe := FieldErrors{}
	if !a.Role.Valid() {
		fe.Add("role", "err.role")
		return fe.Err()
	}
	needUnit := a.Role == RoleHealth || a.Role == RoleLocal || a.Role == RoleSector
	switch {
	case needUnit && !validUnitCode(a.UnitCode):
		fe.Add("unit", "err.scope_unit")
	case !needUnit && a.UnitCode != "":
		fe.Add("unit", "err.scope_extra")
	}
	switch {
	case a.Role == RoleSector && !a.Sector.Valid():
		fe.Add("sector", "err.scope_sector")
	case a.Role != RoleSector && a.Sector != "":
		fe.Add("sector", "err.scope_extra")
	}
	switch {
	case a.Role == RoleVenueManager && a.OrganisationID <= 0:
		fe.Add("organisation", "err.scope_organisation")
	case a.Role != RoleVenueManager && a.OrganisationID != 0:
		fe.Add("organisation", "err.scope_extra")
	}
	switch {
	case a.Role == RoleGateStaff && a.CheckpointID <= 0:
		fe.Add("checkpoint", "err.scope_checkpoint")
	case a.Role != RoleGateStaff && a.CheckpointID != 0:
		fe.Add("checkpoint", "err.scope_extra")
	}
	return fe.Err()
}

// Session is a signed-in browser. The store keeps only a hash of the
// session token, so a copy of the database cannot be used to sign in.
type Session struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
}

// APIToken lets a script call the API as a user (Authorization: Bearer).
// As for sessions, only a hash of the token is stored.
type APIToken struct {
	ID        int64
	TokenHash []byte
	UserID    int64
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never
	Revoked   bool
}
