package progress

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// RosterResult is what an upload did. When Errors is not empty nothing
// was written (Roster is zero).
type RosterResult struct {
	Roster   ravao.Roster
	Errors   []RowError // per line, in file order
	Covered  int        // entries matched at once by tax code or phone (or kept confirmed)
	Proposed int        // entries with a name proposal to confirm
	Missing  int        // entries with no match
}

// RowError is one bad line of an uploaded roster: Fields maps a column
// (name, address, unit_code, sector, tax_code, phone, or row) to a message
// key.
type RowError = tabular.RowError

// CoverageView is a unit's coverage: how many places must register
// (entries of the rosters at or below it), how many are covered, per
// sub-unit and per sector.
type CoverageView struct {
	Unit      ravao.Unit
	Ancestors []ravao.Unit
	Sector    ravao.Sector // "" for all
	Totals    CoverageRow
	Children  []CoverageRow // every sub-unit with entries, by name
	Sectors   []CoverageRow // per sector (Unit zero), by sector, "" for entries without one
	Rosters   []ravao.Roster
}

// CoverageRow is one line of coverage.
type CoverageRow struct {
	Unit     ravao.Unit   // zero for a sector row or the totals
	Sector   ravao.Sector // "" unless a sector row
	Required int
	Covered  int
	Proposed int
}

// Percent is Covered over Required, rounded down; 0 when none required.
func (r CoverageRow) Percent() int {
	if r.Required == 0 {
		return 0
	}
	return r.Covered * 100 / r.Required
}

// add counts c into r.
func (r *CoverageRow) add(c ravao.CoverageCount) {
	r.Required += c.Required
	r.Covered += c.Covered
	r.Proposed += c.Proposed
}

// MissingEntry is a place still missing, for the commune to visit, with
// the venue proposed for it when there is one.
type MissingEntry struct {
	Entry    ravao.RosterEntry
	Phone    ravao.PII // opened from Entry.Phone; "" when none
	Proposed *ravao.Venue
}

// The size of a page of missing entries: DefaultMissingLimit when none is
// asked, MaxMissingLimit at most.
const (
	DefaultMissingLimit = 100
	MaxMissingLimit     = 1000
)

// rosterScope is the unit and sector a roster action is about, once the actor
// is known to monitor it.
type rosterScope struct {
	unit      ravao.Unit // zero for the whole deployment
	ancestors []ravao.Unit
	path      string // as Venue.UnitPath; "" for the whole deployment
	sector    ravao.Sector
}

// resolveRoster checks that the actor may monitor code's unit (in the active
// unit version) in sector, as Unit does: a sector supervisor's own sector
// when "" is asked, another sector forbidden.
func (s *Service) resolveRoster(tx ravao.Tx, actor *ravao.Principal, code string, sector ravao.Sector) (rosterScope, error) {
	q := ravao.StatsQuery{UnitCode: code, Sector: sector}
	unit, ancestors, err := s.resolve(tx, actor, ravao.ActiveUnitVersion(tx), &q)
	if err != nil {
		return rosterScope{}, err
	}
	sc := rosterScope{unit: unit, ancestors: ancestors, sector: q.Sector}
	if unit.Code != "" {
		sc.path = ravao.UnitPathOf(ravao.UnitPath(ancestors, unit))
	}
	return sc, nil
}

// entryTarget is what an entry is, for scopes: its unit and sector.
func entryTarget(e ravao.RosterEntry) ravao.Target {
	return ravao.Target{UnitPath: ravao.SplitUnitPath(e.UnitPath), Sector: e.Sector}
}

// Errors that say "not there" without telling whether it exists elsewhere.
func errEntryNotFound() error  { return ravao.Errorf(ravao.NotFound, "err.roster_entry_not_found") }
func errRosterNotFound() error { return ravao.Errorf(ravao.NotFound, "err.roster_not_found") }

// loadEntry returns an entry the actor monitors; one outside their scope
// is not found, so that scopes do not leak what exists.
func loadEntry(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.RosterEntry, error) {
	e, err := tx.RosterEntry(id)
	if ravao.IsNotFound(err) {
		return e, errEntryNotFound()
	}
	if err != nil {
		return e, err
	}
	if !actor.Can(ravao.PermMonitor, entryTarget(e)) {
		return e, errEntryNotFound()
	}
	return e, nil
}

