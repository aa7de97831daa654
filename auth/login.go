package auth

import (
	"context"
	"strconv"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Credentials are what a person types on the sign-in page, with the
// address they came from.
type Credentials struct {
	Login, Password, TOTP, ClientIP string
}

// Why a sign-in failed, kept in the audit event's Reason for the
// administrator and never told to the person trying.
const (
	failUnknown  = "unknown_login"
	failDisabled = "disabled"
	failLocked   = "locked"
	failPassword = "password"
	failTOTP     = "totp"
)

// errLoginFailed is the one answer to every failed sign-in, so that it
// tells nothing about which accounts exist or what was wrong.
func errLoginFailed() error { return ravao.Errorf(ravao.Unauthorized, "err.login_failed") }

// Login checks credentials and starts a session. It returns the session
// secret to put in the cookie and the signed-in principal. An unknown
// login, a wrong password, a missing or wrong TOTP code, a disabled or a
// locked account all give the same Unauthorized "err.login_failed", after
// the same work: a password hash is checked and one write transaction runs
// in every case. Too many attempts from one address give TooMany
// "err.too_many_attempts".
func (s *Service) Login(ctx context.Context, c Credentials) (string, *ravao.Principal, error) {
	if !s.limiter.Allow(c.ClientIP, s.now()) {
		return "", nil, ravao.Errorf(ravao.TooMany, "err.too_many_attempts")
	}
	u, err := s.lookupLogin(ctx, c.Login)
	if ravao.IsNotFound(err) {
		VerifyPassword(s.dummyHash(), c.Password)
		return "", nil, s.recordFailure(ctx, 0, failUnknown)
	}
	if err != nil {
		return "", nil, err
	}
	if reason := s.check(u, c); reason != "" {
		return "", nil, s.recordFailure(ctx, u.ID, reason)
	}
	return s.startSession(ctx, u.ID)
}

// lookupLogin reads the account a sign-in names. A login that cannot be
// valid is simply not found.
func (s *Service) lookupLogin(ctx context.Context, login string) (ravao.User, error) {
	var u ravao.User
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		u, err = tx.UserByLogin(ravao.NormalizeLogin(login))
		return err
	})
	return u, err
}

// check returns why c does not sign in as u, or "". The password is
// checked first and always, so a locked or disabled account takes as long
// to refuse as a wrong password.
func (s *Service) check(u ravao.User, c Credentials) string {
	ok := VerifyPassword(u.PasswordHash, c.Password)
	switch {
	case u.Disabled:
		return failDisabled
	case s.now().Before(u.LockedUntil):
		return failLocked
	case !ok:
		return failPassword
	case len(u.TOTPSecret) > 0 && !s.validTOTP(u, c.TOTP):
		return failTOTP
	}
	return ""
}

// validTOTP checks a TOTP code against the user's sealed secret, allowing
// one 30-second step of clock drift either way.
func (s *Service) validTOTP(u ravao.User, code string) bool {
	if code == "" {
		return false
	}
	secret, err := s.vault.Open(u.TOTPSecret, totpAAD(u.ID))
	if err != nil {
		return false
	}
	ok, err := totp.ValidateCustom(code, string(secret), s.now(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	return err == nil && ok
}

// recordFailure counts a failed sign-in against the account (locking it
// at MaxFailures) and audits it, then returns the one failure error. An
// attempt on an unknown login is audited without naming what was typed,
// which may be someone's password or phone number.
func (s *Service) recordFailure(ctx context.Context, userID int64, reason string) error {
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		if userID == 0 {
			e := selfEvent(ctx, "session.login_failed", 0, reason)
			e.ObjectID = ""
			return tx.AppendAudit(e)
		}
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if err := tx.AppendAudit(selfEvent(ctx, "session.login_failed", userID, reason)); err != nil {
			return err
		}
		if reason != failPassword && reason != failTOTP {
			return nil
		}
		return s.countFailure(ctx, tx, &u)
	})
	if err != nil {
		return err
	}
	return errLoginFailed()
}

// countFailure adds one failed attempt to u and locks the account when
// there have been MaxFailures in a row. The count starts again at the
// lock, so that after LockFor the person has MaxFailures tries again.
func (s *Service) countFailure(ctx context.Context, tx ravao.Tx, u *ravao.User) error {
	u.FailedLogins++
	locked := u.FailedLogins >= s.cfg.MaxFailures
	if locked {
		u.FailedLogins = 0
		u.LockedUntil = s.now().Add(s.cfg.LockFor)
	}
	if err := tx.UpdateUser(u); err != nil {
		return err
	}
	if !locked {
		return nil
	}
	e := selfEvent(ctx, "user.lock", u.ID, strconv.Itoa(s.cfg.MaxFailures)+" failures")
	e.UserID = 0 // the system locks the account, not its owner
	return tx.AppendAudit(e)
}

// StartSession signs in an account that has just proved itself another way
// (it was created a moment ago by a registration or an invitation) and
// returns the session secret for the cookie.
func (s *Service) StartSession(ctx context.Context, userID int64) (string, *ravao.Principal, error) {
	return s.startSession(ctx, userID)
}

// startSession resets the failure count, stores a new session and audits
// the sign-in.
func (s *Service) startSession(ctx context.Context, userID int64) (string, *ravao.Principal, error) {
	secret := vault.NewSecret(32)
	now := s.now()
	var p *ravao.Principal
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			u.FailedLogins, u.LockedUntil = 0, time.Time{}
			if err := tx.UpdateUser(&u); err != nil {
				return err
			}
		}
		err = tx.CreateSession(&ravao.Session{
			TokenHash: s.vault.TokenHash(secret), UserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), LastSeen: now,
		})
		if err != nil {
			return err
		}
		if err := tx.AppendAudit(selfEvent(ctx, "session.login", u.ID, "")); err != nil {
			return err
		}
		p, err = principal(tx, u)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return secret, p, nil
}

// dummyHash is a hash of a random password made with the service's
// parameters, checked when the login is unknown.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		h, err := HashPassword(vault.NewSecret(16), s.cfg.Params)
		if err == nil {
			s.dummy = h
		}
	})
	return s.dummy
}
