// Package breaches is the data-protection officer's register of personal
// data breaches: what happened, when it was found, which data and how many
// people, the measures taken; the 72-hour deadline to notify the
// authority, a prefilled notification in Vietnamese, and the people to
// inform.
package breaches

import (
	"errors"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for the register.
type Config struct {
	TZ    *time.Location // Asia/Ho_Chi_Minh when nil
	Clock ravao.Clock
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
	return &Service{store: store, vault: v, cfg: cfg}, nil
}
