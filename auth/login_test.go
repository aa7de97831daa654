package auth_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

func TestLogin(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		u := e.user(t, "hoa.nt", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "35"})
		secret, p, err := e.svc.Login(e.ctx, auth.Credentials{Login: "  Hoa.NT ", Password: goodPassword, ClientIP: "192.0.2.1"})
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if p.User.ID != u.ID || len(p.Roles) != 1 || p.Roles[0].UnitCode != "35" {
			t.Errorf("got principal %+v, want user %d with role local_official in 35", p, u.ID)
		}
		if p.User.PasswordHash != "" {
			t.Errorf("principal carries the password hash")
		}
		if len(secret) < 40 {
			t.Errorf("got secret of %d characters, want at least 40", len(secret))
		}
		got, err := e.svc.Session(e.ctx, secret)
		if err != nil || got.User.ID != u.ID {
			t.Fatalf("session: got %v, %v; want user %d", got, err, u.ID)
		}
		secret2, _, err := e.login("hoa.nt")
		if err != nil || secret2 == secret {
			t.Errorf("second login: got err %v, same secret %v; want a new secret", err, secret2 == secret)
		}
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			if _, err := tx.Session([]byte(secret)); !ravao.IsNotFound(err) {
				t.Errorf("session found by its clear secret (%v): the store must keep only a hash", err)
			}
			if _, err := tx.Session(e.vault.TokenHash(secret)); err != nil {
				t.Errorf("session not found by the hash of its secret: %v", err)
			}
			return nil
		})
	})
}

// Every failed sign-in looks the same to the person trying.
func TestLoginFailuresLookAlike(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		e.user(t, "active")
		dis := e.user(t, "disabled")
		if err := e.svc.DisableUser(e.ctx, nil, dis.ID); err != nil {
			t.Fatal(err)
		}
		withTOTP := e.user(t, "with.totp")
		if _, err := e.svc.EnableTOTP(e.ctx, nil, withTOTP.ID); err != nil {
			t.Fatal(err)
		}
		tests := []struct{ name, login, password, code string }{
			{"unknown login", "nobody", goodPassword, ""},
			{"wrong password", "active", "wrong password!", ""},
			{"empty password", "active", "", ""},
			{"disabled", "disabled", goodPassword, ""},
			{"missing totp", "with.totp", goodPassword, ""},
			{"wrong totp", "with.totp", goodPassword, "000000"},
		}
		var first string
		for _, tt := range tests {
			secret, p, err := e.svc.Login(e.ctx, auth.Credentials{Login: tt.login, Password: tt.password, TOTP: tt.code, ClientIP: "192.0.2.9"})
			wantErr(t, err, ravao.Unauthorized, "err.login_failed")
			if secret != "" || p != nil {
				t.Errorf("%s: got a secret or a principal with the error", tt.name)
			}
			if first == "" {
				first = err.Error()
			} else if err.Error() != first {
				t.Errorf("%s: got error %q, want the same as for an unknown login: %q", tt.name, err, first)
			}
		}
	})
}

