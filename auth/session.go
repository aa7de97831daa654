package auth

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

func errSessionExpired() error { return ravao.Errorf(ravao.Unauthorized, "err.session_expired") }

func errBadToken() error { return ravao.Errorf(ravao.Unauthorized, "err.bad_token") }

// Logout ends the session whose secret the browser holds. Ending a session
// that has already ended is not an error: the browser is signed out either
// way.
func (s *Service) Logout(ctx context.Context, secret string) error {
	hash := s.vault.TokenHash(secret)
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		sess, err := tx.Session(hash)
		if ravao.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(hash); err != nil {
			return err
		}
		return tx.AppendAudit(selfEvent(ctx, "session.logout", sess.UserID, ""))
	})
}

// Session returns the staff member signed in with a session secret. An
// unknown session, one past its lifetime or idle too long, or one whose
// account has been disabled gives Unauthorized "err.session_expired".
func (s *Service) Session(ctx context.Context, secret string) (*ravao.Principal, error) {
	if secret == "" {
		return nil, errSessionExpired()
	}
	hash := s.vault.TokenHash(secret)
	now := s.now()
	var sess ravao.Session
	var p *ravao.Principal
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		if sess, err = tx.Session(hash); err != nil {
			return err
		}
		u, err := tx.User(sess.UserID)
		if err != nil {
			return err
		}
		if !s.sessionLive(sess, u, now) {
			return errSessionExpired()
		}
		p, err = principal(tx, u)
		return err
	})
	if ravao.IsNotFound(err) {
		return nil, errSessionExpired()
	}
	if err != nil {
		return nil, err
	}
	if err := s.touch(ctx, sess, now); err != nil {
		return nil, err
	}
	return p, nil
}

// sessionLive reports whether a session still signs its user in at now.
func (s *Service) sessionLive(sess ravao.Session, u ravao.User, now time.Time) bool {
	lastSeen := sess.LastSeen
	if lastSeen.IsZero() {
		lastSeen = sess.CreatedAt
	}
	return !u.Disabled && now.Before(sess.ExpiresAt) && now.Before(lastSeen.Add(s.cfg.IdleTimeout))
}

// touch records that the session was used, at most once a minute.
func (s *Service) touch(ctx context.Context, sess ravao.Session, now time.Time) error {
	if now.Sub(sess.LastSeen) < touchEvery {
		return nil
	}
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		return tx.TouchSession(sess.TokenHash, now)
	})
	if ravao.IsNotFound(err) {
		return errSessionExpired() // signed out meanwhile
	}
	return err
}

// Bearer returns the staff member an API token acts for. An unknown,
// revoked or expired token, or one whose account has been disabled, gives
// Unauthorized "err.bad_token".
func (s *Service) Bearer(ctx context.Context, token string) (*ravao.Principal, error) {
	if token == "" {
		return nil, errBadToken()
	}
	hash := s.vault.TokenHash(token)
	now := s.now()
	if p := s.bearers.get(hash, now); p != nil {
		return p, nil
	}
	var p *ravao.Principal
	var until time.Time
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		t, err := tx.TokenByHash(hash)
		if err != nil {
			return err
		}
		u, err := tx.User(t.UserID)
		if err != nil {
			return err
		}
		if t.Revoked || u.Disabled || (!t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)) {
			return errBadToken()
		}
		until = now.Add(s.cfg.BearerTTL)
		if !t.ExpiresAt.IsZero() && t.ExpiresAt.Before(until) {
			until = t.ExpiresAt
		}
		p, err = principal(tx, u)
		return err
	})
	if ravao.IsNotFound(err) {
		return nil, errBadToken()
	}
	if err == nil && s.cfg.BearerTTL > 0 {
		s.bearers.put(hash, p, until)
	}
	return p, err
}

// bearerCache remembers, for a moment, whom recent API tokens act for: a
// script calling the API many times a second would otherwise read the
// token, the account and its roles at every call. Entries are keyed by the
// token's keyed hash, never the token.
type bearerCache struct {
	mu sync.Mutex
	m  map[string]bearerEntry
}

type bearerEntry struct {
	p     *ravao.Principal
	until time.Time
}

// maxBearers bounds the cache; when it is full it starts again empty.
const maxBearers = 10000

// get returns a copy of the principal remembered for hash, nil when none
// is fresh at now.
func (c *bearerCache) get(hash []byte, now time.Time) *ravao.Principal {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(hash)]
	if !ok || !now.Before(e.until) {
		return nil
	}
	p := *e.p
	p.Roles = slices.Clone(e.p.Roles)
	return &p
}

func (c *bearerCache) put(hash []byte, p *ravao.Principal, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxBearers {
		c.m = map[string]bearerEntry{}
	}
	cp := *p
	cp.Roles = slices.Clone(p.Roles)
	c.m[string(hash)] = bearerEntry{p: &cp, until: until}
}

// forget drops everything remembered: an account changed on this server
// (disabled, its tokens revoked, its roles changed).
func (c *bearerCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// PurgeSessions deletes the sessions past their absolute lifetime, for the
// periodic clean-up, and says how many went.
func (s *Service) PurgeSessions(ctx context.Context) (int, error) {
	var n int
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		n, err = tx.DeleteExpiredSessions(s.now())
		return err
	})
	return n, err
}
