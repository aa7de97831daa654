// Package visitors is what a visitor does with their own phone, with no
// account: consent and the health declaration the first time on a device,
// then one-tap check-in at a poster's code, the pass, check-out (by tap or
// automatically), their own visits and their personal QR code.
//
// A device is remembered by a random secret (cookie and local storage);
// only its keyed hash is stored, and no personal data is ever in a URL.
package visitors

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for visitors.
type Config struct {
	ConsentVersion string         // the consent text's version, recorded with each person
	TZ             *time.Location // closing times are local; Asia/Ho_Chi_Minh when nil
	ScreenQRTTL    time.Duration  // life of the on-screen personal QR code (5 minutes)
	CardTTL        time.Duration  // life of a printed QR card (a year)
	Clock          ravao.Clock
}

// Service runs the visitor flows. It is safe for concurrent use.
type Service struct {
	store     ravao.Store
	vault     *vault.Vault
	places    *places.Service
	questions *questions.Set
	writer    *ravao.VisitWriter
	qr        *personalqr.Signer
	verifier  *personalqr.Verifier
	cfg       Config
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, pl *places.Service, qs *questions.Set, cfg Config) (*Service, error) {
	if store == nil || v == nil || pl == nil || qs == nil {
		return nil, errors.New("visitors: store, vault, places and questions are required")
	}
	if cfg.ConsentVersion == "" {
		cfg.ConsentVersion = "1"
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.ScreenQRTTL <= 0 {
		cfg.ScreenQRTTL = 5 * time.Minute
	}
	if cfg.CardTTL <= 0 {
		cfg.CardTTL = 365 * 24 * time.Hour
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	key := v.PersonalQRKey()
	return &Service{
		store: store, vault: v, places: pl, questions: qs, writer: &ravao.VisitWriter{Store: store},
		qr: personalqr.NewSigner(key), verifier: personalqr.NewVerifier(key.Public().(ed25519.PublicKey)),
		cfg: cfg,
	}, nil
}

// Writer is the service's check-in writer. Other services that record
// visits on the same store (the gate) share it, so that all check-ins join
// the same group commits.
func (s *Service) Writer() *ravao.VisitWriter { return s.writer }

// Questions is the deployment's question set.
func (s *Service) Questions() *questions.Set { return s.questions }

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

// errDeviceUnknown sends the visitor to consent and declaration: the
// device is new, was forgotten, or its person was deleted.
func errDeviceUnknown() error { return ravao.Errorf(ravao.Unauthorized, "err.device_unknown") }

// device returns the device a token names and its person.
func (s *Service) device(tx ravao.Tx, token string) (ravao.Device, ravao.PersonRecord, error) {
	v, err := s.deviceVisitor(tx, token)
	return v.Device, v.Person, err
}

// deviceVisitor reads who a device token names, with their latest
// declaration and tracing state, refusing as device does.
func (s *Service) deviceVisitor(tx ravao.Tx, token string) (ravao.DeviceVisitor, error) {
	v, err := s.deviceRead(tx, token)
	if err == nil && !v.Person.WithdrawnAt.IsZero() {
		return v, ErrWithdrawn
	}
	return v, err
}

// DevicePerson returns the device a token names and its person, even one
// who withdrew consent (they still see what became of their requests);
// an unknown token, or a person no longer there, is Unauthorized.
func (s *Service) DevicePerson(tx ravao.Tx, token string) (ravao.Device, ravao.PersonRecord, error) {
	v, err := s.deviceRead(tx, token)
	return v.Device, v.Person, err
}

// deviceRead is DevicePerson with what a check-in reads besides.
func (s *Service) deviceRead(tx ravao.Tx, token string) (ravao.DeviceVisitor, error) {
	if token == "" || len(token) > 100 {
		return ravao.DeviceVisitor{}, errDeviceUnknown()
	}
	v, err := tx.DeviceVisitor(s.deviceHash(token))
	if ravao.IsNotFound(err) {
		return v, errDeviceUnknown()
	}
	return v, err
}

// ErrWithdrawn refuses a device whose person withdrew their consent while
// an open case still needs their data: it no longer checks in, and the
// data are deleted when the case closes.
var ErrWithdrawn error = ravao.Errorf(ravao.Forbidden, "err.consent_withdrawn")

// DeviceHash is the stored form of a device token, for the services that
// answer a device's person (data-subject requests).
func (s *Service) DeviceHash(token string) []byte { return s.deviceHash(token) }

// household returns the device's person and their dependants.
func (s *Service) household(tx ravao.Tx, token string) (ravao.PersonRecord, []ravao.PersonRecord, error) {
	_, p, err := s.device(tx, token)
	if err != nil {
		return p, nil, err
	}
	deps, err := tx.Dependants(p.ID)
	return p, deps, err
}

// Remember checks that a token names a device whose person still exists,
// and notes that the device was seen: the server then sets its cookie
// again (the browser had lost it but kept the token in local storage).
func (s *Service) Remember(ctx context.Context, token string) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		d, _, err := s.device(tx, token)
		if err != nil {
			return err
		}
		return tx.TouchDevice(d.ID, tx.Now())
	})
}

// deviceHash is the stored form of a device token.
func (s *Service) deviceHash(token string) []byte { return s.vault.TokenHash("device\x00" + token) }

// Profile is a person as the declaration form gives it.
type Profile struct {
	FullName  string `json:"full_name"`
	Phone     string `json:"phone"`
	IDNumber  string `json:"id_number"`
	BirthYear int    `json:"birth_year"`
	Sex       string `json:"sex"`
	UnitCode  string `json:"unit_code"`
}

// person normalises and checks a profile into a person with every problem
// as a field error. Phone is required for an adult, optional for a
// dependant.
func (s *Service) person(tx ravao.Tx, in Profile, phoneRequired bool, now time.Time, fe ravao.FieldErrors) ravao.Person {
	p := ravao.Person{
		ID: vault.NewID(), BirthYear: in.BirthYear, Sex: ravao.Sex(strings.TrimSpace(in.Sex)),
		UnitCode: strings.TrimSpace(in.UnitCode), ConsentVersion: s.cfg.ConsentVersion,
		ConsentChannel: ravao.ConsentSelf, ConsentBasis: ravao.BasisConsent, ConsentAt: now,
	}
	if name, err := ravao.NormalizeName(in.FullName); err != nil {
		fe.Add("full_name", "err.full_name")
	} else {
		p.FullName = ravao.PII(name)
	}
	switch phone, err := ravao.NormalizePhone(in.Phone); {
	case strings.TrimSpace(in.Phone) == "" && phoneRequired:
		fe.Add("phone", "err.required")
	case strings.TrimSpace(in.Phone) == "":
	case err != nil:
		fe.Add("phone", "err.phone")
	default:
		p.Phone = ravao.PII(phone)
	}
	if strings.TrimSpace(in.IDNumber) != "" {
		id, err := ravao.NormalizeCCCD(in.IDNumber)
		if err != nil {
			fe.Add("id_number", "err.cccd")
		}
		p.IDNumber = ravao.PII(id)
	}
	if p.UnitCode == "" {
		fe.Add("unit", "err.required")
	} else if _, err := tx.Unit(ravao.ActiveUnitVersion(tx), p.UnitCode); err != nil {
		fe.Add("unit", "err.unit_unknown")
	}
	if len(fe) == 0 {
		fe.Merge(p.Validate(now))
	}
	return p
}

// hashRequest is the RequestHash of a check-in body.
func hashRequest(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}