// Unknown logins cost a password hash like known ones, so the time taken
// does not tell which accounts exist.
func TestUnknownLoginTakesAsLong(t *testing.T) {
	e := newEnv(t, auth.Config{Params: auth.DefaultParams, IPBurst: 1000}, sqliteStore(t))
	e.user(t, "known")
	measure := func(login string) time.Duration {
		best := time.Hour
		for range 5 {
			start := time.Now()
			e.svc.Login(e.ctx, auth.Credentials{Login: login, Password: "wrong password!", ClientIP: "192.0.2.3"})
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := measure("known"), measure("unknown")
	t.Logf("failed login: known account %v, unknown account %v", known, unknown)
	if unknown < known/2 {
		t.Errorf("unknown login took %v, known %v: want comparable times", unknown, known)
	}
}

func TestLockout(t *testing.T) {
	cfg := auth.Config{MaxFailures: 3, LockFor: 15 * time.Minute}
	engines(t, cfg, func(t *testing.T, e *env) {
		u := e.user(t, "hoa")
		wrong := auth.Credentials{Login: "hoa", Password: "wrong password!", ClientIP: "192.0.2.1"}
		e.svc.Login(e.ctx, wrong)
		if got := e.stored(t, u.ID).FailedLogins; got != 1 {
			t.Errorf("after a failure: got FailedLogins %d, want 1", got)
		}
		if _, _, err := e.login("hoa"); err != nil {
			t.Fatalf("login before the lock: %v", err)
		}
		if got := e.stored(t, u.ID).FailedLogins; got != 0 {
			t.Errorf("after a success: got FailedLogins %d, want 0", got)
		}
		for range 3 {
			e.svc.Login(e.ctx, wrong)
		}
		if got, want := e.stored(t, u.ID).LockedUntil, e.clock.T.Add(15*time.Minute); !got.Equal(want) {
			t.Errorf("got LockedUntil %v, want %v", got, want)
		}
		_, _, err := e.login("hoa")
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
		e.clock.Advance(15*time.Minute - time.Second)
		_, _, err = e.login("hoa")
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
		e.clock.Advance(time.Second)
		if _, _, err := e.login("hoa"); err != nil {
			t.Fatalf("login after LockFor: %v", err)
		}
		if got := e.stored(t, u.ID); got.FailedLogins != 0 || !got.LockedUntil.IsZero() {
			t.Errorf("after unlocking: got FailedLogins %d LockedUntil %v, want 0 and zero", got.FailedLogins, got.LockedUntil)
		}
	})
}

func TestIPLimit(t *testing.T) {
	cfg := auth.Config{IPBurst: 3, IPPer: time.Minute}
	engines(t, cfg, func(t *testing.T, e *env) {
		e.user(t, "hoa")
		try := func(ip string) error {
			_, _, err := e.svc.Login(e.ctx, auth.Credentials{Login: "hoa", Password: goodPassword, ClientIP: ip})
			return err
		}
		for i := range 3 {
			if err := try("198.51.100.7"); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		wantErr(t, try("198.51.100.7"), ravao.TooMany, "err.too_many_attempts")
		wantErr(t, try("198.51.100.7:4431"), ravao.TooMany, "err.too_many_attempts")
		if err := try("198.51.100.8"); err != nil {
			t.Errorf("another address: got %v, want success", err)
		}
		e.clock.Advance(time.Minute)
		if err := try("198.51.100.7"); err != nil {
			t.Errorf("after IPPer: got %v, want one more attempt", err)
		}
		wantErr(t, try("198.51.100.7"), ravao.TooMany, "err.too_many_attempts")

		// One IPv6 client holds a /64.
		for i := range 3 {
			try("2001:db8:1:2::" + string(rune('a'+i)))
		}
		wantErr(t, try("2001:db8:1:2::ff"), ravao.TooMany, "err.too_many_attempts")
	})
}

func TestSessionExpiry(t *testing.T) {
	cfg := auth.Config{SessionTTL: 12 * time.Hour, IdleTimeout: 2 * time.Hour}
	engines(t, cfg, func(t *testing.T, e *env) {
		e.user(t, "hoa")
		t.Run("idle", func(t *testing.T) {
			secret, _, _ := e.login("hoa")
			e.clock.Advance(2*time.Hour - time.Millisecond)
			if _, err := e.svc.Session(e.ctx, secret); err != nil {
				t.Fatalf("just before the idle timeout: %v", err)
			}
			e.clock.Advance(2 * time.Hour)
			_, err := e.svc.Session(e.ctx, secret)
			wantErr(t, err, ravao.Unauthorized, "err.session_expired")
		})
		t.Run("absolute", func(t *testing.T) {
			secret, _, _ := e.login("hoa")
			for range 11 {
				e.clock.Advance(time.Hour)
				if _, err := e.svc.Session(e.ctx, secret); err != nil {
					t.Fatalf("used every hour, within the lifetime: %v", err)
				}
			}
			e.clock.Advance(time.Hour)
			_, err := e.svc.Session(e.ctx, secret)
			wantErr(t, err, ravao.Unauthorized, "err.session_expired")
		})
		t.Run("touch at most once a minute", func(t *testing.T) {
			secret, _, _ := e.login("hoa")
			start := e.clock.T
			lastSeen := func() time.Time {
				var s ravao.Session
				e.store.View(e.ctx, func(tx ravao.Tx) error {
					var err error
					s, err = tx.Session(e.vault.TokenHash(secret))
					return err
				})
				return s.LastSeen
			}
			e.clock.Advance(30 * time.Second)
			e.svc.Session(e.ctx, secret)
			if got := lastSeen(); !got.Equal(start) {
				t.Errorf("after 30 s: got LastSeen %v, want unchanged %v", got, start)
			}
			e.clock.Advance(31 * time.Second)
			e.svc.Session(e.ctx, secret)
			if got := lastSeen(); !got.Equal(e.clock.T) {
				t.Errorf("after 61 s: got LastSeen %v, want %v", got, e.clock.T)
			}
		})
		t.Run("unknown", func(t *testing.T) {
			for _, s := range []string{"", "not-a-session"} {
				_, err := e.svc.Session(e.ctx, s)
				wantErr(t, err, ravao.Unauthorized, "err.session_expired")
			}
		})
	})
}

func TestLogout(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		e.user(t, "hoa")
		secret, _, _ := e.login("hoa")
		other, _, _ := e.login("hoa")
		if err := e.svc.Logout(e.ctx, secret); err != nil {
			t.Fatalf("logout: %v", err)
		}
		_, err := e.svc.Session(e.ctx, secret)
		wantErr(t, err, ravao.Unauthorized, "err.session_expired")
		if _, err := e.svc.Session(e.ctx, other); err != nil {
			t.Errorf("the other session ended too: %v", err)
		}
		if err := e.svc.Logout(e.ctx, secret); err != nil {
			t.Errorf("second logout: got %v, want nil", err)
		}
	})
}

func TestDisableUserEndsSessionsAndTokens(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		u := e.user(t, "hoa")
		secret, _, _ := e.login("hoa")
		token, err := e.svc.IssueToken(e.ctx, nil, u.ID, "báo cáo", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Bearer(e.ctx, token); err != nil {
			t.Fatalf("bearer before disabling: %v", err)
		}
		if err := e.svc.DisableUser(e.ctx, nil, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, secret)
		wantErr(t, err, ravao.Unauthorized, "err.session_expired")
		_, err = e.svc.Bearer(e.ctx, token)
		wantErr(t, err, ravao.Unauthorized, "err.bad_token")
		_, _, err = e.login("hoa")
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
		_, err = e.svc.IssueToken(e.ctx, nil, u.ID, "again", 0)
		wantErr(t, err, ravao.Conflict, "err.user_disabled")

		if err := e.svc.EnableUser(e.ctx, nil, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.login("hoa"); err != nil {
			t.Errorf("login after enabling: %v", err)
		}
		_, err = e.svc.Bearer(e.ctx, token)
		wantErr(t, err, ravao.Unauthorized, "err.bad_token") // revoked for good
		wantErr(t, e.svc.DisableUser(e.ctx, nil, 987654), ravao.NotFound, "err.not_found")
	})
}

func TestBearer(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		u := e.user(t, "script", ravao.RoleAssignment{Role: ravao.RoleDPO})
		short, err := e.svc.IssueToken(e.ctx, nil, u.ID, "báo cáo ngày", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		forever, err := e.svc.IssueToken(e.ctx, nil, u.ID, "đồng bộ", 0)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.Bearer(e.ctx, short)
		if err != nil || p.User.ID != u.ID || !p.Has(ravao.RoleDPO) {
			t.Fatalf("bearer: got %+v, %v; want user %d as dpo", p, err, u.ID)
		}
		e.clock.Advance(time.Hour)
		_, err = e.svc.Bearer(e.ctx, short)
		wantErr(t, err, ravao.Unauthorized, "err.bad_token")
		e.clock.Advance(10 * 365 * 24 * time.Hour)
		if _, err := e.svc.Bearer(e.ctx, forever); err != nil {
			t.Errorf("token without expiry after 10 years: %v", err)
		}
		for _, tok := range []string{"", "nope", short + "x"} {
			_, err := e.svc.Bearer(e.ctx, tok)
			wantErr(t, err, ravao.Unauthorized, "err.bad_token")
		}
		_, err = e.svc.IssueToken(e.ctx, nil, u.ID, "", 0)
		wantField(t, err, "name", "err.token_name")
		_, err = e.svc.IssueToken(e.ctx, nil, u.ID, "x", -time.Second)
		wantField(t, err, "ttl", "err.ttl")
		_, err = e.svc.IssueToken(e.ctx, nil, 987654, "x", 0)
		wantErr(t, err, ravao.NotFound, "err.not_found")
	})
}

