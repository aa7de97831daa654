package progress_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

// env is the progress service over a fresh store on one engine, with a
// small deployment whose every figure the test knows from what it stored
// (venues, visits, declarations), so that a view can be checked against a
// brute-force count:
//   - units: Hà Nam 35 / Phủ Lý 347 / Quang Trung 13321 (svctest.Units),
//     Lê Hồng Phong 13324 and Châu Sơn 13327 (no places) in Phủ Lý, and
//     Duy Tiên 349 / Hòa Mạc 13400;
//   - places registered on 23 November 2026, 10:00 in Vietnam: a market, a
//     school and a shop in Quang Trung, a garment factory in Lê Hồng
//     Phong, a market in Hòa Mạc; a café in Quang Trung on the 25th,
//     pending;
//   - visits and declarations on the 23rd, the 24th and the 25th, several
//     around midnight in Vietnam (17:00 UTC), each day rolled up at its
//     end, the 25th at 15:00 (now).
type env struct {
	t     testing.TB
	ctx   context.Context
	store ravao.Store
	vault *vault.Vault
	clock *ravao.FixedClock
	svc   *progress.Service
	pl    *places.Service

	venues []venue
	visits []ravao.Visit
	decls  []decl

	market, school, shop, factory, hoaMac, cafe int64
	p1, p2, p3, p4                              int64
	admin                                       *ravao.Principal
}

// venue is what the brute-force count knows of a place.
type venue struct {
	id      int64
	name    string
	path    []string
	sector  ravao.Sector
	typ     ravao.VenueType
	created time.Time
	status  ravao.VenueStatus
	orgID   int64
}

// decl is a declaration: when, whether risky, the person's home unit path.
type decl struct {
	at   time.Time
	risk bool
	path []string
}

// Days of the scenario.
const (
	nov23 ravao.Day = 20261123
	nov24 ravao.Day = 20261124
	nov25 ravao.Day = 20261125
)

// at is a time in Vietnam in November 2026.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, svctest.ICT)
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) { fn(t, newEnv(t, open)) })
}

func newEnv(t testing.TB, open svctest.Opener) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: &ravao.FixedClock{T: at(23, 10, 0).UTC()}}
	st, err := open(e.clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.store = st
	key, _ := vault.ParseKey(vault.GenerateKey())
	if e.vault, err = vault.New(key); err != nil {
		t.Fatal(err)
	}
	if err := svctest.Units(e.ctx, st); err != nil {
		t.Fatal(err)
	}
	e.update(func(tx ravao.Tx) error {
		_, err := tx.PutUnits([]ravao.Unit{
			{Version: "t", Code: "13324", ParentCode: "347", Level: 3, Name: "Lê Hồng Phong", FullName: "Phường Lê Hồng Phong"},
			{Version: "t", Code: "13327", ParentCode: "347", Level: 3, Name: "Châu Sơn", FullName: "Phường Châu Sơn"},
			{Version: "t", Code: "349", ParentCode: "35", Level: 2, Name: "Duy Tiên", FullName: "Thị xã Duy Tiên"},
			{Version: "t", Code: "13400", ParentCode: "349", Level: 3, Name: "Hòa Mạc", FullName: "Phường Hòa Mạc"},
		})
		return err
	})
	svc := svctest.Start(t, st, e.vault, e.clock)
	e.svc, e.pl = svc.Progress, svc.Places
	e.admin = svctest.Staff(t, st, "admin", ravao.RoleAssignment{Role: ravao.RoleAdmin})
	e.seed()
	return e
}

