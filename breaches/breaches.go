// Package breaches is the data-protection officer's register of personal
// data breaches: what happened, when it was found, which data and how many
// people, the measures taken; the 72-hour deadline to notify the
// authority, a prefilled notification in Vietnamese, and the people to
// inform.
//
// Only the data-protection officer (ravao.PermProtectData, the DPO role)
// keeps the register: administrators manage accounts and settings, not
// incidents about personal data, and do not see it. Every action and read
// is audited. The officer's free text (description, place, measures,
// consequences, reason for lateness) is treated as sensitive and kept
// sealed, bound to the breach (aad "breach/ID/text").
//
// Affected people are listed for the officer (masked) and exported as a
// CSV of phones for the notification SMS; the tracing notification queue
// is not used, as its messages belong to a case's contacts and say a
// fixed text, while a breach notice is the controller's own message.
package breaches

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for the register.
type Config struct {
	TZ    *time.Location // Asia/Ho_Chi_Minh when nil
	Clock ravao.Clock
	// Catalogue words the notification report; the embedded one when nil.
	Catalogue *i18n.Catalogue
}

// Service keeps the breach register. It is safe for concurrent use.
type Service struct {
	store ravao.Store
	vault *vault.Vault
	cfg   Config
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, cfg Config) (*Service, error) {
	if store == nil || v == nil {
		return nil, errors.New("breaches: store and vault are required")
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	if cfg.Catalogue == nil {
		cat, err := i18n.New("vi")
		if err != nil {
			return nil, err
		}
		cfg.Catalogue = cat
	}
	return &Service{store: store, vault: v, cfg: cfg}, nil
}

// TZ is the time zone the register shows times in.
func (s *Service) TZ() *time.Location { return s.cfg.TZ }

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

// mayProtect refuses anyone but the data-protection officer.
func mayProtect(actor *ravao.Principal) error {
	if !actor.MayEver(ravao.PermProtectData) {
		return ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	return nil
}

// audit records an action on the register; reason never holds personal
// data (a criterion's kind, a status).
func audit(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, action string, id int64, reason string) error {
	e := &ravao.AuditEvent{At: tx.Now(), UserID: actor.User.ID, Role: ravao.RoleDPO, Action: action,
		ObjectType: "breach", Reason: reason, RequestID: ravao.RequestID(ctx)}
	if id != 0 {
		e.ObjectID = strconv.FormatInt(id, 10)
	}
	return tx.AppendAudit(e)
}

// sealedText is what a breach keeps sealed.
type sealedText struct {
	What         string `json:"what"`
	Place        string `json:"place,omitempty"`
	Measures     string `json:"measures,omitempty"`
	Consequences string `json:"consequences,omitempty"`
	LateReason   string `json:"late_reason,omitempty"`
}

func textAAD(id int64) string { return "breach/" + strconv.FormatInt(id, 10) + "/text" }

// seal puts b's free text into b.Sealed.
func (s *Service) seal(b *ravao.Breach) error {
	plain, err := json.Marshal(sealedText{b.What, b.Place, b.Measures, b.Consequences, b.LateReason})
	if err != nil {
		return err
	}
	b.Sealed = s.vault.Seal(plain, textAAD(b.ID))
	return nil
}

// open fills b's free text from b.Sealed.
func (s *Service) open(b *ravao.Breach) error {
	plain, err := s.vault.Open(b.Sealed, textAAD(b.ID))
	if err != nil {
		return err
	}
	var t sealedText
	if err := json.Unmarshal(plain, &t); err != nil {
		return err
	}
	b.What, b.Place, b.Measures, b.Consequences, b.LateReason = t.What, t.Place, t.Measures, t.Consequences, t.LateReason
	return nil
}

// load reads a breach and opens its text.
func (s *Service) load(tx ravao.Tx, id int64) (ravao.Breach, error) {
	b, err := tx.Breach(id)
	if err != nil {
		return b, err
	}
	return b, s.open(&b)
}

// event records a step of b's history by actor.
func event(tx ravao.Tx, actor *ravao.Principal, b ravao.Breach, action string) error {
	return tx.AddBreachEvent(&ravao.BreachEvent{BreachID: b.ID, UserID: actor.User.ID, Action: action, Status: b.Status})
}
