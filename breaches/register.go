package breaches

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Input is a breach as the officer records it.
type Input struct {
	Title, What, Place, Measures, Consequences string
	OccurredAt                                 time.Time // zero when unknown
	FoundAt                                    time.Time // zero: now
	DataKinds                                  []string
	PeopleAffected                             int
}

// Change changes a breach; nil fields are left alone. A status moves
// forward only; becoming notified stamps NotifiedAt (now unless given).
type Change struct {
	Title, What, Place, Measures, Consequences, LateReason, AuthorityRef *string
	OccurredAt, FoundAt, NotifiedAt                                      *time.Time
	DataKinds                                                            *[]string
	PeopleAffected                                                       *int
	Status                                                               *ravao.BreachStatus
}

// View is a breach in clear with its history.
type View struct {
	Breach ravao.Breach
	Events []ravao.BreachEvent
}

// futureSlack is how far ahead of the clock an instant the officer gives
// may be (clocks of browsers differ).
const futureSlack = 5 * time.Minute

// Check validates in as Record would at now, without storing it: a form
// with an unreadable field can still show every other problem.
func (in Input) Check(now time.Time) error {
	b := in.breach(nil)
	if b.FoundAt.IsZero() {
		b.FoundAt = now
	}
	return check(b, now)
}

// breach is the open breach in describes, recorded by actor.
func (in Input) breach(actor *ravao.Principal) ravao.Breach {
	b := ravao.Breach{
		Title: strings.TrimSpace(in.Title), What: clean(in.What), Place: clean(in.Place),
		Measures: clean(in.Measures), Consequences: clean(in.Consequences), OccurredAt: ms(in.OccurredAt),
		FoundAt: ms(in.FoundAt), DataKinds: in.DataKinds, PeopleAffected: in.PeopleAffected, Status: ravao.BreachOpen,
	}
	if actor != nil {
		b.CreatedBy = actor.User.ID
	}
	return b
}

// Record adds a breach to the register, open, with its 72-hour deadline.
// Audited "breach.record".
func (s *Service) Record(ctx context.Context, actor *ravao.Principal, in Input) (ravao.Breach, error) {
	if err := mayProtect(actor); err != nil {
		return ravao.Breach{}, err
	}
	now := s.now()
	b := in.breach(actor)
	b.ID = vault.NewID()
	if b.FoundAt.IsZero() {
		b.FoundAt = now
	}
	if err := check(b, now); err != nil {
		return ravao.Breach{}, err
	}
	if err := s.seal(&b); err != nil {
		return ravao.Breach{}, err
	}
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		if err := tx.CreateBreach(&b); err != nil {
			return err
		}
		if err := event(tx, actor, b, "recorded"); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.record", b.ID, "")
	})
	return b, err
}

// check validates b and that none of its instants is in the future.
func check(b ravao.Breach, now time.Time) error {
	fe := ravao.FieldErrors{}
	fe.Merge(b.Validate())
	for f, t := range map[string]time.Time{"found_at": b.FoundAt, "occurred_at": b.OccurredAt, "notified_at": b.NotifiedAt} {
		if t.After(now.Add(futureSlack)) {
			fe.Add(f, "err.date_future")
		}
	}
	return fe.Err()
}

// Update changes a breach: its text, figures or status. A closed breach
// changes no more (Conflict), and a status never goes back. Audited
// "breach.update", with the new status.
func (s *Service) Update(ctx context.Context, actor *ravao.Principal, id int64, c Change) (ravao.Breach, error) {
	if err := mayProtect(actor); err != nil {
		return ravao.Breach{}, err
	}
	var b ravao.Breach
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if b, err = s.load(tx, id); err != nil {
			return err
		}
		if b.Status == ravao.BreachClosed {
			return ravao.Errorf(ravao.Conflict, "err.breach_closed")
		}
		from := b.Status
		if err := apply(&b, c, tx.Now()); err != nil {
			return err
		}
		if err := check(b, tx.Now()); err != nil {
			return err
		}
		if err := s.seal(&b); err != nil {
			return err
		}
		if err := tx.UpdateBreach(&b); err != nil {
			return err
		}
		if err := event(tx, actor, b, action(from, b.Status)); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.update", b.ID, string(b.Status))
	})
	return b, err
}

// action names the history step of a change from status from to to.
func action(from, to ravao.BreachStatus) string {
	if from == to {
		return "updated"
	}
	return string(to)
}

