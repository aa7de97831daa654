package sqlstore

import (
	"cmp"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

const visitCols = `id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
	source, idempotency_key, request_hash, due_at, created_at`

func scanVisit(s scanner) (ravao.Visit, error) {
	var v ravao.Visit
	err := s.Scan(&v.ID, &v.PersonID, &v.VenueID, &v.CheckpointID, msTime{&v.InAt}, msTime{&v.OutAt},
		&v.OutReason, &v.Decision, &v.Source, &v.IdempotencyKey, &v.RequestHash, msTime{&v.DueAt},
		msTime{&v.CreatedAt})
	return v, err
}

// visitInsertCols is how many values InsertVisits binds per visit.
const visitInsertCols = 12

// InsertVisits stores a batch of visits in multi-row inserts and sets each
// one's ID, records their idempotency keys in visit_keys, and adds them to
// venue_days. An idempotency key already stored (or twice in the batch) is
// a Conflict and nothing of the batch is kept once the transaction rolls
// back.
func (t *Tx) InsertVisits(vs []*ravao.Visit) error {
	days, err := t.visitDays(vs)
	if err != nil {
		return err
	}
	err = insertAll(t, vs, visitInsertCols, `INSERT INTO visits (person_id, venue_id, checkpoint_id, in_at,
		out_at, out_reason, decision, source, idempotency_key, request_hash, due_at, created_at) VALUES `,
		func(v *ravao.Visit) []any {
			t.stamp(&v.CreatedAt)
			return []any{v.PersonID, v.VenueID, v.CheckpointID, ms(v.InAt), ms(v.OutAt), v.OutReason,
				string(v.Decision), string(v.Source), v.IdempotencyKey, nullBytes(v.RequestHash), ms(v.DueAt),
				ms(v.CreatedAt)}
		}, func(v *ravao.Visit, id int64) { v.ID = id })
	if err != nil {
		return err
	}
	if err := t.insertVisitKeys(vs); err != nil {
		return err
	}
	return t.addVenueDays(days)
}

// visitKeyCols is how many values insertVisitKeys binds per key.
const visitKeyCols = 5

// insertVisitKeys records the keys of the stored visits vs that have one.
// Keys live in their own table, not in a unique index on visits, because
// PostgreSQL partitions visits by day and a partitioned table's unique
// indexes must include the day.
func (t *Tx) insertVisitKeys(vs []*ravao.Visit) error {
	var keyed [][]any
	for _, v := range vs {
		if v.IdempotencyKey != "" {
			keyed = append(keyed, []any{v.IdempotencyKey, v.ID, v.PersonID, ms(v.InAt), ms(v.CreatedAt)})
		}
	}
	for len(keyed) > 0 {
		chunk := keyed[:min(len(keyed), t.batchRows(visitKeyCols))]
		keyed = keyed[len(chunk):]
		args := make([]any, 0, len(chunk)*visitKeyCols)
		for _, row := range chunk {
			args = append(args, row...)
		}
		if _, err := t.exec(`INSERT INTO visit_keys (idempotency_key, visit_id, person_id, in_at, created_at)
			VALUES `+placeholders(len(chunk), visitKeyCols), args...); err != nil {
			return err
		}
	}
	return nil
}

// Visit returns a visit by ID.
func (t *Tx) Visit(id int64) (ravao.Visit, error) {
	return getOne(t, scanVisit, `SELECT `+visitCols+` FROM visits WHERE id = $1`, id)
}

// VisitByIdempotencyKey returns the visit stored with a key.
func (t *Tx) VisitByIdempotencyKey(key string) (ravao.Visit, error) {
	if key == "" {
		return ravao.Visit{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	// Both the ID and the entry time come from the key, so that
	// PostgreSQL reads only the partition of the visit's day.
	return getOne(t, scanVisit, `SELECT `+visitCols+` FROM visits
		WHERE id = (SELECT visit_id FROM visit_keys WHERE idempotency_key = $1)
		AND in_at = (SELECT in_at FROM visit_keys WHERE idempotency_key = $1)`, key)
}

// VisitsByIdempotencyKeys returns the visits stored with any of keys, in
// no particular order: the keys of a group commit, looked up in
// visit_keys first, so that the visits (on PostgreSQL, a partition per
// day) are read only for the keys found, mostly none.
func (t *Tx) VisitsByIdempotencyKeys(keys []string) ([]ravao.Visit, error) {
	type found struct{ id, inAt int64 }
	var hits []found
	for _, chunk := range listChunks(t, keys, 0) {
		in, args := oneOf(t, 1, chunk)
		got, err := getAll(t, func(s scanner) (found, error) {
			var f found
			return f, s.Scan(&f.id, &f.inAt)
		}, `SELECT visit_id, in_at FROM visit_keys WHERE idempotency_key `+in, args...)
		if err != nil {
			return nil, err
		}
		hits = append(hits, got...)
	}
	out := []ravao.Visit{}
	for _, f := range hits {
		v, err := getOne(t, scanVisit, `SELECT `+visitCols+` FROM visits WHERE id = $1 AND in_at = $2`, f.id, f.inAt)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// PersonVisits lists a person's visits whose stay overlaps [from, to), by
// time of entry: a visit that began before from but ended after it counts,
// as does one still open. A zero from or to leaves that side unbounded.
func (t *Tx) PersonVisits(personID int64, from, to time.Time) ([]ravao.Visit, error) {
	var w where
	w.add("person_id = ?", personID)
	if !to.IsZero() {
		w.add("in_at < ?", to.UnixMilli())
	}
	if !from.IsZero() {
		w.add("(out_at IS NULL OR out_at > ?)", from.UnixMilli())
	}
	return getAll(t, scanVisit, `SELECT `+visitCols+` FROM visits`+w.sql()+` ORDER BY in_at, id`, w.args...)
}

// OpenVisit returns the person's latest visit at a venue that has no
// check-out yet; NotFound when there is none.
func (t *Tx) OpenVisit(personID, venueID int64) (ravao.Visit, error) {
	// in_at + 0: ordered by the index visits_venue_in, the planner would
	// walk every visit of the venue (found by ravao bench); this way it
	// finds the person's open visits there through visits_open and sorts
	// the one or two it gets.
	return getOne(t, scanVisit, `SELECT `+visitCols+` FROM visits
		WHERE person_id = $1 AND venue_id = $2 AND out_at IS NULL ORDER BY in_at + 0 DESC, id DESC LIMIT 1`,
		personID, venueID)
}

// OpenVisits lists the visits without check-out of the people that began
// in [since, until), newest first.
func (t *Tx) OpenVisits(since, until time.Time, personIDs ...int64) ([]ravao.Visit, error) {
	out := []ravao.Visit{}
	for _, chunk := range listChunks(t, personIDs, 2) {
		in, args := oneOf(t, 3, chunk)
		got, err := getAll(t, scanVisit, `SELECT `+visitCols+` FROM visits
			WHERE person_id `+in+` AND out_at IS NULL AND in_at >= $1 AND in_at < $2`,
			append([]any{ms(since), ms(until)}, args...)...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	slices.SortFunc(out, func(a, b ravao.Visit) int {
		return cmp.Or(b.InAt.Compare(a.InAt), cmp.Compare(b.ID, a.ID))
	})
	return out, nil
}

// CheckOutVisit closes an open visit at at (Now when zero), never before it
// began, and counts the check-out on the day of the instant written. The
// condition on out_at makes the check-out happen once when a tap, a gate
// and the automatic job race: the losers touch no row and get Conflict.
func (t *Tx) CheckOutVisit(id int64, at time.Time, reason string) error {
	closed, err := t.checkOut([]int64{id}, at, reason)
	if err != nil || closed == 1 {
		return err
	}
	var one int
	err = t.queryRow(`SELECT 1 FROM visits WHERE id = $1`, id).Scan(&one)
	if err != nil {
		return t.db.translate(err)
	}
	return ravao.Errorf(ravao.Conflict, "err.visit_closed")
}

// CheckOutVisits closes those of the visits ids still open at at, as
// CheckOutVisit does, in one statement; the others are left as they are.
func (t *Tx) CheckOutVisits(ids []int64, at time.Time, reason string) error {
	for _, chunk := range listChunks(t, ids, 2) {
		if _, err := t.checkOut(chunk, at, reason); err != nil {
			return err
		}
	}
	return nil
}

// checkOut closes the visits ids that are open, counts them on
// venue_days, and returns how many it closed.
func (t *Tx) checkOut(ids []int64, at time.Time, reason string) (int, error) {
	t.stamp(&at)
	in, args := oneOf(t, 3, ids)
	rows, err := t.query(`UPDATE visits
		SET out_at = CASE WHEN in_at > $1 THEN in_at ELSE $1 END, out_reason = $2
		WHERE id `+in+` AND out_at IS NULL RETURNING venue_id, out_at`,
		append([]any{at.UnixMilli(), reason}, args...)...)
	closed, err := readAll(t, func(s scanner) (ravao.Visit, error) {
		var v ravao.Visit
		return v, s.Scan(&v.VenueID, msTime{&v.OutAt})
	}, rows, err)
	if err != nil {
		return 0, err
	}
	days := map[venueDay]*dayDelta{}
	for _, v := range closed {
		k := venueDay{v.VenueID, t.dayOf(v.OutAt)}
		if days[k] == nil {
			days[k] = &dayDelta{}
		}
		days[k].out++
	}
	return len(closed), t.addVenueDays(days)
}

// DueVisits lists at most n (within DefaultLimit and MaxLimit) open visits due at or before now, oldest
// due first. The conditions repeat the predicate of the partial index
// visits_due word for word, so that both engines read the index instead of
// every open visit.
func (t *Tx) DueVisits(now time.Time, n int) ([]ravao.Visit, error) {
	return getAll(t, scanVisit, `SELECT `+visitCols+` FROM visits
		WHERE out_at IS NULL AND due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2`,
		now.UnixMilli(), limit(n))
}

// CheckpointVisits lists the visits that entered through a checkpoint,
// newest first, at most limit.
func (t *Tx) CheckpointVisits(checkpointID int64, limit int) ([]ravao.Visit, error) {
	return getAll(t, scanVisit, `SELECT `+visitCols+` FROM visits
		WHERE checkpoint_id = $1 ORDER BY in_at DESC, id DESC LIMIT $2`, checkpointID, limit)
}

// VenueCounts counts a venue's entries and exits since since, and the
// people inside at now. Visits last at most ravao.MaxStay, so every one
// that matters entered after since (or now) less MaxStay: the venue and
// entry-time index bounds each count.
func (t *Tx) VenueCounts(venueID int64, since, now time.Time) (ravao.VenueCounts, error) {
	var c ravao.VenueCounts
	from := since
	if now.Before(from) {
		from = now
	}
	err := t.queryRow(`SELECT
		COALESCE(SUM(CASE WHEN in_at >= $2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN out_at >= $2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN out_at IS NULL AND in_at >= $4 AND in_at <= $5 THEN 1 ELSE 0 END), 0)
		FROM visits WHERE venue_id = $1 AND in_at >= $3`,
		venueID, since.UnixMilli(), from.Add(-ravao.MaxStay).UnixMilli(),
		now.Add(-ravao.MaxStay).UnixMilli(), now.UnixMilli()).Scan(&c.In, &c.Out, &c.Inside)
	return c, t.db.translate(err)
}

// SetVisitDecision changes a visit's decision (a declaration made on the
// spot after a yellow scan) and moves the visit in or out of its day's red
// count; NotFound when there is no such visit.
func (t *Tx) SetVisitDecision(id int64, d ravao.Decision) error {
	v, err := t.Visit(id)
	if err != nil {
		return err
	}
	if err := t.execOne(`UPDATE visits SET decision = $1 WHERE id = $2`, string(d), id); err != nil {
		return err
	}
	day := t.dayOf(v.InAt)
	switch {
	case v.Decision != ravao.Red && d == ravao.Red:
		return t.addVenueDays(map[venueDay]*dayDelta{{v.VenueID, day}: {red: 1}})
	case v.Decision == ravao.Red && d != ravao.Red:
		// A visit stored before venue_days existed has no row to take from.
		_, err = t.exec(`UPDATE venue_days SET red = red - 1 WHERE venue_id = $1 AND day = $2 AND red > 0`,
			v.VenueID, int(day))
	}
	return err
}
