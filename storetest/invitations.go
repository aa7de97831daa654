package storetest

import (
	"reflect"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// mustInvitation stores an invitation to a place's checkpoint made by a
// user, expiring in two days.
func (e *env) mustInvitation(p place, by int64) ravao.Invitation {
	e.t.Helper()
	i := ravao.Invitation{TokenHash: randomBytes(32), OrganisationID: p.org.ID, CheckpointIDs: []int64{p.cp.ID},
		CreatedBy: by, ExpiresAt: e.now().Add(48 * time.Hour)}
	e.update(func(tx ravao.Tx) error { return tx.CreateInvitation(&i) })
	return i
}

// wantInvitation fails the test unless the stored invitation equals want.
func (e *env) wantInvitation(what string, want ravao.Invitation) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.InvitationByHash(want.TokenHash); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func testInvitations(e *env) {
	p := e.mustPlace("Siêu thị Vinmart")
	manager, guard := e.mustUser("manager"), e.mustUser("guard")
	var side ravao.Checkpoint
	e.update(func(tx ravao.Tx) error {
		side = ravao.Checkpoint{VenueID: p.ven.ID, Name: "Cổng phụ", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&side)
	})
	inv := ravao.Invitation{TokenHash: randomBytes(32), OrganisationID: p.org.ID, CheckpointIDs: []int64{side.ID, p.cp.ID},
		CreatedBy: manager.ID, ExpiresAt: e.now().Add(48 * time.Hour)}
	e.update(func(tx ravao.Tx) error { return tx.CreateInvitation(&inv) })
	if inv.ID == 0 || !inv.CreatedAt.Equal(e.now()) {
		e.t.Errorf("CreateInvitation: got ID %d, CreatedAt %v; want an ID and %v", inv.ID, inv.CreatedAt, e.now())
	}
	e.wantInvitation("InvitationByHash", inv)
	bare := ravao.Invitation{TokenHash: randomBytes(32), OrganisationID: p.org.ID, ExpiresAt: e.now().Add(time.Hour)}
	e.update(func(tx ravao.Tx) error { return tx.CreateInvitation(&bare) })
	e.wantInvitation("InvitationByHash of one without checkpoints or creator", bare)

	e.clock.Advance(time.Minute)
	used := e.now().Add(-time.Second)
	e.update(func(tx ravao.Tx) error { return tx.UseInvitation(inv.ID, guard.ID, used) })
	inv.UsedAt, inv.UsedBy = used, guard.ID
	e.wantInvitation("InvitationByHash after UseInvitation", inv)
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UseInvitation(inv.ID, manager.ID, e.now()) })
	wantCode(e.t, "UseInvitation a second time", err, ravao.Conflict)
	wantKey(e.t, "UseInvitation a second time", err, "err.invitation_used")
	e.wantInvitation("InvitationByHash after a refused second use", inv)

	e.update(func(tx ravao.Tx) error { return tx.UseInvitation(bare.ID, guard.ID, time.Time{}) })
	bare.UsedAt, bare.UsedBy = e.now(), guard.ID
	e.wantInvitation("InvitationByHash after UseInvitation at the zero time", bare)
	checkInvitationErrors(e, inv)
}

// checkInvitationErrors checks lookups and writes that must fail.
func checkInvitationErrors(e *env, inv ravao.Invitation) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		_, err := tx.InvitationByHash(randomBytes(32))
		wantCode(e.t, "InvitationByHash of an unknown hash", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UseInvitation(inv.ID+1000, inv.UsedBy, e.now()) })
	wantCode(e.t, "UseInvitation of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := ravao.Invitation{TokenHash: inv.TokenHash, OrganisationID: inv.OrganisationID, ExpiresAt: e.now()}
		return tx.CreateInvitation(&dup)
	})
	wantCode(e.t, "CreateInvitation with a stored hash", err, ravao.Conflict)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		orphan := ravao.Invitation{TokenHash: randomBytes(32), OrganisationID: inv.OrganisationID + 1000, ExpiresAt: e.now()}
		return tx.CreateInvitation(&orphan)
	})
	wantCode(e.t, "CreateInvitation of a missing organisation", err, ravao.Invalid)
}

