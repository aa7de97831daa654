package sqlstore

import (
	"github.com/ravao/ravao"
)

const auditCols = `id, at, user_id, role, action, object_type, object_id, reason, request_id`

func scanAudit(s scanner) (ravao.AuditEvent, error) {
	var e ravao.AuditEvent
	err := s.Scan(&e.ID, msTime{&e.At}, &e.UserID, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Reason, &e.RequestID)
	return e, err
}

// AppendAudit records an event, at the transaction's Now unless At is set,
// and sets its ID.
func (t *Tx) AppendAudit(e *ravao.AuditEvent) error {
	t.stamp(&e.At)
	id, err := t.insertID(`INSERT INTO audit_events (at, user_id, role, action, object_type, object_id,
		reason, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		ms(e.At), e.UserID, string(e.Role), e.Action, e.ObjectType, e.ObjectID, e.Reason, e.RequestID)
	if err == nil {
		e.ID = id
	}
	return err
}

// AuditEvents lists events newest first. Since is inclusive, Until
// exclusive.
func (t *Tx) AuditEvents(f ravao.AuditFilter) ([]ravao.AuditEvent, error) {
	var w where
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		w.add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.add("object_id = ?", f.ObjectID)
	}
	if !f.Since.IsZero() {
		w.add("at >= ?", f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		w.add("at < ?", f.Until.UnixMilli())
	}
	q := `SELECT ` + auditCols + ` FROM audit_events` + w.sql() + ` ORDER BY at DESC, id DESC` + w.limit(f.Limit)
	return getAll(t, scanAudit, q, w.args...)
}