// seed plays the three days in order, rolling each up at its end.
func (e *env) seed() {
	e.market = e.place("Chợ Quang Trung", ravao.VenueMarket, ravao.SectorCommerce, "13321")
	e.school = e.place("Trường THCS Quang Trung", ravao.VenueSchool, ravao.SectorEducation, "13321")
	e.shop = e.place("Cửa hàng Hoa Mai", ravao.VenueBusiness, ravao.SectorCommerce, "13321")
	e.factory = e.place("Công ty May Phủ Lý", ravao.VenueZoneBusiness, ravao.SectorIndustry, "13324")
	e.hoaMac = e.place("Chợ Hòa Mạc", ravao.VenueMarket, ravao.SectorCommerce, "13400")
	e.p1, e.p2 = e.person("13321"), e.person("13321")
	e.p3, e.p4 = e.person("13324"), e.person("")

	e.visit(e.p1, e.hoaMac, at(23, 12, 0), at(23, 12, 30), ravao.Green)
	e.rollup(nov23, at(23, 23, 59))

	e.visit(e.p2, e.factory, at(24, 9, 0), at(24, 17, 0), ravao.Green)
	e.visit(e.p3, e.factory, at(24, 23, 59), time.Time{}, ravao.Green) // 16:59 UTC: still the 24th
	e.declare(e.p3, "13324", at(24, 23, 50), true)
	late := e.visit(e.p1, e.market, at(24, 23, 30), time.Time{}, ravao.Green)
	e.rollup(nov24, at(24, 23, 59))

	e.clock.T = at(25, 0, 20).UTC()
	e.update(func(tx ravao.Tx) error { return tx.CheckOutVisit(late.ID, at(25, 0, 20).UTC(), ravao.OutTap) })
	e.visits[len(e.visits)-1].OutAt = at(25, 0, 20)
	e.visit(e.p2, e.market, at(25, 0, 10), at(25, 0, 40), ravao.Green) // 17:10 UTC on the 24th
	e.declare(e.p1, "13321", at(25, 0, 5), true)
	e.declare(e.p2, "13321", at(25, 0, 30), false)
	e.declare(e.p4, "", at(25, 6, 0), true) // no home unit: counted nowhere
	e.visit(e.p1, e.market, at(25, 8, 0), at(25, 8, 30), ravao.Green)
	e.visit(e.p1, e.market, at(25, 9, 0), time.Time{}, ravao.Green)
	e.visit(e.p3, e.school, at(25, 7, 0), at(25, 7, 30), ravao.Red)
	e.visit(e.p4, e.hoaMac, at(25, 10, 0), time.Time{}, ravao.Green)
	e.clock.T = at(25, 9, 0).UTC()
	e.cafe = e.place("Quán cà phê Sông Đáy", ravao.VenueRestaurant, ravao.SectorCommerce, "13321")
	e.update(func(tx ravao.Tx) error {
		v, err := tx.Venue(e.cafe)
		if err != nil {
			return err
		}
		v.Status = ravao.VenuePending
		return tx.UpdateVenue(&v)
	})
	e.venues[len(e.venues)-1].status = ravao.VenuePending
	e.rollup(nov25, at(25, 15, 0))
}

// place registers an approved place at the clock's time.
func (e *env) place(name string, typ ravao.VenueType, sector ravao.Sector, unit string) int64 {
	e.t.Helper()
	v, err := e.pl.CreatePlace(e.ctx, nil, places.NewPlace{Organisation: name, Venue: places.VenueInput{
		Name: name, Type: string(typ), Sector: string(sector), UnitCode: unit, ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng chính"}}}, "vi")
	if err != nil {
		e.t.Fatalf("place %s: %v", name, err)
	}
	e.venues = append(e.venues, venue{id: v.Venue.ID, name: name, path: ravao.SplitUnitPath(v.Venue.UnitPath),
		sector: sector, typ: typ, created: e.clock.T, status: ravao.VenueApproved, orgID: v.Venue.OrganisationID})
	return v.Venue.ID
}

// person stores someone whose home is unit ("" for none).
func (e *env) person(unit string) int64 {
	e.t.Helper()
	p := ravao.Person{ID: vault.NewID(), FullName: "Nguyễn Thị Lan", BirthYear: 1990, Sex: ravao.SexFemale,
		UnitCode: unit, ConsentVersion: "1", ConsentChannel: ravao.ConsentOfficial, ConsentAt: e.clock.T}
	rec, err := e.vault.SealPerson(p)
	if err != nil {
		e.t.Fatal(err)
	}
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&rec) })
	return rec.ID
}

// visit stores a stay at a place; a zero out leaves it open.
func (e *env) visit(person, venueID int64, in, out time.Time, d ravao.Decision) ravao.Visit {
	e.t.Helper()
	var v ravao.Visit
	e.update(func(tx ravao.Tx) error {
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: venueID})
		if err != nil {
			return err
		}
		v = ravao.Visit{PersonID: person, VenueID: venueID, CheckpointID: cps[0].ID, InAt: in.UTC(),
			Decision: d, Source: ravao.SourceSelf}
		if !out.IsZero() {
			v.OutAt, v.OutReason = out.UTC(), ravao.OutTap
		}
		return tx.InsertVisits([]*ravao.Visit{&v})
	})
	e.visits = append(e.visits, v)
	return v
}

