package visitors

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/vault"
)

// Declaration is the first visit of a device: the explicit consent, who
// the person is and their answers.
type Declaration struct {
	Consent bool              `json:"consent"`
	Profile Profile           `json:"profile"`
	Answers questions.Answers `json:"answers"`
	// Challenge and Code prove the phone when it was already declared on
	// another device (see RequestLinkCode): the new device then joins the
	// person declared before.
	Challenge string `json:"challenge,omitempty"`
	Code      string `json:"code,omitempty"`
}

// Declared is a person newly remembered by a device.
type Declared struct {
	Token    string // the device secret, for the cookie and local storage
	PersonID int64
	Risk     bool
}

// ErrPhoneLink says the phone was declared on another device: a code sent
// to it (RequestLinkCode) must prove it before this device joins that
// person, so that typing someone's number never shows their visits.
var ErrPhoneLink error = &ravao.Error{Code: ravao.Conflict, Key: "err.phone_link",
	Fields: map[string]string{"phone": "err.phone_link"}}

// linkPurpose is the purpose of the phone codes that link a device.
const linkPurpose = "link"

// RequestLinkCode sends a one-time code to a phone already declared on
// another device and returns the challenge to declare with.
func (s *Service) RequestLinkCode(ctx context.Context, phone, lang string) (string, error) {
	return s.places.RequestCode(ctx, phone, linkPurpose, lang)
}

// Declare records consent, the person and their declaration, and returns a
// new device token. When the phone was declared before (on another phone,
// or before the browser's data was cleared), Declare needs the challenge
// and code of RequestLinkCode and then adds the new answers to that person
// and remembers the device for them; the profile typed now is not used
// (the visitor corrects it from their data page). Without the code it
// returns ErrPhoneLink.
func (s *Service) Declare(ctx context.Context, in Declaration) (Declared, error) {
	fe := ravao.FieldErrors{}
	if !in.Consent {
		fe.Add("consent", "err.consent")
	}
	answers, qerr := s.questions.Check(in.Answers)
	if qerr != nil {
		fe.Merge(qerr)
	}
	var proof *ravao.PhoneChallenge
	if in.Challenge != "" || in.Code != "" {
		phone, err := ravao.NormalizePhone(in.Profile.Phone)
		if err != nil {
			return Declared{}, ravao.FieldError("phone", "err.phone")
		}
		c, err := s.places.VerifyCode(ctx, in.Challenge, strings.TrimSpace(in.Code), phone, linkPurpose)
		if err != nil {
			return Declared{}, codeOnPhone(err)
		}
		proof = &c
	}
	token := vault.NewSecret(24)
	var out Declared
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		now := tx.Now()
		pfe := ravao.FieldErrors{}
		for k, v := range fe {
			pfe[k] = v
		}
		p := s.person(tx, in.Profile, true, now, pfe)
		if err := pfe.Err(); err != nil {
			return err
		}
		if proof != nil {
			if err := places.UseChallenge(tx, *proof); err != nil {
				return err
			}
		}
		known, err := tx.PersonByPhoneKey(s.vault.Lookup("phone", p.Phone.Reveal()))
		switch {
		case err == nil && proof == nil:
			return ErrPhoneLink
		case err == nil:
			out, err = s.link(ctx, tx, known, answers, token)
			return err
		case !ravao.IsNotFound(err):
			return err
		}
		rec, err := s.vault.SealPerson(p)
		if err != nil {
			return err
		}
		if err := tx.CreatePerson(&rec); err != nil {
			if ravao.ErrorCode(err) == ravao.Conflict {
				return ravao.FieldError("id_number", "err.id_number_known")
			}
			return err
		}
		risk, err := s.declare(tx, rec.ID, answers)
		if err != nil {
			return err
		}
		if err := tx.CreateDevice(&ravao.Device{TokenHash: s.deviceHash(token), PersonID: rec.ID}); err != nil {
			return err
		}
		out = Declared{Token: token, PersonID: rec.ID, Risk: risk}
		return tx.AppendAudit(&ravao.AuditEvent{Action: "person.declare", ObjectType: "person",
			ObjectID: strconv.FormatInt(rec.ID, 10), RequestID: ravao.RequestID(ctx)})
	})
	return out, err
}

