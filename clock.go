package ravao

import (
	"context"
	"time"
)

// Clock tells the time. Stores take one so that each transaction carries a
// single "now", and tests can move time by hand.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC, truncated to the millisecond that
// stores keep.
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// FixedClock is a clock that only moves when told to; tests use it.
type FixedClock struct{ T time.Time }

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time { return c.T }

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Daily calls fn every day at hour:00 in loc, as clock tells the time,
// until ctx ends: the morning reports, the night's purge.
func Daily(ctx context.Context, clock Clock, loc *time.Location, hour int, fn func()) {
	for {
		t := time.NewTimer(UntilHour(clock.Now(), loc, hour))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		fn()
	}
}

// UntilHour is the time from now to the next hour:00 in loc (tomorrow's
// when that hour has begun today).
func UntilHour(now time.Time, loc *time.Location, hour int) time.Duration {
	now = now.In(loc)
	next := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, loc)
	if !next.After(now) {
		next = time.Date(now.Year(), now.Month(), now.Day()+1, hour, 0, 0, 0, loc)
	}
	return next.Sub(now)
}
