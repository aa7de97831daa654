package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/codes"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/units"
	"github.com/ravao/ravao/vault"
)

// benchData is what the benchmark seeded and drives: a poster code per
// venue, a device token per person, and staff tokens for the API.
type benchData struct {
	province   string
	codes      []string
	venues     [][2]int64 // venue and checkpoint IDs, as codes
	people     []int64
	tokens     []string
	from, to   ravao.Day // the seeded days of visits
	visits     int
	health     string // API token of a health official of the province
	local      string // API token of a local official of the province
	seedTook   time.Duration
	oldVisits  int
	parallel   int
	seedLogger func(format string, args ...any)
}

// lastPurgeSetting is the setting in which retention keeps when it last
// purged (retention.lastPurgeKey).
const lastPurgeSetting = "retention.last_purge"

// seedBatch is how many rows one seeding transaction writes.
const seedBatch = 1000

// seedBench fills the new database through the store: the demo units,
// venues with one checkpoint each spread over the communes, people with a
// declaration and a device, and days of closed visits, rolled up.
func seedBench(ctx context.Context, a *app, bc *benchConfig, loc *time.Location, d *benchData) error {
	start := time.Now()
	sample := units.Demo()
	if _, err := units.Import(ctx, a.store, sample, nil); err != nil {
		return fmt.Errorf("units: %w", err)
	}
	var communes []string
	for _, u := range sample {
		if u.Level == 1 && d.province == "" {
			d.province = u.Code
		}
		if u.Level == 3 {
			communes = append(communes, u.Code)
		}
	}
	if err := seedVenues(ctx, a, bc.venues, communes, d); err != nil {
		return err
	}
	d.seedLogger("seeded %d venues", len(d.codes))
	if err := seedPeople(ctx, a, bc.people, communes, d); err != nil {
		return err
	}
	d.seedLogger("seeded %d people with a declaration and a device", len(d.people))
	if err := seedVisits(ctx, a, bc, loc, d); err != nil {
		return err
	}
	d.seedLogger("seeded %d visits over %d days (%s..%s), rolled up", d.visits, bc.days, d.from, d.to)
	if err := seedStaff(ctx, a, d); err != nil {
		return err
	}
	// The server's daily purge must not run during the measurements: the
	// purge phase runs its own, at a known time.
	if err := a.store.Update(ctx, func(tx ravao.Tx) error {
		return tx.PutSetting(lastPurgeSetting, time.Now().UTC().Format(time.RFC3339))
	}); err != nil {
		return err
	}
	if err := analyze(ctx, a); err != nil {
		return err
	}
	d.seedTook = time.Since(start)
	return nil
}

// analyze gathers PostgreSQL's planner statistics after the bulk load, as
// autovacuum would soon after it. SQLite is left as a deployment runs it:
// the store refreshes its statistics itself (Dialect.Optimize).
func analyze(ctx context.Context, a *app) error {
	st, ok := a.store.(*postgres.Store)
	if !ok {
		return nil
	}
	_, err := st.DB.Writer.ExecContext(ctx, "ANALYZE")
	return err
}

