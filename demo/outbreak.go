package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/vault"
)

// OutbreakPhone is the phone of the staged outbreak's index person: the
// health official opens a case with it.
const OutbreakPhone = "0987000111"

// Outbreak is the staged outbreak Seed stores on top of the demo week: an
// index person who, yesterday, worked a shift at the factory (checked
// out), rode the bus and went to the market (no check-out), and people
// placed around them so that every rule of contact tracing shows. No case
// is open: the demo's health official opens it.
type Outbreak struct {
	Official   string // the login that opens the case
	IndexPhone string
	IndexID    int64
	IndexName  string
	// People are the other staged people's IDs by full name; no other
	// demo visitor comes near the index person's visits.
	People map[string]int64
}

// outbreakMargin is how far the random week keeps from the index person's
// visits at each venue they went to: no visitor of the week checks in
// within it, before the first check-in or after the last stay ends.
const outbreakMargin = 4 * time.Hour

// ict is the demo's time zone, in which the staged day is yesterday.
var ict = time.FixedZone("ICT", 7*3600)

// stagedVisit is one visit of the staged outbreak, on the outbreak day
// (or Day days from it), In and Out after that day's midnight. A zero Out
// is no check-out: closed automatically, as tracing treats it.
type stagedVisit struct {
	venue   ravao.VenueType // the demo venue of that type
	gate    int             // which of its checkpoints
	day     int
	in, out time.Duration
}

