package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
)

// openStore opens the database named by a --db URL and brings its schema up
// to date. The store counts progress days in c.TZ, the zone the serving
// commands check; commands without --tz get Vietnam's.
func openStore(ctx context.Context, c *config, clock ravao.Clock) (ravao.Store, error) {
	kind, dsn, err := parseDB(c.DB)
	if err != nil {
		return nil, err
	}
	var loc *time.Location
	if c.TZ != "" {
		if loc, err = time.LoadLocation(c.TZ); err != nil {
			return nil, fmt.Errorf("--tz: %v", err)
		}
	}
	if kind == "sqlite" {
		return sqlite.Open(ctx, dsn, clock, sqlite.Options{TZ: loc})
	}
	return postgres.Open(ctx, dsn, clock, postgres.Options{MaxConns: c.MaxConns, TZ: loc})
}

// parseDB splits a --db URL into the engine and its data source name.
func parseDB(db string) (kind, dsn string, err error) {
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		dsn = strings.TrimPrefix(db, "sqlite:")
		if dsn == "" {
			return "", "", fmt.Errorf("--db sqlite: needs a path, as in sqlite:ravao.db")
		}
		return "sqlite", dsn, nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return "postgres", db, nil
	}
	return "", "", fmt.Errorf("--db must be sqlite:PATH or postgres://..., not %q", db)
}
