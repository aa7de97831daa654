package tracing

import (
	"context"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// ContactView is a contact on the worked list, in clear.
type ContactView struct {
	Contact      ravao.Contact
	Person       PersonView
	AssigneeName string
	Via          string                   // for F2: the F1 contact's masked name
	Notified     ravao.NotificationStatus // "" when no message was queued
}

// EventView is one step of a contact's history.
type EventView struct {
	Event    ravao.ContactEvent
	UserName string
	Note     string // opened
}

// ContactUpdate changes a contact; nil fields are left alone. A note is
// added to the history.
type ContactUpdate struct {
	Status     *ravao.ContactStatus
	AssigneeID *int64 // 0 unassigns
	Note       string
}

// maxNote is the longest note, in characters.
const maxNote = 1000

// Contacts lists the worked list in clear. Audited "contacts.view".
func (s *Service) Contacts(ctx context.Context, actor *ravao.Principal, caseID int64) ([]ContactView, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	var out []ContactView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		if out, err = s.worked(tx, c.ID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "contacts.view", "case", c.ID, c, "")
	})
	return out, err
}

// worked is a case's whole list in clear.
func (s *Service) worked(tx ravao.Tx, caseID int64) ([]ContactView, error) {
	cs, err := tx.Contacts(caseID)
	if err != nil {
		return nil, err
	}
	vw, err := s.viewer(tx, caseID, cs)
	if err != nil {
		return nil, err
	}
	out := make([]ContactView, 0, len(cs))
	for _, ct := range cs {
		v, err := vw.view(ct)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// viewer shows contacts of one case in clear, reading each person, user
// and contact once.
type viewer struct {
	tx       ravao.Tx
	people   *people
	users    *users
	contacts map[int64]ravao.Contact
	notified map[int64]ravao.NotificationStatus // the latest message to each contact
}

// viewer prepares to show contacts of a case; known are contacts already
// read (an F2's F1 is looked up when it is not among them).
func (s *Service) viewer(tx ravao.Tx, caseID int64, known []ravao.Contact) (*viewer, error) {
	ns, err := tx.CaseNotifications(caseID)
	if err != nil {
		return nil, err
	}
	vw := &viewer{tx: tx, people: s.people(tx), users: newUsers(tx),
		contacts: map[int64]ravao.Contact{}, notified: map[int64]ravao.NotificationStatus{}}
	for _, n := range ns {
		vw.notified[n.ContactID] = n.Status
	}
	for _, c := range known {
		vw.contacts[c.ID] = c
	}
	return vw, nil
}

// view is one contact in clear.
func (vw *viewer) view(ct ravao.Contact) (ContactView, error) {
	v := ContactView{Contact: ct, Notified: vw.notified[ct.ID]}
	var err error
	if v.Person, err = vw.people.view(ct.PersonID); err != nil {
		return v, err
	}
	if v.AssigneeName, err = vw.users.name(ct.AssigneeID); err != nil {
		return v, err
	}
	if ct.ViaContactID != 0 {
		via, ok := vw.contacts[ct.ViaContactID]
		if !ok {
			if via, err = vw.tx.Contact(ct.ViaContactID); err != nil {
				return v, err
			}
			vw.contacts[via.ID] = via
		}
		if v.Via, err = vw.people.masked(via.PersonID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// contactFor loads a contact and its case for actor; a contact of a case
// outside their scope is NotFound.
func contactFor(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Contact, ravao.Case, error) {
	ct, err := tx.Contact(id)
	if err != nil {
		return ct, ravao.Case{}, err
	}
	c, err := caseFor(tx, actor, ct.CaseID)
	if err != nil {
		return ravao.Contact{}, c, err
	}
	return ct, c, nil
}

// Contact shows one contact with its history. Audited "contact.view".
func (s *Service) Contact(ctx context.Context, actor *ravao.Principal, id int64) (ContactView, []EventView, error) {
	if err := mayTrace(actor); err != nil {
		return ContactView{}, nil, err
	}
	var out ContactView
	var history []EventView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		ct, c, err := contactFor(tx, actor, id)
		if err != nil {
			return err
		}
		if out, err = s.contactView(tx, ct); err != nil {
			return err
		}
		if history, err = s.history(tx, ct.ID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "contact.view", "contact", ct.ID, c, "")
	})
	return out, history, err
}

// contactView is one contact in clear.
func (s *Service) contactView(tx ravao.Tx, ct ravao.Contact) (ContactView, error) {
	vw, err := s.viewer(tx, ct.CaseID, nil)
	if err != nil {
		return ContactView{}, err
	}
	return vw.view(ct)
}

// noteAAD binds a sealed note to its contact.
func noteAAD(contactID int64) string { return "contact-note/" + strconv.FormatInt(contactID, 10) }

// history is a contact's events, oldest first, their notes opened.
func (s *Service) history(tx ravao.Tx, contactID int64) ([]EventView, error) {
	evs, err := tx.ContactEvents(contactID)
	if err != nil {
		return nil, err
	}
	us := newUsers(tx)
	out := make([]EventView, 0, len(evs))
	for _, e := range evs {
		v := EventView{Event: e}
		if v.UserName, err = us.name(e.UserID); err != nil {
			return nil, err
		}
		if e.Note != nil {
			note, err := s.vault.Open(e.Note, noteAAD(contactID))
			if err != nil {
				return nil, err
			}
			v.Note = string(note)
		}
		out = append(out, v)
	}
	return out, nil
}

// UpdateContact changes a contact's status, assignee or adds a note.
// Audited "contact.update" ("contact.view" when it changed nothing). The
// contacts of a closed case stay as they were.
func (s *Service) UpdateContact(ctx context.Context, actor *ravao.Principal, id int64, in ContactUpdate) (ContactView, error) {
	if err := mayTrace(actor); err != nil {
		return ContactView{}, err
	}
	var out ContactView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		ct, c, err := contactFor(tx, actor, id)
		if err != nil {
			return err
		}
		if c.Status != ravao.CaseOpen {
			return ravao.Errorf(ravao.Conflict, "err.case_closed")
		}
		note, err := checkContactUpdate(tx, c, in)
		if err != nil {
			return err
		}
		action := "contact.view" // nothing to change: the contact is only shown
		if changed := applyContact(&ct, in); changed || note != "" {
			if err := s.recordContact(tx, actor, &ct, note); err != nil {
				return err
			}
			action = "contact.update"
		}
		if out, err = s.contactView(tx, ct); err != nil {
			return err
		}
		return audit(ctx, tx, actor, action, "contact", ct.ID, c, "")
	})
	return out, err
}

// checkContactUpdate validates a change to a contact of case c and
// returns its note, cleaned.
func checkContactUpdate(tx ravao.Tx, c ravao.Case, in ContactUpdate) (string, error) {
	fe := ravao.FieldErrors{}
	if in.Status != nil && !in.Status.Valid() {
		fe.Add("status", "err.contact_status")
	}
	if in.AssigneeID != nil && *in.AssigneeID != 0 {
		ok, err := mayAssign(tx, *in.AssigneeID, c)
		if err != nil {
			return "", err
		}
		if !ok {
			fe.Add("assignee", "err.assignee")
		}
	}
	if !utf8.ValidString(in.Note) {
		fe.Add("note", "err.too_long")
		return "", fe.Err()
	}
	note := text(in.Note)
	if utf8.RuneCountInString(note) > maxNote {
		fe.Add("note", "err.too_long")
	}
	return note, fe.Err()
}

// mayAssign reports whether the user may be given a contact of case c:
// an active account that traces in the case's unit.
func mayAssign(tx ravao.Tx, userID int64, c ravao.Case) (bool, error) {
	u, err := tx.User(userID)
	if ravao.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	roles, err := tx.Roles(userID)
	if err != nil {
		return false, err
	}
	return covers(&ravao.Principal{User: u, Roles: roles}, c.UnitPath), nil
}

// applyContact applies a checked change and reports whether it changed
// anything.
func applyContact(ct *ravao.Contact, in ContactUpdate) bool {
	changed := false
	if in.Status != nil && *in.Status != ct.Status {
		ct.Status, changed = *in.Status, true
	}
	if in.AssigneeID != nil && *in.AssigneeID != ct.AssigneeID {
		ct.AssigneeID, changed = *in.AssigneeID, true
	}
	return changed
}

// recordContact stores a contact as changed and adds the step, with its
// note sealed, to its history.
func (s *Service) recordContact(tx ravao.Tx, actor *ravao.Principal, ct *ravao.Contact, note string) error {
	if err := tx.UpdateContact(ct); err != nil {
		return err
	}
	e := &ravao.ContactEvent{ContactID: ct.ID, At: tx.Now(), UserID: actor.User.ID, Status: ct.Status, AssigneeID: ct.AssigneeID}
	if note != "" {
		e.Note = s.vault.Seal([]byte(note), noteAAD(ct.ID))
	}
	return tx.AddContactEvent(e)
}

// Promote opens a case for a contact who tested positive (F1 → F0), in
// the unit of the case they were found on and with its settings; the
// contact becomes tested_positive. Their window starts WindowBefore
// before now, but never before their first exposure: they cannot have
// been infectious earlier. Audited "contact.promote" and "case.open".
func (s *Service) Promote(ctx context.Context, actor *ravao.Principal, contactID int64, reason string) (ravao.Case, Traced, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.Case{}, Traced{}, err
	}
	var nc ravao.Case
	var tr Traced
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		ct, c, err := contactFor(tx, actor, contactID)
		if err != nil {
			return err
		}
		if c.Status != ravao.CaseOpen {
			return ravao.Errorf(ravao.Conflict, "err.case_closed")
		}
		nc = promoted(tx.Now(), actor, c, ct, text(reason))
		if tr, err = s.openCase(ctx, tx, actor, &nc); err != nil {
			return err
		}
		ct.Status, ct.PromotedCaseID = ravao.ContactPositive, nc.ID
		if err := s.recordContact(tx, actor, &ct, ""); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "contact.promote", "contact", ct.ID, c, nc.Reason)
	})
	if err != nil {
		return ravao.Case{}, Traced{}, err
	}
	return nc, tr, nil
}

