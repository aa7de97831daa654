package sqlstore

import (
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

const breachCols = `id, title, sealed, occurred_at, found_at, data_kinds, people_affected, status, notified_at,
	authority_ref, people_listed_at, created_by, created_at, updated_at`

func scanBreach(s scanner) (ravao.Breach, error) {
	var b ravao.Breach
	var kinds string
	err := s.Scan(&b.ID, &b.Title, &b.Sealed, msTime{&b.OccurredAt}, msTime{&b.FoundAt}, &kinds, &b.PeopleAffected,
		&b.Status, msTime{&b.NotifiedAt}, &b.AuthorityRef, msTime{&b.PeopleListedAt}, &b.CreatedBy,
		msTime{&b.CreatedAt}, msTime{&b.UpdatedAt})
	if kinds != "" {
		b.DataKinds = strings.Split(kinds, ",")
	}
	return b, err
}

// CreateBreach stores a breach under the ID it carries.
func (t *Tx) CreateBreach(b *ravao.Breach) error {
	t.stamp(&b.CreatedAt, &b.UpdatedAt)
	_, err := t.exec(`INSERT INTO breaches (`+breachCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		b.ID, b.Title, b.Sealed, ms(b.OccurredAt), ms(b.FoundAt), strings.Join(b.DataKinds, ","), b.PeopleAffected,
		string(b.Status), ms(b.NotifiedAt), b.AuthorityRef, ms(b.PeopleListedAt), b.CreatedBy, ms(b.CreatedAt),
		ms(b.UpdatedAt))
	return err
}

// Breach returns a breach by ID, sealed text included.
func (t *Tx) Breach(id int64) (ravao.Breach, error) {
	return getOne(t, scanBreach, `SELECT `+breachCols+` FROM breaches WHERE id = $1`, id)
}

// Breaches lists breaches by discovery then ID, without their sealed text.
func (t *Tx) Breaches(f ravao.BreachFilter) ([]ravao.Breach, error) {
	var w where
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	cols := strings.Replace(breachCols, "sealed", "NULL", 1)
	q := `SELECT ` + cols + ` FROM breaches` + w.sql() + ` ORDER BY found_at, id` + w.limit(f.Limit)
	return getAll(t, scanBreach, q, w.args...)
}

// UpdateBreach writes a breach's mutable fields and sets UpdatedAt.
func (t *Tx) UpdateBreach(b *ravao.Breach) error {
	err := t.execOne(`UPDATE breaches SET title = $1, sealed = $2, occurred_at = $3, found_at = $4, data_kinds = $5,
		people_affected = $6, status = $7, notified_at = $8, authority_ref = $9, people_listed_at = $10,
		updated_at = $11 WHERE id = $12`,
		b.Title, b.Sealed, ms(b.OccurredAt), ms(b.FoundAt), strings.Join(b.DataKinds, ","), b.PeopleAffected,
		string(b.Status), ms(b.NotifiedAt), b.AuthorityRef, ms(b.PeopleListedAt), ms(t.now), b.ID)
	if err == nil {
		b.UpdatedAt = t.now
	}
	return err
}

const breachEventCols = `id, breach_id, at, user_id, action, status`

func scanBreachEvent(s scanner) (ravao.BreachEvent, error) {
	var e ravao.BreachEvent
	err := s.Scan(&e.ID, &e.BreachID, msTime{&e.At}, &e.UserID, &e.Action, &e.Status)
	return e, err
}

// AddBreachEvent records a step of a breach's history and sets its ID.
func (t *Tx) AddBreachEvent(e *ravao.BreachEvent) error {
	t.stamp(&e.At)
	id, err := t.insertID(`INSERT INTO breach_events (breach_id, at, user_id, action, status)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, e.BreachID, ms(e.At), e.UserID, e.Action, string(e.Status))
	if err == nil {
		e.ID = id
	}
	return err
}

// BreachEvents lists a breach's history, oldest first.
func (t *Tx) BreachEvents(breachID int64) ([]ravao.BreachEvent, error) {
	return getAll(t, scanBreachEvent, `SELECT `+breachEventCols+` FROM breach_events
		WHERE breach_id = $1 ORDER BY id`, breachID)
}

// AffectedPeople lists the people q selects, by ID, one page at a time:
// those with a visit at one of q's venues overlapping [From, To) (a visit
// without check-out counts from its check-in), those who declared in
// [From, To), or those whose home unit is q's.
func (t *Tx) AffectedPeople(q ravao.AffectedQuery) ([]ravao.PersonRecord, error) {
	var w where
	w.add("p.id > ?", q.AfterID)
	switch {
	case len(q.VenueIDs) > 0:
		ids := make([]string, len(q.VenueIDs))
		for i, id := range q.VenueIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		w.add(`EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.venue_id IN (`+strings.Join(ids, ", ")+`)
			AND v.in_at < ? AND COALESCE(v.out_at, v.in_at) >= ?)`, ms(q.To), ms(q.From))
	case q.Declarations:
		w.add(`EXISTS (SELECT 1 FROM declarations d WHERE d.person_id = p.id AND d.created_at >= ? AND d.created_at < ?)`,
			ms(q.From), ms(q.To))
	case q.UnitCode != "":
		w.add("p.unit_code = ?", q.UnitCode)
	default:
		return nil, ravao.Errorf(ravao.Invalid, "err.breach_criteria")
	}
	return getAll(t, scanPerson, `SELECT `+qualified("p.", personCols)+` FROM people p`+w.sql()+` ORDER BY p.id`+w.limit(q.Limit), w.args...)
}
