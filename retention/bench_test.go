package retention_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/retention"
)

// benchVisits is how many visits the old day holds: 200,000 unless
// RAVAO_BENCH_PURGE_VISITS says otherwise.
func benchVisits(b *testing.B) int {
	if v := os.Getenv("RAVAO_BENCH_PURGE_VISITS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			b.Fatalf("RAVAO_BENCH_PURGE_VISITS=%q: want a number of visits, at least 1000", v)
		}
		return n
	}
	return 200_000
}

// BenchmarkCheckInDuringPurge measures check-ins (one visit per write
// transaction, as the group commit sees a lone visitor) before and while
// the purge deletes one old day of visits, on each engine, and reports
// both p50 and p99 and the ratio. Run it once (-benchtime=1x): the purge
// consumes its data.
func BenchmarkCheckInDuringPurge(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchPurge(b, svctest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		dsn := testenv.PostgresDB(b)
		benchPurge(b, func(c ravao.Clock) (ravao.Store, error) {
			return postgres.Open(context.Background(), dsn, c, postgres.Options{})
		})
	})
}

func benchPurge(b *testing.B, open svctest.Opener) {
	ctx := context.Background()
	st, err := open(ravao.SystemClock{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := &scenario{ctx: ctx, st: st} // its place only
	if err := svctest.Units(ctx, st); err != nil {
		b.Fatal(err)
	}
	people := benchSeed(b, s, benchVisits(b))
	checkIn := func(i int64) time.Duration {
		start := time.Now()
		err := st.Update(ctx, func(tx ravao.Tx) error {
			return tx.InsertVisits([]*ravao.Visit{{PersonID: people[i%int64(len(people))], VenueID: s.ven.ID,
				CheckpointID: s.cp.ID, InAt: tx.Now(), Decision: ravao.Green, Source: ravao.SourceSelf}})
		})
		if err != nil {
			b.Error(err)
		}
		return time.Since(start)
	}
	var seq int64
	var quiet []time.Duration
	for range 2000 {
		seq++
		quiet = append(quiet, checkIn(seq))
	}
	svc, err := retention.New(st, retention.Config{TZ: svctest.ICT})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var done atomic.Bool
	var report retention.Report
	go func() {
		defer done.Store(true)
		var err error
		if report, err = svc.Purge(ctx, false); err != nil {
			b.Error(err)
		}
	}()
	var busy []time.Duration
	for !done.Load() {
		seq++
		busy = append(busy, checkIn(seq))
	}
	b.StopTimer()
	if report.Visits < benchVisits(b) {
		b.Fatalf("purge deleted %d visits, want the old day's %d", report.Visits, benchVisits(b))
	}
	qp50, qp99 := percentiles(quiet)
	bp50, bp99 := percentiles(busy)
	b.ReportMetric(float64(report.Visits), "visits_purged")
	b.ReportMetric(report.Took.Seconds(), "purge_s")
	b.ReportMetric(float64(len(busy)), "checkins_during")
	b.ReportMetric(ms(qp50), "p50_ms_quiet")
	b.ReportMetric(ms(qp99), "p99_ms_quiet")
	b.ReportMetric(ms(bp50), "p50_ms_purge")
	b.ReportMetric(ms(bp99), "p99_ms_purge")
	b.ReportMetric(ms(bp99)/ms(qp99), "p99_ratio")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentiles returns the 50th and 99th percentiles of ds.
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2], ds[len(ds)*99/100]
}

// benchSeed stores a place, 1000 people and n visits on one day 40 days
// ago (in its own day partition on PostgreSQL), and makes sure today has
// its partition; it returns the people.
func benchSeed(b *testing.B, s *scenario, n int) []int64 {
	old := time.Now().AddDate(0, 0, -40)
	oldDay, today := ravao.DayOf(old, svctest.ICT), ravao.DayOf(time.Now(), svctest.ICT)
	if err := s.st.Update(s.ctx, func(tx ravao.Tx) error {
		if _, err := tx.EnsureVisitDays(oldDay, oldDay); err != nil {
			return err
		}
		_, err := tx.EnsureVisitDays(today, today.Add(1))
		return err
	}); err != nil {
		b.Fatal(err)
	}
	benchPlace(b, s)
	var people []int64
	err := s.st.Update(s.ctx, func(tx ravao.Tx) error {
		for i := range 1000 {
			p := ravao.PersonRecord{ID: 1<<42 + int64(i) + personSeq.Add(1)*1000, PhoneKey: key(), IDNumberKey: key(), Sealed: key(),
				BirthYear: 1990, UnitCode: "13321", ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: old}
			if err := tx.CreatePerson(&p); err != nil {
				return err
			}
			people = append(people, p.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	start := ravao.DayOf(old, svctest.ICT).Start(svctest.ICT).Add(6 * time.Hour)
	for done := 0; done < n; {
		batch := make([]*ravao.Visit, 0, 5000)
		for ; len(batch) < cap(batch) && done < n; done++ {
			batch = append(batch, &ravao.Visit{PersonID: people[done%len(people)], VenueID: s.ven.ID, CheckpointID: s.cp.ID,
				InAt: start.Add(time.Duration(done) * 200 * time.Millisecond).UTC(), Decision: ravao.Green, Source: ravao.SourceSelf})
		}
		if err := s.st.Update(s.ctx, func(tx ravao.Tx) error { return tx.InsertVisits(batch) }); err != nil {
			b.Fatal(err)
		}
	}
	return people
}

// benchPlace stores the venue and checkpoint the visits go through.
func benchPlace(b *testing.B, s *scenario) {
	err := s.st.Update(s.ctx, func(tx ravao.Tx) error {
		org := ravao.Organisation{Name: "Khu công nghiệp Đồng Văn", UnitCode: "13321", Sector: ravao.SectorIndustry}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		s.ven = ravao.Venue{OrganisationID: org.ID, Name: "Nhà máy", Type: ravao.VenueZoneBusiness, Sector: ravao.SectorIndustry,
			UnitCode: "13321", UnitPath: "35/347/13321/", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&s.ven); err != nil {
			return err
		}
		s.cp = ravao.Checkpoint{VenueID: s.ven.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&s.cp)
	})
	if err != nil {
		b.Fatal(err)
	}
}
