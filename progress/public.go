package progress

import (
	"context"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// PublicView is the progress anyone may see, when the deployment publishes
// it: for one unit and one whole day, each sub-unit's places registered,
// places active and check-ins, and their totals, with small counts hidden
// (see Suppress). No place is named and no sector chosen.
type PublicView struct {
	Unit      ravao.Unit   // zero (Code "") for the whole deployment
	Ancestors []ravao.Unit // from the province down
	Day       ravao.Day
	Rows      []PublicRow // the sub-units, by name
	// Total is the sum of Rows (the unit's own figures when it has no
	// sub-units): summing the rows rather than reading the unit's roll-up
	// keeps a place filed at the unit itself, not in a sub-unit, from
	// showing as a difference.
	Total PublicRow
}

// PublicRow is one line of the public table.
type PublicRow struct {
	Unit                     ravao.Unit
	Venues, Active, CheckIns PublicCount
}

// PublicCount is a published figure, or a hidden one (N is then still
// the true count, for the caller's tests; pages show String).
type PublicCount struct {
	N      int
	Hidden bool
}

// String is the figure as the public page shows it: "<10" when hidden.
func (c PublicCount) String() string {
	if c.Hidden {
		return "<" + strconv.Itoa(SmallMax+1)
	}
	return strconv.Itoa(c.N)
}

// Public answers the public progress page of the unit code ("" for the
// whole deployment) on day, yesterday when zero: never today, whose
// figures still move and would give away each check-in as it happens. It
// needs no actor.
func (s *Service) Public(ctx context.Context, code string, day ravao.Day) (PublicView, error) {
	yesterday := s.Today().Add(-1)
	if day == 0 {
		day = yesterday
	}
	switch {
	case !validDay(day):
		return PublicView{}, ravao.FieldError("day", "err.date")
	case day > yesterday:
		return PublicView{}, ravao.FieldError("day", "err.public_day")
	}
	v := PublicView{Day: day}
	q := ravao.StatsQuery{UnitCode: strings.TrimSpace(code), From: day, To: day}
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		if err := s.publicUnit(tx, version, q.UnitCode, &v); err != nil {
			return err
		}
		return s.publicRows(tx, version, q, &v)
	})
	if err != nil {
		return PublicView{}, err
	}
	return v, nil
}

// publicUnit resolves the unit and its ancestors; an unknown one is not
// found.
func (s *Service) publicUnit(tx ravao.Tx, version, code string, v *PublicView) error {
	if code == "" {
		return nil
	}
	u, err := tx.Unit(version, code)
	if ravao.IsNotFound(err) {
		return ravao.Errorf(ravao.NotFound, "err.unit_unknown")
	}
	if err != nil {
		return err
	}
	v.Unit = u
	v.Ancestors, err = tx.UnitAncestors(version, u.Code)
	return err
}

// publicRows fills the sub-units' figures and the totals, suppressed.
func (s *Service) publicRows(tx ravao.Tx, version string, q ravao.StatsQuery, v *PublicView) error {
	units, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: q.UnitCode, Roots: q.UnitCode == ""})
	if err != nil {
		return err
	}
	sortByName(units)
	counts, err := childCounts(tx, q)
	if err != nil {
		return err
	}
	t := Suppressible{ColTotals: true}
	for _, u := range units {
		c := counts[u.Code]
		t.Cells = append(t.Cells, []int{c.Venues, c.Active, c.CheckIns})
	}
	if len(units) == 0 && q.UnitCode != "" {
		rows, err := tx.UnitSeries(q)
		if err != nil {
			return err
		}
		// A unit without sub-units: its one row is its own total.
		t.Cells = [][]int{{0, 0, 0}}
		for _, r := range rows {
			t.Cells[0] = []int{r.Venues, r.Active, r.CheckIns}
		}
	}
	m := Suppress(t)
	for i, u := range units {
		v.Rows = append(v.Rows, publicRow(u, t.Cells[i], m.Cells[i]))
	}
	totals := make([]int, 3)
	for _, r := range t.Cells {
		for c := range totals {
			totals[c] += r[c]
		}
	}
	v.Total = publicRow(v.Unit, totals, m.Cols)
	return nil
}

func publicRow(u ravao.Unit, n []int, hidden []bool) PublicRow {
	return PublicRow{
		Unit:     u,
		Venues:   PublicCount{N: n[0], Hidden: hidden[0]},
		Active:   PublicCount{N: n[1], Hidden: hidden[1]},
		CheckIns: PublicCount{N: n[2], Hidden: hidden[2]},
	}
}
