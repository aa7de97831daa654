package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

// Every change and every sign-in writes an audit event naming the actor,
// the account and the request, and none holds a secret.
func TestAuditEvents(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		admin := e.admin(t)
		u, err := e.svc.CreateUser(e.ctx, admin, auth.NewUser{Login: "hoa", DisplayName: "Hoa", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		secrets := []string{goodPassword, "another password!"}
		secret, _, _ := e.login("hoa")
		secrets = append(secrets, secret)
		e.svc.Login(e.ctx, auth.Credentials{Login: "hoa", Password: "another password!", ClientIP: "192.0.2.1"})
		e.svc.Login(e.ctx, auth.Credentials{Login: "no.such.user", Password: "another password!", ClientIP: "192.0.2.1"})
		e.svc.Logout(e.ctx, secret)
		tok, _ := e.svc.IssueToken(e.ctx, admin, u.ID, "script", 0)
		url, _ := e.svc.EnableTOTP(e.ctx, admin, u.ID)
		secrets = append(secrets, tok, url)
		e.svc.AddRole(e.ctx, admin, ravao.RoleAssignment{UserID: u.ID, Role: ravao.RoleDPO})
		e.svc.SetPassword(e.ctx, admin, u.ID, "another password!")
		e.svc.DisableUser(e.ctx, admin, u.ID)
		e.svc.EnableUser(e.ctx, admin, u.ID)

		id := fmt.Sprint(u.ID)
		want := []struct {
			action string
			userID int64
			role   ravao.Role
			object string
			reason string
		}{
			{"user.create", 0, "", fmt.Sprint(admin.User.ID), ""}, // the admin, by the system
			{"session.login", admin.User.ID, "", fmt.Sprint(admin.User.ID), ""},
			{"user.create", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"session.login", u.ID, "", id, ""},
			{"session.login_failed", u.ID, "", id, "password"},
			{"session.login_failed", 0, "", "", "unknown_login"},
			{"session.logout", u.ID, "", id, ""},
			{"user.token", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"user.totp", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"user.role", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"user.password", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"user.disable", admin.User.ID, ravao.RoleAdmin, id, ""},
			{"user.enable", admin.User.ID, ravao.RoleAdmin, id, ""},
		}
		got := e.audit(t)
		if len(got) != len(want) {
			t.Fatalf("got %d events, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.Action != w.action || g.UserID != w.userID || g.Role != w.role || g.ObjectID != w.object ||
				(w.reason != "" && g.Reason != w.reason) {
				t.Errorf("event %d: got %s by %d (%s) on %q reason %q, want %s by %d (%s) on %q reason %q",
					i, g.Action, g.UserID, g.Role, g.ObjectID, g.Reason, w.action, w.userID, w.role, w.object, w.reason)
			}
			if g.RequestID != "req-test" {
				t.Errorf("event %d: got request id %q, want req-test", i, g.RequestID)
			}
			all := strings.Join([]string{g.Action, g.ObjectType, g.ObjectID, g.Reason, g.RequestID}, "|")
			for _, s := range secrets {
				if s != "" && strings.Contains(all, s) {
					t.Errorf("event %d (%s) contains a secret", i, g.Action)
				}
			}
			if strings.Contains(all, "no.such.user") {
				t.Errorf("event %d (%s) contains the login typed", i, g.Action)
			}
		}
	})
}

// An account is locked by the system, and the lock is audited.
func TestAuditLock(t *testing.T) {
	e := newEnv(t, auth.Config{MaxFailures: 2}, sqliteStore(t))
	u := e.user(t, "hoa")
	for range 2 {
		e.svc.Login(e.ctx, auth.Credentials{Login: "hoa", Password: "wrong password!", ClientIP: "192.0.2.1"})
	}
	evs := e.audit(t)
	last := evs[len(evs)-1]
	if last.Action != "user.lock" || last.ObjectID != fmt.Sprint(u.ID) || last.UserID != 0 {
		t.Errorf("got last event %+v, want user.lock of %d by the system", last, u.ID)
	}
}

// Staff without PermAdminister can change nothing, and nothing is written.
func TestForbidden(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		target := e.user(t, "target")
		e.user(t, "gate", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "35"})
		_, gate, err := e.login("gate")
		if err != nil {
			t.Fatal(err)
		}
		disabledAdmin := &ravao.Principal{User: ravao.User{ID: 99, Disabled: true}, Roles: []ravao.RoleAssignment{{Role: ravao.RoleAdmin}}}
		before := e.audit(t)
		for _, actor := range []*ravao.Principal{gate, disabledAdmin, {}} {
			calls := map[string]error{}
			_, calls["CreateUser"] = e.svc.CreateUser(e.ctx, actor, auth.NewUser{Login: "new", DisplayName: "New", Password: goodPassword})
			calls["AddRole"] = e.svc.AddRole(e.ctx, actor, ravao.RoleAssignment{UserID: target.ID, Role: ravao.RoleAdmin})
			calls["DisableUser"] = e.svc.DisableUser(e.ctx, actor, target.ID)
			calls["EnableUser"] = e.svc.EnableUser(e.ctx, actor, target.ID)
			calls["SetPassword"] = e.svc.SetPassword(e.ctx, actor, target.ID, "a new password!")
			_, calls["IssueToken"] = e.svc.IssueToken(e.ctx, actor, target.ID, "x", 0)
			_, calls["EnableTOTP"] = e.svc.EnableTOTP(e.ctx, actor, target.ID)
			_, calls["Users"] = e.svc.Users(e.ctx, actor, ravao.UserFilter{})
			_, calls["UserByLogin"] = e.svc.UserByLogin(e.ctx, actor, "target")
			for name, err := range calls {
				if ravao.ErrorCode(err) != ravao.Forbidden {
					t.Errorf("%s by user %d: got %v, want Forbidden", name, actor.User.ID, err)
				}
			}
		}
		if after := e.audit(t); len(after) != len(before) {
			t.Errorf("got %d audit events after refused calls, want %d", len(after), len(before))
		}
		got := e.stored(t, target.ID)
		if got.Disabled || len(got.TOTPSecret) > 0 || !auth.VerifyPassword(got.PasswordHash, goodPassword) {
			t.Errorf("the target account changed: %+v", got)
		}
		if _, err := e.svc.UserByLogin(e.ctx, nil, "new"); !ravao.IsNotFound(err) {
			t.Errorf("user created by a refused call: got %v, want NotFound", err)
		}
		views, _ := e.svc.Users(e.ctx, nil, ravao.UserFilter{})
		for _, v := range views {
			if v.ID == target.ID && len(v.Roles) != 0 {
				t.Errorf("the target got roles: %+v", v.Roles)
			}
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		e.user(t, "hoa")
		if err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			if _, err := tx.PutUnits([]ravao.Unit{{Version: "v1", Code: "35", Level: 1, Name: "Hà Nam"}}); err != nil {
				return err
			}
			return tx.PutSetting("units.active_version", "v1")
		}); err != nil {
			t.Fatal(err)
		}
		ok := auth.NewUser{Login: "lan", DisplayName: "Lan", Password: goodPassword, Lang: "vi"}
		tests := []struct {
			name       string
			change     func(*auth.NewUser)
			code       ravao.Code
			field, key string
		}{
			{"bad login", func(n *auth.NewUser) { n.Login = "ab" }, ravao.Invalid, "login", "err.login"},
			{"login with space", func(n *auth.NewUser) { n.Login = "a b c" }, ravao.Invalid, "login", "err.login"},
			{"taken login", func(n *auth.NewUser) { n.Login = "HOA" }, ravao.Conflict, "login", "err.login_taken"},
			{"empty name", func(n *auth.NewUser) { n.DisplayName = "  " }, ravao.Invalid, "display_name", "err.name_empty"},
			{"control in name", func(n *auth.NewUser) { n.DisplayName = "Lan\x07" }, ravao.Invalid, "display_name", "err.name_chars"},
			{"short password", func(n *auth.NewUser) { n.Password = "short" }, ravao.Invalid, "password", "err.password_short"},
			{"bad lang", func(n *auth.NewUser) { n.Lang = "fr" }, ravao.Invalid, "lang", "err.lang"},
			{"role without unit", func(n *auth.NewUser) { n.Roles = []ravao.RoleAssignment{{Role: ravao.RoleHealth}} }, ravao.Invalid, "unit", "err.scope_unit"},
			{"unknown role", func(n *auth.NewUser) { n.Roles = []ravao.RoleAssignment{{Role: "king"}} }, ravao.Invalid, "role", "err.role"},
			{"unit not in the active version", func(n *auth.NewUser) {
				n.Roles = []ravao.RoleAssignment{{Role: ravao.RoleHealth, UnitCode: "37"}}
			}, ravao.Invalid, "unit", "err.unit_not_found"},
			{"same role twice", func(n *auth.NewUser) {
				n.Roles = []ravao.RoleAssignment{{Role: ravao.RoleHealth, UnitCode: "35"}, {Role: ravao.RoleHealth, UnitCode: "35"}}
			}, ravao.Conflict, "role", "err.role_exists"},
		}
		for _, tt := range tests {
			nu := ok
			tt.change(&nu)
			_, err := e.svc.CreateUser(e.ctx, nil, nu)
			if ravao.ErrorCode(err) != tt.code {
				t.Errorf("%s: got %v, want %s", tt.name, err, tt.code)
				continue
			}
			wantField(t, err, tt.field, tt.key)
			if _, err := e.svc.UserByLogin(e.ctx, nil, nu.Login); !ravao.IsNotFound(err) && tt.code != ravao.Conflict {
				t.Errorf("%s: the account was created anyway (%v)", tt.name, err)
			}
		}
		if _, err := e.svc.UserByLogin(e.ctx, nil, "lan"); !ravao.IsNotFound(err) {
			t.Errorf("a refused account was stored: %v", err)
		}
		nu := ok
		nu.DisplayName = "  Nguye\u0302\u0303n   Lan "
		nu.Roles = []ravao.RoleAssignment{{Role: ravao.RoleHealth, UnitCode: "35"}}
		u, err := e.svc.CreateUser(e.ctx, nil, nu)
		if err != nil {
			t.Fatal(err)
		}
		if u.DisplayName != "Nguyễn Lan" || u.PasswordHash != "" {
			t.Errorf("got name %q hash %q, want NFC \"Nguyễn Lan\" and no hash", u.DisplayName, u.PasswordHash)
		}
		v, err := e.svc.UserByLogin(e.ctx, nil, " LAN")
		if err != nil || v.ID != u.ID || len(v.Roles) != 1 || v.PasswordHash != "" {
			t.Errorf("got view %+v, %v; want user %d with one role and no hash", v, err, u.ID)
		}
	})
}

