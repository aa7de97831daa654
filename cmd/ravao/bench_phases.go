package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
)

// bencher runs the phases against the server it started.
type bencher struct {
	bc       *benchConfig
	a        *app
	d        *benchData
	loc      *time.Location
	base     string
	client   *http.Client
	seq      atomic.Int64 // check-ins sent so far, across phases
	progress func(format string, args ...any)
}

// phases runs the phases --only selects, filling rep.
func (b *bencher) phases(ctx context.Context, rep *benchReport) error {
	var baseline float64
	rates := b.bc.rates
	if b.bc.runs("baseline") {
		r, err := b.baseline(ctx)
		if err != nil {
			return err
		}
		baseline = r.Rate
		rep.Phases = append(rep.Phases, r)
	}
	if b.bc.runs("checkins") {
		if err := b.maxRate(ctx, rep, baseline); err != nil {
			return err
		}
		// The goals' latency is at half the rate: half of what was reached.
		if half := float64(int(rep.Phases[len(rep.Phases)-1].Rate / 2)); half >= 1 {
			rates = append(rates, half)
		}
	}
	if b.bc.runs("rates") {
		for _, rate := range rates {
			b.progress("check-ins at %g/s for %v", rate, b.bc.duration/3)
			rep.Phases = append(rep.Phases, openLoop(ctx, ctx, fmt.Sprintf("check-ins at %g/s", rate), b.checkins("r"),
				b.bc.concurrency, rate, b.bc.duration/3, b.bc.maxRequests))
		}
	}
	if b.bc.runs("purge") {
		if err := b.purge(ctx, rep); err != nil {
			return err
		}
	}
	if b.bc.runs("queries") {
		return b.queries(ctx, rep)
	}
	return nil
}

// baseline drives the trivial handler at maximum rate.
func (b *bencher) baseline(ctx context.Context) (phaseResult, error) {
	url, stop, err := trivialServer()
	if err != nil {
		return phaseResult{}, err
	}
	defer stop()
	b.progress("baseline: trivial handler at maximum rate for %v", b.bc.duration)
	body := []byte(`{"code":"BASELINE"}`)
	tg := loadTarget{client: newClient(b.bc.concurrency), build: func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/checkins", bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}}
	return closedLoop(ctx, "trivial handler (baseline)", tg, b.bc.concurrency, b.bc.duration, b.bc.maxRequests), nil
}

// checkins is the visitor check-in API, POST /api/v1/checkins with a
// device token and a unique idempotency key (prefix, then the number).
// Check-in n is person n mod P's, at venue (n mod P + n div P) mod V: a
// person's next check-in is at the next venue, so each makes a visit.
func (b *bencher) checkins(prefix string) loadTarget {
	p, v := int64(len(b.d.tokens)), int64(len(b.d.codes))
	return loadTarget{client: b.client, build: func(ctx context.Context) (*http.Request, error) {
		n := b.seq.Add(1)
		person, venue := n%p, (n%p+n/p)%v
		body := []byte(`{"code":"` + b.d.codes[venue] + `"}`)
		req, err := http.NewRequestWithContext(ctx, "POST", b.base+"/api/v1/checkins", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Ravao-Device", b.d.tokens[person])
		req.Header.Set("Idempotency-Key", "bench-"+prefix+"-"+strconv.FormatInt(n, 10))
		return req, nil
	}}
}

// maxRate drives check-ins at maximum rate, then checks that every
// acknowledged new visit is stored.
func (b *bencher) maxRate(ctx context.Context, rep *benchReport, baseline float64) error {
	b.progress("check-ins at maximum rate for %v (at most %d)", b.bc.duration, b.bc.maxRequests)
	r := closedLoop(ctx, "check-ins, maximum rate", b.checkins("m"), b.bc.concurrency, b.bc.duration, b.bc.maxRequests)
	if baseline > 0 {
		r.Ratio = r.Rate / baseline
	}
	rep.Phases = append(rep.Phases, r)
	stored, err := b.countVisits(ctx, "bench-m-%")
	if err != nil {
		return err
	}
	rep.Stored = &storedCheck{Acknowledged: r.OK, Created: r.Created, Stored: stored, Missing: max(r.Created-stored, 0)}
	b.progress("stored %d visits for %d acknowledged (%d new)", stored, r.OK, r.Created)
	return nil
}

// sqlDB is the store's database handle.
func (b *bencher) sqlDB() (*sqlstore.DB, error) {
	switch st := b.a.store.(type) {
	case *sqlite.Store:
		return st.DB, nil
	case *postgres.Store:
		return st.DB, nil
	}
	return nil, fmt.Errorf("bench: unknown store %T", b.a.store)
}

// countVisits counts the visits whose idempotency key is LIKE pattern.
func (b *bencher) countVisits(ctx context.Context, pattern string) (int, error) {
	db, err := b.sqlDB()
	if err != nil {
		return 0, err
	}
	var n int
	err = db.Reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM visits WHERE idempotency_key LIKE $1", pattern).Scan(&n)
	return n, err
}

// purgeRate is the modest fixed rate of check-ins measured with and
// without a purge.
const purgeRate = 200

// purgeLimit bounds the purge of the purge phase; check-ins are measured
// during its first --duration.
const purgeLimit = 10 * time.Minute

// purge seeds an old day, then measures check-ins at purgeRate a second
// for a third of --duration, then again while retention's purge deletes
// the day.
func (b *bencher) purge(ctx context.Context, rep *benchReport) error {
	b.progress("purge: seeding %d visits on a day 40 days ago", b.bc.purgeVisits)
	if err := seedOldDay(ctx, b.a, b.loc, b.bc.purgeVisits, b.d); err != nil {
		return err
	}
	d := b.bc.duration / 3
	b.progress("purge: check-ins at %d/s for %v without a purge", purgeRate, d)
	quiet := openLoop(ctx, ctx, fmt.Sprintf("check-ins at %d/s, no purge", purgeRate), b.checkins("q"), b.bc.concurrency, purgeRate, d, b.bc.maxRequests)
	rep.Phases = append(rep.Phases, quiet)
	b.progress("purge: check-ins at %d/s while the purge runs", purgeRate)
	pctx, cancel := context.WithCancel(ctx)
	type outcome struct {
		visits int
		took   time.Duration
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		start := time.Now()
		tctx, stop := context.WithTimeout(ctx, purgeLimit)
		defer stop()
		r, err := b.a.purge.Purge(tctx, false)
		cancel()
		done <- outcome{r.Visits, time.Since(start), err}
	}()
	busy := openLoop(ctx, pctx, fmt.Sprintf("check-ins at %d/s, during purge", purgeRate), b.checkins("p"), b.bc.concurrency, purgeRate, b.bc.duration, b.bc.maxRequests)
	o := <-done
	cancel()
	rep.Phases = append(rep.Phases, busy)
	rep.Purge = &purgeResult{Visits: o.visits, Seconds: o.took.Seconds(), QuietP99: quiet.P99, PurgeP99: busy.P99}
	if o.err != nil {
		rep.Purge.Error = o.err.Error()
		b.progress("purge failed: %v", o.err)
	}
	if quiet.P99 > 0 {
		rep.Purge.Ratio = busy.P99 / quiet.P99
	}
	return nil
}