// apply writes c into b.
func apply(b *ravao.Breach, c Change, now time.Time) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = clean(*src)
		}
	}
	set(&b.What, c.What)
	set(&b.Place, c.Place)
	set(&b.Measures, c.Measures)
	set(&b.Consequences, c.Consequences)
	set(&b.LateReason, c.LateReason)
	if c.Title != nil {
		b.Title = strings.TrimSpace(*c.Title)
	}
	if c.AuthorityRef != nil {
		b.AuthorityRef = strings.TrimSpace(*c.AuthorityRef)
	}
	if c.OccurredAt != nil {
		b.OccurredAt = ms(*c.OccurredAt)
	}
	if c.FoundAt != nil && !c.FoundAt.IsZero() {
		b.FoundAt = ms(*c.FoundAt)
	}
	if c.DataKinds != nil {
		b.DataKinds = *c.DataKinds
	}
	if c.PeopleAffected != nil {
		b.PeopleAffected = *c.PeopleAffected
	}
	if c.NotifiedAt != nil {
		b.NotifiedAt = ms(*c.NotifiedAt)
	}
	if c.Status != nil && *c.Status != b.Status {
		if !b.Status.CanBecome(*c.Status) {
			return ravao.FieldError("status", "err.breach_status_back")
		}
		b.Status = *c.Status
		if b.Status == ravao.BreachNotified && b.NotifiedAt.IsZero() {
			b.NotifiedAt = now
		}
	}
	return nil
}

// List is the register: open breaches first, then notified, then closed,
// each by deadline (soonest first). Titles only, no sealed text. Audited
// "breach.list".
func (s *Service) List(ctx context.Context, actor *ravao.Principal) ([]ravao.Breach, error) {
	if err := mayProtect(actor); err != nil {
		return nil, err
	}
	var out []ravao.Breach
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if out, err = tx.Breaches(ravao.BreachFilter{}); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.list", 0, "")
	})
	slices.SortStableFunc(out, func(a, b ravao.Breach) int {
		return cmp.Compare(slices.Index(ravao.BreachStatuses, a.Status), slices.Index(ravao.BreachStatuses, b.Status))
	})
	return out, err
}

// Get returns a breach in clear with its history. Audited "breach.read".
func (s *Service) Get(ctx context.Context, actor *ravao.Principal, id int64) (View, error) {
	if err := mayProtect(actor); err != nil {
		return View{}, err
	}
	var v View
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if v.Breach, err = s.load(tx, id); err != nil {
			return err
		}
		if v.Events, err = tx.BreachEvents(id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.read", id, "")
	})
	return v, err
}

// Controller is who notifies: the personal data controller's name and the
// contact of its data-protection officer, kept in the settings.
type Controller struct {
	Name    string
	Contact string
}

// The settings keys of the controller.
const (
	settingName    = "breach.controller_name"
	settingContact = "breach.dpo_contact"
)

// Controller returns the controller as set (empty fields when not yet).
func (s *Service) Controller(ctx context.Context, actor *ravao.Principal) (Controller, error) {
	if err := mayProtect(actor); err != nil {
		return Controller{}, err
	}
	var c Controller
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		c, err = controller(tx)
		return err
	})
	return c, err
}

func controller(tx ravao.Tx) (Controller, error) {
	var c Controller
	var err error
	for key, dst := range map[string]*string{settingName: &c.Name, settingContact: &c.Contact} {
		if *dst, err = tx.Setting(key); err != nil && !ravao.IsNotFound(err) {
			return c, err
		}
	}
	return c, nil
}

// SetController stores the controller's name and contact. Audited
// "breach.settings".
func (s *Service) SetController(ctx context.Context, actor *ravao.Principal, c Controller) error {
	if err := mayProtect(actor); err != nil {
		return err
	}
	c.Name, c.Contact = strings.TrimSpace(c.Name), strings.TrimSpace(c.Contact)
	fe := ravao.FieldErrors{}
	if c.Name == "" {
		fe.Add("controller_name", "err.required")
	} else if len(c.Name) > 300 || !validUTF8(c.Name) {
		fe.Add("controller_name", "err.too_long")
	}
	if c.Contact == "" {
		fe.Add("dpo_contact", "err.required")
	} else if len(c.Contact) > 300 || !validUTF8(c.Contact) {
		fe.Add("dpo_contact", "err.too_long")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		if err := tx.PutSetting(settingName, c.Name); err != nil {
			return err
		}
		if err := tx.PutSetting(settingContact, c.Contact); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.settings", 0, "")
	})
}
