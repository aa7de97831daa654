package auth

import (
	"context"
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
	var p *ravao.Principal
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
		p, err = principal(tx, u)
		return err
	})
	if ravao.IsNotFound(err) {
		return nil, errBadToken()
	}
	return p, err
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
