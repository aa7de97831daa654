package visitors

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/vault"
)

// Declaration is the first visit of a device: the explicit consent, who
// the person is and their answers.
type Declaration struct {
	Consent bool              `json:"consent"`
	Profile Profile           `json:"profile"`
	Answers questions.Answers `json:"answers"`
}

// Declared is a person newly remembered by a device.
type Declared struct {
	Token    string // the device secret, for the cookie and local storage
	PersonID int64
	Risk     bool
}

// Declare records consent, the person and their declaration, and returns a
// new device token. A phone already registered is refused for now
// (err.phone_known): linking it to a new device will need the SMS proof
// the registration of places uses, so that typing someone's number never
// shows their visits.
func (s *Service) Declare(ctx context.Context, in Declaration) (Declared, error) {
	fe := ravao.FieldErrors{}
	if !in.Consent {
		fe.Add("consent", "err.consent")
	}
	answers, qerr := s.questions.Check(in.Answers)
	if qerr != nil {
		fe.Merge(qerr)
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
		if _, err := tx.PersonByPhoneKey(s.vault.Lookup("phone", p.Phone.Reveal())); err == nil {
			return ravao.FieldError("phone", "err.phone_known")
		} else if !ravao.IsNotFound(err) {
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

// declare stores a declaration of checked answers and says whether it
// declares a risk.
func (s *Service) declare(tx ravao.Tx, personID int64, answers questions.Answers) (bool, error) {
	b, err := json.Marshal(struct {
		Version string            `json:"v"`
		Answers questions.Answers `json:"a"`
	}{s.questions.Version(), answers})
	if err != nil {
		return false, err
	}
	d := &ravao.Declaration{PersonID: personID, Risk: s.questions.Risk(answers),
		Sealed: s.vault.Seal(b, "declaration/"+strconv.FormatInt(personID, 10))}
	return d.Risk, tx.AddDeclaration(d)
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

// Dependant is a dependant as the pages list them: a masked name.
type Dependant struct {
	ID   int64
	Name string // masked
}

// Dependants lists the device person's dependants, names masked.
func (s *Service) Dependants(ctx context.Context, token string) ([]Dependant, error) {
	var out []Dependant
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		_, p, err := s.device(tx, token)
		if err != nil {
			return err
		}
		deps, err := tx.Dependants(p.ID)
		if err != nil {
			return err
		}
		for _, d := range deps {
			person, err := s.vault.OpenPerson(d)
			if err != nil {
				return err
			}
			out = append(out, Dependant{ID: d.ID, Name: ravao.MaskName(person.FullName)})
		}
		return nil
	})
	return out, err
}