// promoted is the case opened for contact ct of case c.
func promoted(now time.Time, actor *ravao.Principal, c ravao.Case, ct ravao.Contact, reason string) ravao.Case {
	from := now.Add(-c.Settings.WindowBefore)
	if ct.FirstAt.After(from) {
		from = ct.FirstAt
	}
	return ravao.Case{
		PersonID: ct.PersonID, UnitCode: c.UnitCode, UnitPath: c.UnitPath, Reason: reason, Onset: now,
		WindowFrom: from, Settings: c.Settings, Status: ravao.CaseOpen, SourceContactID: ct.ID, CreatedBy: actor.User.ID,
	}
}

// maxExpand is how many contacts one expansion may start from.
const maxExpand = 200

// Expand traces the second degree from chosen contacts of the case: their
// own contacts join the case's list at degree 2. Each chosen contact's
// visits count from their first exposure to the end of the case's window.
// Audited "case.expand", with how many contacts it started from.
func (s *Service) Expand(ctx context.Context, actor *ravao.Principal, caseID int64, contactIDs []int64) (Traced, error) {
	if err := mayTrace(actor); err != nil {
		return Traced{}, err
	}
	var tr Traced
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := openCaseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		from, err := expandFrom(tx, c, contactIDs)
		if err != nil {
			return err
		}
		if tr, err = expand(tx, c, from); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "case.expand", "case", c.ID, c, strconv.Itoa(len(from))+" F1")
	})
	return tr, err
}

