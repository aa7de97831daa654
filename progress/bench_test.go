package progress_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
)

// BenchmarkProgress is the progress issue's performance goal on the
// dataset of testenv.NewProgressData (RAVAO_BENCH_VISITS visits over 30
// days, 200,000 by default; a venue per 100 visits in 1 province, 10
// districts and 200 communes; the database and its roll-ups are kept
// between runs), on each engine: progress.Service.Unit of the province
// over the 30 days (svc-overview) and of one commune (svc-commune); the
// store calls beneath them, UnitSeries, UnitChildren and UnitTypes in one
// read transaction (store-overview, store-commune); and the naive query
// that computes the province's totals straight from the visits and the
// venues (scan). Each is reported as p50 and p99, with the scan's ratio
// to the overview of the same run: the goal is an overview under 50 ms
// and at least 100 times faster than the scan. The fast paths run
// fastRuns times for each run of the scan, taking turns so that the
// machine's moods fall on all of them alike.
func BenchmarkProgress(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		d := testenv.ProgressDataFromEnv(b)
		st, err := sqlite.Open(context.Background(), d.SQLitePath(), ravao.SystemClock{}, sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchProgress(b, d, st, st.DB)
	})
	b.Run("postgres", func(b *testing.B) {
		d := testenv.ProgressDataFromEnv(b)
		st, err := postgres.Open(context.Background(), d.PostgresURL(b), ravao.SystemClock{}, postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchProgress(b, d, st, st.DB)
	})
}

// fastRuns is how many times each fast path runs for one run of the scan.
const fastRuns = 10

// The province and the commune the benchmark shows: the dataset's
// province, and its first commune (a two-hundredth of the venues).
const (
	benchProvince = "35"
	benchCommune  = "13300"
)

// ict is the deployment's time zone, in which the dataset's days fall.
var ict = time.FixedZone("ICT", 7*3600)

// progressPath is one way to a unit's figures, named as it is reported;
// it returns the unit's totals over the days.
type progressPath struct {
	name string
	run  func() (ravao.Counts, error)
}

func benchProgress(b *testing.B, d testenv.TraceData, st ravao.Store, db *sqlstore.DB) {
	ctx := context.Background()
	start := time.Now()
	seeded, err := d.Seed(ctx, db.Writer, db.Dialect.Name)
	if err != nil {
		b.Fatal(err)
	}
	if seeded {
		b.Logf("%s: seeded %d visits, %d venues, %d communes in %v", db.Dialect.Name, d.Visits, d.Venues, d.Communes, time.Since(start).Round(time.Second))
	}
	from := ravao.DayOf(d.From, ict)
	to := from.Add(d.Days - 1)
	rollUp(b, d, st, db.Dialect.Name, from, to)
	svc, err := progress.New(st, progress.Config{TZ: ict, Clock: &ravao.FixedClock{T: to.Start(ict).Add(20 * time.Hour)}})
	if err != nil {
		b.Fatal(err)
	}
	paths := progressPaths(b, svc, st, db, from, to)
	scan := paths[len(paths)-1]
	times := make([][]time.Duration, len(paths))
	b.ResetTimer()
	for range b.N {
		for j, p := range paths {
			n := fastRuns
			if p.name == scan.name {
				n = 1
			}
			for range n {
				t0 := time.Now()
				if _, err := p.run(); err != nil {
					b.Fatal(err)
				}
				times[j] = append(times[j], time.Since(t0))
			}
		}
	}
	b.StopTimer()
	p50, p99 := make(map[string]float64), make(map[string]float64)
	for j, p := range paths {
		p50[p.name], p99[p.name] = percentiles(times[j])
		b.ReportMetric(p50[p.name], p.name+"-p50-ms")
		b.ReportMetric(p99[p.name], p.name+"-p99-ms")
	}
	for _, o := range []string{"svc-overview", "store-overview"} {
		if p50[o] > 0 {
			b.ReportMetric(p50[scan.name]/p50[o], "scan/"+o+"-p50")
			b.ReportMetric(p99[scan.name]/p99[o], "scan/"+o+"-p99")
		}
	}
}

// rollUpKey is the setting that says the dataset's days are rolled up.
const rollUpKey = "bench.progress_rollup"

