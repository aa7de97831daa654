package places

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
)

// maxCodeAttempts is how many wrong codes a challenge takes before it is
// dead: a six-digit code guessed five times has a 1 in 200,000 chance.
const maxCodeAttempts = 5

// RequestCode sends a six-digit code to phone and returns the challenge
// secret the browser keeps to answer it. A phone gets at most
// Config.CodesPerHour codes an hour.
func (s *Service) RequestCode(ctx context.Context, phone, purpose, lang string) (string, error) {
	p, err := ravao.NormalizePhone(phone)
	if err != nil {
		return "", ravao.FieldError("phone", "err.phone")
	}
	secret, code := vault.NewSecret(24), sixDigits()
	now := s.now()
	key := s.vault.Lookup("phone", p)
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		n, err := tx.CountPhoneChallenges(key, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if n >= s.cfg.CodesPerHour {
			return ravao.Errorf(ravao.TooMany, "err.code_too_many")
		}
		c := &ravao.PhoneChallenge{
			TokenHash: s.vault.TokenHash(secret), PhoneKey: key, CodeHash: s.codeHash(secret, code),
			Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(s.cfg.CodeTTL),
		}
		return tx.CreatePhoneChallenge(c)
	})
	if err != nil {
		return "", err
	}
	text := s.cat.T(lang, "sms.code", code, int(s.cfg.CodeTTL/time.Minute))
	if err := s.sms.Send(ctx, sms.Message{To: ravao.PII(p), Text: text, Purpose: purpose}); err != nil {
		return "", err
	}
	return secret, nil
}

// codeHash binds a code to its challenge, so a hash is useless elsewhere.
func (s *Service) codeHash(secret, code string) []byte {
	return s.vault.TokenHash("sms code\x00" + secret + "\x00" + code)
}

func sixDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// VerifyCode checks the answer to a challenge for phone and purpose. A
// wrong code counts against the challenge in its own transaction, so that
// failing the rest of a form does not undo the count. On success the
// challenge is returned, to be marked used by UseChallenge inside the
// caller's transaction.
func (s *Service) VerifyCode(ctx context.Context, secret, code, phone, purpose string) (ravao.PhoneChallenge, error) {
	var c ravao.PhoneChallenge
	bad := false
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		bad = false
		c, err = tx.PhoneChallengeByHash(s.vault.TokenHash(secret))
		if ravao.IsNotFound(err) {
			return ravao.FieldError("code", "err.code_expired")
		}
		if err != nil {
			return err
		}
		switch {
		case c.Purpose != purpose || !c.VerifiedAt.IsZero() || !s.now().Before(c.ExpiresAt):
			return ravao.FieldError("code", "err.code_expired")
		case c.Attempts >= maxCodeAttempts:
			return ravao.FieldError("code", "err.code_attempts")
		case subtle.ConstantTimeCompare(c.CodeHash, s.codeHash(secret, code)) != 1:
			c.Attempts++
			bad = true
			return tx.UpdatePhoneChallenge(&c)
		case !bytes.Equal(c.PhoneKey, s.vault.Lookup("phone", phone)):
			return ravao.FieldError("contact_phone", "err.code_phone")
		}
		return nil
	})
	if err == nil && bad {
		err = ravao.FieldError("code", "err.code_wrong")
	}
	return c, err
}

// Registration is a new organisation with its first venue, as the public
// registration page and API send it. Challenge and Code prove the contact
// phone; Login and Password make the registrant's venue-manager account.
type Registration struct {
	Challenge    string            `json:"challenge"`
	Code         string            `json:"code"`
	Organisation string            `json:"organisation"`
	TaxCode      string            `json:"tax_code"` // optional
	Venue        VenueInput        `json:"venue"`
	Checkpoints  []CheckpointInput `json:"checkpoints"`
	Login        string            `json:"login"`
	DisplayName  string            `json:"display_name"`
	Password     string            `json:"password"`
	Lang         string            `json:"lang"`
}

// Registered is the outcome of a registration: the venue, and a session
// for the new manager.
type Registered struct {
	Venue     VenueView
	Session   string
	Principal *ravao.Principal
}

