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
// server that could lose acknowledged commits, and applies pending
// migrations.
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
	return &Store{DB: &sqlstore.DB{Writer: db, Reader: db, Clock: clock, Dialect: dialect, Loc: opts.TZ}}, nil
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
	Name:        "postgres",
	Classify:    classify,
	WriteTx:     &sql.TxOptions{Isolation: sql.LevelSerializable},
	ReadTx:      &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	LockUnits:   "LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE",
	MaxRetries:  10,
	BatchParams: 5000,
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
