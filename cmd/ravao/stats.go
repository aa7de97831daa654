package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// cmdStats runs the progress roll-ups by hand: `stats rollup` recomputes
// the unit rows of a day (today by default), as serve does every few
// minutes; `stats repair` rebuilds the venue-days of a range from the
// visits still held, then their unit rows, after a restore or a bug.
func cmdStats(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 {
		return errUsage
	}
	var c config
	var from, to, day string
	f := newFlags("stats "+args[0], env)
	f.db(&c)
	f.str(&c.TZ, "tz", "Asia/Ho_Chi_Minh", "time zone days are counted in")
	switch args[0] {
	case "rollup":
		f.StringVar(&day, "day", "", "day to roll up, YYYY-MM-DD (default: today)")
	case "repair":
		f.StringVar(&from, "from", "", "first day to repair, YYYY-MM-DD (required)")
		f.StringVar(&to, "to", "", "last day to repair, YYYY-MM-DD (default: today)")
	default:
		return errUsage
	}
	if _, err := f.parse(args[1:], 0); err != nil {
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
	svc, err := progress.New(store, progress.Config{TZ: loc})
	if err != nil {
		return err
	}
	if args[0] == "rollup" {
		return statsRollup(ctx, svc, day, env)
	}
	return statsRepair(ctx, svc, from, to, env)
}

func statsRollup(ctx context.Context, svc *progress.Service, day string, env *environment) error {
	d, err := flagDay("day", day, svc.Today())
	if err != nil {
		return err
	}
	start := time.Now()
	if err := svc.Rollup(ctx, d); err != nil {
		return describe(err)
	}
	_, err = fmt.Fprintf(env.stdout, "rolled up %s in %s\n", d, time.Since(start).Round(time.Millisecond))
	return err
}

func statsRepair(ctx context.Context, svc *progress.Service, from, to string, env *environment) error {
	if from == "" {
		return fmt.Errorf("stats repair needs --from YYYY-MM-DD")
	}
	f, err := flagDay("from", from, 0)
	if err != nil {
		return err
	}
	t, err := flagDay("to", to, svc.Today())
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := svc.Repair(ctx, f, t)
	if err != nil {
		return describe(err)
	}
	_, err = fmt.Fprintf(env.stdout, "repaired %s to %s: %d place-day rows written, units rolled up, in %s\n",
		f, t, n, time.Since(start).Round(time.Millisecond))
	return err
}

// flagDay reads a YYYY-MM-DD flag; "" is def.
func flagDay(name, s string, def ravao.Day) (ravao.Day, error) {
	if s == "" {
		return def, nil
	}
	d, err := ravao.ParseDay(s)
	if err != nil {
		return 0, fmt.Errorf("--%s: %q is not a date YYYY-MM-DD", name, s)
	}
	return d, nil
}
