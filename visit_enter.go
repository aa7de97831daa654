package ravao

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"time"
)

// Complete fills in what a check-in takes from its batch's time: InAt, and
// what follows from it (the decision, the due time). It runs in the
// writer, possibly more than once, and must only touch v.
type Complete func(v *Visit, now time.Time)

// Enter stores a check-in that only enters: v.PersonID enters v.VenueID
// through v.CheckpointID once complete has filled it in at the batch's
// time. It answers as RecordWith with a Prepare that completes v and runs
// Enter: replayed when v's idempotency key was stored (v is then the
// stored visit), inside when the person was already inside the venue (v
// is then that open visit, nothing is written), otherwise v is stored and
// the person's open visits elsewhere are closed.
//
// What Enter adds is speed under load: the check-ins of a batch that only
// enter are read and written together, in a few statements for the lot
// (enterAll) instead of a few each. When those statements fail, they are
// rolled back and the same check-ins run one by one in a second
// transaction, so that a bad one fails alone.
func (w *VisitWriter) Enter(ctx context.Context, v *Visit, complete Complete) (replayed, inside bool, err error) {
	if err := v.Validate(); err != nil {
		return false, false, err
	}
	e := &entering{fresh: *v, complete: complete}
	if err := w.commit(ctx, e.one, e); err != nil {
		return false, false, err
	}
	*v = e.v
	return e.replayed, e.inside, nil
}

// entering is a check-in of Enter, and its answer from the last run.
type entering struct {
	fresh    Visit
	complete Complete

	v        Visit
	replayed bool
	inside   bool
	err      error  // this check-in's own error in enterAll
	ref      *Visit // in enterAll: the visit v copies, whose ID may come later
}

// reset starts a run of e over: the store may run a batch more than once.
func (e *entering) reset(now time.Time) {
	e.v, e.replayed, e.inside, e.err, e.ref = e.fresh, false, false, nil, nil
	e.complete(&e.v, now)
}

// one is e on its own, as RecordWith runs a check-in.
func (e *entering) one(tx Tx) error {
	e.reset(tx.Now())
	if err := e.v.Validate(); err != nil {
		return err
	}
	found, err := recordVisit(tx, &e.v, func(tx Tx, v *Visit) (bool, error) {
		open, inside, err := Enter(tx, v.PersonID, v.VenueID, v.InAt)
		if inside {
			*v, e.inside = open, true
		}
		return inside, err
	})
	e.replayed = found && !e.inside
	return err
}

// enterAll runs the check-ins es in order in one transaction, with the
// reads and writes of the lot in a few statements: their stored
// idempotency keys, their people's open visits, the check-outs of those
// who moved, and the new visits. The answers are those of the check-ins
// run one by one in that order (entering.one): a key or a person twice in
// es sees what the first did. A check-in's own error (its visit invalid, a
// key another request used) is left in its err; an error returned is the
// statements' own, after which nothing of es may be kept.
func enterAll(tx Tx, es []*entering) error {
	now := tx.Now()
	var keys []string
	var people []int64
	var since, until time.Time
	for _, e := range es {
		e.reset(now)
		if e.err = e.v.Validate(); e.err != nil {
			continue
		}
		if e.v.IdempotencyKey != "" {
			keys = append(keys, e.v.IdempotencyKey)
		}
		people = append(people, e.v.PersonID)
		if s := e.v.InAt.Add(-OpenFor); since.IsZero() || s.Before(since) {
			since = s
		}
		until = later(until, openUntil(tx, e.v.InAt))
	}
	// One copy of each stored visit, whether found by its key or as open,
	// so that closing it shows in both.
	byID := map[int64]*Visit{}
	one := func(v Visit) *Visit {
		if byID[v.ID] == nil {
			byID[v.ID] = &v
		}
		return byID[v.ID]
	}
	open := map[int64][]*Visit{} // each person's open visits, newest first
	if len(people) > 0 {
		stored, err := tx.OpenVisits(since, until, people...)
		if err != nil {
			return err
		}
		for _, v := range stored {
			open[v.PersonID] = append(open[v.PersonID], one(v))
		}
	}
	byKey := map[string]*Visit{}
	if len(keys) > 0 {
		stored, err := tx.VisitsByIdempotencyKeys(keys)
		if err != nil {
			return err
		}
		for _, v := range stored {
			byKey[v.IdempotencyKey] = one(v)
		}
	}
	closing := map[time.Time][]int64{} // stored visits to close, by instant
	var added []*Visit
	for _, e := range es {
		if e.err != nil {
			continue
		}
		v := &e.v
		if prior := byKey[v.IdempotencyKey]; v.IdempotencyKey != "" && prior != nil {
			if len(v.RequestHash) > 0 && !bytes.Equal(prior.RequestHash, v.RequestHash) {
				e.err = Errorf(Mismatch, "err.idempotency_mismatch")
				continue
			}
			e.v, e.ref, e.replayed = *prior, prior, true
			continue
		}
		var mine []*Visit
		for _, o := range open[v.PersonID] {
			if o.OutAt.IsZero() && !o.InAt.Before(v.InAt.Add(-OpenFor)) {
				mine = append(mine, o)
			}
		}
		if i := slices.IndexFunc(mine, func(o *Visit) bool { return o.VenueID == v.VenueID }); i >= 0 {
			e.v, e.ref, e.inside = *mine[i], mine[i], true
			continue
		}
		for _, o := range mine { // the person left: as CheckOutVisit does
			o.OutAt, o.OutReason = later(o.InAt, v.InAt), OutMove
			if o.ID != 0 {
				closing[v.InAt] = append(closing[v.InAt], o.ID)
			}
		}
		nv := new(Visit)
		*nv = *v
		added = append(added, nv)
		e.ref = nv
		if nv.IdempotencyKey != "" {
			byKey[nv.IdempotencyKey] = nv
		}
		open[nv.PersonID] = newestFirst(open[nv.PersonID], nv)
	}
	for _, at := range slices.SortedFunc(maps.Keys(closing), time.Time.Compare) {
		if err := tx.CheckOutVisits(closing[at], at, OutMove); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		if err := tx.InsertVisits(added); err != nil {
			return err
		}
	}
	for _, e := range es {
		if e.ref != nil { // the visit as it was when e ran, with its ID
			e.v.ID, e.v.CreatedAt = e.ref.ID, e.ref.CreatedAt
		}
	}
	return nil
}

// later is the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// newestFirst inserts v into vs, kept by entry time newest first as
// OpenVisits lists them; v goes before the visits of its instant.
func newestFirst(vs []*Visit, v *Visit) []*Visit {
	i := slices.IndexFunc(vs, func(o *Visit) bool { return !o.InAt.After(v.InAt) })
	if i < 0 {
		i = len(vs)
	}
	return slices.Insert(vs, i, v)
}
