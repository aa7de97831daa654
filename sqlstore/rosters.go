package sqlstore

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

const rosterCols = `id, unit_code, sector, unit_path, file_name, entries, uploaded_by, created_at`

func scanRoster(s scanner) (ravao.Roster, error) {
	var r ravao.Roster
	return r, s.Scan(&r.ID, &r.UnitCode, &r.Sector, &r.UnitPath, &r.FileName, &r.Entries,
		idOrZero{&r.UploadedBy}, msTime{&r.CreatedAt})
}

const rosterEntryCols = `id, roster_id, line, unit_code, unit_path, sector, name, name_key, address,
	tax_code, phone, phone_key, venue_id, match, rejected_venue_id, updated_by, updated_at`

// rosterEntryInsertCols is how many values CreateRoster binds per entry.
const rosterEntryInsertCols = 16

func scanRosterEntry(s scanner) (ravao.RosterEntry, error) {
	var e ravao.RosterEntry
	return e, s.Scan(&e.ID, &e.RosterID, &e.Line, &e.UnitCode, &e.UnitPath, &e.Sector, &e.Name, &e.NameKey,
		&e.Address, &e.TaxCode, &e.Phone, &e.PhoneKey, idOrZero{&e.VenueID}, &e.Match,
		idOrZero{&e.RejectedVenueID}, idOrZero{&e.UpdatedBy}, msTime{&e.UpdatedAt})
}

