package ravao

import (
	"slices"
	"strings"
)

// Permission names something a staff member may do. Which roles grant it,
// and over which scope, is decided in one place: Principal.Can.
type Permission string

// The permissions. Each route of the server declares one of them (or none,
// for public routes).
const (
	PermSignedIn      Permission = "signed_in"      // any active staff account
	PermAdminister    Permission = "administer"     // accounts, units, settings
	PermManagePlaces  Permission = "manage_places"  // an organisation's venues and checkpoints
	PermViewPlaces    Permission = "view_places"    // see venues and print their posters, in scope
	PermImportPlaces  Permission = "import_places"  // register many places from a file, in scope
	PermApprovePlaces Permission = "approve_places" // registrations in a unit
	PermOperateGate   Permission = "operate_gate"   // scanning at a checkpoint
	PermTrace         Permission = "trace"          // cases and contacts in a unit
	PermMonitor       Permission = "monitor"        // deployment progress in a unit or sector
	PermProtectData   Permission = "protect_data"   // audit log, data-subject requests, breaches
	PermResidents     Permission = "residents"      // declare residents on their behalf and print their cards, in a unit
)

// Permissions lists every permission.
var Permissions = []Permission{PermSignedIn, PermAdminister, PermManagePlaces, PermViewPlaces, PermImportPlaces, PermApprovePlaces, PermOperateGate, PermTrace, PermMonitor, PermProtectData, PermResidents}

// grants says which roles carry each permission. Scope is checked separately.
var grants = map[Permission][]Role{
	PermSignedIn:      Roles,
	PermAdminister:    {RoleAdmin},
	PermManagePlaces:  {RoleAdmin, RoleVenueManager},
	PermViewPlaces:    {RoleAdmin, RoleVenueManager, RoleLocal, RoleSector, RoleHealth},
	PermImportPlaces:  {RoleAdmin, RoleVenueManager, RoleLocal, RoleSector},
	PermApprovePlaces: {RoleAdmin, RoleLocal},
	PermOperateGate:   {RoleVenueManager, RoleGateStaff},
	PermTrace:         {RoleHealth},
	PermMonitor:       {RoleAdmin, RoleLocal, RoleSector, RoleHealth},
	PermProtectData:   {RoleDPO},
	PermResidents:     {RoleLocal},
}

// Grants reports whether role r carries perm, whatever the scope.
func (r Role) Grants(perm Permission) bool { return slices.Contains(grants[perm], r) }

// Principal is a signed-in staff member with their role assignments.
type Principal struct {
	User  User
	Roles []RoleAssignment
}

// Target is what an action touches, described by the scopes it lies in.
// Zero fields are "not about this": a target with only UnitPath set is a
// unit; one with OrganisationID and CheckpointID is a checkpoint.
type Target struct {
	UnitPath       []string // codes from the province down to the place's unit
	Sector         Sector
	OrganisationID int64
	CheckpointID   int64
}

// MayEver reports whether p has any role that grants perm, whatever the
// scope. Routes use it to refuse early; handlers then call Can with the
// real target.
func (p *Principal) MayEver(perm Permission) bool {
	if p == nil || p.User.Disabled {
		return false
	}
	for _, a := range p.Roles {
		if a.Role.Grants(perm) {
			return true
		}
	}
	return false
}

// Can reports whether p may do perm on t: some assignment must grant perm
// and its scope must cover t.
func (p *Principal) Can(perm Permission, t Target) bool {
	if p == nil || p.User.Disabled {
		return false
	}
	for _, a := range p.Roles {
		if a.Role.Grants(perm) && a.covers(t) {
			return true
		}
	}
	return false
}

// Has reports whether p holds role r in any scope.
func (p *Principal) Has(r Role) bool {
	if p == nil {
		return false
	}
	return slices.ContainsFunc(p.Roles, func(a RoleAssignment) bool { return a.Role == r })
}

// covers reports whether the assignment's scope includes t.
func (a RoleAssignment) covers(t Target) bool {
	switch a.Role {
	case RoleAdmin, RoleDPO:
		return true
	case RoleHealth, RoleLocal:
		return slices.Contains(t.UnitPath, a.UnitCode)
	case RoleSector:
		return t.Sector == a.Sector && slices.Contains(t.UnitPath, a.UnitCode)
	case RoleVenueManager:
		return t.OrganisationID != 0 && t.OrganisationID == a.OrganisationID
	case RoleGateStaff:
		return t.CheckpointID != 0 && t.CheckpointID == a.CheckpointID
	}
	return false
}

// MonitoredUnit is the unit a monitor asks for: code, or when code is
// blank their own, the unit of their only monitoring assignment that has
// one. An administrator without one sees the whole deployment ("").
func (p *Principal) MonitoredUnit(code string) (string, error) {
	if code = strings.TrimSpace(code); code != "" {
		return code, nil
	}
	own, n := "", 0
	for _, a := range p.Roles {
		if a.Role.Grants(PermMonitor) && a.UnitCode != "" {
			own, n = a.UnitCode, n+1
		}
	}
	switch {
	case n == 1:
		return own, nil
	case n == 0 && p.Has(RoleAdmin):
		return "", nil
	}
	return "", FieldError("unit", "err.required")
}

// MonitoredSector is the sector a monitor sees the unit at path in: the
// one asked when allowed; for "" (all sectors) a sector supervisor's own
// sector when that is all they may see. Anything else is forbidden.
func (p *Principal) MonitoredSector(path []string, asked Sector) (Sector, error) {
	if asked != "" && !asked.Valid() {
		return "", FieldError("sector", "err.sector")
	}
	if p.Can(PermMonitor, Target{UnitPath: path, Sector: asked}) {
		return asked, nil
	}
	if asked == "" {
		for _, a := range p.Roles {
			if a.Role == RoleSector && a.Sector != "" && p.Can(PermMonitor, Target{UnitPath: path, Sector: a.Sector}) {
				return a.Sector, nil
			}
		}
	}
	return "", Errorf(Forbidden, "err.forbidden")
}
