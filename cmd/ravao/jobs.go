package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/vault"
)

// job is one background job of serve; its name is its lease's.
type job struct {
	name string
	run  func(context.Context)
}

// jobs lists serve's background jobs: the automatic check-out, the sender
// of the messages to close contacts (which also leases each message it
// takes, so it was already safe on several servers), the progress
// roll-ups, roster rematch and morning reports, the keys of
// places registered before contact keys existed, the audit seal (safe
// too, by its unique sequence), the retention purge and the pruning of
// the shared limits' old counters.
func (a *app) jobs(c *config, logger *slog.Logger) []job {
	every := c.JobsInterval
	return []job{
		{"visitors.checkout", func(ctx context.Context) { a.visitors.RunCheckouts(ctx, every, logger) }},
		{"tracing.notify", func(ctx context.Context) { a.tracing.RunNotifications(ctx, every, logger) }},
		{"progress", func(ctx context.Context) { a.runProgress(ctx, c, logger) }},
		{"places.contact_keys", func(ctx context.Context) { fillContactKeys(ctx, a.places, logger) }},
		{"audit.seal", func(ctx context.Context) { a.runAuditSealer(ctx, logger) }},
		{"retention.purge", func(ctx context.Context) { a.runPurge(ctx, logger) }},
		{"limits.prune", func(ctx context.Context) { a.pruneLimits(ctx, logger) }},
	}
}

// startJobs runs every job under its lease, so that of several servers on
// one database only one runs each job; another takes a job over within
// --lease-ttl when its server stops or dies. The jobs run until ctx ends;
// wait for the group before closing the store.
func (a *app) startJobs(ctx context.Context, c *config, logger *slog.Logger) *sync.WaitGroup {
	holder := ravao.NewHolder()
	var wg sync.WaitGroup
	for _, j := range a.jobs(c, logger) {
		l := ravao.Lease{Store: a.store, Name: j.name, Holder: holder, TTL: c.LeaseTTL, Log: logger}
		wg.Go(func() { ravao.Leased(ctx, l, j.run) })
	}
	return &wg
}

// runProgress runs the roll-ups (and roster rematch) and the morning
// reports, under one lease so that one server does both. Two roll-ups of
// one day at once conflict (the second fails on unit_days' key), and at
// start both would roll yesterday up: the reports missed while no server
// ran are made first, then both loops start.
func (a *app) runProgress(ctx context.Context, c *config, logger *slog.Logger) {
	progress.CatchUpReports(ctx, a.progress, logger, c.ReportHour)
	var wg sync.WaitGroup
	wg.Go(func() { a.progress.RunRollups(ctx, 5*c.JobsInterval, logger) })
	progress.RunReports(ctx, a.progress, logger, c.ReportHour)
	wg.Wait()
}

// limitWindow is the longest window of the shared limits: older counters
// are pruned.
const limitWindow = time.Hour

// pruneLimits deletes the shared limits' counters of clients not seen for
// an hour, every hour.
func (a *app) pruneLimits(ctx context.Context, logger *slog.Logger) {
	t := time.NewTicker(limitWindow)
	defer t.Stop()
	for {
		err := a.store.Update(ctx, func(tx ravao.Tx) error {
			_, err := tx.PruneRateCounters(tx.Now().Add(-limitWindow))
			return err
		})
		if err != nil && ctx.Err() == nil {
			logger.Error("rate counters", "err", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkJobs validates the flags of several servers.
func (c *config) checkJobs() error {
	switch {
	case c.SharedLimits != "auto" && c.SharedLimits != "on" && c.SharedLimits != "off":
		return fmt.Errorf("--shared-limits must be auto, on or off, not %q", c.SharedLimits)
	case c.LeaseTTL < 300*time.Millisecond:
		return fmt.Errorf("--lease-ttl must be at least 300ms")
	case c.JobsInterval < 10*time.Millisecond:
		return fmt.Errorf("--jobs-interval must be at least 10ms")
	}
	return nil
}

// limits are the per-client limits serve shares between servers; nil
// fields leave the services' in-memory limits.
type limits struct {
	login auth.Limiter // sign-in attempts per client address
	sms   auth.Limiter // SMS code requests per client address
}

// sharedLimits returns the database-backed limits when --shared-limits
// asks for them (auto: with PostgreSQL, where several servers may run).
// Client addresses are keyed through the vault's lookup hash: no address
// is stored in clear.
func sharedLimits(c *config, store ravao.Store, v *vault.Vault) limits {
	kind, _, _ := parseDB(c.DB)
	if c.SharedLimits == "off" || (c.SharedLimits == "auto" && kind != "postgres") {
		return limits{}
	}
	key := func(ip string) string { return hex.EncodeToString(v.Lookup("ratelimit", ip)[:16]) }
	return limits{
		login: ravao.SharedLimit{Store: store, Scope: "login", Key: key, Limit: loginLimit, Per: time.Minute},
		sms:   ravao.SharedLimit{Store: store, Scope: "sms", Key: key, Limit: smsLimit, Per: time.Minute},
	}
}

// The shared limits match the in-memory ones on average: 10 sign-in
// attempts and 5 SMS code requests per client a minute.
const (
	loginLimit = 10
	smsLimit   = 5
)