// seedVenues stores an organisation per 100 venues and the venues, each
// with one checkpoint, and keeps the checkpoints' codes.
func seedVenues(ctx context.Context, a *app, n int, communes []string, d *benchData) error {
	keys, current := a.vault.CodeKeys()
	signer, err := codes.NewSigner(keys, current)
	if err != nil {
		return err
	}
	types := []ravao.VenueType{ravao.VenueBusiness, ravao.VenueMarket, ravao.VenueSchool, ravao.VenueAgency, ravao.VenueHospital, ravao.VenueRestaurant}
	sectors := []ravao.Sector{ravao.SectorIndustry, ravao.SectorCommerce, ravao.SectorEducation, ravao.SectorPublic, ravao.SectorHealth, ravao.SectorCommerce}
	for lo := 0; lo < n; lo += seedBatch {
		err := a.store.Update(ctx, func(tx ravao.Tx) error {
			var org ravao.Organisation
			for i := lo; i < min(n, lo+seedBatch); i++ {
				unit := communes[i%len(communes)]
				path, err := ravao.UnitPathFor(tx, unit)
				if err != nil {
					return err
				}
				if i%100 == 0 || org.ID == 0 {
					org = ravao.Organisation{Name: "Doanh nghiệp thử " + strconv.Itoa(i/100+1), UnitCode: unit, Sector: ravao.SectorIndustry}
					if err := tx.CreateOrganisation(&org); err != nil {
						return err
					}
				}
				v := ravao.Venue{OrganisationID: org.ID, Name: "Địa điểm thử " + strconv.Itoa(i+1), Type: types[i%len(types)],
					Sector: sectors[i%len(sectors)], UnitCode: unit, UnitPath: path, Status: ravao.VenueApproved}
				if err := tx.CreateVenue(&v); err != nil {
					return err
				}
				c := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
				if err := tx.CreateCheckpoint(&c); err != nil {
					return err
				}
				d.codes = append(d.codes, signer.Issue(c.ID, c.Serial))
				d.venues = append(d.venues, [2]int64{v.ID, c.ID})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("venues: %w", err)
		}
	}
	return nil
}

// seedPeople stores the people, each with today's declaration (no risk)
// and a device, in batches; on PostgreSQL batches run side by side.
func seedPeople(ctx context.Context, a *app, n int, communes []string, d *benchData) error {
	d.people, d.tokens = make([]int64, n), make([]string, n)
	answers, err := json.Marshal(map[string]any{"v": "bench", "a": map[string]bool{}})
	if err != nil {
		return err
	}
	batches := make(chan int, n/seedBatch+1)
	for lo := 0; lo < n; lo += seedBatch {
		batches <- lo
	}
	close(batches)
	var wg sync.WaitGroup
	errs := make(chan error, d.parallel)
	for range d.parallel {
		wg.Go(func() {
			for lo := range batches {
				if err := seedPeopleBatch(ctx, a, lo, min(n, lo+seedBatch), communes, answers, d); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("people: %w", err)
	}
	return nil
}

// seedPeopleBatch stores people lo..hi−1 in one transaction.
func seedPeopleBatch(ctx context.Context, a *app, lo, hi int, communes []string, answers []byte, d *benchData) error {
	return a.store.Update(ctx, func(tx ravao.Tx) error {
		now := tx.Now()
		for i := lo; i < hi; i++ {
			p := ravao.Person{ID: vault.NewID(), FullName: ravao.PII("Người Thử " + strconv.Itoa(i+1)), Phone: ravao.PII(fmt.Sprintf("09%08d", i)),
				BirthYear: 1950 + i%60, Sex: ravao.SexFemale, UnitCode: communes[i%len(communes)],
				ConsentVersion: "2026-1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now}
			if i%2 == 1 {
				p.Sex = ravao.SexMale
			}
			rec, err := a.vault.SealPerson(p)
			if err != nil {
				return err
			}
			if err := tx.CreatePerson(&rec); err != nil {
				return err
			}
			decl := &ravao.Declaration{PersonID: rec.ID, Sealed: a.vault.Seal(answers, "declaration/"+strconv.FormatInt(rec.ID, 10))}
			if err := tx.AddDeclaration(decl); err != nil {
				return err
			}
			tok := vault.NewSecret(24)
			if err := tx.CreateDevice(&ravao.Device{TokenHash: a.visitors.DeviceHash(tok), PersonID: rec.ID}); err != nil {
				return err
			}
			d.people[i], d.tokens[i] = rec.ID, tok
		}
		return nil
	})
}

// seedVisits stores bc.days days before today of closed visits, half as
// many a day as there are people, a tenth of the venues getting half of
// them, then rolls the days up.
func seedVisits(ctx context.Context, a *app, bc *benchConfig, loc *time.Location, d *benchData) error {
	today := ravao.DayOf(time.Now(), loc)
	d.from, d.to = today.Add(-bc.days), today.Add(-1)
	if err := a.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.EnsureVisitDays(d.from, today.Add(1))
		return err
	}); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	perDay := max(len(d.people)/2, 1)
	for day := d.from; day <= d.to; day = day.Add(1) {
		if err := seedDay(ctx, a, rng, day.Start(loc), perDay, d); err != nil {
			return err
		}
		if err := a.store.Update(ctx, func(tx ravao.Tx) error { return tx.RollupDay(day) }); err != nil {
			return fmt.Errorf("roll up %s: %w", day, err)
		}
	}
	return nil
}

// seedDay stores n closed visits on the day that starts at midnight.
func seedDay(ctx context.Context, a *app, rng *rand.Rand, midnight time.Time, n int, d *benchData) error {
	venues := len(d.codes)
	busy := max(venues/10, 1)
	for lo := 0; lo < n; lo += 5 * seedBatch {
		batch := make([]*ravao.Visit, 0, 5*seedBatch)
		for range min(n-lo, 5*seedBatch) {
			venue := rng.IntN(venues)
			if rng.IntN(2) == 0 {
				venue = rng.IntN(busy)
			}
			in := midnight.Add(6*time.Hour + time.Duration(rng.IntN(16*60))*time.Minute)
			batch = append(batch, &ravao.Visit{PersonID: d.people[rng.IntN(len(d.people))], VenueID: d.venues[venue][0], CheckpointID: d.venues[venue][1],
				InAt: in, OutAt: in.Add(time.Duration(5+rng.IntN(176)) * time.Minute), OutReason: "tap",
				Decision: ravao.Green, Source: ravao.SourceSelf, DueAt: in.Add(4 * time.Hour)})
		}
		if err := a.store.Update(ctx, func(tx ravao.Tx) error { return tx.InsertVisits(batch) }); err != nil {
			return fmt.Errorf("visits: %w", err)
		}
		d.visits += len(batch)
	}
	return nil
}

// seedOldDay stores n closed visits on one day 40 days ago, past the
// retention period, for the purge to delete.
func seedOldDay(ctx context.Context, a *app, loc *time.Location, n int, d *benchData) error {
	old := ravao.DayOf(time.Now().AddDate(0, 0, -40), loc)
	if err := a.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.EnsureVisitDays(old, old)
		return err
	}); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	before := d.visits
	err := seedDay(ctx, a, rng, old.Start(loc), n, d)
	d.oldVisits, d.visits = d.visits-before, before
	return err
}

// seedStaff makes a health official and a local official of the province
// and gives each an API token for an hour.
func seedStaff(ctx context.Context, a *app, d *benchData) error {
	for _, s := range []struct {
		login string
		role  ravao.Role
		tok   *string
	}{{"bench-yte", ravao.RoleHealth, &d.health}, {"bench-tinh", ravao.RoleLocal, &d.local}} {
		u, err := a.auth.CreateUser(ctx, nil, auth.NewUser{Login: s.login, DisplayName: "Cán bộ đo hiệu năng", Password: vault.NewSecret(24), Lang: "vi",
			Roles: []ravao.RoleAssignment{{Role: s.role, UnitCode: d.province}}})
		if err != nil {
			return fmt.Errorf("staff %s: %w", s.login, err)
		}
		if *s.tok, err = a.auth.IssueToken(ctx, nil, u.ID, "bench", time.Hour); err != nil {
			return err
		}
	}
	return nil
}
