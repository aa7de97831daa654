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
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
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
	store    ravao.Store
	vault    *vault.Vault
	places   *places.Service   // the one-time phone codes and their limits
	visitors *visitors.Service // devices and the "my data" view
	cfg      Config
}

// New returns a service. The codes go through places, as registration's
// and device linking's do, with the same limits.
func New(store ravao.Store, v *vault.Vault, pl *places.Service, vis *visitors.Service, cfg Config) (*Service, error) {
	if store == nil || v == nil || pl == nil || vis == nil {
		return nil, errors.New("rights: store, vault, places and visitors are required")
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, places: pl, visitors: vis, cfg: cfg}, nil
}

// Timing of the answers.
const (
	// DueWorkingDays is how long a request may wait for the officer:
	// Decree 356/2025 asks for an answer within two working days.
	DueWorkingDays = 2
	// ProofTTL is how long a verified code opens the data to the browser
	// that entered it.
	ProofTTL = 30 * time.Minute
)

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

// DueAt is when a request made at t must be answered.
func (s *Service) DueAt(t time.Time) time.Time {
	return ravao.AddWorkingDays(t, DueWorkingDays, s.cfg.Holidays, s.cfg.TZ)
}
