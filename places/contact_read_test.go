package places_test

import (
	"strconv"
	"testing"

	"github.com/ravao/ravao"
)

// TestVenueContactReadIsAudited checks that an official who approves a
// place reads its contact person only with an audit event, while its own
// manager reads it without one, and a sector supervisor not at all.
func TestVenueContactReadIsAudited(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Trường THCS Lê Lợi", "Trường THCS Lê Lợi", ravao.VenueSchool, "13321")
		mgr := e.manager(t, "hieutruong", v.OrganisationID)
		for _, tc := range []struct {
			name    string
			actor   *ravao.Principal
			contact bool
			audits  int
		}{
			{"manager", mgr, true, 0},
			{"commune official", e.local, true, 1},
			{"education supervisor", e.sector, false, 1},
		} {
			got, err := e.svc.Venue(e.ctx, tc.actor, v.ID)
			if err != nil {
				t.Fatalf("%s: Venue: %v", tc.name, err)
			}
			if got.Contact.Phone.Empty() == tc.contact {
				t.Errorf("%s: contact phone shown = %v, want %v", tc.name, !got.Contact.Phone.Empty(), tc.contact)
			}
			var n int
			for _, a := range e.audit(t, "venue.contact_read") {
				if a.ObjectID == strconv.FormatInt(v.ID, 10) {
					n++
				}
			}
			if n != tc.audits {
				t.Errorf("after the %s's view: %d contact reads audited, want %d", tc.name, n, tc.audits)
			}
		}
	})
}
