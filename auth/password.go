package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultParams is the OWASP minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Password length limits. The upper bound is in bytes because it protects
// the server from hashing megabytes, not the user from typing.
const (
	MinPasswordRunes = 10
	MaxPasswordBytes = 128
)

const (
	saltLen = 16
	keyLen  = 32
	// maxMemory bounds what a stored hash may ask VerifyPassword to
	// allocate (1 GiB), so a corrupted row cannot exhaust the server.
	maxMemory = 1 << 20
	maxTime   = 64
)

// CheckPassword says whether a new password is acceptable, as a field error
// on "password".
func CheckPassword(password string) error {
	fe := ravao.FieldErrors{}
	switch {
	case len(password) > MaxPasswordBytes:
		fe.Add("password", "err.password_long")
	case utf8.RuneCountInString(password) < MinPasswordRunes:
		fe.Add("password", "err.password_short")
	}
	return fe.Err()
}

// HashPassword returns the argon2id hash of password as a PHC string
// "$argon2id$v=19$m=..,t=..,p=..$salt$hash", refusing weak passwords.
func HashPassword(password string, p Params) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return "", fmt.Errorf("auth: argon2 parameters must not be zero")
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey(passwordBytes(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash. The
// comparison is constant-time; a malformed hash never matches.
func VerifyPassword(encoded, password string) bool {
	p, salt, want, ok := parseHash(encoded)
	if !ok || len(password) > MaxPasswordBytes {
		return false
	}
	got := argon2.IDKey(passwordBytes(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// passwordBytes puts a password in NFC before hashing: Vietnamese input
// methods differ in whether they type "ệ" as one code point or as "e" plus
// combining marks, and the same person must get in from any keyboard.
func passwordBytes(password string) []byte {
	return []byte(norm.NFC.String(password))
}

// parseHash splits a PHC argon2id string into its parameters, salt and key.
func parseHash(encoded string) (p Params, salt, key []byte, ok bool) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, false
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return p, nil, nil, false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, false
	}
	return p, salt, key, true
}
