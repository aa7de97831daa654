package places_test

import (
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

func TestCreatePlace(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		first := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		if first.Status != ravao.VenueApproved || first.Contact.Phone.Reveal() != phone {
			t.Errorf("place by the system: status %s, contact %q; want approved with the contact", first.Status, first.Contact.Phone.Reveal())
		}
		m := e.manager(t, "quanly", first.OrganisationID)
		in := places.NewPlace{OrganisationID: first.OrganisationID, Venue: venueInput("Xưởng may số 2", ravao.VenueBusiness, "14000")}
		second, err := e.svc.CreatePlace(e.ctx, m, in, "vi")
		if err != nil || second.Status != ravao.VenuePending || second.OrganisationID != first.OrganisationID || second.UnitPath != "37/369/14000/" {
			t.Fatalf("manager's second venue: %+v, %v; want pending in the same organisation", second.Venue, err)
		}
		checkCheckpoints(t, second, "Cổng chính")

		before := e.counts(t)
		in.OrganisationID = other.OrganisationID
		_, err = e.svc.CreatePlace(e.ctx, m, in, "vi")
		e.wantField(t, err, "organisation", "err.organisation_not_found")
		_, err = e.svc.CreatePlace(e.ctx, m, places.NewPlace{Organisation: "Công ty Mới", Venue: in.Venue}, "vi")
		e.wantField(t, err, "unit", "err.unit_out_of_scope")
		_, err = e.svc.CreatePlace(e.ctx, e.local, places.NewPlace{Organisation: "Công ty Mới", Venue: in.Venue}, "vi")
		e.wantField(t, err, "unit", "err.unit_out_of_scope")
		_, err = e.svc.CreatePlace(e.ctx, e.health, places.NewPlace{Organisation: "Công ty Mới", Venue: venueInput("Kho", ravao.VenueBusiness, "13321")}, "vi")
		e.wantField(t, err, "unit", "err.unit_out_of_scope")
		_, err = e.svc.CreatePlace(e.ctx, e.local, places.NewPlace{Organisation: "", Venue: venueInput("Kho", ravao.VenueBusiness, "13321")}, "vi")
		e.wantField(t, err, "organisation", "err.place_name")
		if after := e.counts(t); after != before {
			t.Errorf("refused creations: counts went from %+v to %+v", before, after)
		}

		byOfficial, err := e.svc.CreatePlace(e.ctx, e.local, places.NewPlace{Organisation: "Công ty Mới", Venue: venueInput("Kho", ravao.VenueBusiness, "13321")}, "vi")
		if err != nil || byOfficial.Status != ravao.VenueApproved || byOfficial.Organisation.Name != "Công ty Mới" {
			t.Errorf("place by the commune: %+v, %v; want approved in a new organisation", byOfficial.Venue, err)
		}
		bySector, err := e.svc.CreatePlace(e.ctx, e.sector, places.NewPlace{Organisation: "Trường Mầm non Hoa Sen", Venue: venueInput("Trường Mầm non Hoa Sen", ravao.VenueSchool, "13322")}, "vi")
		if err != nil || bySector.Status != ravao.VenuePending {
			t.Errorf("place by the sector supervisor: %+v, %v; want pending", bySector.Venue, err)
		}
	})
}

func TestAddCheckpoint(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty Vận tải Hà Nam", "Xe khách", ravao.VenueVehicle, "13321", "Xe 90B-123.45")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		c, err := e.svc.AddCheckpoint(e.ctx, m, v.ID, places.CheckpointInput{Plate: " 90b  678.90 ", Route: "Phủ Lý –\nHà Nội"})
		if err != nil {
			t.Fatalf("AddCheckpoint: %v", err)
		}
		if c.Kind != ravao.CheckpointVehicle || c.Plate != "90B 678.90" || c.Name != "90B 678.90" || c.Route != "Phủ Lý – Hà Nội" {
			t.Errorf("added checkpoint %+v", c.Checkpoint)
		}
		e.resolves(t, c.Code, c.ID)
		if evs := e.audit(t, "checkpoint.create"); len(evs) != 1 || evs[0].ObjectID != itoa(c.ID) {
			t.Errorf("checkpoint audited as %+v", evs)
		}

		_, err = e.svc.AddCheckpoint(e.ctx, m, other.ID, places.CheckpointInput{Name: "Cổng phụ"})
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		_, err = e.svc.AddCheckpoint(e.ctx, e.local, v.ID, places.CheckpointInput{Name: "Cổng phụ"})
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.svc.AddCheckpoint(e.ctx, m, v.ID, places.CheckpointInput{Name: ""})
		e.wantField(t, err, "name", "err.place_name")
		// Two problems on one input: the message must not depend on map order.
		for range 20 {
			_, err = e.svc.AddCheckpoint(e.ctx, e.admin, other.ID, places.CheckpointInput{Name: "Cửa", Kind: "door", Plate: "90B-123.45"})
			e.wantField(t, err, "name", "err.checkpoint_kind")
		}
	})
}