func TestTOTP(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		u := e.user(t, "hoa")
		url, err := e.svc.EnableTOTP(e.ctx, nil, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		key, err := otp.NewKeyFromURL(url)
		if err != nil {
			t.Fatalf("parse %q: %v", url, err)
		}
		if key.Issuer() != "Ravao" || key.AccountName() != "hoa" {
			t.Errorf("got issuer %q account %q, want Ravao and hoa", key.Issuer(), key.AccountName())
		}
		if stored := e.stored(t, u.ID).TOTPSecret; len(stored) == 0 || bytes.Contains(stored, []byte(key.Secret())) {
			t.Errorf("the TOTP secret is not stored sealed")
		}
		cred := auth.Credentials{Login: "hoa", Password: goodPassword, ClientIP: "192.0.2.1"}
		_, _, err = e.svc.Login(e.ctx, cred)
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")

		code, err := totp.GenerateCode(key.Secret(), e.clock.T)
		if err != nil {
			t.Fatal(err)
		}
		cred.TOTP = code
		if _, _, err := e.svc.Login(e.ctx, cred); err != nil {
			t.Errorf("login with the current code: %v", err)
		}
		e.clock.Advance(5 * time.Minute)
		_, _, err = e.svc.Login(e.ctx, cred)
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
		cred.Password = "wrong password!"
		cred.TOTP, _ = totp.GenerateCode(key.Secret(), e.clock.T)
		_, _, err = e.svc.Login(e.ctx, cred)
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
	})
}

