// Package ratelimit bounds how fast one client may do something costly or
// guessable: sign in, ask for an SMS code, try checkpoint codes.
package ratelimit

import (
	"net/netip"
	"sync"
	"time"
)

// Limiter is an in-memory token bucket per client address that bounds how
// fast one machine can guess, whatever accounts or codes it tries. It
// forgets addresses whose bucket has refilled, so it stays small. Each
// server keeps its own; a later version moves it to the database so that
// servers behind a load balancer share it.
type Limiter struct {
	mu        sync.Mutex
	burst     float64
	per       time.Duration
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the map between sweeps: an attacker with many
// addresses triggers an early sweep rather than unbounded growth.
const maxBuckets = 100_000

// New returns a limiter that lets each client do burst actions at once and
// one more every per.
func New(burst int, per time.Duration) *Limiter {
	return &Limiter{burst: float64(burst), per: per, buckets: map[string]*bucket{}}
}

// Allow takes one token from ip's bucket, saying whether there was one.
func (l *Limiter) Allow(ip string, now time.Time) bool {
	key := clientKey(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute || len(l.buckets) >= maxBuckets {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.refill(now, l.burst, l.per)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// refill adds the tokens earned since the bucket was last used.
func (b *bucket) refill(now time.Time, burst float64, per time.Duration) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(burst, b.tokens+float64(elapsed)/float64(per))
		b.last = now
	}
}

// sweep forgets the buckets that have refilled: they hold nothing a new
// bucket would not.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		b.refill(now, l.burst, l.per)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// clientKey groups addresses that one client controls: an IPv6 client
// usually holds a whole /64 and could otherwise rotate through it. A port,
// as in a raw RemoteAddr, is ignored.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if ap, perr := netip.ParseAddrPort(ip); perr == nil {
		a, err = ap.Addr(), nil
	}
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
