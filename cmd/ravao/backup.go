package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlite"
)

// cmdBackup writes a consistent copy of a live SQLite database. PostgreSQL
// has its own tools (pg_dump, base backups): see docs/backups.md.
func cmdBackup(ctx context.Context, args []string, env *environment) error {
	var c config
	f := newFlags("backup", env)
	f.db(&c)
	rest, err := f.parse(reorder(args), 1)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("backup needs the FILE to write")
	}
	kind, dsn, err := parseDB(c.DB)
	if err != nil {
		return err
	}
	if kind != "sqlite" {
		return fmt.Errorf("backup copies SQLite databases; for PostgreSQL use pg_dump or base backups (docs/backups.md)")
	}
	s, err := sqlite.Open(ctx, dsn, ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	if err := s.Backup(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backed up %s to %s in %s\n", dsn, rest[0], time.Since(start).Round(time.Millisecond))
	return nil
}
