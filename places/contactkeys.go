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

// fillContactKeyPage fills the keys of the venues after the ID given, in
// one transaction, and returns how many it filled and the last venue ID
// it read (0 when there were no more venues).
func (s *Service) fillContactKeyPage(ctx context.Context, after int64) (int, int64, error) {
	var n int
	var last int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		n, last = 0, 0
		vs, err := tx.Venues(ravao.VenueFilter{AfterID: after, Limit: contactKeyPage})
		if err != nil {
			return err
		}
		for i := range vs {
			last = vs[i].ID
			filled, err := s.fillContactKey(tx, &vs[i])
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
