package auth

import (
	"context"
	"strconv"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/units"
	"github.com/ravao/ravao/vault"
)

// NewUser is what it takes to create a staff account.
type NewUser struct {
	Login, DisplayName, Password, Lang string
	Roles                              []ravao.RoleAssignment
}

// UserView is an account as pages and commands list it: its roles, and
// neither its password hash nor its TOTP secret.
type UserView struct {
	ravao.User
	Roles []ravao.RoleAssignment
}

// CreateUser creates a staff account with its roles. actor is the staff
// member acting, nil for the system; anyone else needs PermAdminister. A
// login already taken is a Conflict on the "login" field.
func (s *Service) CreateUser(ctx context.Context, actor *ravao.Principal, nu NewUser) (ravao.User, error) {
	if err := authorize(actor); err != nil {
		return ravao.User{}, err
	}
	u, err := s.PrepareUser(nu)
	if err != nil {
		return ravao.User{}, err
	}
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		return InsertUser(ctx, tx, actor, &u, nu.Roles)
	})
	if err != nil {
		return ravao.User{}, err
	}
	return public(u), nil
}

// InsertUser stores a prepared account and its roles in the caller's
// transaction and audits it, for services that create an account together
// with what it is for (a venue registration, an accepted invitation). It
// may run more than once when the store retries the transaction.
func InsertUser(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, u *ravao.User, roles []ravao.RoleAssignment) error {
	u.ID = 0
	if err := tx.CreateUser(u); err != nil {
		return loginTaken(err)
	}
	for _, a := range roles {
		a.ID, a.UserID = 0, u.ID
		if err := addRole(tx, &a); err != nil {
			return err
		}
	}
	return tx.AppendAudit(event(ctx, actor, "user.create", u.ID))
}

// PrepareUser validates nu and hashes its password, outside any
// transaction: hashing is slow on purpose and must not hold the write lock.
// Roles are validated but not part of the result: pass them to InsertUser.
func (s *Service) PrepareUser(nu NewUser) (ravao.User, error) {
	fe := ravao.FieldErrors{}
	u := ravao.User{Login: ravao.NormalizeLogin(nu.Login), Lang: nu.Lang, PasswordHash: "-"}
	name, err := ravao.NormalizeName(nu.DisplayName)
	if err != nil {
		fe.Add("display_name", ravao.ErrorKey(err))
	}
	u.DisplayName = name
	fe.Merge(u.Validate())
	fe.Merge(CheckPassword(nu.Password))
	for _, a := range nu.Roles {
		fe.Merge(a.Validate())
	}
	if err := fe.Err(); err != nil {
		return ravao.User{}, err
	}
	u.PasswordHash, err = HashPassword(nu.Password, s.cfg.Params)
	return u, err
}

// AddRole gives an existing account one more role.
func (s *Service) AddRole(ctx context.Context, actor *ravao.Principal, a ravao.RoleAssignment) error {
	if err := authorize(actor); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		a.ID = 0
		if _, err := tx.User(a.UserID); err != nil {
			return err
		}
		if err := addRole(tx, &a); err != nil {
			return err
		}
		return tx.AppendAudit(event(ctx, actor, "user.role", a.UserID))
	})
}

// addRole stores an assignment after checking what only the database
// knows: that the same role is not given twice and that its unit exists
// in the active unit version, when there is one.
func addRole(tx ravao.Tx, a *ravao.RoleAssignment) error {
	roles, err := tx.Roles(a.UserID)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if sameScope(r, *a) {
			return &ravao.Error{Code: ravao.Conflict, Key: "err.role_exists", Fields: map[string]string{"role": "err.role_exists"}}
		}
	}
	if err := checkUnit(tx, a.UnitCode); err != nil {
		return err
	}
	return tx.AddRole(a)
}

// sameScope reports whether two assignments give the same role over the
// same scope.
func sameScope(a, b ravao.RoleAssignment) bool {
	return a.Role == b.Role && a.UnitCode == b.UnitCode && a.Sector == b.Sector &&
		a.OrganisationID == b.OrganisationID && a.CheckpointID == b.CheckpointID
}

// checkUnit refuses a scope unit missing from the active unit version. An
// installation with no units yet accepts any well-formed code.
func checkUnit(tx ravao.Tx, code string) error {
	if code == "" {
		return nil
	}
	version, err := tx.Setting(units.ActiveVersionSetting)
	if ravao.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = tx.Unit(version, code)
	if ravao.IsNotFound(err) {
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"unit": "err.unit_not_found"}}
	}
	return err
}

// DisableUser disables an account and ends its sessions and API tokens at
// once.
func (s *Service) DisableUser(ctx context.Context, actor *ravao.Principal, userID int64) error {
	return s.changeUser(ctx, actor, userID, "user.disable", func(tx ravao.Tx, u *ravao.User) error {
		u.Disabled = true
		if _, err := tx.DeleteUserSessions(u.ID); err != nil {
			return err
		}
		_, err := tx.RevokeUserTokens(u.ID)
		return err
	})
}

