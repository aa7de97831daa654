// Package sqlite is Ravao's store on SQLite (modernc.org/sqlite, pure Go):
// one file, no server, the default for a single machine. All queries are
// shared with PostgreSQL in package sqlstore; this package opens the file
// with the settings that make acknowledged writes durable and applies its
// own embedded migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options tune the store; the zero value is right for most deployments.
type Options struct {
	// Readers is the size of the read pool (default: 2 per CPU, at least 4).
	Readers int
	// BusyTimeout is how long a connection waits for a lock (default 10s).
	BusyTimeout time.Duration
	// TZ is the deployment's time zone, in which progress counts days
	// (default: Vietnam's +07:00).
	TZ *time.Location
}

// Store is Ravao's store on one SQLite file. It implements ravao.Store.
type Store struct {
	*sqlstore.DB
	path string
}

var _ ravao.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path, checks its
// settings and applies pending migrations. path may carry a "sqlite:"
// prefix, as the --db flag does.
func Open(ctx context.Context, path string, clock ravao.Clock, opts Options) (*Store, error) {
	path, err := cleanPath(path)
	if err != nil {
		return nil, err
	}
	writer, err := openWriter(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	if _, err := sqlstore.Migrate(ctx, writer, goose.DialectSQLite3, migrations()); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	// Without statistics the planner may pick a poorer index (ravao bench
	// found OpenVisit walking a venue's visits instead of the person's):
	// optimize analyses the tables that need it (the store runs it again
	// as the tables grow: Dialect.Optimize).
	if _, err := writer.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: optimize %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", dsn(path, opts, false))
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(readers(opts))
	reader.SetMaxIdleConns(readers(opts))
	s := &Store{DB: &sqlstore.DB{Writer: writer, Reader: reader, Clock: clock, Dialect: dialect, Loc: opts.TZ},
		path: path}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// Migrate applies pending migrations to the database at path and returns
// the names of those applied, for `ravao migrate`.
func Migrate(ctx context.Context, path string) ([]string, error) {
	path, err := cleanPath(path)
	if err != nil {
		return nil, err
	}
	writer, err := openWriter(ctx, path, Options{})
	if err != nil {
		return nil, err
	}
	defer writer.Close()
	return sqlstore.Migrate(ctx, writer, goose.DialectSQLite3, migrations())
}

// Path returns the file the store keeps its data in.
func (s *Store) Path() string { return s.path }

func migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return sub
}

// cleanPath strips the "sqlite:" prefix and refuses what cannot work: an
// in-memory database is not shared between the writer and the readers.
func cleanPath(path string) (string, error) {
	path = strings.TrimPrefix(path, "sqlite:")
	if path == "" || path == ":memory:" || strings.ContainsAny(path, "?#") {
		return "", errors.New("sqlite: the database must be a file path without '?' or '#'")
	}
	return path, nil
}

// openWriter opens the single write connection. One connection means
// writers queue in Go instead of failing with SQLITE_BUSY.
func openWriter(ctx context.Context, path string, opts Options) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, opts, true))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// dsn builds the connection string. The pragmas go in the DSN so that
// every connection the pools open gets them, not just the first.
func dsn(path string, opts Options, writer bool) string {
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	// WAL lets readers work while the writer writes.
	q.Add("_pragma", "journal_mode(WAL)")
	// An acknowledged check-in must be on disk. In WAL mode NORMAL skips
	// the sync at commit and can lose the last transactions on power loss;
	// FULL syncs the WAL at every commit.
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Deleted personal data is overwritten with zeros, not left in free
	// pages for anyone who copies the file.
	q.Add("_pragma", "secure_delete(ON)")
	// PRAGMA optimize analyses a sample of each table, so that it takes
	// milliseconds on a large file.
	q.Add("_pragma", "analysis_limit(400)")
	if writer {
		// BEGIN IMMEDIATE takes the write lock at once, so a write
		// transaction never fails upgrading from a read lock.
		q.Set("_txlock", "immediate")
	} else {
		// Readers cannot write, even by mistake.
		q.Add("_pragma", "query_only(ON)")
	}
	return path + "?" + q.Encode()
}

func readers(opts Options) int {
	if opts.Readers > 0 {
		return opts.Readers
	}
	return max(4, 2*runtime.NumCPU())
}

// dialect is what SQLite tells the shared store. Writes are serialised by
// the single writer connection, so nothing needs retrying and PutUnits
// needs no lock.
var dialect = sqlstore.Dialect{
	Name:        "sqlite",
	Classify:    classify,
	BatchParams: 100,
	// modernc's driver parses every statement again: keep them prepared.
	CacheStatements: true,
	Optimize:        "PRAGMA optimize",
	// After a purge, TRUNCATE copies the WAL into the file (where
	// secure_delete has zeroed the freed cells) and empties it, so that
	// deleted rows do not live on in old WAL frames.
	Checkpoint: "PRAGMA wal_checkpoint(TRUNCATE)",
}

func classify(err error) sqlstore.ErrKind {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return sqlstore.ErrOther
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.ErrUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ErrReference
	}
	return sqlstore.ErrOther
}
