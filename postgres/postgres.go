// Package postgres is Ravao's store on PostgreSQL, for production and for
// several stateless servers sharing one database. It speaks to the server
// with pgx through database/sql, so every query is the one package sqlstore
// shares with SQLite; this package checks that the server acknowledges
// only durable commits and applies its own embedded migrations.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options tune the store.
type Options struct {
	// MaxConns is the size of the connection pool (default 10).
	MaxConns int
	// TZ is the deployment's time zone, in which progress counts days
	// (default: Vietnam's +07:00).
	TZ *time.Location
}

// Store is Ravao's store on a PostgreSQL database. It implements
// ravao.Store.
type Store struct {
	*sqlstore.DB
}

var _ ravao.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL), refuses a
// server that could lose acknowledged commits, applies pending
// migrations, and creates the partitions of visits for today and the 7
// days after (in opts.TZ) that are missing.
func Open(ctx context.Context, dsn string, clock ravao.Clock, opts Options) (*Store, error) {
	db, err := connect(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	if err := checkDurable(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	s := &Store{DB: &sqlstore.DB{Writer: db, Reader: db, Clock: clock, Dialect: dialect, Loc: opts.TZ}}
	// Check-ins of the coming week land in their day partitions from the
	// start; the retention job keeps the week ahead covered every day.
	if _, err := s.EnsureVisitDaysAhead(ctx, 7); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: visit days: %w", err)
	}
	return s, nil
}

// Migrate applies pending migrations to the database at dsn and returns
// the names of those applied, for `ravao migrate`.
func Migrate(ctx context.Context, dsn string) ([]string, error) {
	db, err := connect(ctx, dsn, Options{MaxConns: 2})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrate(ctx, db)
}

func connect(ctx context.Context, dsn string, opts Options) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 10
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return db, nil
}

// checkDurable refuses a server that acknowledges commits before they are
// on disk: a check-in acknowledged to a person must survive a crash.
func checkDurable(ctx context.Context, db *sql.DB) error {
	for _, setting := range []string{"fsync", "synchronous_commit"} {
		var v string
		if err := db.QueryRowContext(ctx, "SHOW "+setting).Scan(&v); err != nil {
			return fmt.Errorf("postgres: SHOW %s: %w", setting, err)
		}
		if strings.EqualFold(v, "off") {
			return fmt.Errorf("postgres: %s is off on the server; Ravao refuses to run because acknowledged check-ins could be lost in a crash: set %s = on", setting, setting)
		}
	}
	return nil
}

// migrate applies migrations under a session advisory lock, so servers
// starting together do not apply the same migration twice.
func migrate(ctx context.Context, db *sql.DB) ([]string, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqlstore.Migrate(ctx, db, goose.DialectPostgres, sub, goose.WithSessionLocker(locker))
}

// dialect is what PostgreSQL tells the shared store. Writes run
// SERIALIZABLE, as SQLite's single writer effectively does, so both
// engines give the same answers under concurrency: two check-ins racing
// with one idempotency key end as one visit, the loser rerunning and
// finding the winner's. Serialisation failures are retried.
var dialect = sqlstore.Dialect{
	Name:     "postgres",
	Classify: classify,
	WriteTx:  &sql.TxOptions{Isolation: sql.LevelSerializable},
	ReadTx:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	// The purge deletes old days that no request writes; SERIALIZABLE
	// would add nothing but predicate locks on its wide scans, which made
	// check-ins running beside it fail (ravao bench).
	MaintainTx:  &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	LockUnits:   "LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE",
	MaxRetries:  10,
	BatchParams: 5000,
	Arrays:      true,
	VisitDays:   &visitDays,
}

// visitDays is how PostgreSQL keeps visits in one partition per day (see
// migration 00010): the store creates a week of partitions ahead and the
// retention purge drops the expired ones.
var visitDays = sqlstore.VisitDaysSQL{
	// The key is arbitrary; it only has to be the same on every server.
	Lock: "SELECT pg_advisory_xact_lock(82100010)",
	// The bounds are read back from the catalog, not recomputed from the
	// name, so a change of the deployment's zone cannot make the purge
	// drop a day that is not wholly past. to_regclass reads the catalog
	// as it is now: it leaves out a partition another server dropped
	// after this transaction's snapshot.
	List: `SELECT c.relname,
			(regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''(-?\d+)''\)'))[1]::bigint AS lo,
			(regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''(-?\d+)''\)'))[1]::bigint
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'visits'::regclass AND c.relname ~ '^visits_d[0-9]{8}$'
			AND to_regclass(c.relname::text) IS NOT NULL
		ORDER BY lo`,
	Exists:  "SELECT to_regclass($1) IS NOT NULL",
	Default: "visits_default",
	// Creating a partition locks visits briefly and scans the DEFAULT
	// partition for rows of the new range (none, or the store would Move).
	Create: []string{"CREATE TABLE %[1]s PARTITION OF visits FOR VALUES FROM (%[2]d) TO (%[3]d)"},
	// The rows move in one statement into a plain table; its CHECK lets
	// ATTACH skip scanning them, and ATTACH locks visits only in SHARE
	// UPDATE EXCLUSIVE mode, which lets check-ins go on.
	Move: []string{
		"CREATE TABLE %[1]s (LIKE visits)",
		`WITH moved AS (DELETE FROM visits_default WHERE in_at >= %[2]d AND in_at < %[3]d RETURNING *)
			INSERT INTO %[1]s SELECT * FROM moved`,
		"ALTER TABLE %[1]s ADD CONSTRAINT %[1]s_range CHECK (in_at >= %[2]d AND in_at < %[3]d)",
		"ALTER TABLE visits ATTACH PARTITION %[1]s FOR VALUES FROM (%[2]d) TO (%[3]d)",
		"ALTER TABLE %[1]s DROP CONSTRAINT %[1]s_range",
	},
	KeptTable: []string{
		"CREATE TEMP TABLE IF NOT EXISTS visits_kept (LIKE visits) ON COMMIT DROP",
		"DELETE FROM visits_kept",
	},
	// A plain DETACH, inside the purge's transaction (see
	// sqlstore.Tx.dropVisitDays for why not CONCURRENTLY).
	// The parent is locked first: DETACH alone would lock the partition,
	// then wait for the parent while check-ins holding the parent waited
	// for the partition (a check-in's OpenVisit reads every day) — a
	// deadlock that ravao bench hit. Locked parent first, the purge only
	// waits for the check-ins in flight, and the next ones wait for it.
	Drop: []string{
		"LOCK TABLE ONLY visits, %[1]s IN ACCESS EXCLUSIVE MODE",
		"ALTER TABLE visits DETACH PARTITION %[1]s",
		"DROP TABLE %[1]s",
	},
	Restore: "INSERT INTO visits OVERRIDING SYSTEM VALUE SELECT * FROM visits_kept",
	Table:   "SELECT tableoid::regclass::text FROM visits WHERE id = $1",
}

// The SQLSTATE codes the store cares about.
const (
	uniqueViolation      = "23505"
	foreignKeyViolation  = "23503"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

func classify(err error) sqlstore.ErrKind {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return sqlstore.ErrOther
	}
	switch e.Code {
	case uniqueViolation:
		return sqlstore.ErrUnique
	case foreignKeyViolation:
		return sqlstore.ErrReference
	case serializationFailure, deadlockDetected:
		return sqlstore.ErrRetry
	}
	return sqlstore.ErrOther
}
