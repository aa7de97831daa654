package testenv_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
)

// TestTraceDataSeeds seeds a small tracing dataset on each engine, checks
// its shape (busy venues, check-outs, index people) and that a second
// seed leaves it alone, and that the store reads it back.
func TestTraceDataSeeds(t *testing.T) {
	ctx := context.Background()
	d := testenv.NewTraceData(20_000)
	opens := map[string]func(t *testing.T) (*sqlstore.DB, func()){
		"sqlite": func(t *testing.T) (*sqlstore.DB, func()) {
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"), ravao.SystemClock{}, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return st.DB, func() { st.Close() }
		},
		"postgres": func(t *testing.T) (*sqlstore.DB, func()) {
			st, err := postgres.Open(ctx, testenv.PostgresDB(t), ravao.SystemClock{}, postgres.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return st.DB, func() { st.Close() }
		},
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db, closeDB := opens[engine](t)
			defer closeDB()
			for round, want := range []bool{true, false} {
				seeded, err := d.Seed(ctx, db.Writer, engine)
				if err != nil {
					t.Fatal(err)
				}
				if seeded != want {
					t.Errorf("seed %d: seeded %v, want %v", round+1, seeded, want)
				}
			}
			var visits, busy, tap, auto, index, people int
			err := db.Writer.QueryRowContext(ctx, `SELECT count(*),
				sum(CASE WHEN venue_id <= $1 THEN 1 ELSE 0 END),
				sum(CASE WHEN out_reason = 'tap' THEN 1 ELSE 0 END),
				sum(CASE WHEN out_reason = 'auto' THEN 1 ELSE 0 END),
				sum(CASE WHEN person_id > $2 THEN 1 ELSE 0 END)
				FROM visits`, d.Busy, d.People).Scan(&visits, &busy, &tap, &auto, &index)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Writer.QueryRowContext(ctx, "SELECT count(*) FROM people").Scan(&people); err != nil {
				t.Fatal(err)
			}
			if want := d.Visits + len(d.Index)*d.IndexVisits; visits != want || index != len(d.Index)*d.IndexVisits || people != d.People+len(d.Index) {
				t.Errorf("%d visits (%d of index people), %d people; want %d (%d), %d", visits, index, people, want, len(d.Index)*d.IndexVisits, d.People+len(d.Index))
			}
			share := func(n int) float64 { return float64(n) / float64(visits) }
			if share(busy) < 0.6 || share(busy) > 0.8 || share(tap) < 0.65 || share(tap) > 0.75 || share(auto) < 0.2 || share(auto) > 0.3 {
				t.Errorf("busy %.2f, tapped out %.2f, closed automatically %.2f; want about 0.7, 0.7, 0.25", share(busy), share(tap), share(auto))
			}
			err = db.View(ctx, func(tx ravao.Tx) error {
				vs, err := tx.PersonVisits(d.Index[0], d.From, d.From.AddDate(0, 0, d.Days))
				if len(vs) != d.IndexVisits {
					t.Errorf("the first index person has %d visits, want %d", len(vs), d.IndexVisits)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
