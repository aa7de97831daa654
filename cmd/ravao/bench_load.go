package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// loadTarget is what a load phase sends: a fresh request for each number.
type loadTarget struct {
	client *http.Client
	build  func(ctx context.Context) (*http.Request, error)
}

// phaseResult is what one load phase measured.
type phaseResult struct {
	Name       string         `json:"name"`
	TargetRate float64        `json:"target_rate,omitempty"`
	Requests   int            `json:"requests"`
	OK         int            `json:"ok"`
	Created    int            `json:"created"`
	Errors     map[string]int `json:"errors,omitempty"`
	Seconds    float64        `json:"seconds"`
	Rate       float64        `json:"rate"`
	P50        float64        `json:"p50_ms"`
	P99        float64        `json:"p99_ms"`
	P999       float64        `json:"p999_ms"`
	CPUPerOK   float64        `json:"cpu_us_per_ok"`
	Ratio      float64        `json:"ratio_to_baseline,omitempty"`
}

// tally collects one worker's outcomes.
type tally struct {
	lat     []time.Duration
	status  map[string]int
	ok, new int
}

func newTally() *tally { return &tally{status: map[string]int{}} }

// send makes one request and records its outcome, latency from since.
func (t *tally) send(ctx context.Context, tg loadTarget, since time.Time) {
	req, err := tg.build(ctx)
	if err != nil {
		t.status["build"]++
		return
	}
	resp, err := tg.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			t.status["transport"]++
		}
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	t.lat = append(t.lat, time.Since(since))
	switch {
	case resp.StatusCode == http.StatusCreated:
		t.ok++
		t.new++
	case resp.StatusCode < 300:
		t.ok++
	default:
		t.status[strconv.Itoa(resp.StatusCode)]++
	}
}

// merge adds the workers' tallies into a result measured over elapsed,
// with cpu the process's CPU time spent.
func merge(name string, ts []*tally, elapsed, cpu time.Duration) phaseResult {
	r := phaseResult{Name: name, Errors: map[string]int{}, Seconds: elapsed.Seconds()}
	var lat []time.Duration
	for _, t := range ts {
		lat = append(lat, t.lat...)
		r.OK += t.ok
		r.Created += t.new
		for k, n := range t.status {
			r.Errors[k] += n
		}
	}
	r.Requests = len(lat) + r.Errors["transport"] + r.Errors["build"] + r.Errors["late"]
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	if elapsed > 0 {
		r.Rate = float64(r.OK) / elapsed.Seconds()
	}
	if r.OK > 0 {
		r.CPUPerOK = float64(cpu.Microseconds()) / float64(r.OK)
	}
	r.P50, r.P99, r.P999 = quantileMS(lat, 0.50), quantileMS(lat, 0.99), quantileMS(lat, 0.999)
	return r
}

// quantileMS is the q-quantile of ds in milliseconds, 0 when empty.
func quantileMS(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := min(int(float64(len(ds))*q), len(ds)-1)
	return float64(ds[i].Microseconds()) / 1000
}

// closedLoop sends from workers goroutines, each waiting for its answer
// before the next request, until d has passed or max requests are sent.
func closedLoop(ctx context.Context, name string, tg loadTarget, workers int, d time.Duration, max int64) phaseResult {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	var sent atomic.Int64
	ts := make([]*tally, workers)
	cpu0, start := cpuTime(), time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		ts[w] = newTally()
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) && sent.Add(1) <= max {
				ts[w].send(ctx, tg, time.Now())
			}
		})
	}
	wg.Wait()
	return merge(name, ts, time.Since(start), cpuTime()-cpu0)
}

// openLoop sends rate requests a second for d (at most max), each at its
// scheduled time whatever the answers before it, and measures latency
// from that time, so that a stalled server is not hidden by a client that
// waits for it. Requests not started by 2d are counted as "late". No
// request is scheduled after until ends.
func openLoop(ctx, until context.Context, name string, tg loadTarget, workers int, rate float64, d time.Duration, max int64) phaseResult {
	total := min(int64(rate*d.Seconds()), max)
	jobs := make(chan time.Time, total)
	ctx, cancel := context.WithTimeout(ctx, 2*d+30*time.Second)
	defer cancel()
	cpu0, start := cpuTime(), time.Now()
	go schedule(until, jobs, start, rate, total)
	ts := make([]*tally, workers)
	stop := start.Add(2 * d)
	var wg sync.WaitGroup
	for w := range workers {
		ts[w] = newTally()
		wg.Go(func() {
			for at := range jobs {
				if time.Now().After(stop) {
					ts[w].status["late"]++
					continue
				}
				ts[w].send(ctx, tg, at)
			}
		})
	}
	wg.Wait()
	r := merge(name, ts, time.Since(start), cpuTime()-cpu0)
	r.TargetRate = rate
	return r
}

// schedule puts the scheduled time of each of total requests on jobs,
// when it comes, then closes it.
func schedule(ctx context.Context, jobs chan<- time.Time, start time.Time, rate float64, total int64) {
	defer close(jobs)
	for k := range total {
		at := start.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		if wait := time.Until(at); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
		}
		jobs <- at
	}
}

// newClient is an HTTP client that keeps a connection per worker open.
func newClient(workers int) *http.Client {
	tr := &http.Transport{MaxIdleConns: workers * 2, MaxIdleConnsPerHost: workers * 2, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}
