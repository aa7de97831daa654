package workplaces

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ravao/ravao"
)

// Rates are a group's figures on a day: how many members, how many linked
// to a person, declared, entered and both (compliant).
type Rates struct {
	Staff, Linked, Declared, Entered, Compliant int
}

// Percent is the compliance rate, rounded down.
func (r Rates) Percent() int { return ravao.Percent(r.Compliant, r.Staff) }

// DeclaredPercent is the share of members who declared, rounded down.
func (r Rates) DeclaredPercent() int { return ravao.Percent(r.Declared, r.Staff) }

// EnteredPercent is the share of members who entered, rounded down.
func (r Rates) EnteredPercent() int { return ravao.Percent(r.Entered, r.Staff) }

// add counts one member's day.
func (r *Rates) add(linked bool, d ravao.StaffDay) {
	r.Staff++
	if linked {
		r.Linked++
	}
	if d.Declared {
		r.Declared++
	}
	if d.Entered {
		r.Entered++
	}
	if d.Compliant() {
		r.Compliant++
	}
}

// RateRow is one venue's or one department's figures.
type RateRow struct {
	VenueID int64  // 0 for a department
	Name    string // the venue's or the department's name ("" for members without one)
	Rates
}

// DayRates are the totals of one day.
type DayRates struct {
	Day     ravao.Day
	Workday bool
	Rates
}

// FollowUp is a member who did not comply on the day, for the manager to
// follow up: what they missed.
type FollowUp struct {
	ID          int64
	Name        string
	StaffNumber string
	Department  string
	Linked      bool
	Declared    bool
	Entered     bool
}

// DayView is an organisation's compliance on one day, for its manager.
type DayView struct {
	Organisation ravao.Organisation
	Day          ravao.Day
	Workday      bool
	Prev, Next   ravao.Day // the workdays around Day; Next is 0 after today
	Totals       Rates
	Venues       []RateRow  // by venue ID
	Departments  []RateRow  // by name
	Series       []DayRates // the last workdays up to Day, oldest first
	NotCompliant []FollowUp // by name
}

// Day shows an organisation's compliance on day (0: the latest workday
// up to today) to its manager, with the members who did not comply by
// name. The reading is audited.
func (s *Service) Day(ctx context.Context, actor *ravao.Principal, orgID int64, day ravao.Day) (DayView, error) {
	day, err := s.day(day)
	if err != nil {
		return DayView{}, err
	}
	v := DayView{Day: day, Workday: s.workday(day), Prev: s.prevWorkday(day), Next: s.nextWorkday(day)}
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		o, err := linkedOrganisation(tx, actor, orgID)
		if err != nil {
			return err
		}
		v.Organisation = o
		if err := s.dayFigures(tx, &v); err != nil {
			return err
		}
		if err := s.series(tx, &v); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "staff.compliance_read", orgID)
	})
	return v, err
}

// dayFigures fills the day's totals, rows and follow-up list (by name).
func (s *Service) dayFigures(tx ravao.Tx, v *DayView) error {
	members, err := s.staff(tx, ravao.StaffFilter{OrganisationID: v.Organisation.ID})
	if err != nil {
		return err
	}
	days, err := s.staffDays(tx, v.Organisation.ID, v.Day)
	if err != nil {
		return err
	}
	venues, err := orgVenues(tx, v.Organisation.ID)
	if err != nil {
		return err
	}
	byVenue := map[int64]*RateRow{}
	for _, ve := range venues {
		v.Venues = append(v.Venues, RateRow{VenueID: ve.ID, Name: ve.Name})
	}
	for i := range v.Venues {
		byVenue[v.Venues[i].VenueID] = &v.Venues[i]
	}
	byDept := map[string]*RateRow{}
	for _, m := range members {
		d := days[m.ID]
		v.Totals.add(m.Linked(), d)
		for _, id := range m.VenueIDs {
			if r, ok := byVenue[id]; ok {
				r.add(m.Linked(), d)
			}
		}
		r, ok := byDept[m.Department]
		if !ok {
			r = &RateRow{Name: m.Department}
			byDept[m.Department] = r
		}
		r.add(m.Linked(), d)
		if !d.Compliant() {
			v.NotCompliant = append(v.NotCompliant, FollowUp{ID: m.ID, Name: m.FullName.Reveal(), StaffNumber: m.StaffNumber,
				Department: m.Department, Linked: m.Linked(), Declared: d.Declared, Entered: d.Entered})
		}
	}
	for _, r := range byDept {
		v.Departments = append(v.Departments, *r)
	}
	slices.SortFunc(v.Departments, func(a, b RateRow) int { return cmp.Compare(a.Name, b.Name) })
	return nil
}

// staffDays is every member's day of an organisation, by member ID.
func (s *Service) staffDays(tx ravao.Tx, orgID int64, day ravao.Day) (map[int64]ravao.StaffDay, error) {
	from, to := day.Start(s.cfg.TZ), day.Add(1).Start(s.cfg.TZ)
	list, err := tx.StaffDays(ravao.StaffDayQuery{OrganisationID: orgID, From: from, To: to, DeclaredAfter: from.Add(-s.cfg.Validity)})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]ravao.StaffDay, len(list))
	for _, d := range list {
		out[d.StaffID] = d
	}
	return out, nil
}

