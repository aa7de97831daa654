// Package retention deletes personal data once it has served its purpose:
// visits, declarations, people without visits and closed cases older than
// the deployment's periods, except what an open case still needs. The
// roll-ups, which hold no personal data, stay.
package retention

import (
	"errors"
	"time"

	"github.com/ravao/ravao"
)

// Config holds the retention periods (30 days each by default) and when
// the daily purge runs.
type Config struct {
	Visits       time.Duration
	Declarations time.Duration
	People       time.Duration // people without a visit or declaration since
	Cases        time.Duration // closed cases, from their closing
	Windows      time.Duration // exposure windows, from their end (default: Visits)
	// Hour is the local hour (0-23) of the daily purge that Run keeps;
	// the command line's default is DefaultHour.
	Hour  int
	TZ    *time.Location
	Clock ravao.Clock
}

// Service purges. It is safe for concurrent use.
type Service struct {
	store ravao.Store
	cfg   Config
}

// DefaultPeriod is the retention period of everything when none is set:
// 30 days, as the national system kept data in 2021.
const DefaultPeriod = 30 * 24 * time.Hour

// New returns a service.
func New(store ravao.Store, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("retention: store is required")
	}
	if cfg.Hour < 0 || cfg.Hour > 23 {
		return nil, errors.New("retention: the purge hour must be between 0 and 23")
	}
	for _, p := range []*time.Duration{&cfg.Visits, &cfg.Declarations, &cfg.People, &cfg.Cases} {
		if *p <= 0 {
			*p = DefaultPeriod
		}
	}
	if cfg.Windows <= 0 {
		cfg.Windows = cfg.Visits // a phone holds no visit older than that to match
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, cfg: cfg}, nil
}