// rosterAudit is an audit event by actor (nil: the system) about one object.
// Rosters hold places, not people, but their phones are personal data:
// the event names the object only.
func rosterAudit(ctx context.Context, actor *ravao.Principal, action, objectType, objectID string) *ravao.AuditEvent {
	e := &ravao.AuditEvent{Action: action, ObjectType: objectType, ObjectID: objectID, RequestID: ravao.RequestID(ctx)}
	if actor != nil {
		e.UserID = actor.User.ID
		for _, a := range actor.Roles {
			if a.Role.Grants(ravao.PermMonitor) {
				e.Role = a.Role
				break
			}
		}
	}
	return e
}

func formatID(n int64) string { return strconv.FormatInt(n, 10) }

// Coverage shows a unit's coverage (q.From, q.To unused): the entries of
// the rosters at or below the unit, in the actor's sector. UnitCode ""
// is the actor's own unit (an administrator without one: the whole
// deployment).
func (s *Service) Coverage(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (CoverageView, error) {
	if !actor.MayEver(ravao.PermMonitor) {
		return CoverageView{}, errForbidden()
	}
	code, err := actor.MonitoredUnit(q.UnitCode)
	if err != nil {
		return CoverageView{}, err
	}
	var v CoverageView
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		sc, err := s.resolveRoster(tx, actor, code, q.Sector)
		if err != nil {
			return err
		}
		v = CoverageView{Unit: sc.unit, Ancestors: sc.ancestors, Sector: sc.sector}
		if err := coverageRows(tx, sc, &v); err != nil {
			return err
		}
		v.Rosters, err = visibleRosters(tx, actor, sc)
		return err
	})
	if err != nil {
		return CoverageView{}, err
	}
	return v, nil
}

// coverageRows folds the store's counts per entry unit and sector into
// the totals, the sub-units' rows and the sectors' rows.
func coverageRows(tx ravao.Tx, sc rosterScope, v *CoverageView) error {
	counts, err := tx.Coverage(sc.path, sc.sector)
	if err != nil {
		return err
	}
	children := map[string]*CoverageRow{}
	sectors := map[ravao.Sector]*CoverageRow{}
	for _, c := range counts {
		v.Totals.add(c)
		rowFor(sectors, c.Sector, func() *CoverageRow { return &CoverageRow{Sector: c.Sector} }).add(c)
		if child := childCode(sc.path, c.UnitPath); child != "" {
			rowFor(children, child, func() *CoverageRow { return &CoverageRow{} }).add(c)
		}
	}
	for _, r := range sectors {
		v.Sectors = append(v.Sectors, *r)
	}
	slices.SortFunc(v.Sectors, func(a, b CoverageRow) int { return cmp.Compare(a.Sector, b.Sector) })
	v.Children, err = childRows(tx, sc, children)
	return err
}

// rowFor is m's row for key, made by mk when there is none yet.
func rowFor[K comparable](m map[K]*CoverageRow, key K, mk func() *CoverageRow) *CoverageRow {
	r, ok := m[key]
	if !ok {
		r = mk()
		m[key] = r
	}
	return r
}

// childCode is the code of the sub-unit of the unit at path that an entry
// at entryPath lies in: the segment right after path; "" for an entry
// filed at the unit itself.
func childCode(path, entryPath string) string {
	rest, ok := strings.CutPrefix(entryPath, path)
	if !ok {
		return ""
	}
	code, _, _ := strings.Cut(rest, "/")
	return code
}

// childRows names the sub-units with entries, by name. A code that is not
// a sub-unit in the active version (an entry filed under an older tree)
// counts in the totals only.
func childRows(tx ravao.Tx, sc rosterScope, rows map[string]*CoverageRow) ([]CoverageRow, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	units, err := tx.Units(ravao.UnitFilter{Version: ravao.ActiveUnitVersion(tx), ParentCode: sc.unit.Code, Roots: sc.unit.Code == ""})
	if err != nil {
		return nil, err
	}
	sortByName(units)
	var out []CoverageRow
	for _, u := range units {
		if r, ok := rows[u.Code]; ok {
			r.Unit = u
			out = append(out, *r)
		}
	}
	return out, nil
}

