package sqlstore

import (
	"github.com/ravao/ravao"
)

const auditCols = `id, at, user_id, role, action, object_type, object_id, reason, request_id, seq, prev_hash, hash`

func scanAudit(s scanner) (ravao.AuditEvent, error) {
	var e ravao.AuditEvent
	err := s.Scan(&e.ID, msTime{&e.At}, &e.UserID, &e.Role, &e.Action, &e.ObjectType, &e.ObjectID,
		&e.Reason, &e.RequestID, idOrZero{&e.Seq}, &e.PrevHash, &e.Hash)
	return e, err
}

// AppendAudit records an event, at the transaction's Now unless At is set,
// and sets its ID. The event is not sealed: the sealer chains it after
// this transaction commits, so that appending takes no lock on a hot row.
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

// AuditEvents lists events newest (highest ID) first. Since is inclusive,
// Until exclusive; BeforeID pages back.
func (t *Tx) AuditEvents(f ravao.AuditFilter) ([]ravao.AuditEvent, error) {
	var w where
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	actions := f.Actions
	if f.Action != "" {
		actions = append([]string{f.Action}, actions...)
	}
	if len(actions) > 0 {
		w.inList("action", actions)
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
	if f.BeforeID != 0 {
		w.add("id < ?", f.BeforeID)
	}
	q := `SELECT ` + auditCols + ` FROM audit_events` + w.sql() + ` ORDER BY id DESC` + w.limit(f.Limit)
	return getAll(t, scanAudit, q, w.args...)
}

// inList adds "col IN (?, ?, ...)".
func (w *where) inList(col string, values []string) {
	cond := col + " IN ("
	args := make([]any, len(values))
	for i, v := range values {
		if i > 0 {
			cond += ", "
		}
		cond += "?"
		args[i] = v
	}
	w.add(cond+")", args...)
}

// UnsealedAudit lists up to limit events not yet sealed, by ID, through
// the partial index on unsealed events.
func (t *Tx) UnsealedAudit(n int) ([]ravao.AuditEvent, error) {
	return getAll(t, scanAudit, `SELECT `+auditCols+` FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT $1`, limit(n))
}

// CountUnsealedAudit counts the events not yet sealed.
func (t *Tx) CountUnsealedAudit() (int, error) {
	return getOne(t, scanInt, `SELECT COUNT(*) FROM audit_events WHERE seq IS NULL`)
}

// AuditHead is the last sealed event's seq and hash, or 0 and nil.
func (t *Tx) AuditHead() (int64, []byte, error) {
	var seq int64
	var hash []byte
	err := t.queryRow(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err != nil {
		err = t.db.translate(err)
		if ravao.IsNotFound(err) {
			return 0, nil, nil
		}
	}
	return seq, hash, err
}

// SealAudit sets each event's seq and hashes, only on an event still
// unsealed (Conflict otherwise); the unique index on seq makes a seq
// already taken Conflict too.
func (t *Tx) SealAudit(seals []ravao.AuditSeal) error {
	st, err := t.stmt(`UPDATE audit_events SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4 AND seq IS NULL`)
	if err != nil {
		return err
	}
	for _, s := range seals {
		if s.Seq <= 0 || len(s.Hash) == 0 || len(s.PrevHash) == 0 {
			return ravao.Errorf(ravao.Invalid, "err.invalid")
		}
		res, err := st.ExecContext(t.ctx, s.Seq, s.PrevHash, s.Hash, s.ID)
		if err != nil {
			return t.db.translate(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ravao.Errorf(ravao.Conflict, "err.conflict")
		}
	}
	return nil
}

// AuditChain lists up to limit sealed events after afterSeq, by seq.
func (t *Tx) AuditChain(afterSeq int64, n int) ([]ravao.AuditEvent, error) {
	return getAll(t, scanAudit, `SELECT `+auditCols+` FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, afterSeq, limit(n))
}
