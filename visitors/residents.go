package visitors

import (
	"context"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/cards"
	"github.com/ravao/ravao/questions"
)

// Resident is a person a commune official declared on their behalf, as
// the official's list shows them: masked name, no phone or ID number.
type Resident struct {
	ID         int64
	Name       string // masked
	BirthYear  int
	UnitCode   string
	CardSerial uint32 // 0 until a card is printed
	CreatedAt  time.Time
}

// DeclareResident records a resident declared by a commune official on
// their behalf (people without a smartphone): the official confirms the
// resident's consent (channel "official"), the phone is optional, and the
// resident's unit must lie in the official's scope. The official can then
// print the resident's QR card. A phone or ID number already declared is
// refused: the person already exists.
func (s *Service) DeclareResident(ctx context.Context, actor *ravao.Principal, in Declaration) (int64, error) {
	return s.declareFor(ctx, actor, in, behalf{perm: ravao.PermResidents, channel: ravao.ConsentOfficial,
		consentKey: "err.consent_official", register: true, action: "person.declare_resident"})
}

// DeclareOnBehalf records a person declared by gate staff (khai hộ): the
// guard fills the declaration for someone with nothing to scan, and
// confirms their consent (channel "proxy"); the declaration carries the
// guard's identity. The gate then checks the person in.
func (s *Service) DeclareOnBehalf(ctx context.Context, actor *ravao.Principal, in Declaration) (int64, error) {
	return s.declareFor(ctx, actor, in, behalf{perm: ravao.PermOperateGate, channel: ravao.ConsentProxy,
		consentKey: "err.consent_on_behalf", action: "person.declare_on_behalf"})
}

// behalf is how staff declare someone: the permission it takes, the
// consent channel, and whether the person goes on the staff member's list
// of residents (whose unit must then lie in their scope).
type behalf struct {
	perm       ravao.Permission
	channel    ravao.ConsentChannel
	consentKey string
	register   bool
	action     string
}

func (s *Service) declareFor(ctx context.Context, actor *ravao.Principal, in Declaration, b behalf) (int64, error) {
	if !actor.MayEver(b.perm) {
		return 0, ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	fe := ravao.FieldErrors{}
	if !in.Consent {
		fe.Add("consent", b.consentKey)
	}
	answers, qerr := s.questions.Check(in.Answers)
	if qerr != nil {
		fe.Merge(qerr)
	}
	var id int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		pfe := ravao.FieldErrors{}
		for k, v := range fe {
			pfe[k] = v
		}
		p := s.person(tx, in.Profile, false, tx.Now(), pfe)
		if err := pfe.Err(); err != nil {
			return err
		}
		if b.register {
			path, err := ravao.UnitPathFor(tx, p.UnitCode)
			if err != nil {
				return err
			}
			if !actor.Can(b.perm, ravao.Target{UnitPath: ravao.SplitUnitPath(path)}) {
				return ravao.FieldError("unit", "err.unit_out_of_scope")
			}
		}
		p.ConsentChannel, p.ConsentBasis = b.channel, ravao.BasisFor(b.channel)
		rec, err := s.vault.SealPerson(p)
		if err != nil {
			return err
		}
		if b.register {
			rec.RegisteredBy = actor.User.ID
		}
		if err := tx.CreatePerson(&rec); err != nil {
			if ravao.ErrorCode(err) == ravao.Conflict {
				return ravao.FieldError("phone", "err.person_known")
			}
			return err
		}
		d := &ravao.Declaration{PersonID: rec.ID, ProxyUserID: actor.User.ID}
		if err := s.sealDeclaration(d, answers); err != nil {
			return err
		}
		if err := tx.AddDeclaration(d); err != nil {
			return err
		}
		id = rec.ID
		return tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Action: b.action,
			ObjectType: "person", ObjectID: strconv.FormatInt(rec.ID, 10), RequestID: ravao.RequestID(ctx)})
	})
	return id, err
}

