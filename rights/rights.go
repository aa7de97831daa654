// Package rights answers data subjects: a visitor proves they hold their
// phone with a one-time code, then sees, downloads, corrects or asks to
// delete what Ravao holds about them, or withdraws consent. What cannot be
// done at once (data an open case needs) goes to the data-protection
// officer's queue, due two working days later.
package rights

import (
	"errors"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for data-subject requests.
type Config struct {
	TZ    *time.Location // Asia/Ho_Chi_Minh when nil
	Clock ravao.Clock
	// Holidays are the public holidays that are not working days, besides
	// Saturdays and Sundays.
	Holidays []ravao.Day
}

// Service handles data-subject requests. It is safe for concurrent use.
type Service struct {
	store  ravao.Store
	vault  *vault.Vault
	sender sms.Sender
	cfg    Config
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, sender sms.Sender, cfg Config) (*Service, error) {
	if store == nil || v == nil || sender == nil {
		return nil, errors.New("rights: store, vault and sender are required")
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, sender: sender, cfg: cfg}, nil
}
