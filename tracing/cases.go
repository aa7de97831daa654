package tracing

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
)

// OpenCase is what a health official gives to open a case. The person is
// named by exactly one of PersonID (from POST /api/v1/people/lookup),
// Phone, IDNumber or PersonalQR (a scanned personal QR code or card),
// always through the keyed lookups.
type OpenCase struct {
	PersonID   int64
	Phone      string
	IDNumber   string
	PersonalQR string
	Reason     string
	// UnitCode is the unit that works the case; it must be in the
	// official's scope. Empty: the official's own unit when they have one.
	UnitCode string
	// Onset is the symptom onset or positive test; zero is now.
	Onset time.Time
	// WindowFrom defaults to Onset less Settings.WindowBefore; WindowTo
	// to open-ended (until isolation).
	WindowFrom, WindowTo time.Time
	// Settings are the case's thresholds; nil: the deployment's.
	Settings *ravao.TraceSettings
}

// CaseRow is a case in a list: the person's name masked.
type CaseRow struct {
	Case       ravao.Case
	MaskedName string
	Contacts   int // on the worked list
}

// CaseView is a case as its officials see it: the person in clear and the
// timeline of the case's visits in the window.
type CaseView struct {
	Case     ravao.Case
	Person   PersonView
	Timeline []TimelineVisit
	Source   *ravao.Contact // the contact it was promoted from, if any
}

// CaseUpdate changes a case; nil fields are left alone. Changing the
// window or the settings traces again.
type CaseUpdate struct {
	Reason     *string
	Onset      *time.Time
	WindowFrom *time.Time
	WindowTo   *time.Time // a zero time: open-ended
	Settings   *ravao.TraceSettings
	Close      bool
}

// Traced says what a tracing run changed on the worked list.
type Traced struct {
	Found int // contacts found by the run
	Added int // of which new on the list
}

// Open opens a case, marks the person isolated, traces at once and stores
// the contacts. Audited "case.open".
func (s *Service) Open(ctx context.Context, actor *ravao.Principal, in OpenCase) (ravao.Case, Traced, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.Case{}, Traced{}, err
	}
	var c ravao.Case
	var tr Traced
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		fe := ravao.FieldErrors{}
		p, err := s.findPerson(tx, in)
		if err != nil && ravao.ErrorCode(err) != ravao.Invalid {
			return err
		}
		fe.Merge(err)
		if c, err = s.newCase(tx, actor, in, p.ID, fe); err != nil {
			return err
		}
		tr, err = s.openCase(ctx, tx, actor, &c)
		return err
	})
	if err != nil {
		return ravao.Case{}, Traced{}, err
	}
	return c, tr, nil
}

// newCase is the case in describes, for the person personID, checked:
// its problems are added to fe, which holds the person's (personID is 0
// when they were not found).
func (s *Service) newCase(tx ravao.Tx, actor *ravao.Principal, in OpenCase, personID int64, fe ravao.FieldErrors) (ravao.Case, error) {
	now := tx.Now()
	c := ravao.Case{
		PersonID: personID, Reason: text(in.Reason), Onset: ms(in.Onset), WindowFrom: ms(in.WindowFrom),
		WindowTo: ms(in.WindowTo), Settings: s.cfg.Settings, Status: ravao.CaseOpen, CreatedBy: actor.User.ID,
	}
	if in.Settings != nil {
		c.Settings = *in.Settings
	}
	if c.Onset.IsZero() {
		c.Onset = now
	}
	if c.WindowFrom.IsZero() {
		c.WindowFrom = c.Onset.Add(-c.Settings.WindowBefore)
	}
	if c.Onset.After(now) {
		fe.Add("onset", "err.onset_future")
	}
	var err error
	c.UnitCode, c.UnitPath, err = caseUnit(tx, actor, strings.TrimSpace(in.UnitCode))
	if err != nil && ravao.ErrorCode(err) != ravao.Invalid {
		return c, err
	}
	fe.Merge(err)
	check := c
	if check.PersonID == 0 {
		check.PersonID = -1 // fe says why already
	}
	fe.Merge(check.Validate())
	return c, fe.Err()
}

