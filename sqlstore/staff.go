package sqlstore

import (
	"strings"

	"github.com/ravao/ravao"
)

const staffCols = `id, organisation_id, name, phone, phone_key, id_number, id_number_key, staff_number,
	department, birth_year, person_id, created_at, updated_at`

// staffInsertCols is how many values ReplaceStaff binds per member.
const staffInsertCols = 12

func scanStaff(s scanner) (ravao.StaffMember, error) {
	var m ravao.StaffMember
	err := s.Scan(&m.ID, &m.OrganisationID, &m.Name, &m.Phone, &m.PhoneKey, &m.IDNumber, &m.IDNumberKey,
		&m.StaffNumber, &m.Department, &m.BirthYear, idOrZero{&m.PersonID}, msTime{&m.CreatedAt}, msTime{&m.UpdatedAt})
	return m, err
}

// staffValues are the values a member is inserted with, in the order of
// staffInsertCols.
func (t *Tx) staffValues(m *ravao.StaffMember) []any {
	t.stamp(&m.CreatedAt, &m.UpdatedAt)
	return []any{m.OrganisationID, m.Name, m.Phone, m.PhoneKey, nullBytes(m.IDNumber), nullBytes(m.IDNumberKey),
		m.StaffNumber, m.Department, m.BirthYear, nullID(m.PersonID), ms(m.CreatedAt), ms(m.UpdatedAt)}
}

const staffInsertHead = `INSERT INTO staff (organisation_id, name, phone, phone_key, id_number, id_number_key,
	staff_number, department, birth_year, person_id, created_at, updated_at) VALUES `

// ReplaceStaff replaces an organisation's staff list with members.
func (t *Tx) ReplaceStaff(organisationID int64, members []*ravao.StaffMember) error {
	if _, err := t.exec(`DELETE FROM staff WHERE organisation_id = $1`, organisationID); err != nil {
		return err
	}
	for _, m := range members {
		m.OrganisationID = organisationID
	}
	err := insertAll(t, members, staffInsertCols, staffInsertHead, t.staffValues,
		func(m *ravao.StaffMember, id int64) { m.ID = id })
	if err != nil {
		return err
	}
	return t.insertStaffVenues(members)
}

// CreateStaffMember adds one member and their venues.
func (t *Tx) CreateStaffMember(m *ravao.StaffMember) error {
	id, err := t.insertID(staffInsertHead+placeholders(1, staffInsertCols)+` RETURNING id`, t.staffValues(m)...)
	if err != nil {
		return err
	}
	m.ID = id
	return t.insertStaffVenues([]*ravao.StaffMember{m})
}

// insertStaffVenues stores the venues of members, in as few statements as
// the engine binds.
func (t *Tx) insertStaffVenues(members []*ravao.StaffMember) error {
	var args []any
	for _, m := range members {
		for _, v := range m.VenueIDs {
			args = append(args, m.ID, v)
		}
	}
	per := t.batchRows(2) * 2
	for len(args) > 0 {
		chunk := args[:min(len(args), per)]
		args = args[len(chunk):]
		if _, err := t.exec(`INSERT INTO staff_venues (staff_id, venue_id) VALUES `+placeholders(len(chunk)/2, 2), chunk...); err != nil {
			return err
		}
	}
	return nil
}

// StaffMember returns a member, with their venues.
func (t *Tx) StaffMember(id int64) (ravao.StaffMember, error) {
	list, err := t.Staff(ravao.StaffFilter{IDs: []int64{id}})
	if err != nil {
		return ravao.StaffMember{}, err
	}
	if len(list) == 0 {
		return ravao.StaffMember{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return list[0], nil
}

// UpdateStaffMember writes a member's fields and venues.
func (t *Tx) UpdateStaffMember(m *ravao.StaffMember) error {
	err := t.execOne(`UPDATE staff SET name = $1, phone = $2, phone_key = $3, id_number = $4, id_number_key = $5,
		staff_number = $6, department = $7, birth_year = $8, person_id = $9, updated_at = $10 WHERE id = $11`,
		m.Name, m.Phone, m.PhoneKey, nullBytes(m.IDNumber), nullBytes(m.IDNumberKey), m.StaffNumber,
		m.Department, m.BirthYear, nullID(m.PersonID), ms(t.now), m.ID)
	if err != nil {
		return err
	}
	m.UpdatedAt = t.now
	if _, err := t.exec(`DELETE FROM staff_venues WHERE staff_id = $1`, m.ID); err != nil {
		return err
	}
	return t.insertStaffVenues([]*ravao.StaffMember{m})
}

// DeleteStaffMember deletes a member and their venues.
func (t *Tx) DeleteStaffMember(id int64) error {
	return t.execOne(`DELETE FROM staff WHERE id = $1`, id)
}

// staffWhere is the condition on staff (unqualified columns) f sets.
func staffWhere(f ravao.StaffFilter) *where {
	w := &where{}
	if f.OrganisationID != 0 {
		w.add("organisation_id = ?", f.OrganisationID)
	}
	if len(f.IDs) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.IDs)), ", ")
		args := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			args[i] = id
		}
		w.add("id IN ("+marks+")", args...)
	}
	if f.VenueID != 0 {
		w.add("id IN (SELECT staff_id FROM staff_venues WHERE venue_id = ?)", f.VenueID)
	}
	return w
}

