package server

import (
	"context"
	"strconv"

	"github.com/ravao/ravao"
)

// roleView is a role assignment in words: the role's name and its scope.
type roleView struct {
	Name  ravao.Role // the role itself, e.g. admin
	Role  string     // message key, e.g. role.admin
	Scope string     // translated sentence
}

// describeRoles puts role assignments into words in lang, naming units,
// organisations and checkpoints from the store.
func (s *Server) describeRoles(ctx context.Context, lang string, roles []ravao.RoleAssignment) ([]roleView, error) {
	out := make([]roleView, 0, len(roles))
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		for _, a := range roles {
			scope, err := s.scope(tx, lang, version, a)
			if err != nil {
				return err
			}
			out = append(out, roleView{Name: a.Role, Role: "role." + string(a.Role), Scope: scope})
		}
		return nil
	})
	return out, err
}

// scope describes the scope of one assignment.
func (s *Server) scope(tx ravao.Tx, lang, version string, a ravao.RoleAssignment) (string, error) {
	switch a.Role {
	case ravao.RoleHealth, ravao.RoleLocal:
		name, err := unitName(tx, lang, version, a.UnitCode)
		return s.cat.T(lang, "scope.unit", name), err
	case ravao.RoleSector:
		name, err := unitName(tx, lang, version, a.UnitCode)
		return s.cat.T(lang, "scope.sector", s.cat.T(lang, "sector."+string(a.Sector)), name), err
	case ravao.RoleVenueManager:
		o, err := tx.Organisation(a.OrganisationID)
		if ravao.IsNotFound(err) {
			return s.cat.T(lang, "scope.organisation", s.cat.T(lang, "scope.unknown", a.OrganisationID)), nil
		}
		return s.cat.T(lang, "scope.organisation", o.Name), err
	case ravao.RoleGateStaff:
		c, err := tx.Checkpoint(a.CheckpointID)
		if ravao.IsNotFound(err) {
			return s.cat.T(lang, "scope.checkpoint", s.cat.T(lang, "scope.unknown", a.CheckpointID)), nil
		}
		return s.cat.T(lang, "scope.checkpoint", c.Name), err
	}
	return s.cat.T(lang, "scope.all"), nil
}

// unitName names a unit in lang, or gives its code when the active version
// does not know it.
func unitName(tx ravao.Tx, lang, version, code string) (string, error) {
	u, err := tx.Unit(version, code)
	if ravao.IsNotFound(err) {
		return code, nil
	}
	if err != nil {
		return "", err
	}
	return localName(u, lang), nil
}

// localName is a unit's full name in lang, falling back to Vietnamese.
func localName(u ravao.Unit, lang string) string {
	for _, n := range localNames(u, lang) {
		if n != "" {
			return n
		}
	}
	return u.Code
}

func localNames(u ravao.Unit, lang string) []string {
	if lang == "en" {
		return []string{u.FullNameEn, u.NameEn, u.FullName, u.Name}
	}
	return []string{u.FullName, u.Name}
}

// idString formats an id for audit records.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
