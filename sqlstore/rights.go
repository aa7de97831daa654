package sqlstore

import (
	"github.com/ravao/ravao"
)

const dsrCols = `id, person_id, kind, status, sealed, created_at, due_at, resolved_at, resolved_by`

func scanDSR(s scanner) (ravao.DSRequest, error) {
	var r ravao.DSRequest
	err := s.Scan(&r.ID, &r.PersonID, &r.Kind, &r.Status, &r.Sealed, msTime{&r.CreatedAt}, msTime{&r.DueAt},
		msTime{&r.ResolvedAt}, idOrZero{&r.ResolvedBy})
	return r, err
}

// CreateDSR stores a data-subject request under the ID the caller chose
// and sets CreatedAt when zero.
func (t *Tx) CreateDSR(r *ravao.DSRequest) error {
	if r.ID <= 0 {
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"id": "err.required"}}
	}
	t.stamp(&r.CreatedAt)
	_, err := t.exec(`INSERT INTO dsr_requests (`+dsrCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, r.PersonID, string(r.Kind), string(r.Status), r.Sealed, ms(r.CreatedAt), ms(r.DueAt),
		ms(r.ResolvedAt), nullID(r.ResolvedBy))
	return err
}

// DSR returns a data-subject request by ID.
func (t *Tx) DSR(id int64) (ravao.DSRequest, error) {
	return getOne(t, scanDSR, `SELECT `+dsrCols+` FROM dsr_requests WHERE id = $1`, id)
}

// DSRs lists data-subject requests by due date, then ID.
func (t *Tx) DSRs(f ravao.DSRFilter) ([]ravao.DSRequest, error) {
	var w where
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.PersonID != 0 {
		w.add("person_id = ?", f.PersonID)
	}
	q := `SELECT ` + dsrCols + ` FROM dsr_requests` + w.sql() + ` ORDER BY due_at, id` + w.limit(f.Limit)
	return getAll(t, scanDSR, q, w.args...)
}

// UpdateDSR writes a request's status, sealed details and resolution.
func (t *Tx) UpdateDSR(r *ravao.DSRequest) error {
	return t.execOne(`UPDATE dsr_requests SET status = $1, sealed = $2, resolved_at = $3, resolved_by = $4 WHERE id = $5`,
		string(r.Status), r.Sealed, ms(r.ResolvedAt), nullID(r.ResolvedBy), r.ID)
}

// AddDSREvent appends a step to a request's history and sets its ID and
// At (Now when zero).
func (t *Tx) AddDSREvent(e *ravao.DSREvent) error {
	t.stamp(&e.At)
	id, err := t.insertID(`INSERT INTO dsr_events (request_id, action, user_id, at) VALUES ($1, $2, $3, $4) RETURNING id`,
		e.RequestID, e.Action, nullID(e.UserID), ms(e.At))
	if err == nil {
		e.ID = id
	}
	return err
}

// DSREvents is a request's history, oldest first.
func (t *Tx) DSREvents(requestID int64) ([]ravao.DSREvent, error) {
	return getAll(t, func(s scanner) (ravao.DSREvent, error) {
		var e ravao.DSREvent
		err := s.Scan(&e.ID, &e.RequestID, &e.Action, idOrZero{&e.UserID}, msTime{&e.At})
		return e, err
	}, `SELECT id, request_id, action, user_id, at FROM dsr_events WHERE request_id = $1 ORDER BY id`, requestID)
}
