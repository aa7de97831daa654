package rights

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/visitors"
)

// codePurpose is the purpose of the codes that open a person's data.
const codePurpose = "data"

// errNoPhone says the device's person has no phone to send a code to.
func errNoPhone() error { return ravao.Errorf(ravao.Conflict, "err.dsr_no_phone") }

// errProofNeeded asks for a code before the data are shown or changed.
func errProofNeeded() error { return ravao.Errorf(ravao.Unauthorized, "err.dsr_code_needed") }

// SendCode sends a one-time code to the phone of the device's person and
// returns the challenge to answer it with. People without a phone
// (dependants, residents) are answered through their guardian's device or
// the commune official, never here.
func (s *Service) SendCode(ctx context.Context, token, lang string) (string, error) {
	phone, err := s.devicePhone(ctx, token)
	if err != nil {
		return "", err
	}
	return s.places.RequestCode(ctx, phone, codePurpose, lang)
}

// Verify checks the code the person received; the challenge then is the
// proof that opens their data in this browser for ProofTTL. Wrong codes
// count against the challenge as everywhere else: five, and it is dead.
func (s *Service) Verify(ctx context.Context, token, challenge, code string) error {
	phone, err := s.devicePhone(ctx, token)
	if err != nil {
		return err
	}
	c, err := s.places.VerifyCode(ctx, challenge, strings.TrimSpace(code), phone, codePurpose)
	if err != nil {
		return onCode(err)
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		p, err := s.person(tx, token)
		if err != nil {
			return err
		}
		if err := places.UseChallenge(tx, c); err != nil {
			return err
		}
		return personAudit(ctx, tx, "person.data_verify", p.ID)
	})
}

// onCode puts every complaint about a code on the code field: the phone
// is not typed here, it is the person's.
func onCode(err error) error {
	var e *ravao.Error
	if errors.As(err, &e) && e.Fields["contact_phone"] != "" {
		return ravao.FieldError("code", "err.code_wrong")
	}
	return err
}

// Proven checks that proof (a challenge verified by Verify) still opens
// the data of the device's person.
func (s *Service) Proven(ctx context.Context, token, proof string) error {
	return s.store.View(ctx, func(tx ravao.Tx) error {
		_, err := s.proven(tx, token, proof)
		return err
	})
}

// proven returns the device's person when proof opens their data.
func (s *Service) proven(tx ravao.Tx, token, proof string) (ravao.PersonRecord, error) {
	p, err := s.person(tx, token)
	if err != nil {
		return p, err
	}
	if proof == "" || len(proof) > 100 {
		return p, errProofNeeded()
	}
	c, err := tx.PhoneChallengeByHash(s.vault.TokenHash(proof))
	if ravao.IsNotFound(err) {
		return p, errProofNeeded()
	}
	if err != nil {
		return p, err
	}
	if c.Purpose != codePurpose || c.VerifiedAt.IsZero() || !tx.Now().Before(c.VerifiedAt.Add(ProofTTL)) ||
		len(p.PhoneKey) == 0 || !bytes.Equal(c.PhoneKey, p.PhoneKey) {
		return p, errProofNeeded()
	}
	return p, nil
}

// person returns the device's person, even when they withdrew consent:
// they still see what became of their request.
func (s *Service) person(tx ravao.Tx, token string) (ravao.PersonRecord, error) {
	_, p, err := s.visitors.DevicePerson(tx, token)
	return p, err
}

// devicePhone is the phone of the device's person.
func (s *Service) devicePhone(ctx context.Context, token string) (string, error) {
	var phone string
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		r, err := s.person(tx, token)
		if err != nil {
			return err
		}
		p, err := s.vault.OpenPerson(r)
		if err != nil {
			return err
		}
		if phone = p.Phone.Reveal(); phone == "" {
			return errNoPhone()
		}
		return nil
	})
	return phone, err
}

// MyData is everything held about the device's person and their
// dependants, once proof opened it. Reading it is audited.
func (s *Service) MyData(ctx context.Context, token, proof string) (visitors.Data, error) {
	if err := s.Proven(ctx, token, proof); err != nil {
		return visitors.Data{}, err
	}
	return s.visitors.MyData(ctx, token)
}

// personAudit records an action of the data subject on their record.
func personAudit(ctx context.Context, tx ravao.Tx, action string, personID int64) error {
	return tx.AppendAudit(&ravao.AuditEvent{Action: action, ObjectType: "person",
		ObjectID: strconv.FormatInt(personID, 10), RequestID: ravao.RequestID(ctx)})
}
