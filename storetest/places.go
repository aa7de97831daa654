package storetest

import (
	"reflect"

	"github.com/ravao/ravao"
)

var placeTests = []test{
	{"Places", testPlaces},
	{"Places/Organisations", testOrganisations},
	{"Places/VenueFields", testVenueFields},
	{"Places/VenueFilters", testVenueFilters},
	{"Places/VenueUnitPath", testVenueUnitPath},
	{"Places/VenuePages", testVenuePages},
	{"Places/Checkpoints", testCheckpoints},
	{"Places/PeekCheckpointPlace", testPeekCheckpointPlace},
	{"Places/Invitations", testInvitations},
	{"Places/InvitationRace", testInvitationRace},
	{"Places/PhoneChallenges", testPhoneChallenges},
	{"Places/PhoneChallengeCount", testPhoneChallengeCount},
}

func testPlaces(e *env) {
	p := e.mustPlace("Trường THPT Biên Hòa")
	for name, id := range map[string]int64{"organisation": p.org.ID, "venue": p.ven.ID, "checkpoint": p.cp.ID} {
		if id == 0 {
			e.t.Fatalf("Create %s: got ID 0", name)
		}
	}
	if !p.ven.CreatedAt.Equal(e.now()) || !p.ven.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("CreateVenue: got CreatedAt %v, UpdatedAt %v; want %v for both", p.ven.CreatedAt, p.ven.UpdatedAt, e.now())
	}
	bus := ravao.Checkpoint{VenueID: p.ven.ID, Name: "Xe 29B-123.45", Kind: ravao.CheckpointVehicle, Plate: "29B-123.45"}
	e.update(func(tx ravao.Tx) error { return tx.CreateCheckpoint(&bus) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Organisation(p.org.ID); err != nil || got != p.org {
			e.t.Errorf("Organisation: got %+v, %v; want %+v", got, err, p.org)
		}
		if got, err := tx.Venue(p.ven.ID); err != nil || !reflect.DeepEqual(got, p.ven) {
			e.t.Errorf("Venue: got %+v, %v; want %+v", got, err, p.ven)
		}
		for _, want := range []ravao.Checkpoint{p.cp, bus} {
			if got, err := tx.Checkpoint(want.ID); err != nil || got != want {
				e.t.Errorf("Checkpoint: got %+v, %v; want %+v", got, err, want)
			}
		}
		_, err := tx.Organisation(p.org.ID + 1000)
		wantCode(e.t, "Organisation of a missing ID", err, ravao.NotFound)
		_, err = tx.Venue(p.ven.ID + 1000)
		wantCode(e.t, "Venue of a missing ID", err, ravao.NotFound)
		_, err = tx.Checkpoint(bus.ID + 1000)
		wantCode(e.t, "Checkpoint of a missing ID", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		v := p.ven
		v.ID, v.OrganisationID = 0, p.org.ID+1000
		return tx.CreateVenue(&v)
	})
	wantCode(e.t, "CreateVenue of a missing organisation", err, ravao.Invalid)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		c := ravao.Checkpoint{VenueID: p.ven.ID + 1000, Name: "Ghost", Kind: ravao.CheckpointGate}
		return tx.CreateCheckpoint(&c)
	})
	wantCode(e.t, "CreateCheckpoint of a missing venue", err, ravao.Invalid)
}

// testPeekCheckpointPlace checks that CheckpointPlace in a Peek, which
// may answer from memory, always agrees with a View once a change to the
// checkpoint, venue or organisation has committed on this store, however
// it was made, and that a change rolled back changes nothing.
func testPeekCheckpointPlace(e *env) {
	p := e.mustPlace("Chợ Peek")
	same := func(what string) {
		e.t.Helper()
		var wc, pc ravao.Checkpoint
		var wv, pv ravao.Venue
		var wo, po ravao.Organisation
		e.view(func(tx ravao.Tx) (err error) {
			wc, wv, wo, err = tx.CheckpointPlace(p.cp.ID)
			return err
		})
		for range 2 { // the second is answered from memory
			if err := e.s.Peek(e.ctx, func(tx ravao.Tx) (err error) {
				pc, pv, po, err = tx.CheckpointPlace(p.cp.ID)
				return err
			}); err != nil {
				e.t.Fatalf("%s: Peek: %v", what, err)
			}
			if pc != wc || !reflect.DeepEqual(pv, wv) || po != wo {
				e.t.Fatalf("%s: Peek got %+v, %+v, %+v; View %+v, %+v, %+v", what, pc, pv, po, wc, wv, wo)
			}
			if len(pv.Contact) > 0 {
				pv.Contact[0]++ // a caller's change must not reach the next answer
			}
		}
	}
	same("as created")
	p.ven.Status, p.ven.Contact = ravao.VenueSuspended, []byte{1, 2, 3}
	e.update(func(tx ravao.Tx) error { return tx.UpdateVenue(&p.ven) })
	same("venue suspended")
	p.cp.Revoked = true
	e.update(func(tx ravao.Tx) error { return tx.UpdateCheckpoint(&p.cp) })
	same("checkpoint revoked")
	p.org.Name = "Chợ Peek (đổi tên)"
	e.update(func(tx ravao.Tx) error { return tx.UpdateOrganisation(&p.org) })
	same("organisation renamed")

	// In a group commit, a fn that succeeds keeps its change beside one
	// that fails.
	p.ven.Name = "Chợ Peek, cổng mới"
	errs, err := e.s.UpdateEach(e.ctx, []func(ravao.Tx) error{
		func(tx ravao.Tx) error { return tx.UpdateVenue(&p.ven) },
		func(tx ravao.Tx) error { return tx.UpdateCheckpoint(&ravao.Checkpoint{ID: p.cp.ID + 1000}) },
	})
	if err != nil || errs[0] != nil || errs[1] == nil {
		e.t.Fatalf("UpdateEach: got %v, %v; want the first to succeed and the second to fail", errs, err)
	}
	same("venue renamed in a group commit")

	rolled := p.ven
	rolled.Status = ravao.VenueApproved
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		if err := tx.UpdateVenue(&rolled); err != nil {
			return err
		}
		return ravao.Errorf(ravao.Invalid, "err.invalid")
	})
	wantCode(e.t, "Update rolled back", err, ravao.Invalid)
	same("change rolled back")
	err = e.s.Peek(e.ctx, func(tx ravao.Tx) error {
		_, _, _, err := tx.CheckpointPlace(p.cp.ID + 1000)
		return err
	})
	wantCode(e.t, "Peek CheckpointPlace of a missing checkpoint", err, ravao.NotFound)
}
