package workplaces

import (
	"github.com/ravao/ravao"
)

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
	sector, err := actor.MonitoredSector(path, q.Sector)
	if err != nil {
		return "", err
	}
	v.Sector = sector
	if len(path) == 0 {
		return "", nil
	}
	return ravao.UnitPathOf(path), nil
}
