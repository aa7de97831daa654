package workplaces

import (
	"strings"

	"github.com/ravao/ravao"
)

// unitOrOwn is code, or the actor's own unit when code is blank: the unit
// of their only monitoring assignment that has one, or the whole
// deployment for an administrator without one.
func unitOrOwn(actor *ravao.Principal, code string) (string, error) {
	if code = strings.TrimSpace(code); code != "" {
		return code, nil
	}
	own, n := "", 0
	for _, a := range actor.Roles {
		if a.Role.Grants(ravao.PermMonitor) && a.UnitCode != "" {
			own, n = a.UnitCode, n+1
		}
	}
	switch {
	case n == 1:
		return own, nil
	case n == 0 && actor.Has(ravao.RoleAdmin):
		return "", nil
	}
	return "", ravao.FieldError("unit", "err.required")
}

// resolve finds q's unit and its ancestors into v, checks that the actor
// monitors it in the sector asked (a sector supervisor's own when none
// is), and returns the unit's path ("" for the whole deployment).
func resolve(tx ravao.Tx, actor *ravao.Principal, q StatsQuery, v *StatsView) (string, error) {
	var path []string
	if q.UnitCode != "" {
		version := ravao.ActiveUnitVersion(tx)
		u, err := tx.Unit(version, q.UnitCode)
		if ravao.IsNotFound(err) {
			return "", ravao.FieldError("unit", "err.unit_unknown")
		}
		if err != nil {
			return "", err
		}
		if v.Ancestors, err = tx.UnitAncestors(version, u.Code); err != nil {
			return "", err
		}
		v.Unit, path = u, ravao.UnitPath(v.Ancestors, u)
	}
	sector, err := sectorFor(actor, path, q.Sector)
	if err != nil {
		return "", err
	}
	v.Sector = sector
	if len(path) == 0 {
		return "", nil
	}
	return ravao.UnitPathOf(path), nil
}

// sectorFor is the sector the actor may see the unit at path in: the one
// asked when allowed; for "" a sector supervisor's own sector when that
// is all they may see. Anything else is forbidden.
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