// link remembers a new device for a person declared before, whose phone a
// code has just proved, with their new answers.
func (s *Service) link(ctx context.Context, tx ravao.Tx, p ravao.PersonRecord, answers questions.Answers, token string) (Declared, error) {
	risk, err := s.declare(tx, p.ID, answers)
	if err != nil {
		return Declared{}, err
	}
	if err := tx.CreateDevice(&ravao.Device{TokenHash: s.deviceHash(token), PersonID: p.ID}); err != nil {
		return Declared{}, err
	}
	return Declared{Token: token, PersonID: p.ID, Risk: risk}, tx.AppendAudit(&ravao.AuditEvent{Action: "person.link_device",
		ObjectType: "person", ObjectID: strconv.FormatInt(p.ID, 10), RequestID: ravao.RequestID(ctx)})
}

// codeOnPhone puts the code check's complaint that the code went to
// another number on the phone field, where the visitor typed it.
func codeOnPhone(err error) error {
	var e *ravao.Error
	if errors.As(err, &e) && e.Fields["contact_phone"] != "" {
		return ravao.FieldError("phone", e.Fields["contact_phone"])
	}
	return err
}

// declare stores a declaration of checked answers and says whether it
// declares a risk.
func (s *Service) declare(tx ravao.Tx, personID int64, answers questions.Answers) (bool, error) {
	d := &ravao.Declaration{PersonID: personID}
	if err := s.sealDeclaration(d, answers); err != nil {
		return false, err
	}
	return d.Risk, tx.AddDeclaration(d)
}

// sealDeclaration fills d's risk bit and its sealed answers, with the
// question set's version.
func (s *Service) sealDeclaration(d *ravao.Declaration, answers questions.Answers) error {
	b, err := json.Marshal(struct {
		Version string            `json:"v"`
		Answers questions.Answers `json:"a"`
	}{s.questions.Version(), answers})
	if err != nil {
		return err
	}
	d.Risk = s.questions.Risk(answers)
	d.Sealed = s.vault.Seal(b, "declaration/"+strconv.FormatInt(d.PersonID, 10))
	return nil
}

// AddDependant adds a child or an elderly relative without a phone to the
// device's person; dependants check in together with them.
func (s *Service) AddDependant(ctx context.Context, token string, in Profile) (int64, error) {
	var id int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		_, guardian, err := s.device(tx, token)
		if err != nil {
			return err
		}
		fe := ravao.FieldErrors{}
		p := s.person(tx, in, false, tx.Now(), fe)
		if err := fe.Err(); err != nil {
			return err
		}
		deps, err := tx.Dependants(guardian.ID)
		if err != nil {
			return err
		}
		if len(deps) >= maxDependants {
			return ravao.FieldError("full_name", "err.too_many_dependants")
		}
		p.ConsentChannel = ravao.ConsentProxy
		rec, err := s.vault.SealPerson(p)
		if err != nil {
			return err
		}
		rec.GuardianID = guardian.ID
		if err := tx.CreatePerson(&rec); err != nil {
			if ravao.ErrorCode(err) == ravao.Conflict {
				return ravao.FieldError("phone", "err.phone_known")
			}
			return err
		}
		id = rec.ID
		return tx.AppendAudit(&ravao.AuditEvent{Action: "person.dependant", ObjectType: "person",
			ObjectID: strconv.FormatInt(rec.ID, 10), RequestID: ravao.RequestID(ctx)})
	})
	return id, err
}

// maxDependants bounds the people one device checks in together.
const maxDependants = 10

// Dependant is a member of a device's household as the pages list them: a
// masked name and the serial of their printed card (0 before any).
type Dependant struct {
	ID         int64
	Name       string // masked
	CardSerial uint32
}

// Dependants lists the device person's dependants, names masked.
func (s *Service) Dependants(ctx context.Context, token string) ([]Dependant, error) {
	return s.members(ctx, token, false)
}

// Household lists the device's person, first, and their dependants, names
// masked.
func (s *Service) Household(ctx context.Context, token string) ([]Dependant, error) {
	return s.members(ctx, token, true)
}

func (s *Service) members(ctx context.Context, token string, withSelf bool) ([]Dependant, error) {
	var out []Dependant
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		p, deps, err := s.household(tx, token)
		if err != nil {
			return err
		}
		if withSelf {
			deps = append([]ravao.PersonRecord{p}, deps...)
		}
		for _, d := range deps {
			person, err := s.vault.OpenPerson(d)
			if err != nil {
				return err
			}
			out = append(out, Dependant{ID: d.ID, Name: ravao.MaskName(person.FullName), CardSerial: d.CardSerial})
		}
		return nil
	})
	return out, err
}