// AnswerOnBehalf records a new declaration, made by gate staff with the
// person in front of them (a yellow scan: no valid declaration), and says
// whether it declares a risk.
func (s *Service) AnswerOnBehalf(ctx context.Context, actor *ravao.Principal, personID int64, answers questions.Answers) (bool, error) {
	if !actor.MayEver(ravao.PermOperateGate) {
		return false, ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	checked, err := s.questions.Check(answers)
	if err != nil {
		return false, err
	}
	var risk bool
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := tx.Person(personID); err != nil {
			return err
		}
		d := &ravao.Declaration{PersonID: personID, ProxyUserID: actor.User.ID}
		if err := s.sealDeclaration(d, checked); err != nil {
			return err
		}
		risk = d.Risk
		if err := tx.AddDeclaration(d); err != nil {
			return err
		}
		return tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Action: "person.answer_on_behalf",
			ObjectType: "person", ObjectID: strconv.FormatInt(personID, 10), RequestID: ravao.RequestID(ctx)})
	})
	return risk, err
}

// Residents lists the residents an official declared, by ID after
// afterID, at most limit (100 at most).
func (s *Service) Residents(ctx context.Context, actor *ravao.Principal, afterID int64, limit int) ([]Resident, error) {
	if !actor.MayEver(ravao.PermResidents) {
		return nil, ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	limit = min(max(limit, 1), 100)
	var out []Resident
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		people, err := tx.PeopleRegisteredBy(actor.User.ID, afterID, limit)
		if err != nil {
			return err
		}
		out = make([]Resident, 0, len(people))
		for _, r := range people {
			p, err := s.vault.OpenPerson(r)
			if err != nil {
				return err
			}
			out = append(out, Resident{ID: r.ID, Name: ravao.MaskName(p.FullName), BirthYear: r.BirthYear,
				UnitCode: r.UnitCode, CardSerial: r.CardSerial, CreatedAt: r.CreatedAt})
		}
		return nil
	})
	return out, err
}

// ResidentCards prints new QR cards for residents the official declared
// (at most cards.MaxCards at once), re-issuing each: earlier cards of
// theirs stop working. With print false it only revokes. Any id that is
// not a resident of this official, or lies outside their scope, is
// NotFound and nothing is changed.
func (s *Service) ResidentCards(ctx context.Context, actor *ravao.Principal, ids []int64, print bool) ([]cards.Card, error) {
	if !actor.MayEver(ravao.PermResidents) {
		return nil, ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	switch {
	case len(ids) == 0:
		return nil, ravao.Errorf(ravao.Invalid, "err.cards_none")
	case len(ids) > cards.MaxCards:
		return nil, ravao.Errorf(ravao.Invalid, "err.too_many_cards", cards.MaxCards)
	}
	var out []cards.Card
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		people := make([]ravao.PersonRecord, 0, len(ids))
		seen := map[int64]bool{}
		inScope := map[string]bool{} // by unit: a batch is mostly one commune
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			p, err := tx.Person(id)
			if ravao.IsNotFound(err) || (err == nil && p.RegisteredBy != actor.User.ID) {
				return ravao.Errorf(ravao.NotFound, "err.person_not_found")
			}
			if err != nil {
				return err
			}
			ok, known := inScope[p.UnitCode]
			if !known {
				path, err := ravao.UnitPathFor(tx, p.UnitCode)
				if ravao.ErrorCode(err) == ravao.Internal {
					return err
				}
				ok = err == nil && actor.Can(ravao.PermResidents, ravao.Target{UnitPath: ravao.SplitUnitPath(path)})
				inScope[p.UnitCode] = ok
			}
			if !ok {
				return ravao.Errorf(ravao.NotFound, "err.person_not_found")
			}
			people = append(people, p)
		}
		var err error
		out, err = s.reissueCards(ctx, tx, people, print, actor)
		return err
	})
	return out, err
}
