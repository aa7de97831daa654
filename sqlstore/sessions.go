package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const sessionCols = `token_hash, user_id, created_at, expires_at, last_seen`

func scanSession(s scanner) (ravao.Session, error) {
	var x ravao.Session
	err := s.Scan(&x.TokenHash, &x.UserID, msTime{&x.CreatedAt}, msTime{&x.ExpiresAt}, msTime{&x.LastSeen})
	return x, err
}

// CreateSession stores a signed-in browser by the hash of its token.
func (t *Tx) CreateSession(s *ravao.Session) error {
	t.stamp(&s.CreatedAt)
	_, err := t.exec(`INSERT INTO sessions (`+sessionCols+`) VALUES ($1, $2, $3, $4, $5)`,
		s.TokenHash, s.UserID, ms(s.CreatedAt), ms(s.ExpiresAt), ms(s.LastSeen))
	return err
}

// Session returns a session by the hash of its token, expired or not:
// deciding whether it still counts is the caller's business.
func (t *Tx) Session(tokenHash []byte) (ravao.Session, error) {
	return getOne(t, scanSession, `SELECT `+sessionCols+` FROM sessions WHERE token_hash = $1`, tokenHash)
}

// TouchSession records when a session was last used.
func (t *Tx) TouchSession(tokenHash []byte, lastSeen time.Time) error {
	return t.execOne(`UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, ms(lastSeen), tokenHash)
}

// DeleteSession signs a browser out; NotFound when there was no session.
func (t *Tx) DeleteSession(tokenHash []byte) error {
	return t.execOne(`DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
}

// DeleteUserSessions signs a user out everywhere and says how many
// sessions ended.
func (t *Tx) DeleteUserSessions(userID int64) (int, error) {
	return t.exec(`DELETE FROM sessions WHERE user_id = $1`, userID)
}

// DeleteExpiredSessions removes the sessions that expired at or before now.
func (t *Tx) DeleteExpiredSessions(now time.Time) (int, error) {
	return t.exec(`DELETE FROM sessions WHERE expires_at <= $1`, now.UnixMilli())
}

const tokenCols = `id, token_hash, user_id, name, created_at, expires_at, revoked`

func scanToken(s scanner) (ravao.APIToken, error) {
	var x ravao.APIToken
	err := s.Scan(&x.ID, &x.TokenHash, &x.UserID, &x.Name, msTime{&x.CreatedAt}, msTime{&x.ExpiresAt}, &x.Revoked)
	return x, err
}

// CreateToken stores an API token by the hash of its secret and sets its ID.
func (t *Tx) CreateToken(x *ravao.APIToken) error {
	t.stamp(&x.CreatedAt)
	id, err := t.insertID(`INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at, revoked)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		x.TokenHash, x.UserID, x.Name, ms(x.CreatedAt), ms(x.ExpiresAt), x.Revoked)
	if err == nil {
		x.ID = id
	}
	return err
}

// TokenByHash returns an API token by the hash of its secret, revoked or
// expired ones included: the caller decides.
func (t *Tx) TokenByHash(hash []byte) (ravao.APIToken, error) {
	return getOne(t, scanToken, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = $1`, hash)
}

// RevokeUserTokens revokes every live token of a user and says how many.
func (t *Tx) RevokeUserTokens(userID int64) (int, error) {
	return t.exec(`UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1 AND revoked = FALSE`, userID)
}
