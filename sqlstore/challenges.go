package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const challengeCols = `id, token_hash, phone_key, code_hash, purpose, attempts, created_at, expires_at,
	verified_at`

func scanChallenge(s scanner) (ravao.PhoneChallenge, error) {
	var c ravao.PhoneChallenge
	err := s.Scan(&c.ID, &c.TokenHash, &c.PhoneKey, &c.CodeHash, &c.Purpose, &c.Attempts,
		msTime{&c.CreatedAt}, msTime{&c.ExpiresAt}, msTime{&c.VerifiedAt})
	return c, err
}

// CreatePhoneChallenge stores a challenge by the hash of its secret and
// sets its ID. A hash already stored is a Conflict.
func (t *Tx) CreatePhoneChallenge(c *ravao.PhoneChallenge) error {
	t.stamp(&c.CreatedAt)
	id, err := t.insertID(`INSERT INTO phone_challenges (token_hash, phone_key, code_hash, purpose, attempts,
		created_at, expires_at, verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.TokenHash, c.PhoneKey, c.CodeHash, c.Purpose, c.Attempts, ms(c.CreatedAt), ms(c.ExpiresAt),
		ms(c.VerifiedAt))
	if err == nil {
		c.ID = id
	}
	return err
}

// PhoneChallengeByHash returns a challenge by the hash of its secret,
// expired or verified ones included: the caller decides.
func (t *Tx) PhoneChallengeByHash(hash []byte) (ravao.PhoneChallenge, error) {
	return getOne(t, scanChallenge, `SELECT `+challengeCols+` FROM phone_challenges WHERE token_hash = $1`, hash)
}

// UpdatePhoneChallenge writes a challenge's attempts and VerifiedAt.
func (t *Tx) UpdatePhoneChallenge(c *ravao.PhoneChallenge) error {
	return t.execOne(`UPDATE phone_challenges SET attempts = $1, verified_at = $2 WHERE id = $3`,
		c.Attempts, ms(c.VerifiedAt), c.ID)
}

// CountPhoneChallenges counts the challenges sent to a phone at or after
// since, whatever their purpose: the limit on text messages is per phone.
func (t *Tx) CountPhoneChallenges(phoneKey []byte, since time.Time) (int, error) {
	return getOne(t, scanInt, `SELECT COUNT(*) FROM phone_challenges WHERE phone_key = $1 AND created_at >= $2`,
		phoneKey, since.UnixMilli())
}
