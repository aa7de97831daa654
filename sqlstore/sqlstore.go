// Package sqlstore implements ravao.Tx once, over database/sql, for both SQL
// engines Ravao runs on. The sqlite and postgres packages open the
// connections, apply their own migrations and hand a Dialect describing what
// truly differs between the engines (error codes, transaction options, how
// to serialise unit imports); every query lives here, written in the SQL
// both engines share: positional $n parameters, instants as BIGINT unix
// milliseconds (NULL for the zero time), booleans compared with TRUE/FALSE.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ravao/ravao"
)

// ErrKind is what an engine says a database error means.
type ErrKind int

// The kinds of database errors the store treats specially.
const (
	ErrOther     ErrKind = iota // nothing the store handles specially
	ErrUnique                   // unique or primary-key violation
	ErrReference                // foreign-key violation
	ErrRetry                    // serialisation failure or deadlock: run the transaction again
)

// Dialect is what an engine package tells the shared store about itself.
type Dialect struct {
	// Name names the engine in error messages ("sqlite", "postgres").
	Name string
	// Classify says what an error returned by the driver means.
	Classify func(error) ErrKind
	// WriteTx and ReadTx are the options Update and View begin with;
	// MaintainTx those Maintain begins with (WriteTx when nil).
	WriteTx    *sql.TxOptions
	ReadTx     *sql.TxOptions
	MaintainTx *sql.TxOptions
	// LockUnits, when not empty, runs before PutUnits counts the units, so
	// that two concurrent imports cannot make the count of new rows wrong.
	// SQLite has a single writer and needs nothing.
	LockUnits string
	// Optimize, when not empty, refreshes the planner's statistics; the
	// store runs it on the writer after the first OptimizeAfter write
	// transactions and then at most hourly, so that a database that
	// started empty is not planned as empty forever.
	Optimize string
	// CacheStatements keeps the statements transactions run prepared on
	// each pool (stmtcache.go). SQLite parses every statement again
	// otherwise; pgx already caches prepared statements per connection.
	CacheStatements bool
	// MaxRetries bounds how many times Update reruns fn after ErrRetry.
	MaxRetries int
	// BatchParams is how many parameters one multi-row INSERT binds at
	// most. Large batches save round trips to a server; SQLite, in
	// process, finds $n parameters by a linear search, so its best batches
	// are small.
	BatchParams int
	// Arrays is true when the driver binds a Go slice as one array
	// parameter: lists of IDs or keys then go as col = ANY($n), one
	// statement whose plan the server can keep, instead of IN lists
	// (PostgreSQL planned a 64-item IN list on the partitioned visits
	// afresh at every call: ravao bench, pg_stat_statements).
	Arrays bool
	// Checkpoint, when not empty, runs on the writer after a purge so
	// that the pages it freed leave the engine's log (SQLite's WAL) too.
	Checkpoint string
	// VisitDays, when not nil, is the SQL of an engine that partitions
	// visits by day (PostgreSQL): EnsureVisitDays creates day partitions
	// and PurgeVisits drops expired ones. nil: one visits table, purged in
	// batches through its time index (SQLite).
	VisitDays *VisitDaysSQL
}

// DB runs transactions for an engine. Writes go through Writer; reads
// through Reader, which may be the same pool.
type DB struct {
	Writer  *sql.DB
	Reader  *sql.DB
	Clock   ravao.Clock
	Dialect Dialect
	// Loc is the deployment's time zone, in which venue_days count days;
	// nil is Vietnam's fixed +07:00.
	Loc *time.Location

	writes       atomic.Int64 // write transactions committed, for Optimize
	lastOptimize atomic.Int64 // unix nanoseconds of the last Optimize
	cacheOnce    sync.Once
	caches       map[*sql.DB]*stmtCache // per pool, when the dialect caches statements
	places       placeCache
	// BeforeCommit, when not nil, runs just before every read-write
	// transaction (Update, UpdateEach) commits; an error rolls the
	// transaction back and is returned as its error, never retried. For
	// tests only: counting commits and injecting commit failures. Set it
	// before the store is used.
	BeforeCommit func() error
}

// vietnam is Asia/Ho_Chi_Minh without the zone database: +07:00 all year.
var vietnam = time.FixedZone("ICT", 7*60*60)

// loc is the zone days are counted in.
func (db *DB) loc() *time.Location {
	if db.Loc == nil {
		return vietnam
	}
	return db.Loc
}

// Update runs fn in a read-write transaction and commits it. When the
// engine reports a serialisation failure (PostgreSQL runs writes
// SERIALIZABLE), fn runs again in a new transaction with the same Now, so fn
// must not have effects outside the transaction beyond filling in the
// values it passes to the Tx.
func (db *DB) Update(ctx context.Context, fn func(ravao.Tx) error) error {
	return db.write(ctx, db.Dialect.WriteTx, fn)
}

// Maintain runs fn in a read-write transaction at the engine's
// MaintainTx isolation (Update's when nil), committed durably. It is for
// maintenance that only touches rows no request writes, such as the
// retention purge's old days: under SERIALIZABLE its wide scans would take
// predicate locks that make concurrent check-ins fail.
func (db *DB) Maintain(ctx context.Context, fn func(ravao.Tx) error) error {
	opts := db.Dialect.MaintainTx
	if opts == nil {
		opts = db.Dialect.WriteTx
	}
	return db.write(ctx, opts, fn)
}

