package sqlstore

import (
	"github.com/ravao/ravao"
)

const unitCols = `version, code, parent_code, level, name, full_name, name_en, full_name_en, valid_from, valid_to`

// unitChunk is how many units one INSERT carries: 10 parameters each, well
// under both engines' limits on bound parameters.
const unitChunk = 10

func scanUnit(s scanner) (ravao.Unit, error) {
	var u ravao.Unit
	err := s.Scan(&u.Version, &u.Code, &u.ParentCode, &u.Level, &u.Name, &u.FullName,
		&u.NameEn, &u.FullNameEn, &u.ValidFrom, &u.ValidTo)
	return u, err
}

// PutUnits inserts units or updates them by (Version, Code), in multi-row
// upserts, and returns how many were new. A unit listed twice counts once,
// with its last values.
func (t *Tx) PutUnits(units []ravao.Unit) (int, error) {
	if t.db.Dialect.LockUnits != "" {
		if _, err := t.exec(t.db.Dialect.LockUnits); err != nil {
			return 0, err
		}
	}
	before, err := t.countUnits()
	if err != nil {
		return 0, err
	}
	units = lastOfEach(units)
	for len(units) > 0 {
		n := min(len(units), t.batchRows(10))
		if err := t.upsertUnits(units[:n]); err != nil {
			return 0, err
		}
		units = units[n:]
	}
	after, err := t.countUnits()
	return after - before, err
}

// lastOfEach drops all but the last of units sharing a (Version, Code):
// PostgreSQL refuses to upsert one row twice in a statement.
func lastOfEach(units []ravao.Unit) []ravao.Unit {
	type key struct{ version, code string }
	last := make(map[key]int, len(units))
	for i, u := range units {
		last[key{u.Version, u.Code}] = i
	}
	if len(last) == len(units) {
		return units
	}
	out := make([]ravao.Unit, 0, len(last))
	for i, u := range units {
		if last[key{u.Version, u.Code}] == i {
			out = append(out, u)
		}
	}
	return out
}

func (t *Tx) countUnits() (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM units`).Scan(&n)
	return n, t.db.translate(err)
}

func (t *Tx) upsertUnits(units []ravao.Unit) error {
	args := make([]any, 0, len(units)*10)
	for _, u := range units {
		args = append(args, u.Version, u.Code, u.ParentCode, u.Level, u.Name, u.FullName,
			u.NameEn, u.FullNameEn, u.ValidFrom, u.ValidTo)
	}
	st, err := t.stmt(`INSERT INTO units (` + unitCols + `) VALUES ` + placeholders(len(units), 10) + `
		ON CONFLICT (version, code) DO UPDATE SET parent_code = excluded.parent_code,
		level = excluded.level, name = excluded.name, full_name = excluded.full_name,
		name_en = excluded.name_en, full_name_en = excluded.full_name_en,
		valid_from = excluded.valid_from, valid_to = excluded.valid_to`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(t.ctx, args...)
	return t.db.translate(err)
}

// Unit returns one unit of a version.
func (t *Tx) Unit(version, code string) (ravao.Unit, error) {
	return getOne(t, scanUnit, `SELECT `+unitCols+` FROM units WHERE version = $1 AND code = $2`, version, code)
}

// Units lists units by code.
func (t *Tx) Units(f ravao.UnitFilter) ([]ravao.Unit, error) {
	var w where
	if f.Version != "" {
		w.add("version = ?", f.Version)
	}
	switch {
	case f.Roots:
		w.add("parent_code = ''")
	case f.ParentCode != "":
		w.add("parent_code = ?", f.ParentCode)
	}
	if f.Level > 0 {
		w.add("level = ?", f.Level)
	}
	q := `SELECT ` + unitCols + ` FROM units` + w.sql() + ` ORDER BY version, code` + w.limit(f.Limit)
	return getAll(t, scanUnit, q, w.args...)
}

// UnitAncestors lists the ancestors of a unit, root first. The walk stops
// after 16 steps so that a cycle in imported data cannot loop forever.
func (t *Tx) UnitAncestors(version, code string) ([]ravao.Unit, error) {
	if _, err := t.Unit(version, code); err != nil {
		return nil, err
	}
	return getAll(t, scanUnit, `WITH RECURSIVE up (code, parent_code, depth) AS (
			SELECT code, parent_code, 0 FROM units WHERE version = $1 AND code = $2
			UNION ALL
			SELECT u.code, u.parent_code, up.depth + 1 FROM units u
			JOIN up ON u.version = $1 AND u.code = up.parent_code
			WHERE up.depth < 16
		)
		SELECT u.version, u.code, u.parent_code, u.level, u.name, u.full_name, u.name_en,
			u.full_name_en, u.valid_from, u.valid_to
		FROM up JOIN units u ON u.version = $1 AND u.code = up.code
		WHERE up.depth > 0 ORDER BY up.depth DESC`, version, code)
}

// UnitCounts returns how many units each level of a version has.
func (t *Tx) UnitCounts(version string) (map[int]int, error) {
	type count struct{ level, n int }
	rows, err := getAll(t, func(s scanner) (count, error) {
		var c count
		return c, s.Scan(&c.level, &c.n)
	}, `SELECT level, count(*) FROM units WHERE version = $1 GROUP BY level`, version)
	if err != nil {
		return nil, err
	}
	out := make(map[int]int, len(rows))
	for _, c := range rows {
		out[c.level] = c.n
	}
	return out, nil
}

// UnitVersions lists the versions of the unit tree, in order.
func (t *Tx) UnitVersions() ([]string, error) {
	return getAll(t, func(s scanner) (string, error) {
		var v string
		return v, s.Scan(&v)
	}, `SELECT DISTINCT version FROM units ORDER BY version`)
}
