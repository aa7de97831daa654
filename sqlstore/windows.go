package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const windowCols = `id, venue_id, checkpoint_id, from_at, to_at, severity, message_vi, message_en, case_id,
	created_by, created_at, withdrawn_at`

func scanWindow(s scanner) (ravao.ExposureWindow, error) {
	var w ravao.ExposureWindow
	err := s.Scan(&w.ID, &w.VenueID, idOrZero{&w.CheckpointID}, msTime{&w.From}, msTime{&w.To}, &w.Severity,
		&w.MessageVI, &w.MessageEN, idOrZero{&w.CaseID}, &w.CreatedBy, msTime{&w.CreatedAt},
		msTime{&w.WithdrawnAt})
	return w, err
}

// CreateExposureWindow publishes a window and sets its ID.
func (t *Tx) CreateExposureWindow(w *ravao.ExposureWindow) error {
	t.stamp(&w.CreatedAt)
	id, err := t.insertID(`INSERT INTO exposure_windows (venue_id, checkpoint_id, from_at, to_at, severity,
		message_vi, message_en, case_id, created_by, created_at, withdrawn_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		w.VenueID, nullID(w.CheckpointID), ms(w.From), ms(w.To), string(w.Severity), w.MessageVI, w.MessageEN,
		nullID(w.CaseID), w.CreatedBy, ms(w.CreatedAt), ms(w.WithdrawnAt))
	if err == nil {
		w.ID = id
	}
	return err
}

// ExposureWindow returns a window by ID.
func (t *Tx) ExposureWindow(id int64) (ravao.ExposureWindow, error) {
	return getOne(t, scanWindow, `SELECT `+windowCols+` FROM exposure_windows WHERE id = $1`, id)
}

// ExposureWindows lists the windows f selects, by start, newest first.
// The public list (current windows ending after a time) repeats the
// predicate of the partial index exposure_windows_current.
func (t *Tx) ExposureWindows(f ravao.ExposureWindowFilter) ([]ravao.ExposureWindow, error) {
	var w where
	if !f.IncludeWithdrawn {
		w.add("withdrawn_at IS NULL")
	}
	if !f.EndsAfter.IsZero() {
		w.add("to_at > ?", f.EndsAfter.UnixMilli())
	}
	if f.VenueID != 0 {
		w.add("venue_id = ?", f.VenueID)
	}
	if f.CaseID != 0 {
		w.add("case_id = ?", f.CaseID)
	}
	q := `SELECT ` + windowCols + ` FROM exposure_windows` + w.sql() + ` ORDER BY from_at DESC, id DESC` +
		w.limit(f.Limit)
	return getAll(t, scanWindow, q, w.args...)
}

// WithdrawExposureWindow takes a window down at at; Conflict when it
// already was.
func (t *Tx) WithdrawExposureWindow(id int64, at time.Time) error {
	t.stamp(&at)
	n, err := t.exec(`UPDATE exposure_windows SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL`,
		ms(at), id)
	if err != nil || n == 1 {
		return err
	}
	return t.conflictIfExists(`SELECT 1 FROM exposure_windows WHERE id = $1`, id, "err.window_withdrawn")
}
