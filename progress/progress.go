// Package progress is how the deployment is going, for the officials who
// must report it: per administrative unit, sector and day, places
// registered (total, new, approved, pending, suspended), places active,
// check-ins and check-outs, people, red decisions and declarations with
// symptoms; the breakdown by sub-unit down to each place's own days; the
// sub-units and places without a scan, by name. Every figure is a sum over
// roll-ups (venue_days, kept with the visits; unit_days, made by RollupDay),
// never a scan of the visits at request time.
package progress

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for progress.
type Config struct {
	TZ    *time.Location // days are counted here; Asia/Ho_Chi_Minh when nil
	Clock ravao.Clock
	// MaxDays bounds a range (92).
	MaxDays int
	// SilentScanMax is the most approved places a unit may have for its
	// view to list the silent ones by name (5,000): finding the first 500
	// by name sorts them all, which at a province of 100,000 places took
	// 250 ms. Above it the view names the silent sub-units instead.
	SilentScanMax int
	// Vault seals roster entries' phones and makes their keyed lookups;
	// rosters cannot be uploaded without it.
	Vault *vault.Vault
	// KeepReports is how many days the daily reports made each morning
	// are kept (92).
	KeepReports int
}

// Service answers progress views. It is safe for concurrent use.
type Service struct {
	store ravao.Store
	cfg   Config
	// matchedUpTo is the newest venue ID Rematch has matched against:
	// without a newer venue, a round has nothing new to find.
	matchedUpTo atomic.Int64
}

// New returns a service.
func New(store ravao.Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("progress: store is required")
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	if cfg.MaxDays <= 0 {
		cfg.MaxDays = 92
	}
	if cfg.KeepReports <= 0 {
		cfg.KeepReports = 92
	}
	if cfg.SilentScanMax <= 0 {
		cfg.SilentScanMax = 5000
	}
	return &Service{store: store, cfg: cfg}, nil
}

// Today is the current day in the deployment's time zone.
func (s *Service) Today() ravao.Day { return ravao.DayOf(s.cfg.Clock.Now(), s.cfg.TZ) }