// CreateRoster replaces the roster of r's unit and sector, and its
// entries, with r and entries; it sets their IDs, the entries' RosterID
// and r.Entries.
func (t *Tx) CreateRoster(r *ravao.Roster, entries []*ravao.RosterEntry) error {
	if _, err := t.exec(`DELETE FROM rosters WHERE unit_code = $1 AND sector = $2`,
		r.UnitCode, string(r.Sector)); err != nil {
		return err
	}
	t.stamp(&r.CreatedAt)
	r.Entries = len(entries)
	id, err := t.insertID(`INSERT INTO rosters (unit_code, sector, unit_path, file_name, entries, uploaded_by,
		created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.UnitCode, string(r.Sector), r.UnitPath,
		r.FileName, r.Entries, nullID(r.UploadedBy), ms(r.CreatedAt))
	if err != nil {
		return err
	}
	r.ID = id
	return insertAll(t, entries, rosterEntryInsertCols, `INSERT INTO roster_entries (roster_id, line, unit_code,
		unit_path, sector, name, name_key, address, tax_code, phone, phone_key, venue_id, match,
		rejected_venue_id, updated_by, updated_at) VALUES `,
		func(e *ravao.RosterEntry) []any {
			e.RosterID = r.ID
			t.stamp(&e.UpdatedAt)
			return []any{e.RosterID, e.Line, e.UnitCode, e.UnitPath, string(e.Sector), e.Name, e.NameKey,
				e.Address, e.TaxCode, nullBytes(e.Phone), nullBytes(e.PhoneKey), nullID(e.VenueID),
				string(e.Match), nullID(e.RejectedVenueID), nullID(e.UpdatedBy), ms(e.UpdatedAt)}
		},
		func(e *ravao.RosterEntry, id int64) { e.ID = id })
}

// Roster finds the roster of a unit and sector.
func (t *Tx) Roster(unitCode string, sector ravao.Sector) (ravao.Roster, error) {
	return getOne(t, scanRoster, `SELECT `+rosterCols+` FROM rosters WHERE unit_code = $1 AND sector = $2`,
		unitCode, string(sector))
}

// Rosters lists the rosters whose unit is at or below unitPath (all for
// ""), by unit code then sector.
func (t *Tx) Rosters(unitPath string) ([]ravao.Roster, error) {
	var w where
	if err := w.pathRange(unitPath); err != nil {
		return nil, err
	}
	return getAll(t, scanRoster, `SELECT `+rosterCols+` FROM rosters`+w.sql()+` ORDER BY unit_code, sector`,
		w.args...)
}

// DeleteRoster deletes a roster and its entries.
func (t *Tx) DeleteRoster(id int64) error {
	return t.execOne(`DELETE FROM rosters WHERE id = $1`, id)
}

// RosterEntry returns a roster entry by ID.
func (t *Tx) RosterEntry(id int64) (ravao.RosterEntry, error) {
	return getOne(t, scanRosterEntry, `SELECT `+rosterEntryCols+` FROM roster_entries WHERE id = $1`, id)
}

// RosterEntries lists the entries f selects, in ID order.
func (t *Tx) RosterEntries(f ravao.RosterFilter) ([]ravao.RosterEntry, error) {
	var w where
	if f.RosterID != 0 {
		w.add("roster_id = ?", f.RosterID)
	}
	if err := w.pathRange(f.UnitPath); err != nil {
		return nil, err
	}
	if f.Sector != "" {
		w.add("sector = ?", string(f.Sector))
	}
	if f.Missing {
		w.add("match IN ('', '" + string(ravao.MatchName) + "')")
	}
	if f.AfterID != 0 {
		w.add("id > ?", f.AfterID)
	}
	q := `SELECT ` + rosterEntryCols + ` FROM roster_entries` + w.sql() + ` ORDER BY id`
	if f.Limit > 0 {
		w.args = append(w.args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(w.args))
	}
	return getAll(t, scanRosterEntry, q, w.args...)
}

// UpdateRosterEntry writes an entry's match, venues and who set them, and
// sets UpdatedAt to the transaction's Now.
func (t *Tx) UpdateRosterEntry(e *ravao.RosterEntry) error {
	err := t.execOne(`UPDATE roster_entries SET venue_id = $1, match = $2, rejected_venue_id = $3,
		updated_by = $4, updated_at = $5 WHERE id = $6`, nullID(e.VenueID), string(e.Match),
		nullID(e.RejectedVenueID), nullID(e.UpdatedBy), ms(t.now), e.ID)
	if err == nil {
		e.UpdatedAt = t.now
	}
	return err
}

// Coverage counts the entries at or below unitPath (and of sector when not
// ""), per entry unit and sector, by unit path then sector.
func (t *Tx) Coverage(unitPath string, sector ravao.Sector) ([]ravao.CoverageCount, error) {
	var w where
	if err := w.pathRange(unitPath); err != nil {
		return nil, err
	}
	if sector != "" {
		w.add("sector = ?", string(sector))
	}
	return getAll(t, func(s scanner) (ravao.CoverageCount, error) {
		var c ravao.CoverageCount
		return c, s.Scan(&c.UnitPath, &c.UnitCode, &c.Sector, &c.Required, &c.Covered, &c.Proposed)
	}, `SELECT unit_path, unit_code, sector, COUNT(*),
		SUM(CASE WHEN match IN ('`+string(ravao.MatchTax)+`', '`+string(ravao.MatchPhone)+`', '`+
		string(ravao.MatchConfirmed)+`') THEN 1 ELSE 0 END),
		SUM(CASE WHEN match = '`+string(ravao.MatchName)+`' THEN 1 ELSE 0 END)
		FROM roster_entries`+w.sql()+` GROUP BY unit_path, unit_code, sector ORDER BY unit_path, sector`,
		w.args...)
}

// RosterCandidates lists the venues whose organisation has one of
// taxCodes or whose ContactKey is one of phoneKeys, by venue ID. Empty
// codes and keys match nothing; long lists are asked in batches.
func (t *Tx) RosterCandidates(taxCodes []string, phoneKeys [][]byte) ([]ravao.RosterCandidate, error) {
	found := map[int64]ravao.RosterCandidate{}
	var codes, keys []any
	for _, c := range taxCodes {
		if c != "" {
			codes = append(codes, c)
		}
	}
	for _, k := range phoneKeys {
		if len(k) > 0 {
			keys = append(keys, k)
		}
	}
	if err := t.candidates(found, "o.tax_code <> '' AND o.tax_code", codes); err != nil {
		return nil, err
	}
	if err := t.candidates(found, "v.contact_key IS NOT NULL AND v.contact_key", keys); err != nil {
		return nil, err
	}
	out := make([]ravao.RosterCandidate, 0, len(found))
	for _, c := range found {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ravao.RosterCandidate) int { return cmp.Compare(a.Venue.ID, b.Venue.ID) })
	return out, nil
}

// candidates adds to found the venues, with their organisation's tax code,
// for which "col IN (values)" holds, asking in batches.
func (t *Tx) candidates(found map[int64]ravao.RosterCandidate, col string, values []any) error {
	for len(values) > 0 {
		chunk := values[:min(len(values), t.batchRows(1))]
		values = values[len(chunk):]
		got, err := getAll(t, func(s scanner) (ravao.RosterCandidate, error) {
			var c ravao.RosterCandidate
			var tax string
			v, err := scanVenue(joined{s, func(s scanner) error { return s.Scan(&tax) }})
			c.Venue, c.TaxCode = v, tax
			return c, err
		}, `SELECT `+qualified("v.", venueCols)+`, o.tax_code FROM venues v
			JOIN organisations o ON o.id = v.organisation_id
			WHERE `+col+` IN `+placeholders(1, len(chunk)), chunk...)
		if err != nil {
			return err
		}
		for _, c := range got {
			found[c.Venue.ID] = c
		}
	}
	return nil
}

// qualified prefixes each column of a comma-separated list with prefix.
func qualified(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// pathRange adds the condition that unit_path is at or below path (a
// prefix of it), as the range venueWhere uses; "" adds nothing.
func (w *where) pathRange(path string) error {
	if path == "" {
		return nil
	}
	hi, ok := unitPathEnd(path)
	if !ok {
		return ravao.FieldError("unit", "err.unit_code")
	}
	w.add("unit_path >= ? AND unit_path < ?", path, hi)
	return nil
}
