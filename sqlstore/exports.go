package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

// exportCols leaves the file out: lists do not need it. exportFileCols is
// the same with it.
const (
	exportCols = `id, case_id, format, row_count, reason, status, requested_by, approved_by, approved_at,
	created_at`
	exportFileCols = exportCols + `, sealed`
)

func scanExport(s scanner) (ravao.Export, error) {
	var x ravao.Export
	err := s.Scan(&x.ID, &x.CaseID, &x.Format, &x.Rows, &x.Reason, &x.Status, &x.RequestedBy, &x.ApprovedBy,
		msTime{&x.ApprovedAt}, msTime{&x.CreatedAt})
	return x, err
}

func scanExportFile(s scanner) (ravao.Export, error) {
	var x ravao.Export
	err := s.Scan(&x.ID, &x.CaseID, &x.Format, &x.Rows, &x.Reason, &x.Status, &x.RequestedBy, &x.ApprovedBy,
		msTime{&x.ApprovedAt}, msTime{&x.CreatedAt}, &x.Sealed)
	return x, err
}

// CreateExport stores an export of a case with its sealed file and sets
// its ID.
func (t *Tx) CreateExport(x *ravao.Export) error {
	t.stamp(&x.CreatedAt)
	id, err := t.insertID(`INSERT INTO exports (case_id, format, row_count, reason, status, requested_by,
		approved_by, approved_at, sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING id`,
		x.CaseID, x.Format, x.Rows, x.Reason, string(x.Status), x.RequestedBy, x.ApprovedBy, ms(x.ApprovedAt),
		x.Sealed, ms(x.CreatedAt))
	if err == nil {
		x.ID = id
	}
	return err
}

// Export returns an export by ID, with its file.
func (t *Tx) Export(id int64) (ravao.Export, error) {
	return getOne(t, scanExportFile, `SELECT `+exportFileCols+` FROM exports WHERE id = $1`, id)
}

// Exports lists a case's exports, newest first, without their files.
func (t *Tx) Exports(caseID int64) ([]ravao.Export, error) {
	return getAll(t, scanExport, `SELECT `+exportCols+` FROM exports WHERE case_id = $1 ORDER BY id DESC`,
		caseID)
}

// ApproveExport marks a pending export ready, approved by userID at at.
// The condition on status makes two approvals race safely: the loser
// touches no row and gets Conflict.
func (t *Tx) ApproveExport(id, userID int64, at time.Time) error {
	n, err := t.exec(`UPDATE exports SET status = $1, approved_by = $2, approved_at = $3
		WHERE id = $4 AND status = $5`,
		string(ravao.ExportReady), userID, ms(at), id, string(ravao.ExportPending))
	if err != nil || n == 1 {
		return err
	}
	return t.conflictIfExists(`SELECT 1 FROM exports WHERE id = $1`, id, "err.export_not_pending")
}

// conflictIfExists explains an update that touched no row: NotFound when
// the row query looks for is missing, otherwise a Conflict with key.
func (t *Tx) conflictIfExists(query string, id int64, key string) error {
	var one int
	if err := t.queryRow(query, id).Scan(&one); err != nil {
		return t.db.translate(err)
	}
	return ravao.Errorf(ravao.Conflict, key)
}
