package demo

import (
	"context"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/workplaces"
)

// TestSeedStaff: the demo factory's manager signs in to a list of twelve
// whose last workday is what the story says: eight linked, seven
// declared, six entered, five compliant.
func TestSeedStaff(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		now := time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC) // a Wednesday, 10:00 in Vietnam
		s := seed(t, open, now)
		key, _ := vault.ParseKey(vault.GenerateKey())
		v, err := vault.New(key)
		if err != nil {
			t.Fatal(err)
		}
		wp, err := workplaces.New(s.store, v, workplaces.Config{Clock: &ravao.FixedClock{T: now}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := SeedStaff(ctx, s.store, wp, v, s.data); err != nil {
			t.Fatal(err)
		}
		var manager ravao.Principal
		err = s.store.View(ctx, func(tx ravao.Tx) error {
			var err error
			if manager.User, err = tx.UserByLogin(staffLogin); err != nil {
				return err
			}
			manager.Roles, err = tx.Roles(manager.User.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		day := StaffDay(wp)
		if day != 20260310 {
			t.Errorf("staged day: got %v, want yesterday", day)
		}
		view, err := wp.Day(ctx, &manager, manager.Roles[0].OrganisationID, day)
		if err != nil {
			t.Fatal(err)
		}
		want := workplaces.Rates{Staff: 12, Linked: 8, Declared: 7, Entered: 6, Compliant: 5}
		if view.Totals != want {
			t.Errorf("the demo day: got %+v, want %+v", view.Totals, want)
		}
	})
}
