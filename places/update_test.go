package places_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

func TestUpdate(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		in := venueInput("Xưởng may số 1 (mới)", ravao.VenueZoneBusiness, "13322")
		in.Zone, in.OpeningHours, in.Capacity, in.DefaultStayMinutes = "KCN Châu Sơn", "7:00–17:00, T2–T7", 400, 9*60
		in.ContactPhone = "0987 654 321"
		e.clock.Advance(time.Hour)

		got, err := e.svc.Update(e.ctx, m, v.ID, in)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		stored := e.stored(t, v.ID)
		if stored.Name != "Xưởng may số 1 (mới)" || stored.Type != ravao.VenueZoneBusiness || stored.Sector != ravao.SectorIndustry ||
			stored.UnitCode != "13322" || stored.UnitPath != "35/347/13322/" || stored.Zone != "KCN Châu Sơn" ||
			stored.Capacity != 400 || stored.DefaultStay != 9*time.Hour || stored.Status != ravao.VenuePending ||
			!stored.UpdatedAt.Equal(e.clock.T) || !reflect.DeepEqual(stored, got) {
			t.Errorf("stored after update: %+v\nreturned %+v", stored, got)
		}
		// Moved to another commune by its manager, the place waits for that
		// commune's approval again.
		if c, err := e.svc.OpenContact(stored); err != nil || c.Phone.Reveal() != "0987654321" {
			t.Errorf("contact after update: %v", err)
		}
		if evs := e.audit(t, "venue.update"); len(evs) != 1 || evs[0].UserID != m.User.ID || evs[0].ObjectID != itoa(v.ID) {
			t.Errorf("update audited as %+v", evs)
		}
		listed, _, err := e.svc.List(e.ctx, e.local, ravao.VenueFilter{})
		if err != nil || slices.Contains(ids(listed), v.ID) {
			t.Errorf("the old commune still lists the moved venue: %v, %v", ids(listed), err)
		}
	})
}

func TestUpdateRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		before := e.stored(t, v.ID)
		valid := venueInput("Xưởng may số 2", ravao.VenueBusiness, "13321")
		cases := []struct {
			name, field, key string
			edit             func(*places.VenueInput)
		}{
			{"no name", "name", "err.place_name", func(in *places.VenueInput) { in.Name = "" }},
			{"unknown type", "type", "err.venue_type", func(in *places.VenueInput) { in.Type = "casino" }},
			{"unknown sector", "sector", "err.sector", func(in *places.VenueInput) { in.Sector = "mining" }},
			{"unknown unit", "unit", "err.unit_unknown", func(in *places.VenueInput) { in.UnitCode = "99999" }},
			{"negative capacity", "capacity", "err.capacity", func(in *places.VenueInput) { in.Capacity = -1 }},
			{"bad phone", "contact_phone", "err.phone", func(in *places.VenueInput) { in.ContactPhone = "112" }},
		}
		for _, c := range cases {
			in := valid
			c.edit(&in)
			_, err := e.svc.Update(e.ctx, m, v.ID, in)
			if err == nil {
				t.Fatalf("%s: updated", c.name)
			}
			e.wantField(t, err, c.field, c.key)
		}
		_, err := e.svc.Update(e.ctx, m, other.ID, valid)
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		_, err = e.svc.Update(e.ctx, e.local, v.ID, valid)
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.svc.Update(e.ctx, e.local37, v.ID, valid)
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		if after := e.stored(t, v.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("venue changed by refused updates:\n%+v\n%+v", before, after)
		}
		if n := len(e.audit(t, "venue.update")); n != 0 {
			t.Errorf("%d refused updates audited", n)
		}
	})
}