// caseUnit resolves the unit that works a new case: the code given, which
// must be in the actor's scope, or the actor's only health unit.
func caseUnit(tx ravao.Tx, actor *ravao.Principal, code string) (string, string, error) {
	if code == "" {
		for _, a := range actor.Roles {
			if a.Role.Grants(ravao.PermTrace) {
				if code != "" {
					return "", "", ravao.FieldError("unit", "err.required")
				}
				code = a.UnitCode
			}
		}
	}
	if code == "" {
		return "", "", ravao.FieldError("unit", "err.required")
	}
	path, err := ravao.UnitPathFor(tx, code)
	if err != nil {
		return "", "", err
	}
	if !covers(actor, path) {
		return "", "", ravao.FieldError("unit", "err.unit_out_of_scope")
	}
	return code, path, nil
}

// openCase stores a new case, checked, traces it and audits it. A person
// has one open case at most.
func (s *Service) openCase(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, c *ravao.Case) (Traced, error) {
	if err := c.Validate(); err != nil {
		return Traced{}, err
	}
	open, err := tx.Cases(ravao.CaseFilter{PersonID: c.PersonID, Status: ravao.CaseOpen, Limit: 1})
	if err != nil {
		return Traced{}, err
	}
	if len(open) > 0 {
		return Traced{}, ravao.Errorf(ravao.Conflict, "err.case_exists")
	}
	if err := tx.CreateCase(c); err != nil {
		if ravao.ErrorCode(err) == ravao.Conflict { // opened at the same moment by someone else
			return Traced{}, ravao.Errorf(ravao.Conflict, "err.case_exists")
		}
		return Traced{}, err
	}
	tr, err := s.trace(tx, *c)
	if err != nil {
		return tr, err
	}
	return tr, audit(ctx, tx, actor, "case.open", "case", c.ID, *c, "")
}

// Cases lists the cases in the actor's scope, newest first. Audited
// "case.list".
func (s *Service) Cases(ctx context.Context, actor *ravao.Principal, f ravao.CaseFilter) ([]CaseRow, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	if err := checkCaseFilter(&f); err != nil {
		return nil, err
	}
	var out []CaseRow
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		cs, err := scopedCases(tx, actor, f)
		if err != nil {
			return err
		}
		ps := s.people(tx)
		for _, c := range cs {
			row := CaseRow{Case: c}
			if row.MaskedName, err = ps.masked(c.PersonID); err != nil {
				return err
			}
			contacts, err := tx.Contacts(c.ID)
			if err != nil {
				return err
			}
			row.Contacts = len(contacts)
			out = append(out, row)
		}
		return tx.AppendAudit(&ravao.AuditEvent{
			At: tx.Now(), UserID: actor.User.ID, Role: ravao.RoleHealth, Action: "case.list",
			ObjectType: "case", RequestID: ravao.RequestID(ctx),
		})
	})
	return out, err
}

// The size of a page of cases.
const (
	defaultCases = 50
	maxCases     = 500
)

// checkCaseFilter validates a list filter and fills in its limit.
func checkCaseFilter(f *ravao.CaseFilter) error {
	fe := ravao.FieldErrors{}
	switch f.Status {
	case "", ravao.CaseOpen, ravao.CaseClosed:
	default:
		fe.Add("status", "err.case_status")
	}
	if f.Limit < 0 || f.Limit > maxCases {
		fe.Add("limit", "err.limit")
	}
	if f.Limit == 0 {
		f.Limit = defaultCases
	}
	return fe.Err()
}

