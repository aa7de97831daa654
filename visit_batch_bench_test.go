package ravao_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
)

// BenchmarkCheckIns measures check-ins through VisitWriter on each engine
// from 1, 16 and 64 concurrent writers, with group commit ("group") and
// with one transaction per check-in ("single", MaxBatch 1). Each reports
// check-ins per second, the latency each waited as p50-ms and p99-ms, the
// check-ins per commit, and x-commit: its rate over the rate of durable
// one-row commits one at a time ("commit", the machine's floor under any
// acknowledged write), measured first in the same run. Check-ins that fail
// (PostgreSQL serialisation failures past the retries, when concurrent
// transactions update one venue's venue_days row) are counted as
// failed/op, not in the rate.
func BenchmarkCheckIns(b *testing.B) {
	engines := []struct {
		name string
		open func(testing.TB) svctest.Opener
	}{
		{"sqlite", func(tb testing.TB) svctest.Opener { return svctest.SQLite(tb) }},
		{"postgres", func(tb testing.TB) svctest.Opener {
			dsn := testenv.PostgresDB(tb)
			return func(c ravao.Clock) (ravao.Store, error) {
				return postgres.Open(context.Background(), dsn, c, postgres.Options{})
			}
		}},
	}
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			e := newBatchEnv(b, eng.open(b), 1000)
			var commitRate float64
			b.Run("commit", func(b *testing.B) { commitRate = benchCommit(b, e) })
			for _, writers := range []int{1, 16, 64} {
				for _, mode := range []struct {
					name     string
					maxBatch int
				}{{"group", 0}, {"single", 1}} {
					b.Run(fmt.Sprintf("%s/writers=%d", mode.name, writers), func(b *testing.B) {
						e.w = &ravao.VisitWriter{Store: e.st, MaxBatch: mode.maxBatch}
						rate := benchCheckIns(b, e, writers)
						if commitRate > 0 {
							b.ReportMetric(rate/commitRate, "x-commit")
						}
					})
				}
			}
		})
	}
}

// benchCommit commits one-row write transactions one at a time and returns
// their rate per second.
func benchCommit(b *testing.B, e *batchEnv) float64 {
	i := 0
	start := time.Now()
	for b.Loop() {
		i++
		if err := e.st.Update(e.ctx, func(tx ravao.Tx) error { return tx.PutSetting("bench", fmt.Sprint(i)) }); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(i) / time.Since(start).Seconds()
	b.ReportMetric(rate, "commits/s")
	return rate
}

// seq numbers the benchmark's check-ins across runs, for distinct keys.
var seq atomic.Int64

// benchCheckIns records b.N check-ins from writers goroutines, each with
// its own idempotency key, reports the figures and returns check-ins per
// second.
func benchCheckIns(b *testing.B, e *batchEnv, writers int) float64 {
	var left, failed atomic.Int64
	left.Store(int64(b.N))
	e.commits.Store(0)
	waits := make([][]time.Duration, writers)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for g := range writers {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				i := seq.Add(1)
				v := e.visit(int(i), fmt.Sprint("bench/", i))
				t := time.Now()
				if _, err := e.w.Record(e.ctx, &v); err != nil {
					failed.Add(1) // serialisation failures past the retries
					continue
				}
				waits[g] = append(waits[g], time.Since(t))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(waits...)
	slices.Sort(all)
	rate := float64(len(all)) / elapsed.Seconds()
	b.ReportMetric(rate, "checkins/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(failed.Load())/float64(b.N), "failed/op")
	if c := e.commits.Load(); c > 0 {
		b.ReportMetric(float64(len(all))/float64(c), "checkins/commit")
	}
	return rate
}
