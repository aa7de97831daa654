package sqlstore

import (
	"database/sql"
	"strings"

	"github.com/ravao/ravao"
)

const caseCols = `id, person_id, unit_code, unit_path, reason, onset, window_from, window_to, buffer_ms,
	open_window_ms, min_overlap_ms, close_after_ms, window_before_ms, status, source_contact_id, created_by,
	created_at, updated_at, closed_at`

func scanCase(s scanner) (ravao.Case, error) {
	var c ravao.Case
	st := &c.Settings
	err := s.Scan(&c.ID, &c.PersonID, &c.UnitCode, &c.UnitPath, &c.Reason, msTime{&c.Onset},
		msTime{&c.WindowFrom}, msTime{&c.WindowTo}, msDuration{&st.Buffer}, msDuration{&st.OpenWindow},
		msDuration{&st.MinOverlap}, msDuration{&st.CloseAfter}, msDuration{&st.WindowBefore}, &c.Status,
		idOrZero{&c.SourceContactID}, &c.CreatedBy, msTime{&c.CreatedAt}, msTime{&c.UpdatedAt},
		msTime{&c.ClosedAt})
	return c, err
}

// CreateCase stores a case of an existing person and sets its ID.
func (t *Tx) CreateCase(c *ravao.Case) error {
	t.stamp(&c.CreatedAt, &c.UpdatedAt)
	st := c.Settings
	id, err := t.insertID(`INSERT INTO cases (person_id, unit_code, unit_path, reason, onset, window_from,
		window_to, buffer_ms, open_window_ms, min_overlap_ms, close_after_ms, window_before_ms, status,
		source_contact_id, created_by, created_at, updated_at, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		c.PersonID, c.UnitCode, c.UnitPath, c.Reason, ms(c.Onset), ms(c.WindowFrom), ms(c.WindowTo),
		st.Buffer.Milliseconds(), st.OpenWindow.Milliseconds(), st.MinOverlap.Milliseconds(),
		st.CloseAfter.Milliseconds(), st.WindowBefore.Milliseconds(), string(c.Status),
		nullID(c.SourceContactID), c.CreatedBy, ms(c.CreatedAt), ms(c.UpdatedAt), ms(c.ClosedAt))
	if err == nil {
		c.ID = id
	}
	return err
}

// Case returns a case by ID.
func (t *Tx) Case(id int64) (ravao.Case, error) {
	return getOne(t, scanCase, `SELECT `+caseCols+` FROM cases WHERE id = $1`, id)
}

// Cases lists the cases f selects, newest first. A UnitPath that is not a
// well-formed path is Invalid, as for venues.
func (t *Tx) Cases(f ravao.CaseFilter) ([]ravao.Case, error) {
	var w where
	if f.UnitPath != "" {
		hi, ok := unitPathEnd(f.UnitPath)
		if !ok {
			return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields",
				Fields: map[string]string{"unit": "err.unit_code"}}
		}
		w.add("unit_path >= ? AND unit_path < ?", f.UnitPath, hi)
	}
	if f.PersonID != 0 {
		w.add("person_id = ?", f.PersonID)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.AfterID != 0 {
		w.add("id < ?", f.AfterID)
	}
	q := `SELECT ` + caseCols + ` FROM cases` + w.sql() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return getAll(t, scanCase, q, w.args...)
}

// UpdateCase writes a case's reason, onset, window, settings, status and
// closing time, and sets UpdatedAt to the transaction's Now.
func (t *Tx) UpdateCase(c *ravao.Case) error {
	st := c.Settings
	err := t.execOne(`UPDATE cases SET reason = $1, onset = $2, window_from = $3, window_to = $4,
		buffer_ms = $5, open_window_ms = $6, min_overlap_ms = $7, close_after_ms = $8, window_before_ms = $9,
		status = $10, closed_at = $11, updated_at = $12 WHERE id = $13`,
		c.Reason, ms(c.Onset), ms(c.WindowFrom), ms(c.WindowTo), st.Buffer.Milliseconds(),
		st.OpenWindow.Milliseconds(), st.MinOverlap.Milliseconds(), st.CloseAfter.Milliseconds(),
		st.WindowBefore.Milliseconds(), string(c.Status), ms(c.ClosedAt), ms(t.now), c.ID)
	if err == nil {
		c.UpdatedAt = t.now
	}
	return err
}

// PersonTracing says what tracing holds against a person, in one query of
// three lookups by person: an open case of theirs, and their place on the
// lists of open cases, in a status that isolates or in any. It runs at
// every check-in.
func (t *Tx) PersonTracing(personID int64) (ravao.PersonTracing, error) {
	var pt ravao.PersonTracing
	err := t.queryRow(`SELECT `+tracingCols("$1"), personID).Scan(tracingScan(&pt)...)
	return pt, t.db.translate(err)
}

// tracingCols is PersonTracing's three lookups as columns, for the person
// person names (a placeholder or a column). The statuses are written into
// the statement, not bound: SQLite prepares a statement again at every
// call when a bound value could pick a partial index (cases_open_person is
// WHERE status = 'open').
func tracingCols(person string) string {
	var isolating []string
	for _, s := range ravao.ContactStatuses {
		if s.Isolates() {
			isolating = append(isolating, "'"+string(s)+"'")
		}
	}
	open := "'" + string(ravao.CaseOpen) + "'"
	onOpenCase := `FROM contacts c JOIN cases k ON k.id = c.case_id WHERE c.person_id = ` + person + ` AND k.status = ` + open
	return `EXISTS (SELECT 1 FROM cases WHERE person_id = ` + person + ` AND status = ` + open + `),
		EXISTS (SELECT 1 ` + onOpenCase + `),
		EXISTS (SELECT 1 ` + onOpenCase + ` AND c.status IN (` + strings.Join(isolating, ", ") + `))`
}

// tracingScan is where tracingCols' columns go; pt.Isolated is set as
// they are scanned.
func tracingScan(pt *ravao.PersonTracing) []any {
	return []any{&pt.OpenCase, &pt.OpenContact, isolatedScan{pt}}
}

// isolatedScan scans the third of tracingCols: isolated by an open case
// of one's own, or as a contact in a status that isolates.
type isolatedScan struct{ pt *ravao.PersonTracing }

// Scan implements sql.Scanner; it runs after the columns before it.
func (s isolatedScan) Scan(src any) error {
	var isolating sql.NullBool
	if err := isolating.Scan(src); err != nil {
		return err
	}
	s.pt.Isolated = s.pt.OpenCase || isolating.Bool
	return nil
}
