package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao/vault"

	"github.com/ravao/ravao/postgres"
)

// benchConfig is what `ravao bench` was asked to do.
type benchConfig struct {
	db          string
	duration    time.Duration
	maxRequests int64
	concurrency int
	rates       []float64
	venues      int
	people      int
	days        int
	purgeVisits int
	keep        bool
	json        bool
	only        map[string]bool
	cpuProfile  string
}

// benchPhases are the phases --only may name.
var benchPhases = []string{"baseline", "checkins", "rates", "purge", "queries"}

// runs reports whether the phase is to run.
func (bc *benchConfig) runs(phase string) bool { return len(bc.only) == 0 || bc.only[phase] }

// cmdBench measures Ravao end to end on this machine: see docs/performance.md.
func cmdBench(ctx context.Context, args []string, env *environment) error {
	bc, c, err := benchFlags(args, env)
	if err != nil {
		return err
	}
	if bc.db == "" {
		dir, err := os.MkdirTemp("", "ravao-bench-")
		if err != nil {
			return err
		}
		if bc.keep {
			fmt.Fprintf(env.stderr, "bench: keeping the database in %s\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
		bc.db = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	c.DB = bc.db
	rep, err := runBench(ctx, bc, c, env)
	if err != nil {
		return err
	}
	if bc.json {
		err = rep.writeJSON(env.stdout)
	} else {
		err = rep.writeTable(env.stdout)
	}
	if err != nil {
		return err
	}
	if rep.Stored != nil && rep.Stored.Missing > 0 {
		return fmt.Errorf("%d acknowledged check-ins are not stored", rep.Stored.Missing)
	}

	return nil
}

// benchFlags parses the command line; the server's own settings keep
// their defaults (and RAVAO_* variables).
func benchFlags(args []string, env *environment) (*benchConfig, *config, error) {
	bc := &benchConfig{}
	var rates, only string
	var maxReq int
	f := newFlags("bench", env)
	f.StringVar(&bc.db, "db", "", "database: sqlite:PATH or postgres://... (default: a temporary SQLite file)")
	f.DurationVar(&bc.duration, "duration", 20*time.Second, "length of each maximum-rate phase (fixed rates: a third of it each)")
	f.IntVar(&maxReq, "max-requests", 200_000, "most requests of any phase")
	f.IntVar(&bc.concurrency, "concurrency", 64, "client workers")
	f.StringVar(&rates, "rates", "500,1000,2000", "comma-separated fixed rates of check-ins per second")
	f.IntVar(&bc.venues, "venues", 2000, "venues to seed")
	f.IntVar(&bc.people, "people", 100_000, "people to seed, each with a device")
	f.IntVar(&bc.days, "days", 7, "days of visits to seed before today (half as many visits a day as people)")
	f.IntVar(&bc.purgeVisits, "purge-visits", 100_000, "visits of the old day the purge phase deletes")
	f.BoolVar(&bc.keep, "keep", false, "keep the temporary SQLite database")
	f.BoolVar(&bc.json, "json", false, "print the results as JSON")
	f.StringVar(&bc.cpuProfile, "cpuprofile", "", "write a CPU profile of the load phases (go tool pprof) to this file")
	f.StringVar(&only, "only", "", "comma-separated phases to run: "+strings.Join(benchPhases, ","))
	if _, err := f.parse(args, 0); err != nil {
		return nil, nil, err
	}
	bc.maxRequests = int64(maxReq)
	var err error
	if bc.rates, err = parseRates(rates); err != nil {
		return nil, nil, err
	}
	if bc.only, err = parseOnly(only); err != nil {
		return nil, nil, err
	}
	if bc.duration <= 0 || bc.maxRequests < 1 || bc.concurrency < 1 || bc.venues < 2 || bc.people < 1 || bc.days < 1 || bc.purgeVisits < 1 {
		return nil, nil, fmt.Errorf("bench: --duration, --max-requests, --concurrency, --people, --days and --purge-visits must be positive, --venues at least 2")
	}
	c := &config{}
	g := newFlags("bench", env)
	g.server(c, "127.0.0.1:0")
	g.integer(&c.MaxConns, "max-conns", 20, "PostgreSQL connection pool size")
	if _, err := g.parse(nil, 0); err != nil {
		return nil, nil, err
	}
	c.Addr, c.LogFormat = "127.0.0.1:0", "json"
	if loc, err := time.LoadLocation(c.TZ); err == nil {
		c.PurgeHour = (time.Now().In(loc).Hour() + 23) % 24 // the daily purge: in 23 hours or more
	}
	return bc, c, nil
}

// parseRates reads --rates.
func parseRates(s string) ([]float64, error) {
	var out []float64
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		v, err := strconv.ParseFloat(r, 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("bench: --rates: %q is not a positive number", r)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseOnly reads --only.
func parseOnly(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if p == "checkin" {
			p = "checkins"
		}
		found := false
		for _, k := range benchPhases {
			found = found || k == p
		}
		if !found {
			return nil, fmt.Errorf("bench: --only: unknown phase %q (phases: %s)", p, strings.Join(benchPhases, ","))
		}
		out[p] = true
	}
	return out, nil
}

// runBench starts the server in process on loopback with the seeded
// dataset, runs the phases against it, then stops it.
func runBench(ctx context.Context, bc *benchConfig, c *config, env *environment) (*benchReport, error) {
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		return nil, err
	}
	progress := func(format string, args ...any) {
		fmt.Fprintf(env.stderr, "bench: "+format+"\n", args...)
	}
	// One seeding transaction at a time: side by side, PostgreSQL's
	// serialisable transactions fail each other.
	d := &benchData{seedLogger: progress, parallel: 1}
	kind, _, err := parseDB(c.DB)
	if err != nil {
		return nil, err
	}
	var a *app
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan string, 1)
	// The server's own output goes to stderr, its log only from warnings
	// up (a line per request would drown the progress): stdout is for the
	// results.
	senv := &environment{stdin: env.stdin, stdout: io.Discard, stderr: warnings{env.stderr}, getenv: env.getenv,
		ready: func(addr string) { ready <- addr }}
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return nil, err
	}
	seed := func(ctx context.Context, got *app) error {
		a = got
		progress("seeding %s: %d venues, %d people, %d days", kind, bc.venues, bc.people, bc.days)
		return seedBench(ctx, a, bc, loc, d)
	}
	errc := make(chan error, 1)
	go func() { errc <- serve(sctx, c, key, senv, seed) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		if err == nil {
			err = errors.New("the server stopped before it listened")
		}
		return nil, err
	}
	rep := &benchReport{Engine: kind, Load: loadAverage(), Venues: bc.venues, People: bc.people, Days: bc.days,
		Visits: d.visits, SeedSeconds: d.seedTook.Seconds(), Concurrency: bc.concurrency, Duration: bc.duration.String()}
	rep.Warnings = serverWarnings(ctx, a)
	b := &bencher{bc: bc, a: a, d: d, loc: loc, base: "http://" + addr, client: newClient(bc.concurrency), progress: progress}
	stopProfile, err := startProfile(bc.cpuProfile)
	if err != nil {
		return nil, err
	}
	perr := b.phases(ctx, rep)
	stopProfile()
	stop()
	if err := <-errc; err != nil && perr == nil {
		perr = err
	}
	rep.PeakRSSMB = float64(peakRSS()) / (1 << 20)
	return rep, perr
}

// serverWarnings notes what in the database server's settings makes the
// figures unlike a deployment's. With PostgreSQL's autovacuum off (as a
// CI machine may set it), today's partition of visits, empty when the
// seeding analysed it, is never analysed as the check-ins fill it: its
// plans go stale and the fixed-rate phases stall for seconds.
func serverWarnings(ctx context.Context, a *app) []string {
	st, ok := a.store.(*postgres.Store)
	if !ok {
		return nil
	}
	var v string
	if err := st.DB.Reader.QueryRowContext(ctx, "SHOW autovacuum").Scan(&v); err != nil || v != "off" {
		return nil
	}
	return []string{"PostgreSQL's autovacuum is off on this server: today's partition of visits is not analysed as it fills and its plans go stale (stalls of seconds); a deployment keeps autovacuum on"}
}

// startProfile starts a CPU profile into path, if any, and returns what
// stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// loadAverage is the machine's load average as /proc/loadavg gives it,
// empty where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// trivialServer serves the baseline: a handler that writes two bytes, on
// a loopback port of its own. It returns the base URL and a stop
// function.
func trivialServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte("ok"))
	}), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// warnings passes on the server's JSON log lines of level WARN and ERROR
// only; the others are formatted as in production, then dropped.
type warnings struct{ w io.Writer }

// warnLevel matches the level of a line worth showing.
var warnLevel = regexp.MustCompile(`"level":"(WARN|ERROR)"`)

func (f warnings) Write(p []byte) (int, error) {
	if warnLevel.Match(p) {
		return f.w.Write(p)
	}
	return len(p), nil
}