// Staff lists the members f selects, by ID, with their venues. Names are
// sealed: the service orders by name once it has opened them.
func (t *Tx) Staff(f ravao.StaffFilter) ([]ravao.StaffMember, error) {
	w := staffWhere(f)
	list, err := getAll(t, scanStaff, `SELECT `+staffCols+` FROM staff`+w.sql()+` ORDER BY id`, w.args...)
	if err != nil || len(list) == 0 {
		return list, err
	}
	type pair struct{ staff, venue int64 }
	pairs, err := getAll(t, func(s scanner) (pair, error) {
		var p pair
		return p, s.Scan(&p.staff, &p.venue)
	}, `SELECT staff_id, venue_id FROM staff_venues WHERE staff_id IN (SELECT id FROM staff`+w.sql()+`)
		ORDER BY staff_id, venue_id`, w.args...)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(list))
	for i, m := range list {
		at[m.ID] = i
	}
	for _, p := range pairs {
		if i, ok := at[p.staff]; ok {
			list[i].VenueIDs = append(list[i].VenueIDs, p.venue)
		}
	}
	return list, nil
}

// LinkStaff links unlinked members to the person with the same phone key,
// or else the same ID number key.
func (t *Tx) LinkStaff(organisationID int64) (int, error) {
	q := `UPDATE staff SET person_id = COALESCE(
			(SELECT p.id FROM people p WHERE p.phone_key = staff.phone_key),
			(SELECT p.id FROM people p WHERE p.id_number_key = staff.id_number_key))
		WHERE person_id IS NULL AND (
			EXISTS (SELECT 1 FROM people p WHERE p.phone_key = staff.phone_key) OR
			EXISTS (SELECT 1 FROM people p WHERE p.id_number_key = staff.id_number_key))`
	if organisationID == 0 {
		return t.exec(q)
	}
	return t.exec(q+` AND organisation_id = $1`, organisationID)
}

// A member's (staff s) figures on a day, each 0 or 1: linked; declared,
// a declaration of the person created after $3 and before $2 (valid at
// some moment of the day); entered, a visit of the person that began in
// [$1, $2) at one of the member's venues.
const (
	linkedSQL   = `CASE WHEN s.person_id IS NULL THEN 0 ELSE 1 END`
	declaredSQL = `CASE WHEN s.person_id IS NOT NULL AND EXISTS (SELECT 1 FROM declarations d
		WHERE d.person_id = s.person_id AND d.created_at > $3 AND d.created_at < $2) THEN 1 ELSE 0 END`
	enteredSQL = `CASE WHEN s.person_id IS NOT NULL AND EXISTS (SELECT 1 FROM staff_venues sv
		JOIN visits v ON v.venue_id = sv.venue_id
		WHERE sv.staff_id = s.id AND v.person_id = s.person_id AND v.in_at >= $1 AND v.in_at < $2) THEN 1 ELSE 0 END`
)

// StaffDays says, for each member of q's organisation, whether they
// declared and entered on q's day.
func (t *Tx) StaffDays(q ravao.StaffDayQuery) ([]ravao.StaffDay, error) {
	return getAll(t, func(s scanner) (ravao.StaffDay, error) {
		var d ravao.StaffDay
		var linked, declared, entered int
		err := s.Scan(&d.StaffID, &linked, &declared, &entered)
		d.Declared, d.Entered = declared == 1, entered == 1
		return d, err
	}, `SELECT s.id, `+linkedSQL+`, `+declaredSQL+`, `+enteredSQL+` FROM staff s WHERE s.organisation_id = $4 ORDER BY s.id`,
		ms(q.From), ms(q.To), ms(q.DeclaredAfter), q.OrganisationID)
}

// Compliance counts q's day per organisation with staff at q's venues.
func (t *Tx) Compliance(q ravao.ComplianceQuery) ([]ravao.ComplianceCount, error) {
	w := &where{args: []any{ms(q.From), ms(q.To), ms(q.DeclaredAfter)}}
	if err := w.pathRange(q.UnitPath); err != nil {
		return nil, err
	}
	if q.Sector != "" {
		w.add("sector = ?", string(q.Sector))
	}
	if q.Zone != "" {
		w.add("zone = ?", q.Zone)
	}
	return getAll(t, func(s scanner) (ravao.ComplianceCount, error) {
		var c ravao.ComplianceCount
		return c, s.Scan(&c.OrganisationID, &c.Name, &c.Staff, &c.Linked, &c.Declared, &c.Entered, &c.Compliant)
	}, `SELECT o.id, o.name, COUNT(*), SUM(x.linked), SUM(x.declared), SUM(x.entered), SUM(x.declared * x.entered)
		FROM (SELECT s.organisation_id AS org, `+linkedSQL+` AS linked, `+declaredSQL+` AS declared,
			`+enteredSQL+` AS entered
			FROM staff s WHERE s.id IN (SELECT sv.staff_id FROM staff_venues sv
				WHERE sv.venue_id IN (SELECT id FROM venues`+w.sql()+`))) x
		JOIN organisations o ON o.id = x.org
		GROUP BY o.id, o.name ORDER BY o.name, o.id`, w.args...)
}