// testInvitationRace has two people open one link at the same moment:
// exactly one of them gets the invitation.
func testInvitationRace(e *env) {
	p := e.mustPlace("Bệnh viện")
	manager, a, b := e.mustUser("manager"), e.mustUser("guard.a"), e.mustUser("guard.b")
	inv := e.mustInvitation(p, manager.ID)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, u := range []ravao.User{a, b} {
		wg.Go(func() {
			errs[i] = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UseInvitation(inv.ID, u.ID, time.Time{}) })
		})
	}
	wg.Wait()
	var won int
	for _, err := range errs {
		switch ravao.ErrorCode(err) {
		case "":
			won++
		case ravao.Conflict:
		default:
			e.t.Errorf("UseInvitation racing: got error %v, want nil or a Conflict", err)
		}
	}
	if won != 1 {
		e.t.Errorf("UseInvitation racing: %d of 2 succeeded (errors %v), want 1", won, errs)
	}
}

// newChallenge returns a challenge for a phone key, not stored.
func newChallenge(e *env, phoneKey []byte) ravao.PhoneChallenge {
	return ravao.PhoneChallenge{TokenHash: randomBytes(32), PhoneKey: phoneKey, CodeHash: randomBytes(32),
		Purpose: "register", ExpiresAt: e.now().Add(5 * time.Minute)}
}

func testPhoneChallenges(e *env) {
	c := newChallenge(e, randomBytes(32))
	e.update(func(tx ravao.Tx) error { return tx.CreatePhoneChallenge(&c) })
	if c.ID == 0 || !c.CreatedAt.Equal(e.now()) {
		e.t.Errorf("CreatePhoneChallenge: got ID %d, CreatedAt %v; want an ID and %v", c.ID, c.CreatedAt, e.now())
	}
	e.wantChallenge("PhoneChallengeByHash", c)
	e.clock.Advance(time.Minute)
	c.Attempts = 1
	e.update(func(tx ravao.Tx) error { return tx.UpdatePhoneChallenge(&c) })
	e.wantChallenge("PhoneChallengeByHash after a wrong code", c)
	c.Attempts, c.VerifiedAt = 2, e.now()
	changed := c
	changed.Purpose, changed.CodeHash, changed.ExpiresAt = "gate", randomBytes(32), e.now().Add(time.Hour) // not written
	e.update(func(tx ravao.Tx) error { return tx.UpdatePhoneChallenge(&changed) })
	e.wantChallenge("PhoneChallengeByHash after the right code", c)

	e.view(func(tx ravao.Tx) error {
		_, err := tx.PhoneChallengeByHash(randomBytes(32))
		wantCode(e.t, "PhoneChallengeByHash of an unknown hash", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := c
		ghost.ID += 1000
		return tx.UpdatePhoneChallenge(&ghost)
	})
	wantCode(e.t, "UpdatePhoneChallenge of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := newChallenge(e, randomBytes(32))
		dup.TokenHash = c.TokenHash
		return tx.CreatePhoneChallenge(&dup)
	})
	wantCode(e.t, "CreatePhoneChallenge with a stored hash", err, ravao.Conflict)
}

// wantChallenge fails the test unless the stored challenge equals want.
func (e *env) wantChallenge(what string, want ravao.PhoneChallenge) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.PhoneChallengeByHash(want.TokenHash); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func testPhoneChallengeCount(e *env) {
	phone, other := randomBytes(32), randomBytes(32)
	var at []time.Time
	for i := range 3 {
		c := newChallenge(e, phone)
		if i == 1 {
			c.Purpose = "gate" // every purpose counts against the phone
		}
		e.update(func(tx ravao.Tx) error { return tx.CreatePhoneChallenge(&c) })
		at = append(at, c.CreatedAt)
		e.clock.Advance(10 * time.Minute)
	}
	o := newChallenge(e, other)
	e.update(func(tx ravao.Tx) error { return tx.CreatePhoneChallenge(&o) })
	cases := []struct {
		name  string
		key   []byte
		since time.Time
		want  int
	}{
		{"since the first", phone, at[0], 3},
		{"since the second, inclusive", phone, at[1], 2},
		{"just after the second", phone, at[1].Add(time.Millisecond), 1},
		{"after the last", phone, at[2].Add(time.Millisecond), 0},
		{"since the zero time", phone, time.Time{}, 3},
		{"another phone", other, at[0], 1},
		{"an unknown phone", randomBytes(32), time.Time{}, 0},
	}
	e.view(func(tx ravao.Tx) error {
		for _, tc := range cases {
			if got, err := tx.CountPhoneChallenges(tc.key, tc.since); err != nil || got != tc.want {
				e.t.Errorf("CountPhoneChallenges (%s): got %d, %v; want %d", tc.name, got, err, tc.want)
			}
		}
		return nil
	})
}
