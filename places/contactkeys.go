package places

import (
	"context"

	"github.com/ravao/ravao"
)

// contactKeyPage is how many venues FillContactKeys reads and writes per
// transaction: small enough not to hold the write lock for long.
const contactKeyPage = 500

// FillContactKeys sets the ContactKey of every venue that has a contact
// with a phone but no key yet (places registered before venues carried
// one), so that rosters can match them by phone. It returns how many it
// filled; a second run fills none.
func (s *Service) FillContactKeys(ctx context.Context) (int, error) {
	return ravao.Paged(func(after int64) (int, int64, error) { return s.fillContactKeyPage(ctx, after) })
}

// fillContactKeyPage fills the keys of the venues after the ID given and
// returns how many it filled and the last venue ID it read (0 when there
// were no more venues). The page is read in a read transaction; only a
// page with venues to key takes a write transaction (re-reading them), so
// that once every place has its key a start-up costs reads only.
func (s *Service) fillContactKeyPage(ctx context.Context, after int64) (int, int64, error) {
	var todo []int64
	var last int64
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		vs, err := tx.Venues(ravao.VenueFilter{AfterID: after, Limit: contactKeyPage})
		for _, v := range vs {
			last = v.ID
			if len(v.Contact) != 0 && len(v.ContactKey) == 0 {
				todo = append(todo, v.ID)
			}
		}
		return err
	})
	if err != nil || len(todo) == 0 {
		return 0, last, err
	}
	var n int
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		n = 0
		for _, id := range todo {
			v, err := tx.Venue(id)
			if err != nil {
				return err
			}
			filled, err := s.fillContactKey(tx, &v)
			if err != nil {
				return err
			}
			if filled {
				n++
			}
		}
		return nil
	})
	return n, last, err
}

// fillContactKey keys v's contact phone when it has one and no key yet.
func (s *Service) fillContactKey(tx ravao.Tx, v *ravao.Venue) (bool, error) {
	if len(v.Contact) == 0 || len(v.ContactKey) != 0 {
		return false, nil
	}
	c, err := s.OpenContact(*v)
	if err != nil {
		return false, err
	}
	if v.ContactKey = s.contactKey(c); v.ContactKey == nil {
		return false, nil
	}
	return true, tx.UpdateVenue(v)
}
