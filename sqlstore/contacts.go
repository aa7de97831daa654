package sqlstore

import (
	"github.com/ravao/ravao"
)

const contactCols = `id, case_id, person_id, degree, via_contact_id, class, overlap_ms, visit_count,
	same_vehicle, first_at, status, assignee_id, promoted_case_id, created_at, updated_at`

func scanContact(s scanner) (ravao.Contact, error) {
	var c ravao.Contact
	err := s.Scan(&c.ID, &c.CaseID, &c.PersonID, &c.Degree, idOrZero{&c.ViaContactID}, &c.Class,
		msDuration{&c.Overlap}, &c.Visits, &c.SameVehicle, msTime{&c.FirstAt}, &c.Status,
		idOrZero{&c.AssigneeID}, idOrZero{&c.PromotedCaseID}, msTime{&c.CreatedAt}, msTime{&c.UpdatedAt})
	return c, err
}

// contactInsertCols is how many values PutContacts binds per new contact.
const contactInsertCols = 12

// onList is a contact already on a case's list.
type onList struct {
	id     int64
	degree int
}

// PutContacts adds the people not yet on the case's list, with status new
// and no assignee, and refreshes the figures of those already on it. A
// person already on the list at a lower degree than found now (an F1
// reached again from another contact) is left as they are: their figures
// are those of the closer exposure. It sets each contact's CaseID and ID,
// and fills the new ones' Status and times. A person twice in cs is a
// Conflict.
func (t *Tx) PutContacts(caseID int64, cs []*ravao.Contact) (int, error) {
	known, err := t.caseContacts(caseID)
	if err != nil {
		return 0, err
	}
	var fresh []*ravao.Contact
	for _, c := range cs {
		c.CaseID = caseID
		k, ok := known[c.PersonID]
		if !ok {
			fresh = append(fresh, c)
			continue
		}
		c.ID = k.id
		if c.Degree <= k.degree {
			if err := t.refreshContact(c); err != nil {
				return 0, err
			}
		}
	}
	return len(fresh), t.insertContacts(fresh)
}

// caseContacts returns the people on a case's list with their contact's
// ID and degree.
func (t *Tx) caseContacts(caseID int64) (map[int64]onList, error) {
	type row struct {
		person int64
		onList
	}
	rows, err := getAll(t, func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.person, &r.id, &r.degree)
	}, `SELECT person_id, id, degree FROM contacts WHERE case_id = $1`, caseID)
	out := make(map[int64]onList, len(rows))
	for _, r := range rows {
		out[r.person] = r.onList
	}
	return out, err
}

// refreshContact writes the figures of a contact already on the list.
func (t *Tx) refreshContact(c *ravao.Contact) error {
	st, err := t.stmt(`UPDATE contacts SET degree = $1, via_contact_id = $2, class = $3, overlap_ms = $4,
		visit_count = $5, same_vehicle = $6, first_at = $7, updated_at = $8 WHERE id = $9`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(t.ctx, c.Degree, nullID(c.ViaContactID), string(c.Class), c.Overlap.Milliseconds(),
		c.Visits, c.SameVehicle, ms(c.FirstAt), ms(t.now), c.ID)
	if err == nil {
		c.UpdatedAt = t.now
	}
	return t.db.translate(err)
}

// insertContacts inserts new contacts, with status new and no assignee.
func (t *Tx) insertContacts(cs []*ravao.Contact) error {
	return insertAll(t, cs, contactInsertCols, `INSERT INTO contacts (case_id, person_id, degree, via_contact_id,
		class, overlap_ms, visit_count, same_vehicle, first_at, status, created_at, updated_at) VALUES `,
		func(c *ravao.Contact) []any {
			c.Status, c.AssigneeID, c.PromotedCaseID = ravao.ContactNew, 0, 0
			c.CreatedAt, c.UpdatedAt = t.now, t.now
			return []any{c.CaseID, c.PersonID, c.Degree, nullID(c.ViaContactID), string(c.Class),
				c.Overlap.Milliseconds(), c.Visits, c.SameVehicle, ms(c.FirstAt), string(c.Status),
				ms(c.CreatedAt), ms(c.UpdatedAt)}
		}, func(c *ravao.Contact, id int64) { c.ID = id })
}

// Contact returns a contact by ID.
func (t *Tx) Contact(id int64) (ravao.Contact, error) {
	return getOne(t, scanContact, `SELECT `+contactCols+` FROM contacts WHERE id = $1`, id)
}

// Contacts lists a case's contacts by degree, then overlap (longest
// first), then ID.
func (t *Tx) Contacts(caseID int64) ([]ravao.Contact, error) {
	return getAll(t, scanContact, `SELECT `+contactCols+` FROM contacts WHERE case_id = $1
		ORDER BY degree, overlap_ms DESC, id`, caseID)
}

// UpdateContact writes a contact's status, assignee and promoted case, and
// sets UpdatedAt to the transaction's Now.
func (t *Tx) UpdateContact(c *ravao.Contact) error {
	err := t.execOne(`UPDATE contacts SET status = $1, assignee_id = $2, promoted_case_id = $3,
		updated_at = $4 WHERE id = $5`,
		string(c.Status), nullID(c.AssigneeID), nullID(c.PromotedCaseID), ms(t.now), c.ID)
	if err == nil {
		c.UpdatedAt = t.now
	}
	return err
}

const contactEventCols = `id, contact_id, at, user_id, status, assignee_id, note`

func scanContactEvent(s scanner) (ravao.ContactEvent, error) {
	var e ravao.ContactEvent
	err := s.Scan(&e.ID, &e.ContactID, msTime{&e.At}, &e.UserID, &e.Status, &e.AssigneeID, &e.Note)
	return e, err
}

// AddContactEvent records a step of a contact's history, at the
// transaction's Now unless At is set, and sets its ID.
func (t *Tx) AddContactEvent(e *ravao.ContactEvent) error {
	t.stamp(&e.At)
	id, err := t.insertID(`INSERT INTO contact_events (contact_id, at, user_id, status, assignee_id, note)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.ContactID, ms(e.At), e.UserID, string(e.Status), e.AssigneeID, nullBytes(e.Note))
	if err == nil {
		e.ID = id
	}
	return err
}

// ContactEvents lists a contact's history, oldest first.
func (t *Tx) ContactEvents(contactID int64) ([]ravao.ContactEvent, error) {
	return getAll(t, scanContactEvent, `SELECT `+contactEventCols+` FROM contact_events
		WHERE contact_id = $1 ORDER BY id`, contactID)
}
