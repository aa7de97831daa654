package tracing

import (
	"errors"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/visitors"
)

// PersonView is a person in clear, shown only inside a case.
type PersonView struct {
	ID        int64
	FullName  string
	Phone     string
	BirthYear int
	UnitCode  string
}

// findPerson is the person OpenCase names by exactly one of its
// identifiers, always through a keyed lookup or a signed code: never by
// reading people in clear. Anything unknown is a field error.
func (s *Service) findPerson(tx ravao.Tx, in OpenCase) (ravao.PersonRecord, error) {
	given := 0
	for _, v := range []string{strings.TrimSpace(in.Phone), strings.TrimSpace(in.IDNumber), strings.TrimSpace(in.PersonalQR)} {
		if v != "" {
			given++
		}
	}
	if in.PersonID != 0 {
		given++
	}
	switch {
	case given == 0:
		return ravao.PersonRecord{}, ravao.FieldError("person", "err.case_person")
	case given > 1:
		return ravao.PersonRecord{}, ravao.FieldError("person", "err.case_person_one")
	case in.PersonID != 0:
		p, err := tx.Person(in.PersonID)
		return p, unknownOn("person", err)
	case strings.TrimSpace(in.Phone) != "":
		n, err := ravao.NormalizePhone(in.Phone)
		if err != nil {
			return ravao.PersonRecord{}, ravao.FieldError("phone", "err.phone")
		}
		p, err := tx.PersonByPhoneKey(s.vault.Lookup("phone", n))
		return p, unknownOn("phone", err)
	case strings.TrimSpace(in.IDNumber) != "":
		n, err := ravao.NormalizeCCCD(in.IDNumber)
		if err != nil {
			return ravao.PersonRecord{}, ravao.FieldError("id_number", "err.cccd")
		}
		p, err := tx.PersonByIDNumberKey(s.vault.Lookup("cccd", n))
		return p, unknownOn("id_number", err)
	}
	return s.qrHolder(tx, in.PersonalQR)
}

// unknownOn turns a lookup that found nobody into a field error on the
// field that named them.
func unknownOn(field string, err error) error {
	if ravao.IsNotFound(err) {
		return ravao.FieldError(field, "err.person_not_found")
	}
	return err
}

// qrHolder is the person a scanned personal QR code or card names, with
// the gates' checks: the signature, the expiry, and for a card that it is
// the person's current one (visitors.Holder).
func (s *Service) qrHolder(tx ravao.Tx, payload string) (ravao.PersonRecord, error) {
	if s.cfg.Verifier == nil {
		return ravao.PersonRecord{}, ravao.FieldError("personal_qr", "err.personal_qr_invalid")
	}
	c, err := s.cfg.Verifier.Parse(payload, tx.Now())
	if errors.Is(err, personalqr.ErrExpired) {
		return ravao.PersonRecord{}, ravao.FieldError("personal_qr", "err.personal_qr_expired")
	}
	if err != nil {
		return ravao.PersonRecord{}, ravao.FieldError("personal_qr", "err.personal_qr_invalid")
	}
	p, err := visitors.Holder(tx, c)
	if errors.Is(err, personalqr.ErrInvalid) {
		return p, ravao.FieldError("personal_qr", "err.personal_qr_invalid")
	}
	return p, err
}

// people opens stored people on demand, each once per transaction.
type people struct {
	s    *Service
	tx   ravao.Tx
	seen map[int64]ravao.Person
}

func (s *Service) people(tx ravao.Tx) *people {
	return &people{s: s, tx: tx, seen: map[int64]ravao.Person{}}
}

// get returns a person in clear.
func (ps *people) get(id int64) (ravao.Person, error) {
	if p, ok := ps.seen[id]; ok {
		return p, nil
	}
	r, err := ps.tx.Person(id)
	if err != nil {
		return ravao.Person{}, err
	}
	p, err := ps.s.vault.OpenPerson(r)
	if err != nil {
		return ravao.Person{}, err
	}
	ps.seen[id] = p
	return p, nil
}

// view is a person as a case shows them, in clear.
func (ps *people) view(id int64) (PersonView, error) {
	p, err := ps.get(id)
	if err != nil {
		return PersonView{}, err
	}
	return PersonView{ID: p.ID, FullName: p.FullName.Reveal(), Phone: p.Phone.Reveal(), BirthYear: p.BirthYear, UnitCode: p.UnitCode}, nil
}

// masked is a person's masked name, as lists show it.
func (ps *people) masked(id int64) (string, error) {
	p, err := ps.get(id)
	if err != nil {
		return "", err
	}
	return ravao.MaskName(p.FullName), nil
}

// users names staff accounts, each read once per transaction.
type users struct {
	tx    ravao.Tx
	names map[int64]string
}

func newUsers(tx ravao.Tx) *users { return &users{tx: tx, names: map[int64]string{}} }

// name is a user's display name; "" for 0.
func (us *users) name(id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	if n, ok := us.names[id]; ok {
		return n, nil
	}
	u, err := us.tx.User(id)
	if err != nil {
		return "", err
	}
	us.names[id] = u.DisplayName
	return u.DisplayName, nil
}
