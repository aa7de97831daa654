package progress

import (
	"github.com/ravao/ravao"
)

// ownUnit is the unit a monitor sees when they name none: the unit of
// their only assignment that has one. An administrator without a unit
// sees the whole deployment ("").
func ownUnit(actor *ravao.Principal) (string, error) {
	code, n := "", 0
	for _, a := range actor.Roles {
		if a.Role.Grants(ravao.PermMonitor) && a.UnitCode != "" {
			code, n = a.UnitCode, n+1
		}
	}
	switch {
	case n == 1:
		return code, nil
	case n == 0 && actor.Has(ravao.RoleAdmin):
		return "", nil
	}
	return "", ravao.FieldError("unit", "err.required")
}

// sectorFor is the sector the actor may see the unit at path in, given the
// one asked for: the one asked when allowed; for "" (all sectors) a sector
// supervisor's own sector when that is all they may see. Anything else is
// forbidden.
func sectorFor(actor *ravao.Principal, path []string, asked ravao.Sector) (ravao.Sector, error) {
	if asked != "" && !asked.Valid() {
		return "", ravao.FieldError("sector", "err.sector")
	}
	if actor.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: asked}) {
		return asked, nil
	}
	if asked == "" {
		for _, a := range actor.Roles {
			if a.Role == ravao.RoleSector && a.Sector != "" &&
				actor.Can(ravao.PermMonitor, ravao.Target{UnitPath: path, Sector: a.Sector}) {
				return a.Sector, nil
			}
		}
	}
	return "", errForbidden()
}
