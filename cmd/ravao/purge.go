package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/retention"
)

// cmdPurge runs the retention purge once, as serve does every night at
// --purge-hour: `ravao purge` deletes what is past its period (except
// what an open case needs) and prints the counts; with --dry-run it only
// counts. It reads no personal data and needs no key.
func cmdPurge(ctx context.Context, args []string, env *environment) error {
	var c config
	var dryRun bool
	f := newFlags("purge", env)
	f.db(&c)
	f.str(&c.TZ, "tz", "Asia/Ho_Chi_Minh", "time zone days are counted in")
	f.retention(&c)
	f.BoolVar(&dryRun, "dry-run", false, "count what would be deleted, delete nothing")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return fmt.Errorf("--tz: %v", err)
	}
	store, err := openStore(ctx, &c, ravao.SystemClock{})
	if err != nil {
		return err
	}
	defer store.Close()
	rc := c.Retain
	rc.TZ = loc
	svc, err := retention.New(store, rc)
	if err != nil {
		return err
	}
	r, err := svc.Purge(ctx, dryRun)
	if err != nil {
		return err
	}
	return printPurge(env, r)
}

// printPurge prints a purge's counts, one per line.
func printPurge(env *environment, r retention.Report) error {
	verb := "deleted"
	if r.DryRun {
		verb = "would delete (dry run)"
	}
	_, err := fmt.Fprintf(env.stdout, "%s:\n  visits        %d\n  declarations  %d\n  people        %d\n  closed cases  %d\n  windows       %d\nkept for open cases: %d people\ntook %s\n",
		verb, r.Visits, r.Declarations, r.People, r.Cases, r.Windows, r.Kept, r.Took.Round(time.Millisecond))
	return err
}

// runPurge runs the daily purge at --purge-hour until ctx ends.
func (a *app) runPurge(ctx context.Context, logger *slog.Logger) {
	a.purge.Run(ctx, logger)
}
