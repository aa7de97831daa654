// Package auditlog keeps the audit log trustworthy and readable: it seals
// the events the services append into a keyed hash chain, verifies the
// chain (naming the first broken entry), and shows the log to the
// data-protection officer with filters and an export.
package auditlog

import (
	"errors"
	"sync"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for the audit log.
type Config struct {
	TZ    *time.Location // Asia/Ho_Chi_Minh when nil
	Clock ravao.Clock
}

// Service seals, verifies and shows the audit log. It is safe for
// concurrent use.
type Service struct {
	store ravao.Store
	vault *vault.Vault
	cfg   Config

	mu   sync.Mutex
	last *Verification // the last Verify's result, shown by the viewer
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, cfg Config) (*Service, error) {
	if store == nil || v == nil {
		return nil, errors.New("auditlog: store and vault are required")
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, cfg: cfg}, nil
}