// scopedCases runs f once for each unit the actor traces in (narrowed to
// f.UnitPath), and merges the pages newest first.
func scopedCases(tx ravao.Tx, actor *ravao.Principal, f ravao.CaseFilter) ([]ravao.Case, error) {
	paths, err := scopes(tx, actor, f.UnitPath)
	if err != nil {
		return nil, err
	}
	var out []ravao.Case
	for _, p := range paths {
		f.UnitPath = p
		cs, err := tx.Cases(f)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	slices.SortFunc(out, func(a, b ravao.Case) int { return cmp.Compare(b.ID, a.ID) })
	return out[:min(len(out), f.Limit)], nil
}

// scopes are the unit paths the actor traces in, within the path
// within ("" for anywhere), none inside another.
func scopes(tx ravao.Tx, actor *ravao.Principal, within string) ([]string, error) {
	var paths []string
	for _, a := range actor.Roles {
		if !a.Role.Grants(ravao.PermTrace) {
			continue
		}
		p, err := ravao.UnitPathFor(tx, a.UnitCode)
		if ravao.ErrorCode(err) == ravao.Invalid {
			continue // a unit no longer in the tree
		}
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(within, p):
			p = within
		case !strings.HasPrefix(p, within):
			continue
		}
		paths = append(paths, p)
	}
	return outermost(paths), nil
}

// outermost drops the paths inside another one of paths, and duplicates.
func outermost(paths []string) []string {
	slices.Sort(paths)
	var out []string
	for _, p := range paths {
		if len(out) == 0 || !strings.HasPrefix(p, out[len(out)-1]) {
			out = append(out, p)
		}
	}
	return out
}

// Case shows a case with its timeline. Audited "case.view".
func (s *Service) Case(ctx context.Context, actor *ravao.Principal, id int64) (CaseView, error) {
	if err := mayTrace(actor); err != nil {
		return CaseView{}, err
	}
	var out CaseView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, id)
		if err != nil {
			return err
		}
		out.Case = c
		if out.Person, err = s.people(tx).view(c.PersonID); err != nil {
			return err
		}
		if out.Timeline, err = timeline(tx, c); err != nil {
			return err
		}
		if c.SourceContactID != 0 {
			src, err := tx.Contact(c.SourceContactID)
			if err != nil {
				return err
			}
			out.Source = &src
		}
		return audit(ctx, tx, actor, "case.view", "case", c.ID, c, "")
	})
	return out, err
}

// Update changes a case (window, settings, reason, closing). Audited
// "case.update" / "case.close". A closed case takes no more changes.
func (s *Service) Update(ctx context.Context, actor *ravao.Principal, id int64, in CaseUpdate) (ravao.Case, Traced, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.Case{}, Traced{}, err
	}
	var c ravao.Case
	var tr Traced
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if c, err = openCaseFor(tx, actor, id); err != nil {
			return err
		}
		changed, retrace, err := applyUpdate(&c, in, tx.Now())
		if err != nil || !changed && !in.Close {
			return err
		}
		if in.Close {
			c.Status, c.ClosedAt = ravao.CaseClosed, tx.Now()
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateCase(&c); err != nil {
			return err
		}
		if retrace {
			if tr, err = s.trace(tx, c); err != nil {
				return err
			}
		}
		return auditUpdate(ctx, tx, actor, c, changed, in.Close)
	})
	if err != nil {
		return ravao.Case{}, Traced{}, err
	}
	return c, tr, nil
}

// openCaseFor is caseFor for a change: a closed case is a Conflict.
func openCaseFor(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Case, error) {
	c, err := caseFor(tx, actor, id)
	if err == nil && c.Status != ravao.CaseOpen {
		err = ravao.Errorf(ravao.Conflict, "err.case_closed")
	}
	return c, err
}

