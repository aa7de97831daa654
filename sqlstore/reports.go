package sqlstore

import (
	"github.com/ravao/ravao"
)

// PutProgressReport inserts a report or replaces the one of its unit,
// sector and day; a zero MadeAt is the transaction's Now.
func (t *Tx) PutProgressReport(r *ravao.ProgressReport) error {
	if !validDay(r.Day) {
		return ravao.FieldError("day", "err.date")
	}
	t.stamp(&r.MadeAt)
	_, err := t.exec(`INSERT INTO progress_reports (unit_code, sector, day, made_at, body)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_code, sector, day) DO UPDATE SET
		made_at = excluded.made_at, body = excluded.body`,
		r.UnitCode, string(r.Sector), int(r.Day), ms(r.MadeAt), r.Body)
	return err
}

// ProgressReport finds one report, Body included.
func (t *Tx) ProgressReport(unitCode string, sector ravao.Sector, day ravao.Day) (ravao.ProgressReport, error) {
	return getOne(t, func(s scanner) (ravao.ProgressReport, error) {
		var r ravao.ProgressReport
		return r, s.Scan(&r.UnitCode, &r.Sector, &r.Day, msTime{&r.MadeAt}, &r.Body)
	}, `SELECT unit_code, sector, day, made_at, body FROM progress_reports
		WHERE unit_code = $1 AND sector = $2 AND day = $3`, unitCode, string(sector), int(day))
}

// ProgressReports lists a unit's reports for a sector, newest day first,
// at most limit, without Body.
func (t *Tx) ProgressReports(unitCode string, sector ravao.Sector, limit int) ([]ravao.ProgressReport, error) {
	var w where
	w.add("unit_code = ? AND sector = ?", unitCode, string(sector))
	lim := w.limit(limit)
	return getAll(t, func(s scanner) (ravao.ProgressReport, error) {
		var r ravao.ProgressReport
		return r, s.Scan(&r.UnitCode, &r.Sector, &r.Day, msTime{&r.MadeAt})
	}, `SELECT unit_code, sector, day, made_at FROM progress_reports`+w.sql()+` ORDER BY day DESC`+lim,
		w.args...)
}

// DeleteProgressReports deletes the reports of days before before and
// says how many.
func (t *Tx) DeleteProgressReports(before ravao.Day) (int, error) {
	if !validDay(before) {
		return 0, ravao.FieldError("day", "err.date")
	}
	return t.exec(`DELETE FROM progress_reports WHERE day < $1`, int(before))
}

// ReportUnits lists the units with registered venues on day, from
// unit_days, by code.
func (t *Tx) ReportUnits(day ravao.Day) ([]string, error) {
	if !validDay(day) {
		return nil, ravao.FieldError("day", "err.date")
	}
	return getAll(t, func(s scanner) (string, error) {
		var code string
		return code, s.Scan(&code)
	}, `SELECT DISTINCT unit_code FROM unit_days WHERE day = $1 AND venues > 0 ORDER BY unit_code`, int(day))
}
