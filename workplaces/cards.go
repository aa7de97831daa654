package workplaces

import (
	"context"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/cards"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/vault"
)

// CardsRequest is a batch of staff cards: the members (none: the whole
// list) and whether the manager confirms that the members without a
// Ravao person agreed to be registered (their person is then created,
// the way a commune registers residents, and linked).
type CardsRequest struct {
	IDs     []int64
	Consent bool
}

// Cards prints the personal QR card of each member asked (at most
// cards.MaxCards), in one transaction: a member without a person gets
// one, sealed from the list's name, phone and ID number (consent
// confirmed by the manager, who needs the birth year), and every card
// printed is re-issued, so earlier cards of the same people stop
// working. Only the organisation's managers may print; it is audited.
func (s *Service) Cards(ctx context.Context, actor *ravao.Principal, orgID int64, req CardsRequest) ([]cards.Card, error) {
	if len(req.IDs) > cards.MaxCards {
		return nil, ravao.Errorf(ravao.Invalid, "err.too_many_cards", cards.MaxCards)
	}
	var out []cards.Card
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		o, err := linkedOrganisation(tx, actor, orgID)
		if err != nil {
			return err
		}
		members, err := s.chosen(tx, orgID, req.IDs)
		if err != nil {
			return err
		}
		if err := s.register(tx, members, req.Consent); err != nil {
			return err
		}
		if out, err = s.issue(ctx, tx, actor, o, members); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "staff.cards", orgID)
	})
	return out, err
}

// chosen loads the members asked of an organisation (all when none), by
// name; one not on its list is not found.
func (s *Service) chosen(tx ravao.Tx, orgID int64, ids []int64) ([]opened, error) {
	f := ravao.StaffFilter{OrganisationID: orgID}
	if len(ids) > 0 {
		f.IDs = ids
	}
	list, err := s.staff(tx, f)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		if len(list) != len(want) {
			return nil, errMemberNotFound()
		}
	}
	switch {
	case len(list) == 0:
		return nil, ravao.Errorf(ravao.Invalid, "err.cards_none")
	case len(list) > cards.MaxCards:
		return nil, ravao.Errorf(ravao.Invalid, "err.too_many_cards", cards.MaxCards)
	}
	return list, nil
}

// register creates and links a person for every member without one; it
// needs the manager's word on consent and each such member's birth year.
func (s *Service) register(tx ravao.Tx, members []opened, consent bool) error {
	missingYear := 0
	unlinked := 0
	for _, m := range members {
		if m.PersonID == 0 {
			unlinked++
			if m.BirthYear == 0 {
				missingYear++
			}
		}
	}
	switch {
	case unlinked == 0:
		return nil
	case !consent:
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"consent": "err.staff_card_consent"}}
	case missingYear > 0:
		return ravao.Errorf(ravao.Invalid, "err.staff_card_birth_year", missingYear)
	}
	for i := range members {
		if members[i].PersonID != 0 {
			continue
		}
		id, err := s.createPerson(tx, members[i])
		if err != nil {
			return err
		}
		members[i].PersonID = id
		if err := tx.UpdateStaffMember(&members[i].StaffMember); err != nil {
			return err
		}
	}
	return nil
}

// createPerson registers a member as a person, sealed like every person,
// and returns the ID; when someone registered that phone or ID number in
// the meantime, that person is the member's.
func (s *Service) createPerson(tx ravao.Tx, m opened) (int64, error) {
	phone, err := s.open(m.OrganisationID, ColPhone, m.Phone)
	if err != nil {
		return 0, err
	}
	idn, err := s.open(m.OrganisationID, ColIDNumber, m.IDNumber)
	if err != nil {
		return 0, err
	}
	now := tx.Now()
	p := ravao.Person{ID: vault.NewID(), FullName: m.FullName, Phone: ravao.PII(phone), IDNumber: ravao.PII(idn),
		BirthYear: m.BirthYear, ConsentVersion: s.cfg.ConsentVersion, ConsentChannel: ravao.ConsentProxy,
		ConsentBasis: ravao.BasisConsent, ConsentAt: now, CreatedAt: now}
	if err := p.Validate(now); err != nil {
		return 0, err
	}
	rec, err := s.vault.SealPerson(p)
	if err != nil {
		return 0, err
	}
	err = tx.CreatePerson(&rec)
	if ravao.ErrorCode(err) == ravao.Conflict {
		known, kerr := tx.PersonByPhoneKey(rec.PhoneKey)
		if kerr != nil {
			return 0, err
		}
		return known.ID, nil
	}
	return rec.ID, err
}

// issue re-issues each member's card (bumping the person's card serial)
// and returns the cards, masked name and the organisation as the place.
func (s *Service) issue(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, o ravao.Organisation, members []opened) ([]cards.Card, error) {
	now := tx.Now()
	expires := now.Add(s.cfg.CardTTL).Truncate(time.Second)
	out := make([]cards.Card, 0, len(members))
	for _, m := range members {
		p, err := tx.Person(m.PersonID)
		if err != nil {
			return nil, err
		}
		p.CardSerial++
		if err := tx.UpdatePerson(&p); err != nil {
			return nil, err
		}
		err = tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Action: "person.card_print", ObjectType: "person",
			ObjectID: strconv.FormatInt(p.ID, 10), RequestID: ravao.RequestID(ctx)})
		if err != nil {
			return nil, err
		}
		// A card does not vouch for a declaration: the gate looks the
		// person's current one up, as for every printed card.
		payload, err := s.qr.Issue(personalqr.Claims{PersonID: p.ID, Expires: expires, Kind: personalqr.KindCard, Serial: p.CardSerial})
		if err != nil {
			return nil, err
		}
		out = append(out, cards.Card{Payload: payload, Name: ravao.MaskName(m.FullName), BirthYear: p.BirthYear,
			Place: o.Name, Serial: p.CardSerial, Expires: expires.In(s.cfg.TZ), Issued: now.In(s.cfg.TZ)})
	}
	return out, nil
}