// Register checks everything, then in one transaction marks the phone code
// used and creates the organisation, the venue (approved at once when the
// deployment says so), its checkpoints and the manager's account.
func (s *Service) Register(ctx context.Context, in Registration) (Registered, error) {
	fe := ravao.FieldErrors{}
	org, err := ravao.NormalizeName(in.Organisation)
	if err != nil {
		fe.Add("organisation", "err.place_name")
	}
	tax := taxCode(in.TaxCode, fe)
	v, contact := venue(in.Venue, fe)
	cps := s.checkpoints(in.Checkpoints, v.Type, in.Lang, fe)
	user, err := s.auth.PrepareUser(auth.NewUser{Login: in.Login, DisplayName: in.DisplayName, Password: in.Password, Lang: in.Lang})
	if err != nil {
		fe.Merge(err)
	}
	if in.Challenge == "" || in.Code == "" {
		fe.Add("code", "err.code_required")
	}
	if err := fe.Err(); err != nil {
		return Registered{}, err
	}
	challenge, err := s.VerifyCode(ctx, in.Challenge, in.Code, contact.Phone.Reveal(), "register")
	if err != nil {
		return Registered{}, err
	}
	if s.cfg.AutoApprove {
		v.Status = ravao.VenueApproved
	}
	var venueID, userID int64
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		if err := UseChallenge(tx, challenge); err != nil {
			return err
		}
		o := ravao.Organisation{Name: org, UnitCode: v.UnitCode, Sector: v.Sector, TaxCode: tax}
		if err := s.createPlace(ctx, tx, nil, &o, &v, contact, cps); err != nil {
			return err
		}
		u := user
		err = auth.InsertUser(ctx, tx, nil, &u, []ravao.RoleAssignment{{Role: ravao.RoleVenueManager, OrganisationID: o.ID}})
		venueID, userID = v.ID, u.ID
		return err
	})
	if err != nil {
		return Registered{}, err
	}
	out := Registered{}
	if out.Session, out.Principal, err = s.auth.StartSession(ctx, userID); err != nil {
		return out, err
	}
	out.Venue, err = s.Venue(ctx, out.Principal, venueID)
	return out, err
}

// taxCode checks an optional tax code and returns its normal form ("" when
// none was given); rosters of places that must register match by it.
func taxCode(s string, fe ravao.FieldErrors) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	tc, err := ravao.NormalizeTaxCode(s)
	if err != nil {
		fe.Add("tax_code", "err.tax_code")
	}
	return tc
}

// UseChallenge marks a verified challenge used in tx, so that its code
// proves the phone once: a second use is "expired".
func UseChallenge(tx ravao.Tx, challenge ravao.PhoneChallenge) error {
	c, err := tx.PhoneChallengeByHash(challenge.TokenHash)
	if err != nil {
		return err
	}
	if !c.VerifiedAt.IsZero() {
		return ravao.FieldError("code", "err.code_expired")
	}
	c.VerifiedAt = tx.Now()
	return tx.UpdatePhoneChallenge(&c)
}

// checkpoints checks the checkpoint inputs of a registration; none gives
// one gate named in the registrant's language.
func (s *Service) checkpoints(in []CheckpointInput, t ravao.VenueType, lang string, fe ravao.FieldErrors) []ravao.Checkpoint {
	if len(in) == 0 {
		in = []CheckpointInput{{Name: s.cat.T(lang, "checkpoint.default")}}
	}
	if len(in) > MaxCheckpoints {
		fe.Add("checkpoints", "err.too_many_checkpoints")
		return nil
	}
	out := make([]ravao.Checkpoint, 0, len(in))
	for _, c := range in {
		out = append(out, checkpoint(c, t, "checkpoints", fe))
	}
	return out
}

// createPlace stores an organisation (when o.ID is 0), a venue of it with
// its sealed contact and its checkpoints, in the caller's transaction. It
// resets IDs first: the store may run a transaction more than once.
func (s *Service) createPlace(ctx context.Context, tx ravao.Tx, actor *ravao.Principal,
	o *ravao.Organisation, v *ravao.Venue, contact Contact, cps []ravao.Checkpoint) error {
	path, err := ravao.UnitPathFor(tx, v.UnitCode)
	if err != nil {
		return err
	}
	if o.ID == 0 {
		if err := tx.CreateOrganisation(o); err != nil {
			return err
		}
	}
	v.ID, v.OrganisationID, v.UnitPath, v.Contact, v.ContactKey = 0, o.ID, path, nil, nil
	if err := tx.CreateVenue(v); err != nil {
		return err
	}
	s.setContact(v, contact)
	if err := tx.UpdateVenue(v); err != nil {
		return err
	}
	for i := range cps {
		cps[i].ID, cps[i].VenueID = 0, v.ID
		if err := tx.CreateCheckpoint(&cps[i]); err != nil {
			return err
		}
	}
	return tx.AppendAudit(audit(ctx, actor, "venue.register", "venue", v.ID, ""))
}

// CodeTTL is how long an SMS code stays valid, for the callers that tell
// the registrant.
func (s *Service) CodeTTL() time.Duration { return s.cfg.CodeTTL }
