package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/vault"
)

// demoPeople is how many visitors the demo week has.
const demoPeople = 300

// demoResidents of the demo people have no phone and were declared by the
// commune official (canboxa) on their behalf.
const demoResidents = 12

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"}
	middleNames = []string{"Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang"}
	givenNames  = []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phương", "Quân", "Trang", "Tuấn"}
)

// seedWeek stores demoPeople declared visitors and a week of their visits
// at the demo venues, ending now: workers at the factory on weekdays, and
// the market, the hospital, the station and the bus for everyone, with
// check-outs by tap, by the automatic job, and a few still inside. Only
// the visits for which keep is true are stored.
func seedWeek(ctx context.Context, store ravao.Store, v *vault.Vault, d *Data, keep func(*ravao.Visit) bool) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	ids := make([]int64, demoPeople)
	risky := map[int64]bool{}
	err := store.Update(ctx, func(tx ravao.Tx) error {
		now := tx.Now()
		official, err := tx.UserByLogin("canboxa")
		if err != nil {
			return err
		}
		for i := range ids {
			p := ravao.Person{
				ID: vault.NewID(),
				FullName: ravao.PII(familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] +
					" " + givenNames[rng.IntN(len(givenNames))]),
				Phone:     ravao.PII(fmt.Sprintf("09%08d", 10000000+i)),
				BirthYear: 1950 + rng.IntN(56), Sex: []ravao.Sex{ravao.SexMale, ravao.SexFemale}[rng.IntN(2)],
				UnitCode: d.Commune.Code, ConsentVersion: "1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now.Add(-8 * 24 * time.Hour),
			}
			// The first few have no phone: the commune official declared
			// them, and prints their QR cards on /residents.
			var proxy int64
			if i < demoResidents {
				p.Phone, p.ConsentChannel, proxy = "", ravao.ConsentOfficial, official.ID
			}
			rec, err := v.SealPerson(p)
			if err != nil {
				return err
			}
			rec.RegisteredBy = proxy
			if err := tx.CreatePerson(&rec); err != nil {
				return err
			}
			ids[i] = rec.ID
			risk := rng.IntN(40) == 0
			risky[rec.ID] = risk
			decl := &ravao.Declaration{PersonID: rec.ID, Risk: risk, ProxyUserID: proxy,
				Sealed: v.Seal([]byte(`{}`), fmt.Sprintf("declaration/%d", rec.ID))}
			if err := tx.AddDeclaration(decl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return store.Update(ctx, func(tx ravao.Tx) error {
		vs := slices.DeleteFunc(weekVisits(rng, tx.Now(), ids, d.Venues), func(v *ravao.Visit) bool { return !keep(v) })
		for _, v := range vs {
			if risky[v.PersonID] {
				v.Decision = ravao.Red
			}
		}
		return tx.InsertVisits(vs)
	})
}

// weekVisits plans the visits of seven days before now.
func weekVisits(rng *rand.Rand, now time.Time, people []int64, venues []places.VenueView) []*ravao.Visit {
	var out []*ravao.Visit
	day0 := now.Truncate(24 * time.Hour).Add(-7 * 24 * time.Hour)
	for day := range 7 {
		for _, person := range people {
			for range rng.IntN(3) {
				vv := venues[rng.IntN(len(venues))]
				cp := vv.Checkpoints[rng.IntN(len(vv.Checkpoints))]
				in := day0.Add(time.Duration(day)*24*time.Hour + time.Duration(rng.IntN(14*60))*time.Minute)
				if !in.Before(now) {
					continue
				}
				visit := &ravao.Visit{
					PersonID: person, VenueID: vv.ID, CheckpointID: cp.ID, InAt: in, Decision: ravao.Green,
					Source: ravao.SourceSelf, DueAt: ravao.DueAt(in, vv.Venue, time.FixedZone("ICT", 7*3600)),
				}
				switch out := in.Add(time.Duration(10+rng.IntN(120)) * time.Minute); {
				case out.After(now):
				case rng.IntN(3) == 0:
					visit.OutAt, visit.OutReason = visit.DueAt, ravao.OutAuto
				default:
					visit.OutAt, visit.OutReason = out, ravao.OutTap
				}
				if !visit.OutAt.IsZero() && visit.OutAt.After(now) {
					visit.OutAt, visit.OutReason = time.Time{}, ""
				}
				out = append(out, visit)
			}
		}
	}
	return out
}
