// Package personalqr issues and checks the personal QR code a visitor shows
// at a gate after a health declaration.
//
// The payload is digits only, so that the QR code uses numeric mode and a
// USB scanner typing through a Vietnamese input method (Telex, VNI) cannot
// corrupt it: those methods rewrite letters, never digits. It is signed
// with Ed25519, so a gate holding only the server's public key checks it
// offline, and it carries no readable personal data: an opaque person id,
// an expiry, whether the current declaration is green, the kind of code
// (rotating on screen, or a printed card) and a card serial.
//
// Whether a card's serial is still the person's current one (revocation) is
// the caller's check, against the store or a revocation list, as the serial
// of a checkpoint code is (see package codes).
//
// # Payload format, version 1
//
// "84001" followed by 191 digits, 196 digits in all. "84" (Vietnam's
// calling code) and "00" make a prefix that no 12-digit CCCD number (which
// starts with a 0) and no other Ravao payload shares; the fifth digit is the
// format version. The 191 digits are a big-endian unsigned integer,
// zero-padded to a fixed width, whose 79 bytes are a 15-byte body followed
// by the 64-byte Ed25519 signature of the domain label, the prefix and the
// body:
//
//	body[0:7]   56 bits: kind (bits 55-54), green (bit 53), person id (bits 52-0)
//	body[7:11]  expiry, unix seconds, uint32 (until 2106)
//	body[11:15] card serial, uint32
//
// At 196 digits the QR code is version 5 at error correction M.
package personalqr

import (
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/ravao/ravao"
)

// Kind says how a personal QR code is shown.
type Kind byte

// The kinds of personal QR code.
const (
	// KindScreen is shown on the visitor's phone and rotates: it is valid
	// for a few minutes, so a screenshot or a photograph soon stops working.
	KindScreen Kind = 1
	// KindCard is printed for people without a smartphone: long-lived, and
	// revoked by bumping the person's card serial.
	KindCard Kind = 2
)

// MaxPersonID bounds person ids: they are 53-bit, exact as JSON numbers in
// JavaScript (see vault.NewID).
const MaxPersonID = 1<<53 - 1

// Claims is everything a personal QR code says. Expires is kept to the
// second.
type Claims struct {
	PersonID int64
	Expires  time.Time
	Green    bool
	Kind     Kind
	Serial   uint32
}

// The errors Parse returns, user-facing and comparable with errors.Is. A
// tampered, truncated, foreign or malformed payload is ErrInvalid, the
// reason not told apart, on purpose.
var (
	ErrInvalid error = ravao.Errorf(ravao.Invalid, "err.personal_qr_invalid")
	ErrExpired error = ravao.Errorf(ravao.Invalid, "err.personal_qr_expired")
)

// Signer issues personal QR codes with the server's private key.
type Signer struct {
	priv ed25519.PrivateKey
}

// NewSigner returns a signer for priv (see vault.PersonalQRKey).
func NewSigner(priv ed25519.PrivateKey) *Signer {
	return &Signer{priv: priv}
}

// Issue returns the payload for c. It fails on claims that cannot be
// encoded: a person id outside 1..MaxPersonID, an unknown kind, or an
// expiry outside the uint32 unix seconds range.
func (s *Signer) Issue(c Claims) (string, error) {
	if err := c.validate(); err != nil {
		return "", err
	}
	body := c.body()
	sig := ed25519.Sign(s.priv, signed(body))
	return encode(append(body, sig...)), nil
}

func (c Claims) validate() error {
	switch {
	case c.PersonID < 1 || c.PersonID > MaxPersonID:
		return errors.New("personalqr: person id out of range")
	case c.Kind != KindScreen && c.Kind != KindCard:
		return errors.New("personalqr: unknown kind")
	case c.Expires.Unix() < 1 || c.Expires.Unix() > 1<<32-1:
		return errors.New("personalqr: expiry out of range")
	}
	return nil
}

// Verifier checks personal QR codes with the server's public key only, as
// an offline gate does.
type Verifier struct {
	pub ed25519.PublicKey
}

// NewVerifier returns a verifier for pub.
func NewVerifier(pub ed25519.PublicKey) *Verifier {
	return &Verifier{pub: pub}
}

// PublicKey is the key the verifier checks with: what a gate needs to
// check codes offline.
func (v *Verifier) PublicKey() ed25519.PublicKey { return v.pub }

// Parse checks a scanned payload and returns its claims. Surrounding spaces,
// tabs and line ends (scanners type Enter after a code) are ignored; any
// other change makes it ErrInvalid. A genuine code past its expiry (now
// after Expires) gives ErrExpired together with its claims, so that a gate
// can tell whom to send back for a fresh code.
func (v *Verifier) Parse(payload string, now time.Time) (Claims, error) {
	raw, ok := decode(trim(payload))
	if !ok {
		return Claims{}, ErrInvalid
	}
	body, sig := raw[:bodyLen], raw[bodyLen:]
	if !ed25519.Verify(v.pub, signed(body), sig) {
		return Claims{}, ErrInvalid
	}
	c, ok := parseBody(body)
	if !ok {
		return Claims{}, ErrInvalid
	}
	if now.After(c.Expires) {
		return c, ErrExpired
	}
	return c, nil
}

// Looks reports whether payload has the shape of a Ravao personal QR code
// (prefix, length, digits), without checking its signature: a gate uses it
// to route a scan before it tries a CCCD or another format.
func Looks(payload string) bool {
	p := trim(payload)
	return len(p) == PayloadLen && p[:len(Prefix)] == Prefix && digitsOnly(p)
}
