package sqlstore_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlite"
)

// TestVenueDaysDST checks that days follow a zone with daylight saving:
// in Paris, 2026-03-29 has 23 hours, so 22:30 UTC that evening is already
// the 30th, which no fixed offset would find. What InsertVisits and
// CheckOutVisit count is what RepairVenueDays finds again.
func TestVenueDaysDST(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dst.db"), ravao.SystemClock{}, sqlite.Options{TZ: paris})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := func(h, m int) time.Time { return time.Date(2026, 3, 29, h, m, 0, 0, time.UTC) }
	var venueID int64
	err = s.Update(ctx, func(tx ravao.Tx) error {
		org := ravao.Organisation{Name: "Café", UnitCode: "75056", Sector: ravao.SectorCommerce}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		v := ravao.Venue{OrganisationID: org.ID, Name: "Café", Type: ravao.VenueRestaurant, Sector: ravao.SectorCommerce,
			UnitCode: "75056", UnitPath: "75/75056/", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&v); err != nil {
			return err
		}
		venueID = v.ID
		cp := ravao.Checkpoint{VenueID: v.ID, Name: "Porte", Kind: ravao.CheckpointGate}
		if err := tx.CreateCheckpoint(&cp); err != nil {
			return err
		}
		p := ravao.PersonRecord{ID: 77, Sealed: []byte("sealed"), CreatedAt: at(0, 0)}
		if err := tx.CreatePerson(&p); err != nil {
			return err
		}
		vs := []*ravao.Visit{
			{PersonID: p.ID, VenueID: v.ID, CheckpointID: cp.ID, InAt: at(21, 30), Decision: ravao.Green, Source: ravao.SourceGate},
			{PersonID: p.ID, VenueID: v.ID, CheckpointID: cp.ID, InAt: at(22, 30), Decision: ravao.Red, Source: ravao.SourceGate},
		}
		if err := tx.InsertVisits(vs); err != nil {
			return err
		}
		return tx.CheckOutVisit(vs[0].ID, at(21, 59), ravao.OutTap)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []ravao.VenueDay{
		{VenueID: venueID, Day: 20260329, CheckIns: 1, CheckOuts: 1, People: 1},
		{VenueID: venueID, Day: 20260330, CheckIns: 1, People: 1, Red: 1},
	}
	check := func(what string) {
		t.Helper()
		err := s.View(ctx, func(tx ravao.Tx) error {
			got, err := tx.VenueDays(venueID, 20260328, 20260331)
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("%s: got %+v, want %+v", what, got, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("maintained")
	if err := s.Update(ctx, func(tx ravao.Tx) error {
		n, err := tx.RepairVenueDays(20260328, 20260331)
		if err == nil && n != 2 {
			t.Errorf("RepairVenueDays: got %d rows, want 2", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	check("repaired")
}
