package ravao

import (
	"strings"
	"unicode/utf8"
)

// Unit is one administrative unit (province, district, commune...) in one
// dataset version of the tree. Units are data, not code: the depth of the
// tree and the names of its levels come from the imported file.
type Unit struct {
	Version    string // dataset version, e.g. "2025-03"
	Code       string // national statistics code; never reused
	ParentCode string // empty for a top-level unit
	Level      int    // 1 for provinces, 2 for the next level, ...
	Name       string // short name, e.g. "Hà Nam"
	FullName   string // name with its type, e.g. "Tỉnh Hà Nam"
	NameEn     string
	FullNameEn string
	ValidFrom  string // date the unit came into force (YYYY-MM-DD), optional
	ValidTo    string // date it was dissolved, optional
}

// Validate checks a unit before it is stored.
func (u Unit) Validate() error {
	fe := FieldErrors{}
	if !validUnitCode(u.Code) {
		fe.Add("code", "err.unit_code")
	}
	if u.ParentCode != "" && !validUnitCode(u.ParentCode) {
		fe.Add("parent_code", "err.unit_code")
	}
	if u.Version == "" || len(u.Version) > 32 {
		fe.Add("version", "err.unit_version")
	}
	if u.Level < 1 || u.Level > 6 || (u.Level == 1) != (u.ParentCode == "") {
		fe.Add("level", "err.unit_level")
	}
	if strings.TrimSpace(u.Name) == "" || !utf8.ValidString(u.Name) || len(u.Name) > 200 {
		fe.Add("name", "err.unit_name")
	}
	if !utf8.ValidString(u.FullName) || len(u.FullName) > 250 {
		fe.Add("full_name", "err.unit_name")
	}
	return fe.Err()
}

// ValidUnitCode reports whether s has the shape of a unit code: 1 to 16
// ASCII digits or letters.
func validUnitCode(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// ValidUnitCode reports whether s has the shape of a unit code.
func ValidUnitCode(s string) bool { return validUnitCode(s) }

// UnitFilter selects units. An empty ParentCode with Roots set lists the top
// level.
type UnitFilter struct {
	Version    string
	ParentCode string
	Roots      bool
	Level      int
	Limit      int
}

// UnitPath returns the codes from the root down to u, given u's ancestors
// listed from the root (as Tx.UnitAncestors returns them).
func UnitPath(ancestors []Unit, u Unit) []string {
	path := make([]string, 0, len(ancestors)+1)
	for _, a := range ancestors {
		path = append(path, a.Code)
	}
	return append(path, u.Code)
}

// ActiveUnitVersionSetting names the setting that holds the unit dataset
// version in use.
const ActiveUnitVersionSetting = "units.active_version"

// ActiveUnitVersion is the unit dataset version in use: the setting, else
// the newest version stored, else "".
func ActiveUnitVersion(tx Tx) string {
	if v, err := tx.Setting(ActiveUnitVersionSetting); err == nil && v != "" {
		return v
	}
	vs, err := tx.UnitVersions()
	if err != nil || len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// UnitPathFor resolves a unit code of the active version to the path a
// venue stores (Venue.UnitPath); an unknown code is a field error on
// "unit".
func UnitPathFor(tx Tx, code string) (string, error) {
	version := ActiveUnitVersion(tx)
	u, err := tx.Unit(version, code)
	if IsNotFound(err) {
		return "", FieldError("unit", "err.unit_unknown")
	}
	if err != nil {
		return "", err
	}
	anc, err := tx.UnitAncestors(version, code)
	if err != nil {
		return "", err
	}
	return UnitPathOf(UnitPath(anc, u)), nil
}
