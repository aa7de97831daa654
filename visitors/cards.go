package visitors

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/cards"
	"github.com/ravao/ravao/personalqr"
)

// MyCards prints new QR cards for the device's person and those of their
// dependants whose ids are in who (the person's own id prints theirs; no
// ids print the person's). Printing a card re-issues it: the person's
// earlier card stops working at once.
func (s *Service) MyCards(ctx context.Context, token string, who []int64) ([]cards.Card, error) {
	return s.myCards(ctx, token, who, true)
}

// RevokeMyCards stops the printed cards of the device's person (or of the
// dependants in who) from working, without printing new ones: for a lost
// or stolen card.
func (s *Service) RevokeMyCards(ctx context.Context, token string, who []int64) error {
	_, err := s.myCards(ctx, token, who, false)
	return err
}

func (s *Service) myCards(ctx context.Context, token string, who []int64, print bool) ([]cards.Card, error) {
	var out []cards.Card
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		p, deps, err := s.household(tx, token)
		if err != nil {
			return err
		}
		people, err := chosen(append([]ravao.PersonRecord{p}, deps...), who)
		if err != nil {
			return err
		}
		out, err = s.reissueCards(ctx, tx, people, print, nil)
		return err
	})
	return out, err
}

// chosen picks the people whose ids are in who, in the order of people;
// no ids choose the first. An id that is not among people is NotFound.
func chosen(people []ravao.PersonRecord, who []int64) ([]ravao.PersonRecord, error) {
	if len(who) == 0 {
		return people[:1], nil
	}
	var out []ravao.PersonRecord
	for _, id := range who {
		if !slices.ContainsFunc(people, func(p ravao.PersonRecord) bool { return p.ID == id }) {
			return nil, ravao.Errorf(ravao.NotFound, "err.person_not_found")
		}
	}
	for _, p := range people {
		if slices.Contains(who, p.ID) {
			out = append(out, p)
		}
	}
	return out, nil
}

// reissueCards bumps the card serial of each person, so their earlier
// cards stop working, and when print is set returns their new cards. The
// audit records who did it (actor, nil for a visitor) and for whom.
func (s *Service) reissueCards(ctx context.Context, tx ravao.Tx, people []ravao.PersonRecord, print bool, actor *ravao.Principal) ([]cards.Card, error) {
	now := tx.Now()
	expires := now.Add(s.cfg.CardTTL).Truncate(time.Second)
	action := "person.card_revoke"
	if print {
		action = "person.card_print"
	}
	places := map[string]string{}
	var out []cards.Card
	for _, p := range people {
		p.CardSerial++
		if err := tx.UpdatePerson(&p); err != nil {
			return nil, err
		}
		e := &ravao.AuditEvent{Action: action, ObjectType: "person", ObjectID: strconv.FormatInt(p.ID, 10),
			RequestID: ravao.RequestID(ctx)}
		if actor != nil {
			e.UserID = actor.User.ID
		}
		if err := tx.AppendAudit(e); err != nil {
			return nil, err
		}
		if !print {
			continue
		}
		// A card does not vouch for a declaration: it lives for months, so
		// the gate looks the person's current one up (Green is false).
		payload, err := s.qr.Issue(personalqr.Claims{PersonID: p.ID, Expires: expires, Kind: personalqr.KindCard, Serial: p.CardSerial})
		if err != nil {
			return nil, err
		}
		person, err := s.vault.OpenPerson(p)
		if err != nil {
			return nil, err
		}
		place, ok := places[p.UnitCode]
		if !ok {
			place = unitPlace(tx, p.UnitCode)
			places[p.UnitCode] = place
		}
		out = append(out, cards.Card{Payload: payload, Name: ravao.MaskName(person.FullName), BirthYear: p.BirthYear,
			Place: place, Serial: p.CardSerial, Expires: expires.In(s.cfg.TZ), Issued: now.In(s.cfg.TZ)})
	}
	return out, nil
}

// unitPlace names a unit with its province ("Phường Phú Hội, Thành phố
// Huế"), or "" when the unit is not in the active tree.
func unitPlace(tx ravao.Tx, code string) string {
	version := ravao.ActiveUnitVersion(tx)
	u, err := tx.Unit(version, code)
	if err != nil {
		return ""
	}
	up, err := tx.UnitAncestors(version, code)
	if err != nil || len(up) == 0 {
		return u.FullName
	}
	return u.FullName + ", " + up[0].FullName
}

// CheckPersonalQR checks a personal QR code as a gate does online: the
// signature and expiry, that the person still exists, and for a printed
// card that it is the person's current card (not re-issued or revoked).
// Every failure is the same "not valid" or "expired" answer.
func (s *Service) CheckPersonalQR(ctx context.Context, payload string) (personalqr.Claims, error) {
	c, err := s.verifier.Parse(payload, s.now())
	if err != nil {
		return c, err
	}
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		_, err := Holder(tx, c)
		return err
	})
	return c, err
}

// Holder is the person a verified personal code names, read in tx: a
// person who no longer exists, or a printed card that is not their current
// one, is personalqr.ErrInvalid. Gates call it inside the transaction that
// records the scan.
func Holder(tx ravao.Tx, c personalqr.Claims) (ravao.PersonRecord, error) {
	p, err := tx.Person(c.PersonID)
	switch {
	case ravao.IsNotFound(err):
		return p, personalqr.ErrInvalid
	case err != nil:
		return p, err
	case c.Kind == personalqr.KindCard && p.CardSerial != c.Serial:
		return p, personalqr.ErrInvalid
	}
	return p, nil
}