// stagedPerson is one person of the staged outbreak.
type stagedPerson struct {
	name   string
	phone  string
	birth  int
	sex    ravao.Sex
	visits []stagedVisit
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// indexPerson is the case-to-be: the factory's morning shift (6:00–14:00,
// checked out), the 01 bus from 14:10 to 14:40 (checked out), the market
// from 15:00 without checking out.
func indexPerson() stagedPerson {
	return stagedPerson{"Trần Thị Hồng Nhung", OutbreakPhone, 1988, ravao.SexFemale, []stagedVisit{
		{ravao.VenueZoneBusiness, 0, 0, hm(6, 0), hm(14, 0)},
		{ravao.VenueVehicle, 0, 0, hm(14, 10), hm(14, 40)},
		{ravao.VenueMarket, 0, 0, hm(15, 0), 0},
	}}
}

// stagedPeople are placed around the index person; what tracing makes of
// each is in the comment, with the default thresholds (30 minutes' buffer,
// ±60 minutes without check-out, close from 15 minutes). Their given
// names are not among the random week's, so none is mistaken for another.
func stagedPeople() []stagedPerson {
	factory, bus, market := ravao.VenueZoneBusiness, ravao.VenueVehicle, ravao.VenueMarket
	p := func(name, phone string, birth int, sex ravao.Sex, vs ...stagedVisit) stagedPerson {
		return stagedPerson{name, phone, birth, sex, vs}
	}
	return []stagedPerson{
		// the same shift, by the workers' gate: 8 hours, close
		p("Nguyễn Văn Hùng", "0987000112", 1985, ravao.SexMale, stagedVisit{factory, 1, 0, hm(6, 5), hm(14, 5)}),
		// at the market and gone before the index came, but no check-out
		// on the index's side: check-ins 30 minutes apart, close
		p("Lê Thị Thảo", "0987000113", 1979, ravao.SexFemale, stagedVisit{market, 1, 0, hm(14, 30), hm(14, 50)}),
		// 10 minutes at the factory and 5 at the market: 15 in all over
		// two visits, close
		p("Đỗ Minh Khoa", "0987000114", 1992, ravao.SexMale,
			stagedVisit{factory, 0, 0, hm(13, 55), hm(14, 5)}, stagedVisit{market, 2, 0, hm(15, 55), hm(16, 20)}),
		// the other bus of route 01 at the same time: 12 minutes, possible,
		// not the same vehicle
		p("Vũ Thị Yến", "0987000115", 2001, ravao.SexFemale, stagedVisit{bus, 1, 0, hm(14, 18), hm(14, 30)}),
		// came to the factory 20 minutes after the index left, within the
		// 30-minute buffer: 10 minutes, possible
		p("Phạm Văn Sơn", "0987000116", 1990, ravao.SexMale, stagedVisit{factory, 1, 0, hm(14, 20), hm(15, 30)}),
		// 8 minutes at the factory before the end of the shift, possible
		p("Bùi Thị Hiền", "0987000117", 1996, ravao.SexFemale, stagedVisit{factory, 0, 0, hm(13, 48), hm(13, 56)}),
		// 5 minutes on the index's bus: close, the same vehicle
		p("Hoàng Văn Đạt", "0987000118", 1983, ravao.SexMale, stagedVisit{bus, 0, 0, hm(14, 20), hm(14, 25)}),
		// at the market 59 minutes after the index came: 1 minute, possible
		p("Ngô Thị Loan", "0987000119", 1975, ravao.SexFemale, stagedVisit{market, 0, 0, hm(15, 59), hm(16, 30)}),
		// came to the factory 31 minutes after the index left: not exposed
		p("Đặng Văn Thắng", "0987000120", 1988, ravao.SexMale, stagedVisit{factory, 1, 0, hm(14, 31), hm(16, 0)}),
		// at the market 61 minutes after the index came: not exposed
		p("Trịnh Thị Tâm", "0987000121", 1969, ravao.SexFemale, stagedVisit{market, 0, 0, hm(16, 1), hm(16, 40)}),
		// the same shift, the day before: not exposed
		p("Lý Văn Vinh", "0987000122", 1987, ravao.SexMale, stagedVisit{factory, 0, -1, hm(6, 0), hm(14, 0)}),
	}
}

// outbreakDay is the staged day's midnight: yesterday in the demo's time
// zone, so that the index person's visits are inside the infectious
// window a case opened now starts with (the last 48 hours).
func outbreakDay(now time.Time) time.Time {
	l := now.In(ict)
	return time.Date(l.Year(), l.Month(), l.Day()-1, 0, 0, 0, 0, ict)
}

// seedOutbreak stores the staged people, their declarations and visits,
// and returns what keeps the random week away from the index's visits.
func seedOutbreak(ctx context.Context, store ravao.Store, v *vault.Vault, d *Data) (keep func(*ravao.Visit) bool, err error) {
	d.Outbreak = Outbreak{Official: "yte", IndexPhone: OutbreakPhone, People: map[string]int64{}}
	err = store.Update(ctx, func(tx ravao.Tx) error {
		now := tx.Now()
		day := outbreakDay(now)
		index := indexPerson()
		var vs []*ravao.Visit
		for i, sp := range append([]stagedPerson{index}, stagedPeople()...) {
			id, err := storeStaged(tx, v, d, sp, now)
			if err != nil {
				return err
			}
			if i == 0 {
				d.Outbreak.IndexID, d.Outbreak.IndexName = id, sp.name
			} else {
				d.Outbreak.People[sp.name] = id
			}
			planned, err := stagedVisits(id, sp.visits, day, now, d.Venues)
			if err != nil {
				return err
			}
			vs = append(vs, planned...)
		}
		keep = keepClear(vs[:len(index.visits)])
		return tx.InsertVisits(vs)
	})
	return keep, err
}

// storeStaged stores a staged person with a declaration and returns their
// ID.
func storeStaged(tx ravao.Tx, v *vault.Vault, d *Data, sp stagedPerson, now time.Time) (int64, error) {
	p := ravao.Person{
		ID: vault.NewID(), FullName: ravao.PII(sp.name), Phone: ravao.PII(sp.phone), BirthYear: sp.birth, Sex: sp.sex,
		UnitCode: d.Commune.Code, ConsentVersion: "1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now.Add(-8 * 24 * time.Hour),
	}
	if err := p.Validate(now); err != nil {
		return 0, fmt.Errorf("demo outbreak %s: %w", sp.name, err)
	}
	rec, err := v.SealPerson(p)
	if err != nil {
		return 0, err
	}
	if err := tx.CreatePerson(&rec); err != nil {
		return 0, err
	}
	decl := &ravao.Declaration{PersonID: rec.ID, Sealed: v.Seal([]byte(`{}`), fmt.Sprintf("declaration/%d", rec.ID))}
	return rec.ID, tx.AddDeclaration(decl)
}

// stagedVisits turns a staged person's plan into visits.
func stagedVisits(person int64, plan []stagedVisit, day, now time.Time, venues []places.VenueView) ([]*ravao.Visit, error) {
	var out []*ravao.Visit
	for _, sv := range plan {
		i := slices.IndexFunc(venues, func(v places.VenueView) bool { return v.Type == sv.venue })
		if i < 0 || sv.gate >= len(venues[i].Checkpoints) {
			return nil, fmt.Errorf("demo outbreak: no %s venue with checkpoint %d", sv.venue, sv.gate)
		}
		vv := venues[i]
		midnight := day.AddDate(0, 0, sv.day)
		in := midnight.Add(sv.in).UTC()
		visit := &ravao.Visit{
			PersonID: person, VenueID: vv.ID, CheckpointID: vv.Checkpoints[sv.gate].ID, InAt: in,
			Decision: ravao.Green, Source: ravao.SourceSelf, DueAt: ravao.DueAt(in, vv.Venue, ict),
		}
		switch {
		case sv.out != 0:
			visit.OutAt, visit.OutReason = midnight.Add(sv.out).UTC(), ravao.OutTap
		case !visit.DueAt.After(now):
			visit.OutAt, visit.OutReason = visit.DueAt, ravao.OutAuto
		}
		out = append(out, visit)
	}
	return out, nil
}

// keepClear reports whether a visit of the random week stays out of the
// way of the index person's visits: it does unless it checks in at one of
// their venues within outbreakMargin of their stay there. A visit of the
// week lasts at most a few hours, so with a buffer and an open window
// well below the margin none of it can overlap the index's.
func keepClear(index []*ravao.Visit) func(*ravao.Visit) bool {
	return func(v *ravao.Visit) bool {
		for _, c := range index {
			end := c.InAt
			if s := ravao.StayOf(*c); !s.Out.IsZero() {
				end = s.Out
			}
			if v.VenueID == c.VenueID && !v.InAt.Before(c.InAt.Add(-outbreakMargin)) && !v.InAt.After(end.Add(outbreakMargin)) {
				return false
			}
		}
		return true
	}
}
