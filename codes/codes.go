// Package codes makes and checks the short codes printed on checkpoint
// posters (the QR encodes BASE_URL/q/CODE, and the code is printed under it
// for typing by hand).
//
// A code carries a key version, the checkpoint id and an issue serial, and
// a truncated HMAC over them under a server key, written in Crockford's
// base32 (digits and upper-case letters without I, L, O, U) so that the QR
// code uses alphanumeric mode and stays small, and people can read it
// aloud. A code is checked without a database lookup; whether its serial is
// still the checkpoint's current one (revocation, re-issue) is the caller's
// check against the store.
package codes

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
)

// macLen is the number of MAC bytes kept: 56 bits, so guessing a valid code
// for a known checkpoint takes about 2^55 tries on average.
const macLen = 7

// MaxLen is the longest code Parse accepts.
const MaxLen = 40

var enc = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// ErrInvalid is returned for any code that is not one this server issued:
// malformed, unknown key version, or a MAC that does not match. The reason
// is not told apart, on purpose.
var ErrInvalid = errors.New("codes: invalid code")

// Signer issues and checks codes under versioned keys.
type Signer struct {
	keys    map[byte][]byte
	current byte
}

// NewSigner returns a signer that issues under keys[current] and accepts
// any version in keys, so that keys can be rotated without reprinting every
// poster at once.
func NewSigner(keys map[byte][]byte, current byte) (*Signer, error) {
	if len(keys[current]) < 32 {
		return nil, errors.New("codes: the current key must be at least 32 bytes")
	}
	return &Signer{keys: keys, current: current}, nil
}

// Code is what a checkpoint code says.
type Code struct {
	Checkpoint int64
	Serial     uint32 // incremented at each re-issue
	KeyVersion byte
}

// Issue returns the printable code for a checkpoint and serial.
func (s *Signer) Issue(checkpoint int64, serial uint32) string {
	body := binary.AppendUvarint([]byte{s.current}, uint64(checkpoint))
	body = binary.AppendUvarint(body, uint64(serial))
	return enc.EncodeToString(append(body, s.mac(s.keys[s.current], body)...))
}

// Parse checks a code and returns what it says. Lower-case letters and the
// look-alikes people type (O for 0, I and L for 1) are accepted.
func (s *Signer) Parse(code string) (Code, error) {
	if len(code) == 0 || len(code) > MaxLen {
		return Code{}, ErrInvalid
	}
	code = canonical(code)
	raw, err := enc.DecodeString(code)
	// The last character may carry unused bits: only the one spelling that
	// Issue produces is accepted, so a code has no look-alike twins.
	if err != nil || len(raw) < 1+1+1+macLen || enc.EncodeToString(raw) != code {
		return Code{}, ErrInvalid
	}
	body, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	key, ok := s.keys[body[0]]
	if !ok || !hmac.Equal(mac, s.mac(key, body)) {
		return Code{}, ErrInvalid
	}
	id, n := binary.Uvarint(body[1:])
	if n <= 0 || id == 0 || id > 1<<62 {
		return Code{}, ErrInvalid
	}
	serial, m := binary.Uvarint(body[1+n:])
	if m <= 0 || 1+n+m != len(body) || serial > 1<<32-1 {
		return Code{}, ErrInvalid
	}
	return Code{Checkpoint: int64(id), Serial: uint32(serial), KeyVersion: body[0]}, nil
}

func (s *Signer) mac(key, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ravao checkpoint code\x00"))
	m.Write(body)
	return m.Sum(nil)[:macLen]
}

// canonical upper-cases a typed code and maps Crockford's look-alikes.
func canonical(code string) string {
	b := []byte(code)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		b[i] = c
	}
	return string(b)
}