func TestSetPassword(t *testing.T) {
	engines(t, auth.Config{MaxFailures: 1, LockFor: time.Hour}, func(t *testing.T, e *env) {
		u := e.user(t, "hoa")
		secret, _, _ := e.login("hoa")
		e.svc.Login(e.ctx, auth.Credentials{Login: "hoa", Password: "wrong password!", ClientIP: "192.0.2.1"})
		err := e.svc.SetPassword(e.ctx, nil, u.ID, "short")
		wantField(t, err, "password", "err.password_short")
		if err := e.svc.SetPassword(e.ctx, nil, u.ID, "a brand new password"); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, secret)
		wantErr(t, err, ravao.Unauthorized, "err.session_expired")
		if _, _, err := e.svc.Login(e.ctx, auth.Credentials{Login: "hoa", Password: "a brand new password", ClientIP: "192.0.2.1"}); err != nil {
			t.Errorf("login with the new password (the reset lifts the lock): %v", err)
		}
		_, _, err = e.login("hoa")
		wantErr(t, err, ravao.Unauthorized, "err.login_failed")
	})
}

func TestUsersList(t *testing.T) {
	engines(t, auth.Config{}, func(t *testing.T, e *env) {
		e.user(t, "a.admin", ravao.RoleAssignment{Role: ravao.RoleAdmin})
		dpo := e.user(t, "b.dpo", ravao.RoleAssignment{Role: ravao.RoleDPO})
		e.user(t, "c.none")
		e.svc.DisableUser(e.ctx, nil, dpo.ID)
		all, err := e.svc.Users(e.ctx, nil, ravao.UserFilter{})
		if err != nil || len(all) != 3 {
			t.Fatalf("got %d users, %v; want 3", len(all), err)
		}
		for _, v := range all {
			if v.PasswordHash != "" {
				t.Errorf("%s: the listing carries the password hash", v.Login)
			}
		}
		dpos, _ := e.svc.Users(e.ctx, nil, ravao.UserFilter{Role: ravao.RoleDPO})
		if len(dpos) != 1 || dpos[0].ID != dpo.ID || !dpos[0].Disabled || len(dpos[0].Roles) != 1 {
			t.Errorf("got %+v, want the disabled dpo with its role", dpos)
		}
		_, err = e.svc.UserByLogin(e.ctx, nil, "nobody")
		wantErr(t, err, ravao.NotFound, "err.not_found")
	})
}
