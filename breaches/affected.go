package breaches

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sheet"
)

// Criteria choose the people a breach may concern, by exactly one of:
// visits at the venues VenueIDs overlapping [From, To); declarations made
// in [From, To) (Declarations); people whose home unit is UnitCode.
type Criteria struct {
	VenueIDs     []int64
	Declarations bool
	UnitCode     string
	From, To     time.Time
}

// The bounds on criteria.
const (
	maxVenues    = 100
	maxPeriod    = 366 * 24 * time.Hour
	pageSize     = 1000
	maxAffected  = 200_000 // people listed for one breach at most
	shownPeople  = 500     // people Affected returns for the page
	criteriaKind = "criteria"
)

// Affected is how many people the criteria select, and the first of them
// masked, for the officer to check before notifying.
type Affected struct {
	Count     int
	WithPhone int
	People    []AffectedPerson
}

// AffectedPerson is a person a breach may concern, masked.
type AffectedPerson struct {
	PersonID    int64
	MaskedName  string
	MaskedPhone string
}

// kind names the criteria for the audit log (no personal data).
func (c Criteria) kind() string {
	switch {
	case len(c.VenueIDs) > 0:
		return "visits"
	case c.Declarations:
		return "declarations"
	}
	return "unit"
}

// check validates the criteria.
func (c *Criteria) check() error {
	fe := ravao.FieldErrors{}
	c.UnitCode = strings.TrimSpace(c.UnitCode)
	n := 0
	for _, on := range []bool{len(c.VenueIDs) > 0, c.Declarations, c.UnitCode != ""} {
		if on {
			n++
		}
	}
	if n != 1 {
		fe.Add(criteriaKind, "err.breach_criteria")
	}
	if len(c.VenueIDs) > maxVenues || slices.ContainsFunc(c.VenueIDs, func(id int64) bool { return id <= 0 }) {
		fe.Add("venue_ids", "err.id")
	}
	if c.UnitCode == "" {
		switch {
		case c.From.IsZero():
			fe.Add("from", "err.required")
		case c.To.IsZero():
			fe.Add("to", "err.required")
		case !c.To.After(c.From):
			fe.Add("to", "err.window_order")
		case c.To.Sub(c.From) > maxPeriod:
			fe.Add("to", "err.date_range_long")
		}
	}
	return fe.Err()
}

// Affected counts and lists, masked, the people the criteria select for
// a breach. Audited "breach.affected" with the kind of criteria.
func (s *Service) Affected(ctx context.Context, actor *ravao.Principal, id int64, c Criteria) (Affected, error) {
	if err := mayProtect(actor); err != nil {
		return Affected{}, err
	}
	if err := c.check(); err != nil {
		return Affected{}, err
	}
	var out Affected
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.Breach(id); err != nil {
			return err
		}
		err := s.people(tx, c, func(p ravao.Person) {
			out.Count++
			if p.Phone != "" {
				out.WithPhone++
			}
			if len(out.People) < shownPeople {
				out.People = append(out.People, AffectedPerson{p.ID, ravao.MaskName(p.FullName), ravao.MaskPhone(p.Phone)})
			}
		})
		if err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.affected", id, c.kind())
	})
	return out, err
}

// people calls fn with each person c selects, in clear, a page at a time.
func (s *Service) people(tx ravao.Tx, c Criteria, fn func(ravao.Person)) error {
	q := ravao.AffectedQuery{VenueIDs: c.VenueIDs, Declarations: c.Declarations, UnitCode: c.UnitCode,
		From: c.From, To: c.To, Limit: pageSize}
	for n := 0; n < maxAffected; {
		recs, err := tx.AffectedPeople(q)
		if err != nil || len(recs) == 0 {
			return err
		}
		for _, r := range recs {
			p, err := s.vault.OpenPerson(r)
			if err != nil {
				return err
			}
			fn(p)
		}
		n += len(recs)
		q.AfterID = recs[len(recs)-1].ID
	}
	return ravao.Errorf(ravao.Invalid, "err.breach_too_many")
}

// PhonesCSV exports the phones of the people the criteria select, for the
// notification SMS: one row per person with a phone (person id, phone),
// formula-safe. It marks the breach's people listed and records it in the
// history. Audited "breach.export" with the kind of criteria; the file is
// never kept.
func (s *Service) PhonesCSV(ctx context.Context, actor *ravao.Principal, id int64, c Criteria) ([]byte, int, error) {
	if err := mayProtect(actor); err != nil {
		return nil, 0, err
	}
	if err := c.check(); err != nil {
		return nil, 0, err
	}
	var rows [][]string
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		b, err := tx.Breach(id)
		if err != nil {
			return err
		}
		err = s.people(tx, c, func(p ravao.Person) {
			if p.Phone != "" {
				rows = append(rows, []string{strconv.FormatInt(p.ID, 10), p.Phone.Reveal()})
			}
		})
		if err != nil {
			return err
		}
		b.PeopleListedAt = tx.Now()
		if err := tx.UpdateBreach(&b); err != nil {
			return err
		}
		if err := event(tx, actor, b, "people_listed"); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.export", id, c.kind())
	})
	if err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	if err := sheet.WriteCSV(&buf, []string{"person_id", "phone"}, rows); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), len(rows), nil
}