// write runs fn in a read-write transaction with opts, rerunning it after
// a retryable error (MaxRetries times at most).
func (db *DB) write(ctx context.Context, opts *sql.TxOptions, fn func(ravao.Tx) error) error {
	defer db.afterWrite(ctx)
	now := db.now()
	for attempt := 0; ; attempt++ {
		err := db.run(ctx, db.Writer, opts, now, db.BeforeCommit, fn)
		if err == nil || attempt >= db.Dialect.MaxRetries || db.kind(err) != ErrRetry {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// View runs fn in a read-only transaction, again after a retryable error
// (MaxRetries times at most): on PostgreSQL a read can be chosen as the
// victim of a deadlock with the retention purge dropping a day of visits,
// whose foreign keys lock the tables they reference (ravao bench: a
// check-in answered 500).
func (db *DB) View(ctx context.Context, fn func(ravao.Tx) error) error {
	now := db.now()
	for attempt := 0; ; attempt++ {
		err := db.run(ctx, db.Reader, db.Dialect.ReadTx, now, nil, fn)
		if err == nil || attempt >= db.Dialect.MaxRetries || db.kind(err) != ErrRetry {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// Peek runs fn on the read pool with each statement on its own, outside
// any transaction: for reads that need no snapshot in common, such as a
// check-in's reads of its place and of its visitor, it saves what a View
// pays to begin and end (on PostgreSQL, two round trips of four), and it
// may answer CheckpointPlace from memory. fn must only read: a statement
// that is not a SELECT panics. Retried as View is.
func (db *DB) Peek(ctx context.Context, fn func(ravao.Tx) error) error {
	now := db.now()
	for attempt := 0; ; attempt++ {
		tx := &Tx{ctx: ctx, pool: db.Reader, now: now, db: db, cache: db.cache(db.Reader)}
		err := fn(tx)
		tx.cache.flushAfter(ctx)
		if err == nil || attempt >= db.Dialect.MaxRetries || db.kind(err) != ErrRetry {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// Ping checks that both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.Writer.PingContext(ctx); err != nil {
		return err
	}
	return db.Reader.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	for _, c := range db.caches {
		c.close()
	}
	err := db.Writer.Close()
	if db.Reader != db.Writer {
		err = errors.Join(err, db.Reader.Close())
	}
	return err
}

// now is the instant a transaction carries: the clock's time in UTC,
// truncated to the millisecond the columns keep, so that what a caller
// holds after a write equals what it reads back.
func (db *DB) now() time.Time {
	return db.Clock.Now().UTC().Truncate(time.Millisecond)
}

// run begins a transaction on pool, runs fn and commits (after before,
// when not nil), or rolls back when fn or before fails or fn panics.
func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, now time.Time, before func() error, fn func(ravao.Tx) error) (err error) {
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return db.translate(err)
	}
	tx := &Tx{ctx: ctx, tx: stx, now: now, db: db, cache: db.cache(pool)}
	defer tx.cache.flushAfter(ctx)
	defer tx.ended()
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	return db.commit(stx, before)
}

// cache is pool's statement cache, nil when the dialect keeps none.
func (db *DB) cache(pool *sql.DB) *stmtCache {
	if !db.Dialect.CacheStatements {
		return nil
	}
	db.cacheOnce.Do(func() {
		db.caches = map[*sql.DB]*stmtCache{db.Writer: newStmtCache(db.Writer)}
		if db.Reader != db.Writer {
			db.caches[db.Reader] = newStmtCache(db.Reader)
		}
	})
	return db.caches[pool]
}

// commit runs before, when not nil, then commits stx; an error from before
// rolls stx back instead.
func (db *DB) commit(stx *sql.Tx, before func() error) error {
	if before != nil {
		if err := before(); err != nil {
			stx.Rollback()
			return err
		}
	}
	return db.translate(stx.Commit())
}

// kind classifies err, looking through the wrapping ravao errors add.
func (db *DB) kind(err error) ErrKind {
	if db.Dialect.Classify == nil {
		return ErrOther
	}
	return db.Dialect.Classify(err)
}

// translate turns driver errors into Ravao errors: no rows is NotFound, a
// unique violation Conflict, a foreign-key violation Invalid. The cause is
// kept for the logs; it never carries personal values, since the store only
// holds sealed data and keyed hashes.
func (db *DB) translate(err error) error {
	if err == nil {
		return nil
	}
	var re *ravao.Error
	if errors.As(err, &re) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &ravao.Error{Code: ravao.NotFound, Key: "err.not_found", Err: err}
	}
	switch db.kind(err) {
	case ErrUnique:
		return &ravao.Error{Code: ravao.Conflict, Key: "err.conflict", Err: err}
	case ErrReference:
		return &ravao.Error{Code: ravao.Invalid, Key: "err.reference", Err: err}
	}
	return fmt.Errorf("%s: %w", db.Dialect.Name, err)
}

// backoff waits a little, more after each failed attempt, with jitter so
// that transactions that collided do not collide again.
func backoff(ctx context.Context, attempt int) error {
	d := time.Millisecond << min(attempt, 6)
	d += rand.N(d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// OptimizeAfter is how many write transactions pass before the store
// first refreshes the planner's statistics (Dialect.Optimize).
const OptimizeAfter = 1000

// afterWrite starts Dialect.Optimize after the first OptimizeAfter write
// transactions, then at most once an hour, on the writer: a sampled
// analysis of the tables that grew, milliseconds even on a large file. It
// runs in its own goroutine, so that the check-ins whose commit made it
// due are answered without waiting for it. Its failure changes nothing
// written.
func (db *DB) afterWrite(ctx context.Context) {
	if db.Dialect.Optimize == "" {
		return
	}
	n := db.writes.Add(1)
	last := db.lastOptimize.Load()
	due := n == OptimizeAfter || (n > OptimizeAfter && time.Since(time.Unix(0, last)) > time.Hour)
	if !due || !db.lastOptimize.CompareAndSwap(last, time.Now().UnixNano()) {
		return
	}
	go func() { _, _ = db.Writer.ExecContext(context.WithoutCancel(ctx), db.Dialect.Optimize) }()
}
