package ravao

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Several servers against one database run each background job once, not
// once per process: the job runs only in the process holding its lease
// (Tx.AcquireLease), which renews it while it runs and releases it when it
// stops; the others wait to take it over.

// NewHolder names this process as a lease holder: host name, process ID
// and a random part, so that a restarted process is a new holder.
func NewHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Lease describes one job's lease.
type Lease struct {
	Store  Store
	Name   string        // the job, e.g. "retention.purge"
	Holder string        // this process (NewHolder)
	TTL    time.Duration // how long the lease outlives its last renewal
	Log    *slog.Logger  // nil logs nothing
}

// Leased runs fn while l is held, until ctx ends. It tries to acquire the
// lease every TTL/3; once held, it runs fn with a context that is cancelled
// when the lease is lost (a renewal, every TTL/3, fails or finds another
// holder) or ctx ends, and releases the lease when fn returns. When fn
// returns on its own, with the lease still held, Leased returns too: a
// one-shot job runs once across the servers that start together.
func Leased(ctx context.Context, l Lease, fn func(context.Context)) {
	every := l.TTL / 3
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if ok, err := l.acquire(ctx); err == nil && ok {
			if l.hold(ctx, fn, t) {
				return
			}
		} else if err != nil && ctx.Err() == nil {
			l.log().Warn("lease", "job", l.Name, "err", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// hold runs fn under the lease, renewing it on t's ticks, and releases it
// at the end. It reports whether fn finished on its own.
func (l Lease) hold(ctx context.Context, fn func(context.Context), t *time.Ticker) bool {
	l.log().Info("lease acquired", "job", l.Name, "holder", l.Holder)
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); fn(jctx) }()
	finished := l.renew(jctx, cancel, done, t)
	<-done
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer rcancel()
	if err := l.Store.Update(rctx, func(tx Tx) error { return tx.ReleaseLease(l.Name, l.Holder) }); err != nil {
		l.log().Warn("lease release", "job", l.Name, "err", err.Error())
	}
	return finished
}

// renew keeps the lease until fn is done (true) or the lease is lost or
// ctx ends (false, after cancelling fn's context).
func (l Lease) renew(ctx context.Context, cancel func(), done <-chan struct{}, t *time.Ticker) bool {
	for {
		select {
		case <-done:
			return ctx.Err() == nil
		case <-ctx.Done():
			return false
		case <-t.C:
		}
		ok, err := l.acquire(ctx)
		if err == nil && ok {
			continue
		}
		if ctx.Err() == nil {
			l.log().Warn("lease lost", "job", l.Name, "holder", l.Holder, "err", fmt.Sprint(err))
		}
		cancel()
		return false
	}
}

// acquire takes or renews the lease in one transaction.
func (l Lease) acquire(ctx context.Context) (bool, error) {
	var ok bool
	err := l.Store.Update(ctx, func(tx Tx) error {
		var err error
		ok, err = tx.AcquireLease(l.Name, l.Holder, l.TTL)
		return err
	})
	return ok, err
}

func (l Lease) log() *slog.Logger {
	if l.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l.Log
}

// SharedLimit is a rate limit that several servers share through the
// database: at most Limit attempts per key in each fixed window of Per.
// Its Allow has the signature of the in-memory limiter it replaces.
type SharedLimit struct {
	Store Store
	// Scope prefixes the keys ("login", "sms"), so that limits do not mix.
	Scope string
	// Key turns what Allow is given (a client address) into the stored
	// key; it must hash it, so that no address is kept in clear.
	Key   func(string) string
	Limit int
	Per   time.Duration
}

// Allow counts one attempt by client at now and reports whether it is
// within the limit. When the database cannot count, it allows: the limit
// slows guessing down, and what it protects (sign-in, SMS codes) needs the
// database too.
func (s SharedLimit) Allow(client string, now time.Time) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	window := now.Truncate(s.Per)
	allowed := true
	err := s.Store.Update(ctx, func(tx Tx) error {
		var err error
		allowed, err = tx.Hit(s.Scope+":"+s.Key(client), window, s.Limit)
		return err
	})
	return err != nil || allowed
}
