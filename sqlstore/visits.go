package sqlstore

import (
	"slices"
	"time"

	"github.com/ravao/ravao"
)

const visitCols = `id, person_id, venue_id, checkpoint_id, in_at, out_at, out_reason, decision,
	source, idempotency_key, created_at`

func scanVisit(s scanner) (ravao.Visit, error) {
	var v ravao.Visit
	err := s.Scan(&v.ID, &v.PersonID, &v.VenueID, &v.CheckpointID, msTime{&v.InAt}, msTime{&v.OutAt},
		&v.OutReason, &v.Decision, &v.Source, &v.IdempotencyKey, msTime{&v.CreatedAt})
	return v, err
}

// InsertVisits stores a batch of visits in multi-row inserts and sets each
// one's ID. An idempotency key already stored is a Conflict and nothing of
// the batch is kept once the transaction rolls back.
func (t *Tx) InsertVisits(vs []*ravao.Visit) error {
	for len(vs) > 0 {
		n := min(len(vs), t.batchRows(10))
		if err := t.insertVisits(vs[:n]); err != nil {
			return err
		}
		vs = vs[n:]
	}
	return nil
}

// insertVisits inserts one chunk. The IDs come back from RETURNING in no
// promised order, but both engines number the rows of one INSERT ... VALUES
// in increasing order as they insert them, so sorted IDs match the input.
func (t *Tx) insertVisits(vs []*ravao.Visit) error {
	args := make([]any, 0, len(vs)*10)
	for _, v := range vs {
		t.stamp(&v.CreatedAt)
		args = append(args, v.PersonID, v.VenueID, v.CheckpointID, ms(v.InAt), ms(v.OutAt), v.OutReason,
			string(v.Decision), string(v.Source), v.IdempotencyKey, ms(v.CreatedAt))
	}
	st, err := t.stmt(`INSERT INTO visits (person_id, venue_id, checkpoint_id, in_at, out_at, out_reason,
		decision, source, idempotency_key, created_at) VALUES ` + placeholders(len(vs), 10) + ` RETURNING id`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(t.ctx, args...)
	ids, err := readAll(t, func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, rows, err)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for i, v := range vs {
		v.ID = ids[i]
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
	return getOne(t, scanVisit, `SELECT `+visitCols+` FROM visits WHERE idempotency_key = $1`, key)
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