// expandFrom loads the chosen contacts, once each: all must be degree 1
// contacts of case c.
func expandFrom(tx ravao.Tx, c ravao.Case, ids []int64) ([]ravao.Contact, error) {
	switch {
	case len(ids) == 0:
		return nil, ravao.FieldError("contacts", "err.expand_none")
	case len(ids) > maxExpand:
		return nil, ravao.FieldError("contacts", "err.expand_too_many")
	}
	seen := map[int64]bool{}
	var out []ravao.Contact
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		ct, err := tx.Contact(id)
		if err != nil && !ravao.IsNotFound(err) {
			return nil, err
		}
		if err != nil || ct.CaseID != c.ID || ct.Degree != 1 {
			return nil, ravao.FieldError("contacts", "err.expand_contact")
		}
		out = append(out, ct)
	}
	return out, nil
}

// expand adds the contacts of each of from to case c's list at degree 2,
// but not the case's person nor anyone on the list already.
func expand(tx ravao.Tx, c ravao.Case, from []ravao.Contact) (Traced, error) {
	listed, err := tx.Contacts(c.ID)
	if err != nil {
		return Traced{}, err
	}
	skip := map[int64]bool{c.PersonID: true}
	for _, ct := range listed {
		skip[ct.PersonID] = true
	}
	found := map[int64]bool{}
	var add []*ravao.Contact
	for _, f := range from {
		pairs, err := tx.ExposurePairs(ravao.ExposureQuery{PersonID: f.PersonID, From: f.FirstAt, To: c.WindowTo, Settings: c.Settings})
		if err != nil {
			return Traced{}, err
		}
		for _, r := range ravao.RankContacts(pairs, c.Settings) {
			if r.PersonID != c.PersonID {
				found[r.PersonID] = true
			}
			if !skip[r.PersonID] {
				skip[r.PersonID] = true
				add = append(add, contactOf(c.ID, r, 2, f.ID))
			}
		}
	}
	tr := Traced{Found: len(found)}
	if len(add) > 0 {
		tr.Added, err = tx.PutContacts(c.ID, add)
	}
	return tr, err
}
