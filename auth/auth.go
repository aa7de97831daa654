// Package auth signs staff in and out and manages their accounts: argon2id
// passwords, optional TOTP, account lockout, a per-IP limit on login
// attempts, browser sessions and API tokens. Secrets given to browsers and
// scripts are never stored: the store keeps only their keyed hash
// (vault.TokenHash). Every change, and every sign-in attempt, is written to
// the audit log in the same transaction as the change itself.
package auth

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/ratelimit"
	"github.com/ravao/ravao/vault"
)

// Config tunes the service; zero fields take the defaults given.
type Config struct {
	SessionTTL  time.Duration // absolute session lifetime, default 12h
	IdleTimeout time.Duration // default 2h; Session refreshes LastSeen at most once a minute
	MaxFailures int           // failed logins before the account locks, default 5
	LockFor     time.Duration // default 15m
	IPBurst     int           // login attempts per client IP allowed in a burst, default 10
	IPPer       time.Duration // one more attempt allowed every IPPer, default 6s
	Params      Params        // default DefaultParams (tests pass cheap params)
	Clock       ravao.Clock   // default ravao.SystemClock{}
	// IPLimiter counts the sign-in attempts per client IP; nil counts
	// them in this process (IPBurst, IPPer). Several servers share one
	// through the database (ravao.SharedLimit).
	IPLimiter Limiter
	// BearerTTL is how long a server remembers whom an API token acts
	// for, default 2s; negative remembers nothing. A token revoked or an
	// account disabled stops working at once on the server that did it,
	// and within BearerTTL on the others.
	BearerTTL time.Duration
}

// touchEvery is how stale LastSeen may get before Session writes it again:
// a write per request would serialise every page view on the database.
const touchEvery = time.Minute

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.SessionTTL, 12*time.Hour)
	def(&c.IdleTimeout, 2*time.Hour)
	def(&c.LockFor, 15*time.Minute)
	def(&c.IPPer, 6*time.Second)
	if c.BearerTTL == 0 {
		c.BearerTTL = 2 * time.Second
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.IPBurst <= 0 {
		c.IPBurst = 10
	}
	if c.Params == (Params{}) {
		c.Params = DefaultParams
	}
	if c.Clock == nil {
		c.Clock = ravao.SystemClock{}
	}
	return c
}

// Service signs staff in and manages their accounts. It is safe for
// concurrent use.
type Service struct {
	store   ravao.Store
	vault   *vault.Vault
	cfg     Config
	limiter Limiter

	bearers bearerCache

	dummyOnce sync.Once
	dummy     string // hash checked for unknown logins, so they cost the same
}

// New returns a service over store; v hashes session and token secrets and
// seals TOTP secrets.
func New(store ravao.Store, v *vault.Vault, cfg Config) *Service {
	cfg = cfg.withDefaults()
	s := &Service{store: store, vault: v, cfg: cfg, limiter: cfg.IPLimiter}
	if s.limiter == nil {
		s.limiter = ratelimit.New(cfg.IPBurst, cfg.IPPer)
	}
	return s
}

// Limiter decides whether a client may try once more at now: the
// in-memory limiter of one process, or ravao.SharedLimit counted in the
// database for several servers.
type Limiter interface {
	Allow(client string, now time.Time) bool
}

// now is the service's clock in UTC at the millisecond the stores keep.
func (s *Service) now() time.Time {
	return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond)
}

// authorize lets the system (a nil actor: the `ravao user` command) and
// administrators manage accounts, and no one else.
func authorize(actor *ravao.Principal) error {
	if actor == nil || actor.MayEver(ravao.PermAdminister) {
		return nil
	}
	return ravao.Errorf(ravao.Forbidden, "err.forbidden")
}

// event is an audit event about user userID, done by actor (nil: the
// system).
func event(ctx context.Context, actor *ravao.Principal, action string, userID int64) *ravao.AuditEvent {
	e := &ravao.AuditEvent{
		Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
		RequestID: ravao.RequestID(ctx),
	}
	if actor != nil {
		e.UserID = actor.User.ID
		if actor.Has(ravao.RoleAdmin) {
			e.Role = ravao.RoleAdmin
		}
	}
	return e
}

// selfEvent is an audit event a user causes on their own account
// (signing in or out).
func selfEvent(ctx context.Context, action string, userID int64, reason string) *ravao.AuditEvent {
	e := event(ctx, nil, action, userID)
	e.UserID = userID
	e.Reason = reason
	return e
}

// public strips what must never leave this package: the password hash and
// the sealed TOTP secret.
func public(u ravao.User) ravao.User {
	u.PasswordHash = ""
	u.TOTPSecret = nil
	return u
}

// principal loads the roles of u and makes the principal callers see.
func principal(tx ravao.Tx, u ravao.User) (*ravao.Principal, error) {
	roles, err := tx.Roles(u.ID)
	if err != nil {
		return nil, err
	}
	return &ravao.Principal{User: public(u), Roles: roles}, nil
}
