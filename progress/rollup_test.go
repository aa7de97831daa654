package progress_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/progress"
)

// clock is a clock the test moves while a job reads it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// TestRunRollups checks the job serve runs: today's figures follow the
// visits, and a job started after midnight rolls up the last visits of
// the day before.
func TestRunRollups(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		clk := &clock{t: at(25, 16, 0).UTC()}
		svc, err := progress.New(e.store, progress.Config{TZ: svctest.ICT, Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		e.visit(e.p2, e.school, at(25, 14, 0), time.Time{}, ravao.Green)
		run := func() (stop func()) {
			ctx, cancel := context.WithCancel(e.ctx)
			done := make(chan struct{})
			go func() {
				svc.RunRollups(ctx, 5*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
				close(done)
			}()
			return func() { cancel(); <-done }
		}
		stop := run()
		e.waitFor(nov25)
		stop()

		e.visit(e.p4, e.school, at(25, 23, 40), time.Time{}, ravao.Green)
		clk.set(at(26, 0, 10).UTC())
		stop = run()
		e.waitFor(nov25)
		stop()
	})
}

// waitFor waits until Quang Trung's figures on day agree with the visits
// stored.
func (e *env) waitFor(day ravao.Day) {
	e.t.Helper()
	want := e.day(filter{unit: "13321"}, day)
	var got ravao.Counts
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v, err := e.svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13321", From: day, To: day})
		if err != nil {
			e.t.Fatal(err)
		}
		if got = v.Totals; got == want {
			return
		}
	}
	e.t.Fatalf("%s: got %+v, want %+v", day, got, want)
}
