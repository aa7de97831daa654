package progress

import (
	"context"
	"strings"

	"github.com/ravao/ravao"
)

// matcher matches roster entries to venues within one transaction, for
// an upload and for Rematch alike. Exact matches come first (the
// organisation's tax code, then the contact phone's keyed lookup), then
// proposals by name among the venues at or below the entry's unit. A
// venue a person rejected for an entry is never matched to it again, and
// a venue covers at most one entry of a roster: within a pass the first
// entry (by line, or by ID, which follows the lines) wins.
type matcher struct {
	tx ravao.Tx
	// taken is, per roster, the venues its entries hold (matched or
	// proposed), read from the store when first needed; an upload's
	// entries (roster 0) start from none.
	taken map[int64]map[int64]bool
	// names is, per unit path, the venues at or below it by name key.
	names map[string]map[string][]ravao.Venue
}

func newMatcher(tx ravao.Tx) *matcher {
	return &matcher{tx: tx, taken: map[int64]map[int64]bool{}, names: map[string]map[string][]ravao.Venue{}}
}

// candidates are the venues an exact match may pick, by tax code and by
// contact key.
type candidates struct {
	byTax   map[string][]ravao.Venue
	byPhone map[string][]ravao.Venue
}

// match matches entries in place and returns those whose venue or match
// changed. Confirmed entries keep their venue unless an earlier entry
// already holds it; name proposals stay unless an exact match now exists.
func (m *matcher) match(entries []*ravao.RosterEntry) ([]*ravao.RosterEntry, error) {
	type was struct {
		venue int64
		match ravao.RosterMatch
	}
	before := make([]was, len(entries))
	for i, e := range entries {
		before[i] = was{e.VenueID, e.Match}
	}
	if err := m.keepConfirmed(entries); err != nil {
		return nil, err
	}
	if err := m.exact(entries); err != nil {
		return nil, err
	}
	if err := m.byName(entries); err != nil {
		return nil, err
	}
	var changed []*ravao.RosterEntry
	for i, e := range entries {
		if before[i] != (was{e.VenueID, e.Match}) {
			changed = append(changed, e)
		}
	}
	return changed, nil
}

// takenBy is the set of venues the entries of a roster hold.
func (m *matcher) takenBy(rosterID int64) (map[int64]bool, error) {
	if t, ok := m.taken[rosterID]; ok {
		return t, nil
	}
	t := map[int64]bool{}
	if rosterID != 0 {
		entries, err := m.tx.RosterEntries(ravao.RosterFilter{RosterID: rosterID})
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.VenueID != 0 && e.Match != ravao.MatchNone {
				t[e.VenueID] = true
			}
		}
	}
	m.taken[rosterID] = t
	return t, nil
}

// assign gives e a venue and match, releasing the venue it held.
func assign(taken map[int64]bool, e *ravao.RosterEntry, venueID int64, match ravao.RosterMatch) {
	if e.VenueID != 0 && e.VenueID != venueID {
		delete(taken, e.VenueID)
	}
	taken[venueID] = true
	e.VenueID, e.Match = venueID, match
}

// keepConfirmed lets the confirmed entries of an upload (carried over
// from the roster it replaces) claim their venues, the first by line
// winning. Stored entries (Rematch) hold theirs in the store already.
func (m *matcher) keepConfirmed(entries []*ravao.RosterEntry) error {
	for _, e := range entries {
		if e.Match != ravao.MatchConfirmed || e.RosterID != 0 {
			continue
		}
		taken, err := m.takenBy(0)
		if err != nil {
			return err
		}
		if e.VenueID == 0 || taken[e.VenueID] {
			e.VenueID, e.Match = 0, ravao.MatchNone
			continue
		}
		taken[e.VenueID] = true
	}
	return nil
}

// exact matches the entries not yet covered by tax code, else by phone.
func (m *matcher) exact(entries []*ravao.RosterEntry) error {
	c, err := m.candidates(entries)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Match.Covered() {
			continue
		}
		taken, err := m.takenBy(e.RosterID)
		if err != nil {
			return err
		}
		// Neither index holds an empty code or key.
		if v := pick(c.byTax[e.TaxCode], e, taken); v != 0 {
			assign(taken, e, v, ravao.MatchTax)
		} else if v := pick(c.byPhone[string(e.PhoneKey)], e, taken); v != 0 {
			assign(taken, e, v, ravao.MatchPhone)
		}
	}
	return nil
}

