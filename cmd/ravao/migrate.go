package main

import (
	"context"
	"fmt"

	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
)

func cmdMigrate(ctx context.Context, args []string, env *environment) error {
	var c config
	f := newFlags("migrate", env)
	f.db(&c)
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	kind, dsn, err := parseDB(c.DB)
	if err != nil {
		return err
	}
	var applied []string
	if kind == "sqlite" {
		applied, err = sqlite.Migrate(ctx, dsn)
	} else {
		applied, err = postgres.Migrate(ctx, dsn)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.stdout, "schema is up to date")
	}
	for _, m := range applied {
		fmt.Fprintln(env.stdout, "applied", m)
	}
	return nil
}
