package sqlstore

import (
	"context"
	"maps"
	"time"

	"github.com/ravao/ravao"
)

// UpdateEach runs every fn in one read-write transaction, each inside its
// own savepoint, and commits durably once: the group commit behind
// ravao.VisitWriter. A fn that fails is rolled back to its savepoint and
// its error returned in its slot of errs; the others keep their writes.
// Every fn sees the same Now and what the fns before it kept. err is the
// transaction's own error (begin, savepoint, commit, retries exhausted):
// then errs is nil and nothing of any fn is stored. A serialisation failure,
// from a fn or the commit, runs the whole batch again with the same Now, so
// every fn must be re-runnable, as Update's are.
func (db *DB) UpdateEach(ctx context.Context, fns []func(ravao.Tx) error) (errs []error, err error) {
	defer db.afterWrite(ctx)
	now := db.now()
	for attempt := 0; ; attempt++ {
		errs, err = db.runEach(ctx, now, fns)
		if err == nil || attempt >= db.Dialect.MaxRetries || db.kind(err) != ErrRetry {
			if err != nil {
				errs = nil
			}
			return errs, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
}

// runEach is one attempt of UpdateEach.
func (db *DB) runEach(ctx context.Context, now time.Time, fns []func(ravao.Tx) error) ([]error, error) {
	stx, err := db.Writer.BeginTx(ctx, db.Dialect.WriteTx)
	if err != nil {
		return nil, db.translate(err)
	}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
	}()
	batch := &Tx{ctx: ctx, tx: stx, now: now, db: db, cache: db.cache(db.Writer)}
	defer batch.cache.flushAfter(ctx)
	defer batch.ended()
	if len(fns) == 1 {
		return batch.alone(fns[0])
	}
	errs := make([]error, len(fns))
	batch.days = map[venueDay]*dayDelta{}
	for i, fn := range fns {
		if errs[i], err = batch.each(fn); err != nil {
			stx.Rollback()
			return nil, err
		}
	}
	if err := batch.writeDays(); err != nil {
		stx.Rollback()
		return nil, err
	}
	return errs, db.commit(stx, db.BeforeCommit)
}

// savepoint is the name each fn of a batch runs under. A fn's savepoint
// is released together with taking the next one's, and the last one by
// the commit, so that a batch pays one savepoint statement per fn.
const savepoint = "ravao_each"

// each runs fn inside a savepoint of the batch transaction t. fnErr is
// fn's own error, its writes rolled back; txErr fails the whole batch: the
// savepoint statements failed, or fn hit a serialisation failure, after
// which the transaction must start again. fn gets its own Tx with a copy
// of the batch's prepared statements and its own venue_days changes, kept
// only when fn succeeds, so that nothing a rolled-back fn left in Go
// reaches the next one.
func (t *Tx) each(fn func(ravao.Tx) error) (fnErr, txErr error) {
	take := "SAVEPOINT " + savepoint
	if t.held {
		take = "RELEASE SAVEPOINT " + savepoint + "; " + take
	}
	if err := t.savepoint(take); err != nil {
		return nil, err
	}
	t.held = true
	own := &Tx{ctx: t.ctx, tx: t.tx, now: t.now, db: t.db, stmts: maps.Clone(t.stmts), cache: t.cache,
		days: map[venueDay]*dayDelta{}}
	fnErr = fn(own)
	t.placesChanged = t.placesChanged || own.placesChanged
	if fnErr == nil {
		t.stmts = own.stmts
		mergeDays(t.days, own.days)
		return nil, nil
	}
	if t.db.kind(fnErr) == ErrRetry {
		return nil, fnErr
	}
	t.held = false
	return fnErr, t.savepoint("ROLLBACK TO SAVEPOINT " + savepoint + "; RELEASE SAVEPOINT " + savepoint)
}

// alone runs a batch of one fn without a savepoint, as Update does: a
// lone check-in pays no more than its own transaction.
func (t *Tx) alone(fn func(ravao.Tx) error) ([]error, error) {
	t.days = map[venueDay]*dayDelta{}
	err := fn(t)
	if err == nil {
		err = t.writeDays()
	}
	if err != nil {
		t.tx.Rollback()
		if t.db.kind(err) == ErrRetry {
			return nil, err
		}
		return []error{err}, nil
	}
	return []error{nil}, t.db.commit(t.tx, t.db.BeforeCommit)
}

// writeDays writes the venue_days changes the batch's fns kept, in one
// statement group, and stops keeping them.
func (t *Tx) writeDays() error {
	days := t.days
	t.days = nil
	return t.addVenueDays(days)
}

// savepoint runs the savepoint statements of the batch.
func (t *Tx) savepoint(stmt string) error {
	_, err := t.tx.ExecContext(t.ctx, stmt)
	return t.db.translate(err)
}
