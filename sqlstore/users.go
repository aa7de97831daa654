package sqlstore

import (
	"github.com/ravao/ravao"
)

const userCols = `id, login, display_name, password_hash, totp_secret, lang, disabled,
	failed_logins, locked_until, created_at, updated_at`

func scanUser(s scanner) (ravao.User, error) {
	var u ravao.User
	err := s.Scan(&u.ID, &u.Login, &u.DisplayName, &u.PasswordHash, &u.TOTPSecret, &u.Lang,
		&u.Disabled, &u.FailedLogins, msTime{&u.LockedUntil}, msTime{&u.CreatedAt}, msTime{&u.UpdatedAt})
	return u, err
}

// CreateUser stores a new staff account and sets its ID. A login already
// taken is a Conflict.
func (t *Tx) CreateUser(u *ravao.User) error {
	t.stamp(&u.CreatedAt, &u.UpdatedAt)
	id, err := t.insertID(`INSERT INTO users (login, display_name, password_hash, totp_secret, lang,
		disabled, failed_logins, locked_until, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		u.Login, u.DisplayName, u.PasswordHash, nullBytes(u.TOTPSecret), u.Lang, u.Disabled,
		u.FailedLogins, ms(u.LockedUntil), ms(u.CreatedAt), ms(u.UpdatedAt))
	if err == nil {
		u.ID = id
	}
	return err
}

// User returns a staff account by ID.
func (t *Tx) User(id int64) (ravao.User, error) {
	return getOne(t, scanUser, `SELECT `+userCols+` FROM users WHERE id = $1`, id)
}

// UserByLogin returns a staff account by its (normalised) login.
func (t *Tx) UserByLogin(login string) (ravao.User, error) {
	return getOne(t, scanUser, `SELECT `+userCols+` FROM users WHERE login = $1`, login)
}

// Users lists staff accounts by ID.
func (t *Tx) Users(f ravao.UserFilter) ([]ravao.User, error) {
	var w where
	if f.Role != "" {
		w.add("EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = users.id AND r.role = ?)", string(f.Role))
	}
	if f.Disabled != nil {
		w.add("disabled = ?", *f.Disabled)
	}
	q := `SELECT ` + userCols + ` FROM users` + w.sql() + ` ORDER BY id` + w.limit(f.Limit)
	return getAll(t, scanUser, q, w.args...)
}

// UpdateUser writes every field of an existing account but CreatedAt, and
// sets UpdatedAt to the transaction's Now: the account changes now.
// Disabling an account is an update with Disabled set.
func (t *Tx) UpdateUser(u *ravao.User) error {
	err := t.execOne(`UPDATE users SET login = $1, display_name = $2, password_hash = $3,
		totp_secret = $4, lang = $5, disabled = $6, failed_logins = $7, locked_until = $8,
		updated_at = $9 WHERE id = $10`,
		u.Login, u.DisplayName, u.PasswordHash, nullBytes(u.TOTPSecret), u.Lang, u.Disabled,
		u.FailedLogins, ms(u.LockedUntil), ms(t.now), u.ID)
	if err == nil {
		u.UpdatedAt = t.now
	}
	return err
}

const roleCols = `id, user_id, role, unit_code, sector, organisation_id, checkpoint_id, created_at`

func scanRole(s scanner) (ravao.RoleAssignment, error) {
	var a ravao.RoleAssignment
	err := s.Scan(&a.ID, &a.UserID, &a.Role, &a.UnitCode, &a.Sector, idOrZero{&a.OrganisationID},
		idOrZero{&a.CheckpointID}, msTime{&a.CreatedAt})
	return a, err
}

// AddRole gives a user a role and sets the assignment's ID.
func (t *Tx) AddRole(a *ravao.RoleAssignment) error {
	t.stamp(&a.CreatedAt)
	id, err := t.insertID(`INSERT INTO role_assignments (user_id, role, unit_code, sector,
		organisation_id, checkpoint_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		a.UserID, string(a.Role), a.UnitCode, string(a.Sector), nullID(a.OrganisationID),
		nullID(a.CheckpointID), ms(a.CreatedAt))
	if err == nil {
		a.ID = id
	}
	return err
}

// Roles lists a user's role assignments in the order they were given.
func (t *Tx) Roles(userID int64) ([]ravao.RoleAssignment, error) {
	return getAll(t, scanRole, `SELECT `+roleCols+` FROM role_assignments WHERE user_id = $1 ORDER BY id`, userID)
}

// DeleteRole removes a role assignment.
func (t *Tx) DeleteRole(id int64) error {
	return t.execOne(`DELETE FROM role_assignments WHERE id = $1`, id)
}
