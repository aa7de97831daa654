// Package storetest is the conformance suite every ravao.Store passes: the
// sqlite and postgres packages run it from their tests, so both engines are
// held to one behaviour, down to the error codes.
package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// Opener returns a fresh, empty store that reads time from clock. Run
// closes it when the subtest ends.
type Opener func(t *testing.T, clock ravao.Clock) ravao.Store

// t0 is when every subtest's clock starts: a time with sub-millisecond
// digits, to check that stores truncate to the millisecond they keep.
var t0 = time.Date(2026, 3, 9, 8, 30, 0, 123456789, time.UTC)

// env is what a subtest works with.
type env struct {
	t     *testing.T
	ctx   context.Context
	s     ravao.Store
	clock *ravao.FixedClock
}

// Run runs every conformance subtest against stores made by open. The
// subtests run in parallel, each on its own store.
func Run(t *testing.T, open Opener) {
	for _, tc := range tests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &ravao.FixedClock{T: t0}
			s := open(t, clock)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(&env{t: t, ctx: context.Background(), s: s, clock: clock})
		})
	}
}

type test struct {
	name string
	fn   func(e *env)
}

func tests() []test {
	var all []test
	for _, group := range [][]test{txTests, settingTests, unitTests, userTests, sessionTests,
		placeTests, personTests, visitTests, traceTests, statsTests, rosterTests, zoneTests, auditTests,
		auditChainTests, purgeTests, retentionTests, rightsTests, breachTests, leaseTests, staffTests} {
		all = append(all, group...)
	}
	return all
}

// now is the instant a transaction begun now carries.
func (e *env) now() time.Time { return e.clock.T.UTC().Truncate(time.Millisecond) }

// update runs fn in a write transaction and fails the test on error.
func (e *env) update(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.s.Update(e.ctx, fn); err != nil {
		e.t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func (e *env) view(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.s.View(e.ctx, fn); err != nil {
		e.t.Fatalf("View: %v", err)
	}
}

// wantCode fails the test unless err has the given code.
func wantCode(t *testing.T, what string, err error, code ravao.Code) {
	t.Helper()
	if got := ravao.ErrorCode(err); got != code {
		t.Fatalf("%s: got error %v (code %q), want code %q", what, err, got, code)
	}
}

// wantKey fails the test unless err is a *ravao.Error with the given key.
func wantKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	var re *ravao.Error
	if !errors.As(err, &re) || re.Key != key {
		t.Fatalf("%s: got error %v, want key %q", what, err, key)
	}
}

// randomBytes returns n random bytes, for token hashes and lookup keys.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// idSeq numbers person IDs; the store takes them as given.
var idSeq atomic.Int64

// nextID returns a person ID no other subtest uses.
func nextID() int64 { return 1<<40 + idSeq.Add(1) }

// mustUser creates a staff account.
func (e *env) mustUser(login string) ravao.User {
	e.t.Helper()
	u := ravao.User{Login: login, DisplayName: "Staff " + login, PasswordHash: "hash:" + login, Lang: "vi"}
	e.update(func(tx ravao.Tx) error { return tx.CreateUser(&u) })
	return u
}

// place is an organisation with one venue and one checkpoint.
type place struct {
	org ravao.Organisation
	ven ravao.Venue
	cp  ravao.Checkpoint
}

// mustPlace creates an organisation, a venue and a checkpoint.
func (e *env) mustPlace(name string) place {
	e.t.Helper()
	var p place
	e.update(func(tx ravao.Tx) error {
		p.org = ravao.Organisation{Name: name, UnitCode: "00001", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&p.org); err != nil {
			return err
		}
		p.ven = ravao.Venue{OrganisationID: p.org.ID, Name: name + " venue", Type: ravao.VenueMarket,
			Sector: ravao.SectorCommerce, UnitCode: "00001", Address: "1 Lê Lợi", Status: ravao.VenueApproved,
			DefaultStay: 90 * time.Minute}
		if err := tx.CreateVenue(&p.ven); err != nil {
			return err
		}
		p.cp = ravao.Checkpoint{VenueID: p.ven.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&p.cp)
	})
	return p
}

// newPerson returns a person record with fresh lookup keys, not stored.
func newPerson() ravao.PersonRecord {
	return ravao.PersonRecord{
		ID: nextID(), PhoneKey: randomBytes(32), IDNumberKey: randomBytes(32), Sealed: randomBytes(60),
		BirthYear: 1990, Sex: ravao.SexFemale, UnitCode: "00001", ConsentVersion: "v1",
		ConsentChannel: ravao.ConsentSelf, ConsentAt: t0.Add(-time.Hour).Truncate(time.Millisecond),
	}
}

// mustPerson stores a new person.
func (e *env) mustPerson() ravao.PersonRecord {
	e.t.Helper()
	p := newPerson()
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&p) })
	return p
}

// newVisit returns a visit of a person at a place, not stored.
func newVisit(p place, personID int64, in time.Time, key string) ravao.Visit {
	return ravao.Visit{PersonID: personID, VenueID: p.ven.ID, CheckpointID: p.cp.ID,
		InAt: in.Truncate(time.Millisecond), Decision: ravao.Green, Source: ravao.SourceSelf, IdempotencyKey: key}
}

// errStop is what tests return from fn to force a rollback.
var errStop = fmt.Errorf("storetest: stop")