// visibleRosters lists the rosters at or below the unit that the actor
// monitors in their sector: a sector supervisor sees their sector's only.
func visibleRosters(tx ravao.Tx, actor *ravao.Principal, sc rosterScope) ([]ravao.Roster, error) {
	all, err := tx.Rosters(sc.path)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		t := ravao.Target{UnitPath: ravao.SplitUnitPath(r.UnitPath), Sector: r.Sector}
		if (sc.sector == "" || r.Sector == sc.sector) && actor.Can(ravao.PermMonitor, t) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Missing lists the entries at or below q's unit (and sector) not
// covered, by ID after afterID, at most limit (DefaultMissingLimit when
// 0, MaxMissingLimit at most), with their phones and proposed venues.
// Reading the phones is a read of personal data, recorded in the audit
// log in the same transaction.
func (s *Service) Missing(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery, afterID int64, limit int) ([]MissingEntry, error) {
	if !actor.MayEver(ravao.PermMonitor) {
		return nil, errForbidden()
	}
	code, err := actor.MonitoredUnit(q.UnitCode)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultMissingLimit
	}
	limit = min(limit, MaxMissingLimit)
	var out []MissingEntry
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		sc, err := s.resolveRoster(tx, actor, code, q.Sector)
		if err != nil {
			return err
		}
		entries, err := tx.RosterEntries(ravao.RosterFilter{UnitPath: sc.path, Sector: sc.sector, Missing: true, AfterID: afterID, Limit: limit})
		if err != nil {
			return err
		}
		if out, err = s.missing(tx, entries); err != nil {
			return err
		}
		return tx.AppendAudit(rosterAudit(ctx, actor, "roster.missing", "unit", sc.unit.Code))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// missing opens the entries' phones and loads their proposed venues.
func (s *Service) missing(tx ravao.Tx, entries []ravao.RosterEntry) ([]MissingEntry, error) {
	out := make([]MissingEntry, 0, len(entries))
	for _, e := range entries {
		m := MissingEntry{Entry: e}
		var err error
		if m.Phone, err = s.openPhone(e); err != nil {
			return nil, err
		}
		if e.Match == ravao.MatchName && e.VenueID != 0 {
			v, err := tx.Venue(e.VenueID)
			if err != nil && !ravao.IsNotFound(err) {
				return nil, err
			}
			if err == nil {
				m.Proposed = &v
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// rosterPhoneAAD binds an entry's sealed phone to its unit, sector and
// line. Not to its roster's ID, as ravao.RosterPhoneAAD would: the ID is
// known only once the roster is written, and sealing after would write
// every entry twice. An entry's line is unique within its roster, and
// the roster is the only one of its unit and sector; two rosters that
// could hold the same (unit, sector, line), a unit's roster for all
// sectors and one for a sector, are seen by the same people.
func rosterPhoneAAD(e *ravao.RosterEntry) string {
	return "roster/" + e.UnitCode + "/" + string(e.Sector) + "/" + strconv.Itoa(e.Line)
}

// openPhone opens an entry's phone; "" when it has none.
func (s *Service) openPhone(e ravao.RosterEntry) (ravao.PII, error) {
	if len(e.Phone) == 0 || s.cfg.Vault == nil {
		return "", nil
	}
	p, err := s.cfg.Vault.Open(e.Phone, rosterPhoneAAD(&e))
	if err != nil {
		return "", err
	}
	return ravao.PII(p), nil
}

// editEntry loads an entry the actor monitors, lets fn change it, and
// writes it with an audit event named action.
func (s *Service) editEntry(ctx context.Context, actor *ravao.Principal, entryID int64, action string, fn func(tx ravao.Tx, e *ravao.RosterEntry) error) error {
	if !actor.MayEver(ravao.PermMonitor) {
		return errForbidden()
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		e, err := loadEntry(tx, actor, entryID)
		if err != nil {
			return err
		}
		if err := fn(tx, &e); err != nil {
			return err
		}
		e.UpdatedBy = actor.User.ID
		if err := tx.UpdateRosterEntry(&e); err != nil {
			return err
		}
		return tx.AppendAudit(rosterAudit(ctx, actor, action, "roster_entry", formatID(e.ID)))
	})
}

// ConfirmMatch confirms an entry's name proposal: the entry is covered
// by the venue proposed.
func (s *Service) ConfirmMatch(ctx context.Context, actor *ravao.Principal, entryID int64) error {
	return s.editEntry(ctx, actor, entryID, "roster.confirm", func(_ ravao.Tx, e *ravao.RosterEntry) error {
		if e.Match != ravao.MatchName || e.VenueID == 0 {
			return ravao.Errorf(ravao.Invalid, "err.roster_no_proposal")
		}
		e.Match = ravao.MatchConfirmed
		return nil
	})
}

// RejectMatch turns down an entry's name proposal: the entry is missing
// again and that venue is never proposed for it again.
func (s *Service) RejectMatch(ctx context.Context, actor *ravao.Principal, entryID int64) error {
	return s.editEntry(ctx, actor, entryID, "roster.reject", func(_ ravao.Tx, e *ravao.RosterEntry) error {
		if e.Match != ravao.MatchName || e.VenueID == 0 {
			return ravao.Errorf(ravao.Invalid, "err.roster_no_proposal")
		}
		e.RejectedVenueID, e.VenueID, e.Match = e.VenueID, 0, ravao.MatchNone
		return nil
	})
}

// ChooseVenue matches an entry to a venue a person chose: one at or below
// the entry's unit that no other entry of its roster is matched to (a
// name proposal of that venue for another entry is withdrawn).
func (s *Service) ChooseVenue(ctx context.Context, actor *ravao.Principal, entryID, venueID int64) error {
	return s.editEntry(ctx, actor, entryID, "roster.choose", func(tx ravao.Tx, e *ravao.RosterEntry) error {
		v, err := tx.Venue(venueID)
		if ravao.IsNotFound(err) {
			return ravao.FieldError("venue_id", "err.venue_not_found")
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(v.UnitPath, e.UnitPath) {
			return ravao.FieldError("venue_id", "err.venue_outside")
		}
		if err := releaseVenue(tx, *e, venueID); err != nil {
			return err
		}
		e.VenueID, e.Match = venueID, ravao.MatchConfirmed
		if e.RejectedVenueID == venueID {
			e.RejectedVenueID = 0
		}
		return nil
	})
}

// releaseVenue makes sure no other entry of e's roster holds venueID: a
// covered one is a conflict, a name proposal is withdrawn.
func releaseVenue(tx ravao.Tx, e ravao.RosterEntry, venueID int64) error {
	others, err := tx.RosterEntries(ravao.RosterFilter{RosterID: e.RosterID})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == e.ID || o.VenueID != venueID {
			continue
		}
		if o.Match.Covered() {
			return ravao.FieldError("venue_id", "err.roster_venue_taken")
		}
		o.VenueID, o.Match = 0, ravao.MatchNone
		if err := tx.UpdateRosterEntry(&o); err != nil {
			return err
		}
	}
	return nil
}

// DeleteRoster deletes a unit and sector's roster ("" for the actor's own
// unit; a sector supervisor's own sector when "" is asked).
func (s *Service) DeleteRoster(ctx context.Context, actor *ravao.Principal, code string, sector ravao.Sector) error {
	if !actor.MayEver(ravao.PermMonitor) {
		return errForbidden()
	}
	code, err := actor.MonitoredUnit(code)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		sc, err := s.resolveRoster(tx, actor, code, sector)
		if err != nil {
			return err
		}
		if sc.unit.Code == "" {
			return ravao.FieldError("unit", "err.required")
		}
		r, err := tx.Roster(sc.unit.Code, sc.sector)
		if ravao.IsNotFound(err) {
			return errRosterNotFound()
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteRoster(r.ID); err != nil {
			return err
		}
		return tx.AppendAudit(rosterAudit(ctx, actor, "roster.delete", "roster", formatID(r.ID)))
	})
}