// Two servers over one database: the one that disables an account refuses
// its token at once; the other remembered the token for at most BearerTTL
// and refuses it as soon as that has passed. What Bearer returns is the
// caller's own copy.
func TestBearerRememberedBriefly(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		u := e.user(t, "script", ravao.RoleAssignment{Role: ravao.RoleDPO})
		token, err := e.svc.IssueToken(e.ctx, nil, u.ID, "đồng bộ", 0)
		if err != nil {
			t.Fatal(err)
		}
		other := auth.New(e.store, e.vault, auth.Config{Params: cheap, Clock: e.clock})
		p, err := other.Bearer(e.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		p.Roles[0].Role, p.User.Disabled = ravao.RoleAdmin, true
		if again, err := other.Bearer(e.ctx, token); err != nil || !again.Has(ravao.RoleDPO) || again.Has(ravao.RoleAdmin) || again.User.Disabled {
			t.Fatalf("bearer after the caller changed its copy: %+v, %v", again, err)
		}
		if err := e.svc.DisableUser(e.ctx, nil, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Bearer(e.ctx, token)
		wantErr(t, err, ravao.Unauthorized, "err.bad_token")
		e.clock.Advance(time.Second)
		if _, err := other.Bearer(e.ctx, token); err != nil {
			t.Errorf("the other server within BearerTTL: %v (it may still remember the token)", err)
		}
		e.clock.Advance(time.Second)
		_, err = other.Bearer(e.ctx, token)
		wantErr(t, err, ravao.Unauthorized, "err.bad_token")
	})
}