// rollUp makes the roll-ups of the dataset's days unless the database
// holds them: the generated visits bypass the store, so venue_days come
// from RepairVenueDays, then unit_days from RollupDay, a transaction a
// day.
func rollUp(b *testing.B, d testenv.TraceData, st ravao.Store, engine string, from, to ravao.Day) {
	ctx := context.Background()
	var have string
	err := st.View(ctx, func(tx ravao.Tx) error {
		var err error
		have, err = tx.Setting(rollUpKey)
		if ravao.IsNotFound(err) {
			return nil
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if have == d.Tag() {
		return
	}
	start, rows := time.Now(), 0
	for day := from; day <= to; day = day.Add(1) {
		err := st.Update(ctx, func(tx ravao.Tx) error {
			n, err := tx.RepairVenueDays(day, day)
			if err != nil {
				return err
			}
			rows += n
			return tx.RollupDay(day)
		})
		if err != nil {
			b.Fatalf("roll up %s: %v", day, err)
		}
	}
	if err := st.Update(ctx, func(tx ravao.Tx) error { return tx.PutSetting(rollUpKey, d.Tag()) }); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: rolled up %d days (%d venue-days) in %v", engine, d.Days, rows, time.Since(start).Round(time.Second))
}

// progressPaths returns the paths, the scan last, after running each
// once and checking that the overview's totals are the scan's. The
// service's paths are left out, and said so, while it is not ready.
func progressPaths(b *testing.B, svc *progress.Service, st ravao.Store, db *sqlstore.DB, from, to ravao.Day) []progressPath {
	ctx := context.Background()
	actor := &ravao.Principal{User: ravao.User{ID: 1, Login: "bench"},
		Roles: []ravao.RoleAssignment{{Role: ravao.RoleLocal, UnitCode: benchProvince}}}
	view := func(unit string) func() (ravao.Counts, error) {
		return func() (ravao.Counts, error) {
			v, err := svc.Unit(ctx, actor, ravao.StatsQuery{UnitCode: unit, From: from, To: to})
			return v.Totals, err
		}
	}
	store := func(unit string) func() (ravao.Counts, error) {
		return func() (ravao.Counts, error) {
			return storeTotals(ctx, st, ravao.StatsQuery{UnitCode: unit, From: from, To: to})
		}
	}
	scan := func() (ravao.Counts, error) { return scanTotals(ctx, db, benchProvince, from, to) }
	paths := []progressPath{
		{"svc-overview", view(benchProvince)}, {"svc-commune", view(benchCommune)},
		{"store-overview", store(benchProvince)}, {"store-commune", store(benchCommune)},
		{"scan", scan},
	}
	if _, err := paths[0].run(); ravao.ErrorCode(err) == ravao.Unavailable {
		b.Logf("progress.Service.Unit is not ready (%v): measuring the store calls only", err)
		paths = paths[2:]
	}
	got := make(map[string]ravao.Counts)
	for _, p := range paths {
		c, err := p.run()
		if err != nil {
			b.Fatalf("%s: %v", p.name, err)
		}
		got[p.name] = c
	}
	want := got["scan"]
	for _, name := range []string{"svc-overview", "store-overview"} {
		c, ok := got[name]
		if !ok {
			continue
		}
		if c.CheckIns != want.CheckIns || c.CheckOuts != want.CheckOuts || c.People != want.People || c.Active != want.Active || c.Red != want.Red {
			b.Errorf("%s: got %+v, want the scan's %+v", name, activity(c), activity(want))
		}
	}
	if svc, ok := got["svc-overview"]; ok && (svc.Venues != want.Venues || svc.Approved != want.Approved) {
		b.Errorf("svc-overview: %d venues, %d approved; the scan has %d, %d", svc.Venues, svc.Approved, want.Venues, want.Approved)
	}
	b.Logf("province over %s..%s: %d check-ins, %d people (per place and day), %d active venue-days, %d venues",
		from, to, want.CheckIns, want.People, want.Active, want.Venues)
	return paths
}

// activity is the part of c that the scan computes from the visits.
func activity(c ravao.Counts) [5]int {
	return [5]int{c.CheckIns, c.CheckOuts, c.People, c.Active, c.Red}
}

// storeTotals reads what the overview reads from the store, in one read
// transaction, and sums the series.
func storeTotals(ctx context.Context, st ravao.Store, q ravao.StatsQuery) (ravao.Counts, error) {
	var c ravao.Counts
	err := st.View(ctx, func(tx ravao.Tx) error {
		series, err := tx.UnitSeries(q)
		if err != nil {
			return err
		}
		if _, err := tx.UnitChildren(q); err != nil {
			return err
		}
		if _, err := tx.UnitTypes(q); err != nil {
			return err
		}
		for _, s := range series {
			c.Add(s.Counts)
		}
		return nil
	})
	return c, err
}

// scanTotals is the naive query: the unit's totals over from..to straight
// from the visits, joined to the venues by the prefix of their unit path,
// grouped by venue and day (ICT: 7 hours after UTC) to count the distinct
// people of each; then the unit's venues by status. It reads the reader
// pool directly, as a report written in SQL would.
func scanTotals(ctx context.Context, db *sqlstore.DB, unit string, from, to ravao.Day) (ravao.Counts, error) {
	lo, hi := from.Start(ict).UnixMilli(), to.Add(1).Start(ict).UnixMilli()
	var c ravao.Counts
	err := db.Reader.QueryRowContext(ctx, progress.ScanSQL,
		lo, hi, unit+"/%").Scan(&c.Active, &c.CheckIns, &c.CheckOuts, &c.People, &c.Red)
	if err != nil {
		return c, err
	}
	err = db.Reader.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0)
			FROM venues WHERE unit_path LIKE $1 AND status IN ('pending', 'approved', 'suspended')`,
		unit+"/%").Scan(&c.Venues, &c.Approved)
	return c, err
}

// percentiles returns the median and the 99th percentile, in
// milliseconds.
func percentiles(ds []time.Duration) (p50, p99 float64) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(ds[len(ds)/2]), ms(ds[len(ds)*99/100])
}