// series fills the totals of the last workdays up to v.Day.
func (s *Service) series(tx ravao.Tx, v *DayView) error {
	members, err := tx.Staff(ravao.StaffFilter{OrganisationID: v.Organisation.ID})
	if err != nil {
		return err
	}
	days := []ravao.Day{v.Day}
	for d := v.Day; len(days) < s.cfg.SeriesDays; {
		d = s.prevWorkday(d)
		days = append(days, d)
	}
	slices.Reverse(days)
	for _, d := range days {
		got, err := s.staffDays(tx, v.Organisation.ID, d)
		if err != nil {
			return err
		}
		r := DayRates{Day: d, Workday: s.workday(d)}
		for _, m := range members {
			r.add(m.Linked(), got[m.ID])
		}
		v.Series = append(v.Series, r)
	}
	return nil
}

// day checks a day asked for: 0 is the latest workday up to today, and a
// day after today has no figures yet.
func (s *Service) day(d ravao.Day) (ravao.Day, error) {
	today := s.Today()
	switch {
	case d == 0:
		d = today
		if !s.workday(d) {
			d = s.prevWorkday(d)
		}
	case d > today:
		return 0, ravao.FieldError("day", "err.staff_day_future")
	}
	return d, nil
}

// workday reports whether d is a working day of the deployment.
func (s *Service) workday(d ravao.Day) bool { return ravao.IsWorkingDay(d, s.cfg.Holidays) }

// prevWorkday is the last workday before d.
func (s *Service) prevWorkday(d ravao.Day) ravao.Day {
	for d = d.Add(-1); !s.workday(d); d = d.Add(-1) {
	}
	return d
}

// nextWorkday is the first workday after d, or 0 when it is after today.
func (s *Service) nextWorkday(d ravao.Day) ravao.Day {
	for d = d.Add(1); !s.workday(d); d = d.Add(1) {
	}
	if d > s.Today() {
		return 0
	}
	return d
}

// StatsQuery asks for the compliance per business under a unit ("" for
// the actor's own), in a sector ("" for all; a sector supervisor's own)
// and zone ("" for all), on a day (0: the latest workday).
type StatsQuery struct {
	UnitCode string
	Sector   ravao.Sector
	Zone     string
	Day      ravao.Day
}

// Business is one organisation's figures, without names of people.
type Business struct {
	OrganisationID int64
	Name           string
	Rates
}

// StatsView is the compliance of the businesses under a unit on a day,
// for boards and supervisors: rates and counts, never names of people.
type StatsView struct {
	Unit       ravao.Unit // zero for the whole deployment
	Ancestors  []ravao.Unit
	Sector     ravao.Sector
	Zone       string
	Day        ravao.Day
	Workday    bool
	Prev, Next ravao.Day
	Totals     Rates
	Businesses []Business // by name
}

// maxZoneLen is the longest zone name, in characters, as a venue takes it.
const maxZoneLen = 200

// Stats shows the compliance per business under q's unit (and sector and
// zone) to a monitor of it: an industrial-zone board (a sector supervisor
// of industry, or the officials over the zone's unit) or a sector
// supervisor. The members counted are those who work at a venue in the
// scope.
func (s *Service) Stats(ctx context.Context, actor *ravao.Principal, q StatsQuery) (StatsView, error) {
	if !actor.MayEver(ravao.PermMonitor) {
		return StatsView{}, errForbidden()
	}
	day, err := s.day(q.Day)
	if err != nil {
		return StatsView{}, err
	}
	zone := strings.TrimSpace(q.Zone)
	if len([]rune(zone)) > maxZoneLen {
		return StatsView{}, ravao.FieldError("zone", "err.too_long")
	}
	if q.UnitCode, err = actor.MonitoredUnit(q.UnitCode); err != nil {
		return StatsView{}, err
	}
	if err := s.relink(ctx); err != nil {
		return StatsView{}, err
	}
	v := StatsView{Zone: zone, Day: day, Workday: s.workday(day), Prev: s.prevWorkday(day), Next: s.nextWorkday(day)}
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		path, err := resolve(tx, actor, q, &v)
		if err != nil {
			return err
		}
		from, to := day.Start(s.cfg.TZ), day.Add(1).Start(s.cfg.TZ)
		counts, err := tx.Compliance(ravao.ComplianceQuery{UnitPath: path, Sector: v.Sector, Zone: zone,
			From: from, To: to, DeclaredAfter: from.Add(-s.cfg.Validity)})
		if err != nil {
			return err
		}
		for _, c := range counts {
			b := Business{OrganisationID: c.OrganisationID, Name: c.Name, Rates: Rates{Staff: c.Staff, Linked: c.Linked,
				Declared: c.Declared, Entered: c.Entered, Compliant: c.Compliant}}
			v.Businesses = append(v.Businesses, b)
			v.Totals.Staff += c.Staff
			v.Totals.Linked += c.Linked
			v.Totals.Declared += c.Declared
			v.Totals.Entered += c.Entered
			v.Totals.Compliant += c.Compliant
		}
		return nil
	})
	return v, err
}

// relink links the members of every organisation, at most once every
// RelinkEvery: boards' figures count the people who appeared since.
func (s *Service) relink(ctx context.Context) error {
	now := s.cfg.Clock.Now().UnixMilli()
	last := s.linkedAt.Load()
	if now-last < s.cfg.RelinkEvery.Milliseconds() || !s.linkedAt.CompareAndSwap(last, now) {
		return nil
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.LinkStaff(0)
		return err
	})
}
