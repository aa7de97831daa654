package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/vault"
)

// cmdStats runs the progress roll-ups by hand: `stats rollup` recomputes
// the unit rows of a day (today by default), as serve does every few
// minutes; `stats repair` rebuilds the venue-days of a range from the
// visits still held, then their unit rows, after a restore or a bug;
// `stats reports` makes and keeps the daily reports of a day (yesterday
// by default), as serve does every morning at --report-hour.
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
	case "reports":
		f.StringVar(&day, "day", "", "day to report on, YYYY-MM-DD (default: yesterday)")
		f.str(&c.KeyFile, "key-file", "", "file holding the base64 master key (or RAVAO_KEY); optional here")
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
	v, err := statsVault(&c, env)
	if err != nil {
		return err
	}
	svc, err := progress.New(store, progress.Config{TZ: loc, Vault: v})
	if err != nil {
		return err
	}
	switch args[0] {
	case "rollup":
		return statsRollup(ctx, svc, day, env)
	case "reports":
		return statsReports(ctx, svc, day, env)
	}
	return statsRepair(ctx, svc, from, to, env)
}

// statsVault is the vault when a key is given (RAVAO_KEY or --key-file),
// else nil: the roll-ups and reports read no personal data.
func statsVault(c *config, env *environment) (*vault.Vault, error) {
	if c.KeyFile == "" && env.getenv("RAVAO_KEY") == "" {
		return nil, nil
	}
	key, err := c.masterKey(env)
	if err != nil {
		return nil, err
	}
	return vault.New(key)
}

// statsReports makes and keeps the daily reports of a day.
func statsReports(ctx context.Context, svc *progress.Service, day string, env *environment) error {
	d, err := flagDay("day", day, svc.Today().Add(-1))
	if err != nil {
		return err
	}
	if d >= svc.Today() {
		return fmt.Errorf("--day: reports are made for a day that has ended; %s has not", d)
	}
	start := time.Now()
	n, err := svc.MakeReports(ctx, d)
	if err != nil {
		return fmt.Errorf("made %d reports of %s, then: %w", n, d, describe(err))
	}
	_, err = fmt.Fprintf(env.stdout, "made and kept %d reports of %s in %s\n", n, d, time.Since(start).Round(time.Millisecond))
	return err
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
