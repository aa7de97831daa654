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