// applyUpdate applies in's fields to c. A new onset without a new start
// moves the start with it. It reports whether anything changed and
// whether the contacts must be traced again.
func applyUpdate(c *ravao.Case, in CaseUpdate, now time.Time) (changed, retrace bool, err error) {
	if in.Reason != nil {
		c.Reason, changed = text(*in.Reason), true
	}
	if in.Settings != nil {
		c.Settings, changed, retrace = *in.Settings, true, true
	}
	if in.Onset != nil {
		if in.Onset.IsZero() || in.Onset.After(now) {
			return false, false, ravao.FieldError("onset", "err.onset_future")
		}
		c.Onset, changed = ms(*in.Onset), true
		if in.WindowFrom == nil {
			c.WindowFrom, retrace = c.Onset.Add(-c.Settings.WindowBefore), true
		}
	}
	if in.WindowFrom != nil {
		c.WindowFrom, changed, retrace = ms(*in.WindowFrom), true, true
	}
	if in.WindowTo != nil {
		c.WindowTo, changed, retrace = ms(*in.WindowTo), true, true
	}
	return changed, retrace, nil
}

// auditUpdate records a change and a closing, each its own event.
func auditUpdate(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, c ravao.Case, changed, closed bool) error {
	if changed {
		if err := audit(ctx, tx, actor, "case.update", "case", c.ID, c, ""); err != nil {
			return err
		}
	}
	if closed {
		return audit(ctx, tx, actor, "case.close", "case", c.ID, c, "")
	}
	return nil
}

// Exposures computes the case's contacts now, ranked, without storing
// them: the tracing query. Audited "case.query".
func (s *Service) Exposures(ctx context.Context, actor *ravao.Principal, id int64) ([]ravao.ContactSummary, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	var out []ravao.ContactSummary
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, id)
		if err != nil {
			return err
		}
		if _, out, err = exposures(tx, c); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "case.query", "case", c.ID, c, "")
	})
	return out, err
}

// Trace computes the contacts again and stores them. Audited "case.trace".
func (s *Service) Trace(ctx context.Context, actor *ravao.Principal, id int64) (Traced, error) {
	if err := mayTrace(actor); err != nil {
		return Traced{}, err
	}
	var tr Traced
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := openCaseFor(tx, actor, id)
		if err != nil {
			return err
		}
		if tr, err = s.trace(tx, c); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "case.trace", "case", c.ID, c, "")
	})
	return tr, err
}

// exposures runs the tracing query for a case: the pairs the database
// finds in its window with its settings, and the people they rank into.
func exposures(tx ravao.Tx, c ravao.Case) ([]ravao.ExposurePair, []ravao.ContactSummary, error) {
	pairs, err := tx.ExposurePairs(ravao.ExposureQuery{PersonID: c.PersonID, From: c.WindowFrom, To: c.WindowTo, Settings: c.Settings})
	if err != nil {
		return nil, nil, err
	}
	return pairs, ravao.RankContacts(pairs, c.Settings), nil
}

// trace stores the case's contacts (degree 1) as the query finds them now.
func (s *Service) trace(tx ravao.Tx, c ravao.Case) (Traced, error) {
	_, ranked, err := exposures(tx, c)
	if err != nil || len(ranked) == 0 {
		return Traced{}, err
	}
	cs := make([]*ravao.Contact, len(ranked))
	for i, r := range ranked {
		cs[i] = contactOf(c.ID, r, 1, 0)
	}
	added, err := tx.PutContacts(c.ID, cs)
	return Traced{Found: len(cs), Added: added}, err
}

// contactOf is a new contact of the case from a ranked summary.
func contactOf(caseID int64, r ravao.ContactSummary, degree int, via int64) *ravao.Contact {
	return &ravao.Contact{
		CaseID: caseID, PersonID: r.PersonID, Degree: degree, ViaContactID: via, Class: r.Class,
		Overlap: r.Overlap, Visits: r.Visits, SameVehicle: r.SameVehicle, FirstAt: r.FirstAt, Status: ravao.ContactNew,
	}
}

// text is free text as it is stored: trimmed, NFC.
func text(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// ms is t in UTC to the millisecond, as the stores keep it.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}
