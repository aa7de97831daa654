package sqlstore

import (
	"context"
	"math"
	"time"

	"github.com/ravao/ravao"
)

// The purges delete by ID from a subquery that picks the oldest rows past
// the cutoff through the time indexes of migration 00011, so that one
// batch touches limit rows and no more, on both engines.

// PurgeDeclarations deletes at most limit declarations created before
// before of people not in keep, oldest first.
func (t *Tx) PurgeDeclarations(before time.Time, keep []int64, limit int) (int, error) {
	return t.exec(`DELETE FROM declarations WHERE id IN (SELECT id FROM declarations
		WHERE created_at < $1`+purgeNotIn("person_id", keep)+` ORDER BY created_at LIMIT $2)`,
		ms(before), limit)
}

// PurgePeople deletes, among the next limit people after the ID after
// whose record was last updated before before, those not in keep with
// nothing left, and returns how many went and the last ID it looked at (0
// when there was none). Walking by ID bounds each transaction's work
// however many old people still have visits. A guardian goes with their
// dependants, counted, when every one of them could go too.
func (t *Tx) PurgePeople(before time.Time, keep []int64, after int64, limit int) (int, int64, error) {
	var last int64
	err := t.queryRow(`SELECT COALESCE(MAX(id), 0) FROM (SELECT id FROM people
		WHERE id > $1 AND updated_at < $2 ORDER BY id LIMIT $3) page`, after, ms(before), limit).Scan(&last)
	if err != nil || last == 0 {
		return 0, 0, t.db.translate(err)
	}
	none := int64(math.MinInt64) // any visit, declaration or case at all holds a person
	args := []any{ms(before), none, none, none, after, last}
	inPage := ` AND p.id > $5 AND p.id <= $6`
	deps, err := t.exec(`DELETE FROM people WHERE guardian_id IN (SELECT p.id FROM people p
		WHERE `+purgeableFamily(keep)+inPage+`)`, args...)
	if err != nil {
		return 0, 0, err
	}
	n, err := t.exec(`DELETE FROM people WHERE id IN (SELECT p.id FROM people p
		WHERE `+purgeablePerson("p", keep)+inPage+`
		AND NOT EXISTS (SELECT 1 FROM people g WHERE g.guardian_id = p.id))`, args...)
	return deps + n, last, err
}

// PurgeCases deletes at most limit cases closed before before; the schema
// cascades to their contacts, the contacts' events and messages, and the
// exports, and unlinks exposure windows and promoted cases.
func (t *Tx) PurgeCases(before time.Time, limit int) (int, error) {
	return t.exec(`DELETE FROM cases WHERE id IN (SELECT id FROM cases
		WHERE status = 'closed' AND closed_at < $1 ORDER BY closed_at LIMIT $2)`, ms(before), limit)
}

// PurgeExposureWindows deletes at most limit exposure windows that ended
// before before.
func (t *Tx) PurgeExposureWindows(before time.Time, limit int) (int, error) {
	return t.exec(`DELETE FROM exposure_windows WHERE id IN (SELECT id FROM exposure_windows
		WHERE to_at < $1 ORDER BY to_at LIMIT $2)`, ms(before), limit)
}

// CountPurge counts what the purges with c's cutoffs would delete. People
// are counted as they will stand once the other purges have run: a
// person's visits, declarations and cases past their cutoffs do not hold
// them, and a guardian counts when every dependant of theirs does.
func (t *Tx) CountPurge(c ravao.PurgeCutoffs) (ravao.PurgeCounts, error) {
	var n ravao.PurgeCounts
	err := t.queryRow(`SELECT
		(SELECT COUNT(*) FROM cases WHERE status = 'closed' AND closed_at < $4),
		(SELECT COUNT(*) FROM exposure_windows WHERE to_at < $5),
		(SELECT COUNT(*) FROM visits WHERE in_at < $2`+purgeNotIn("person_id", c.Keep)+`),
		(SELECT COUNT(*) FROM declarations WHERE created_at < $3`+purgeNotIn("person_id", c.Keep)+`),
		(SELECT COUNT(*) FROM people p WHERE `+purgeableFamily(c.Keep)+`)`,
		ms(c.People), ms(c.Visits), ms(c.Declarations), ms(c.Cases), ms(c.Windows),
	).Scan(&n.Cases, &n.Windows, &n.Visits, &n.Declarations, &n.People)
	return n, t.db.translate(err)
}

// purgeablePerson is the condition that the person p (a table alias) is
// past the people cutoff ($1), not kept, and has no visit at or after $2,
// no declaration at or after $3 and no case or contact-list entry on a
// case that is open or closed at or after $4. With the smallest instant
// for $2..$4, anything at all holds the person.
func purgeablePerson(p string, keep []int64) string {
	id := p + ".id"
	stays := `(c.status <> 'closed' OR c.closed_at IS NULL OR c.closed_at >= $4)`
	return p + `.updated_at < $1` + purgeNotIn(id, keep) + `
		AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.person_id = ` + id + ` AND v.in_at >= $2)
		AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.person_id = ` + id + ` AND d.created_at >= $3)
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = ` + id + ` AND ` + stays + `)
		AND NOT EXISTS (SELECT 1 FROM contacts k JOIN cases c ON c.id = k.case_id
			WHERE k.person_id = ` + id + ` AND ` + stays + `)`
}

// purgeableFamily is purgeablePerson for p and for every dependant of
// p: the cascade from a guardian must not take a dependant who stays.
func purgeableFamily(keep []int64) string {
	return purgeablePerson("p", keep) + `
		AND NOT EXISTS (SELECT 1 FROM people g WHERE g.guardian_id = p.id
			AND NOT (` + purgeablePerson("g", keep) + `))`
}

// purgeNotIn is " AND col NOT IN (...)" for the kept IDs (see idIn), or
// nothing when none is kept.
func purgeNotIn(col string, keep []int64) string {
	if len(keep) == 0 {
		return ""
	}
	return " AND " + idIn(col, keep, false)
}

// Checkpoint runs the engine's post-purge statement (Dialect.Checkpoint)
// on the writer, outside any transaction: on SQLite it moves the WAL into
// the file and truncates it, so that deleted rows leave the WAL too. It
// does nothing on engines without one.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.Dialect.Checkpoint == "" {
		return nil
	}
	_, err := db.Writer.ExecContext(ctx, db.Dialect.Checkpoint)
	return db.translate(err)
}
