package sqlstore

import (
	"strconv"
	"time"

	"github.com/ravao/ravao"
)

const venueCols = `id, organisation_id, name, type, sector, unit_code, unit_path, address, zone,
	opening_hours, closes_at_ms, capacity, default_stay_ms, status, status_reason, contact, contact_key,
	import_id, created_at, updated_at`

func scanVenue(s scanner) (ravao.Venue, error) {
	var v ravao.Venue
	var closes, stay int64
	err := s.Scan(&v.ID, &v.OrganisationID, &v.Name, &v.Type, &v.Sector, &v.UnitCode, &v.UnitPath,
		&v.Address, &v.Zone, &v.OpeningHours, &closes, &v.Capacity, &stay, &v.Status, &v.StatusReason,
		&v.Contact, &v.ContactKey, &v.ImportID, msTime{&v.CreatedAt}, msTime{&v.UpdatedAt})
	v.ClosesAt = time.Duration(closes) * time.Millisecond
	v.DefaultStay = time.Duration(stay) * time.Millisecond
	return v, err
}

// CreateVenue stores a venue of an existing organisation and sets its ID.
func (t *Tx) CreateVenue(v *ravao.Venue) error {
	t.stamp(&v.CreatedAt, &v.UpdatedAt)
	id, err := t.insertID(`INSERT INTO venues (organisation_id, name, type, sector, unit_code, unit_path,
		address, zone, opening_hours, closes_at_ms, capacity, default_stay_ms, status, status_reason,
		contact, contact_key, import_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
		v.OrganisationID, v.Name, string(v.Type), string(v.Sector), v.UnitCode, v.UnitPath, v.Address,
		v.Zone, v.OpeningHours, v.ClosesAt.Milliseconds(), v.Capacity, v.DefaultStay.Milliseconds(),
		string(v.Status), v.StatusReason, nullBytes(v.Contact), nullBytes(v.ContactKey), v.ImportID, ms(v.CreatedAt),
		ms(v.UpdatedAt))
	if err == nil {
		v.ID = id
	}
	return err
}

// Venue returns a venue by ID.
func (t *Tx) Venue(id int64) (ravao.Venue, error) {
	return getOne(t, scanVenue, `SELECT `+venueCols+` FROM venues WHERE id = $1`, id)
}

// Venues lists the venues f selects in ID order.
func (t *Tx) Venues(f ravao.VenueFilter) ([]ravao.Venue, error) {
	w, err := venueWhere(f)
	if err != nil {
		return nil, err
	}
	if f.AfterID != 0 {
		w.add("id > ?", f.AfterID)
	}
	q := `SELECT ` + venueCols + ` FROM venues` + w.sql() + ` ORDER BY id`
	if f.Limit > 0 {
		w.args = append(w.args, f.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(w.args))
	}
	return getAll(t, scanVenue, q, w.args...)
}

// CountVenues counts the venues f selects, ignoring AfterID and Limit.
func (t *Tx) CountVenues(f ravao.VenueFilter) (int, error) {
	w, err := venueWhere(f)
	if err != nil {
		return 0, err
	}
	return getOne(t, scanInt, `SELECT COUNT(*) FROM venues`+w.sql(), w.args...)
}

// venueWhere is the WHERE clause of f but for AfterID and Limit.
func venueWhere(f ravao.VenueFilter) (where, error) {
	var w where
	if f.OrganisationID != 0 {
		w.add("organisation_id = ?", f.OrganisationID)
	}
	if f.UnitPath != "" {
		hi, ok := unitPathEnd(f.UnitPath)
		if !ok {
			return w, &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields",
				Fields: map[string]string{"unit": "err.unit_code"}}
		}
		w.add("unit_path >= ? AND unit_path < ?", f.UnitPath, hi)
	}
	if f.Sector != "" {
		w.add("sector = ?", string(f.Sector))
	}
	if f.Type != "" {
		w.add("type = ?", string(f.Type))
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Zone != "" {
		w.add("zone = ?", f.Zone)
	}
	if f.ImportID != 0 {
		w.add("import_id = ?", f.ImportID)
	}
	return w, nil
}

// unitPathEnd returns the first string after every path that begins with
// path, so that a prefix match is the range [path, end): both engines
// compare unit_path byte by byte and serve the range from an index, and no
// character of path can act as a wildcard. Only a well-formed path is
// accepted ("35/347/": unit codes, each ended by "/"), so a filter for
// "35/34/" cannot reach "35/347/"; its final "/" raised by one is "0".
func unitPathEnd(path string) (string, bool) {
	if ravao.UnitPathOf(ravao.SplitUnitPath(path)) != path {
		return "", false
	}
	for i := 0; i < len(path); i++ {
		c := path[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '/') {
			return "", false
		}
	}
	return path[:len(path)-1] + "0", true
}

// UpdateVenue writes every field of a venue but its organisation and
// CreatedAt, and sets UpdatedAt to the transaction's Now.
func (t *Tx) UpdateVenue(v *ravao.Venue) error {
	t.placesChanged = true
	err := t.execOne(`UPDATE venues SET name = $1, type = $2, sector = $3, unit_code = $4, unit_path = $5,
		address = $6, zone = $7, opening_hours = $8, closes_at_ms = $9, capacity = $10, default_stay_ms = $11,
		status = $12, status_reason = $13, contact = $14, contact_key = $15, updated_at = $16 WHERE id = $17`,
		v.Name, string(v.Type), string(v.Sector), v.UnitCode, v.UnitPath, v.Address, v.Zone, v.OpeningHours,
		v.ClosesAt.Milliseconds(), v.Capacity, v.DefaultStay.Milliseconds(), string(v.Status), v.StatusReason,
		nullBytes(v.Contact), nullBytes(v.ContactKey), ms(t.now), v.ID)
	if err == nil {
		v.UpdatedAt = t.now
	}
	return err
}