// declare stores a declaration made at a time.
func (e *env) declare(person int64, unit string, when time.Time, risk bool) {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error {
		return tx.AddDeclaration(&ravao.Declaration{PersonID: person, Risk: risk, Sealed: []byte{1}, CreatedAt: when.UTC()})
	})
	var path []string
	if unit != "" {
		e.view(func(tx ravao.Tx) error {
			p, err := ravao.UnitPathFor(tx, unit)
			path = ravao.SplitUnitPath(p)
			return err
		})
	}
	e.decls = append(e.decls, decl{at: when, risk: risk, path: path})
}

// rollup rolls a day up with the clock at when.
func (e *env) rollup(day ravao.Day, when time.Time) {
	e.t.Helper()
	e.clock.T = when.UTC()
	if err := e.svc.Rollup(e.ctx, day); err != nil {
		e.t.Fatalf("rollup %s: %v", day, err)
	}
}

func (e *env) update(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.store.Update(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) view(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.store.View(e.ctx, fn); err != nil {
		e.t.Fatal(err)
	}
}

// staff signs in a staff member with one role.
func (e *env) staff(login string, r ravao.RoleAssignment) *ravao.Principal {
	return svctest.Staff(e.t, e.store, login, r)
}

// sqlDB is the store's own connection pool, for what no Tx method does.
func (e *env) sqlDB() *sql.DB {
	switch s := e.store.(type) {
	case *sqlite.Store:
		return s.Writer
	case *postgres.Store:
		return s.Writer
	}
	e.t.Fatalf("unknown store %T", e.store)
	return nil
}

// filter says which places a count is about.
type filter struct {
	unit   string // "" for all
	sector ravao.Sector
	typ    ravao.VenueType
}

func (f filter) has(v venue) bool {
	return (f.unit == "" || slices.Contains(v.path, f.unit)) && (f.sector == "" || v.sector == f.sector) &&
		(f.typ == "" || v.typ == f.typ)
}

// day counts one day from what the test stored: the brute force a
// roll-up must agree with.
func (e *env) day(f filter, d ravao.Day) ravao.Counts {
	var c ravao.Counts
	ofDay := func(t time.Time) bool { return !t.IsZero() && ravao.DayOf(t, svctest.ICT) == d }
	byID := map[int64]venue{}
	for _, v := range e.venues {
		byID[v.id] = v
		if !f.has(v) || ravao.DayOf(v.created, svctest.ICT) > d {
			continue
		}
		c.Venues++
		switch v.status {
		case ravao.VenueApproved:
			c.Approved++
		case ravao.VenuePending:
			c.Pending++
		case ravao.VenueSuspended:
			c.Suspended++
		}
		if ofDay(v.created) {
			c.New++
		}
	}
	people, active := map[[2]int64]bool{}, map[int64]bool{}
	for _, vi := range e.visits {
		if !f.has(byID[vi.VenueID]) {
			continue
		}
		if ofDay(vi.OutAt) {
			c.CheckOuts++
		}
		if !ofDay(vi.InAt) {
			continue
		}
		c.CheckIns++
		people[[2]int64{vi.VenueID, vi.PersonID}] = true
		active[vi.VenueID] = true
		if vi.Decision == ravao.Red {
			c.Red++
		}
	}
	c.People, c.Active = len(people), len(active)
	if f.sector == "" && f.typ == "" {
		for _, dc := range e.decls {
			if dc.risk && ofDay(dc.at) && len(dc.path) > 0 && (f.unit == "" || slices.Contains(dc.path, f.unit)) {
				c.Symptoms++
			}
		}
	}
	return c
}

// over counts a range: activity summed, state on the last day.
func (e *env) over(f filter, from, to ravao.Day) ravao.Counts {
	var c ravao.Counts
	for d := from; d <= to; d = d.Add(1) {
		dc := e.day(f, d)
		c.Add(dc)
		c.Venues, c.Approved, c.Pending, c.Suspended = dc.Venues, dc.Approved, dc.Pending, dc.Suspended
	}
	return c
}