// EnableUser enables an account again, and lifts any lock on it.
func (s *Service) EnableUser(ctx context.Context, actor *ravao.Principal, userID int64) error {
	return s.changeUser(ctx, actor, userID, "user.enable", func(tx ravao.Tx, u *ravao.User) error {
		u.Disabled, u.FailedLogins, u.LockedUntil = false, 0, time.Time{}
		return nil
	})
}

// SetPassword replaces an account's password, lifts any lock and ends its
// sessions: a password is reset because it may be known to someone else.
func (s *Service) SetPassword(ctx context.Context, actor *ravao.Principal, userID int64, password string) error {
	if err := authorize(actor); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return err
	}
	return s.changeUser(ctx, actor, userID, "user.password", func(tx ravao.Tx, u *ravao.User) error {
		u.PasswordHash, u.FailedLogins, u.LockedUntil = hash, 0, time.Time{}
		_, err := tx.DeleteUserSessions(u.ID)
		return err
	})
}

// changeUser reads an account, lets change modify it, writes it back and
// audits the action, in one transaction.
func (s *Service) changeUser(ctx context.Context, actor *ravao.Principal, userID int64, action string,
	change func(ravao.Tx, *ravao.User) error) error {
	if err := authorize(actor); err != nil {
		return err
	}
	defer s.bearers.forget() // after the commit: no call may remember the account as it was
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if err := change(tx, &u); err != nil {
			return err
		}
		if err := tx.UpdateUser(&u); err != nil {
			return err
		}
		return tx.AppendAudit(event(ctx, actor, action, userID))
	})
}

// MaxTokenName is the longest API token name, in runes.
const MaxTokenName = 64

// IssueToken creates an API token for an account and returns its secret,
// which is shown once and never stored. ttl 0 means no expiry.
func (s *Service) IssueToken(ctx context.Context, actor *ravao.Principal, userID int64, name string, ttl time.Duration) (string, error) {
	if err := authorize(actor); err != nil {
		return "", err
	}
	name, err := checkToken(name, ttl)
	if err != nil {
		return "", err
	}
	secret := vault.NewSecret(32)
	now := s.now()
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return ravao.Errorf(ravao.Conflict, "err.user_disabled")
		}
		t := &ravao.APIToken{TokenHash: s.vault.TokenHash(secret), UserID: userID, Name: name, CreatedAt: now}
		if ttl > 0 {
			t.ExpiresAt = now.Add(ttl)
		}
		if err := tx.CreateToken(t); err != nil {
			return err
		}
		e := event(ctx, actor, "user.token", userID)
		e.Reason = "token " + strconv.FormatInt(t.ID, 10)
		return tx.AppendAudit(e)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// checkToken validates a token's name (NFC, 1 to MaxTokenName runes) and
// lifetime.
func checkToken(name string, ttl time.Duration) (string, error) {
	fe := ravao.FieldErrors{}
	name = norm.NFC.String(name)
	if n := utf8.RuneCountInString(name); !utf8.ValidString(name) || n == 0 || n > MaxTokenName {
		fe.Add("name", "err.token_name")
	}
	if ttl < 0 {
		fe.Add("ttl", "err.ttl")
	}
	return name, fe.Err()
}

// Users lists accounts with their roles.
func (s *Service) Users(ctx context.Context, actor *ravao.Principal, f ravao.UserFilter) ([]UserView, error) {
	if err := authorize(actor); err != nil {
		return nil, err
	}
	var out []UserView
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		users, err := tx.Users(f)
		if err != nil {
			return err
		}
		out = make([]UserView, 0, len(users))
		for _, u := range users {
			v, err := view(tx, u)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// UserByLogin returns one account with its roles; NotFound when there is
// none.
func (s *Service) UserByLogin(ctx context.Context, actor *ravao.Principal, login string) (UserView, error) {
	if err := authorize(actor); err != nil {
		return UserView{}, err
	}
	var v UserView
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		u, err := tx.UserByLogin(ravao.NormalizeLogin(login))
		if err != nil {
			return err
		}
		v, err = view(tx, u)
		return err
	})
	return v, err
}

// view makes the listing of one account.
func view(tx ravao.Tx, u ravao.User) (UserView, error) {
	roles, err := tx.Roles(u.ID)
	if err != nil {
		return UserView{}, err
	}
	return UserView{User: public(u), Roles: roles}, nil
}

// loginTaken turns the Conflict of a duplicate login into a field error
// the form can show next to the login.
func loginTaken(err error) error {
	if ravao.ErrorCode(err) != ravao.Conflict {
		return err
	}
	return &ravao.Error{Code: ravao.Conflict, Key: "err.login_taken", Fields: map[string]string{"login": "err.login_taken"}, Err: err}
}