// candidates reads the venues whose organisation has one of the entries'
// tax codes or whose contact key is one of their phone keys.
func (m *matcher) candidates(entries []*ravao.RosterEntry) (candidates, error) {
	c := candidates{byTax: map[string][]ravao.Venue{}, byPhone: map[string][]ravao.Venue{}}
	var taxes []string
	var phones [][]byte
	for _, e := range entries {
		if e.Match.Covered() {
			continue
		}
		if e.TaxCode != "" {
			taxes = append(taxes, e.TaxCode)
		}
		if len(e.PhoneKey) > 0 {
			phones = append(phones, e.PhoneKey)
		}
	}
	if len(taxes) == 0 && len(phones) == 0 {
		return c, nil
	}
	list, err := m.tx.RosterCandidates(taxes, phones)
	if err != nil {
		return c, err
	}
	for _, rc := range list {
		if rc.TaxCode != "" {
			c.byTax[rc.TaxCode] = append(c.byTax[rc.TaxCode], rc.Venue)
		}
		if len(rc.Venue.ContactKey) > 0 {
			k := string(rc.Venue.ContactKey)
			c.byPhone[k] = append(c.byPhone[k], rc.Venue)
		}
	}
	return c, nil
}

// pick is the venue of list an entry may take: neither rejected for it
// nor held by another entry of its roster, at or below the entry's unit
// when one is, else anywhere; 0 when none.
func pick(list []ravao.Venue, e *ravao.RosterEntry, taken map[int64]bool) int64 {
	var anywhere int64
	for _, v := range list {
		if v.ID == e.RejectedVenueID || (taken[v.ID] && v.ID != e.VenueID) {
			continue
		}
		if strings.HasPrefix(v.UnitPath, e.UnitPath) {
			return v.ID
		}
		if anywhere == 0 {
			anywhere = v.ID
		}
	}
	return anywhere
}

// byName proposes, for the entries still without a match, a venue at or
// below the entry's unit with the same name key.
func (m *matcher) byName(entries []*ravao.RosterEntry) error {
	for _, e := range entries {
		if e.Match != ravao.MatchNone || e.NameKey == "" {
			continue
		}
		names, err := m.namesAt(e.UnitPath)
		if err != nil {
			return err
		}
		taken, err := m.takenBy(e.RosterID)
		if err != nil {
			return err
		}
		for _, v := range names[e.NameKey] {
			if v.ID != e.RejectedVenueID && !taken[v.ID] {
				assign(taken, e, v.ID, ravao.MatchName)
				break
			}
		}
	}
	return nil
}

// namesAt is the venues at or below a unit by name key, in ID order.
func (m *matcher) namesAt(path string) (map[string][]ravao.Venue, error) {
	if n, ok := m.names[path]; ok {
		return n, nil
	}
	vs, err := m.tx.Venues(ravao.VenueFilter{UnitPath: path})
	if err != nil {
		return nil, err
	}
	n := map[string][]ravao.Venue{}
	for _, v := range vs {
		k := ravao.NameKey(v.Name)
		n[k] = append(n[k], v)
	}
	m.names[path] = n
	return n, nil
}

// rematchPage is how many missing entries Rematch reads and writes per
// transaction: small enough not to hold the write lock for long.
const rematchPage = 500

// Rematch matches the entries still missing (or only proposed) against
// the venues, when venues were registered since its last round (an
// upload matches its own entries), and says how many became covered or
// proposed. It runs as a background job, with no actor: the entries it
// changes keep the UpdatedBy of the last person who touched them.
func (s *Service) Rematch(ctx context.Context) (int, error) {
	newest, err := s.newestVenue(ctx, s.matchedUpTo.Load())
	if err != nil || newest == 0 {
		return 0, err
	}
	n, err := ravao.Paged(func(after int64) (int, int64, error) { return s.rematchPage(ctx, after) })
	if err == nil {
		s.matchedUpTo.Store(newest)
	}
	return n, err
}

// newestVenue is the newest venue ID above after, 0 when there is none.
func (s *Service) newestVenue(ctx context.Context, after int64) (int64, error) {
	var newest int64
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		for {
			vs, err := tx.Venues(ravao.VenueFilter{AfterID: max(after, newest), Limit: 1000})
			if err != nil || len(vs) == 0 {
				return err
			}
			newest = vs[len(vs)-1].ID
		}
	})
	return newest, err
}

// rematchPage matches one page of missing entries after the ID given, in
// one transaction, and returns how many changed and the last ID read (0
// when there were no more).
func (s *Service) rematchPage(ctx context.Context, after int64) (int, int64, error) {
	var n int
	var last int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		n, last = 0, 0
		list, err := tx.RosterEntries(ravao.RosterFilter{Missing: true, AfterID: after, Limit: rematchPage})
		if err != nil || len(list) == 0 {
			return err
		}
		last = list[len(list)-1].ID
		entries := make([]*ravao.RosterEntry, len(list))
		for i := range list {
			entries[i] = &list[i]
		}
		changed, err := newMatcher(tx).match(entries)
		if err != nil {
			return err
		}
		for _, e := range changed {
			if err := tx.UpdateRosterEntry(e); err != nil {
				return err
			}
		}
		n = len(changed)
		return nil
	})
	return n, last, err
}
