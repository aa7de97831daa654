// Package vault seals personal data for storage and computes the keyed
// lookups that let Ravao find a person by phone or ID number without
// storing either in clear.
//
// Ciphertexts are AES-256-GCM with a random nonce, prefixed by a key version
// byte, with additional data that names the row and field they belong to: a
// ciphertext copied into another row fails to open. Lookup keys are
// HMAC-SHA-256 under a separate key, never a plain hash, since a 12-digit ID
// number or a 10-digit phone has too little entropy to hide behind a hash.
// Both keys are derived with HKDF from one 32-byte master key that comes
// from a file or the environment, never from the database.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// KeySize is the length of a master key in bytes.
const KeySize = 32

// keyVersion is written before every ciphertext so that keys can be rotated
// later without guessing which key sealed a value.
const keyVersion = 1

// Vault holds the derived keys.
type Vault struct {
	aead   cipher.AEAD
	lookup []byte
	token  []byte
	code   []byte
	audit  []byte
	pqr    ed25519.PrivateKey
}

// New derives a vault from a master key.
func New(master []byte) (*Vault, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("vault: master key must be %d bytes, got %d", KeySize, len(master))
	}
	encKey, err := hkdf.Key(sha256.New, master, nil, "ravao seal v1", 32)
	if err != nil {
		return nil, err
	}
	lookupKey, err := hkdf.Key(sha256.New, master, nil, "ravao lookup v1", 32)
	if err != nil {
		return nil, err
	}
	tokenKey, err := hkdf.Key(sha256.New, master, nil, "ravao token v1", 32)
	if err != nil {
		return nil, err
	}
	codeKey, err := hkdf.Key(sha256.New, master, nil, "ravao checkpoint codes v1", 32)
	if err != nil {
		return nil, err
	}
	auditKey, err := hkdf.Key(sha256.New, master, nil, "ravao audit chain v1", 32)
	if err != nil {
		return nil, err
	}
	pqrSeed, err := hkdf.Key(sha256.New, master, nil, "ravao personal qr v1", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{
		aead: aead, lookup: lookupKey, token: tokenKey, code: codeKey, audit: auditKey,
		pqr: ed25519.NewKeyFromSeed(pqrSeed),
	}, nil
}

// PersonalQRKey returns the Ed25519 key that signs personal QR codes (see
// package personalqr). It is derived from the master key, so every server
// of a deployment signs alike; its public half is what offline gates hold.
func (v *Vault) PersonalQRKey() ed25519.PrivateKey {
	return v.pqr
}

// AuditKey returns the HMAC-SHA-256 key of the audit chain (see package
// auditlog), derived from the master key: it is never in the database, so
// someone who can write to the database cannot recompute the chain after
// changing an event.
func (v *Vault) AuditKey() []byte {
	return v.audit
}

// CodeKeys returns the keys that sign checkpoint codes by key version (see
// package codes), derived from the master key like every other key. A new
// version is a new derivation label here; old versions stay listed until
// every poster signed with them has been re-issued.
func (v *Vault) CodeKeys() (keys map[byte][]byte, current byte) {
	return map[byte][]byte{1: v.code}, 1
}

// GenerateKey returns a new random master key, base64-encoded as key files
// and RAVAO_KEY hold it.
func GenerateKey() string {
	k := make([]byte, KeySize)
	rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// ParseKey decodes a base64 master key.
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != KeySize {
		return nil, errors.New("vault: the key must be 32 bytes in base64 (make one with `ravao keygen`)")
	}
	return k, nil
}

// LoadKeyFile reads a base64 master key from a file.
func LoadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseKey(string(b))
}

// Seal encrypts plain, bound to aad (which names the row and field).
func (v *Vault) Seal(plain []byte, aad string) []byte {
	out := make([]byte, 1, 1+v.aead.NonceSize()+len(plain)+v.aead.Overhead())
	out[0] = keyVersion
	nonce := make([]byte, v.aead.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return v.aead.Seal(out, nonce, plain, []byte(aad))
}

// ErrOpen is returned when a ciphertext does not open: wrong key, altered,
// or moved from another row.
var ErrOpen = errors.New("vault: ciphertext does not open")

// Open decrypts a value sealed with the same aad.
func (v *Vault) Open(sealed []byte, aad string) ([]byte, error) {
	n := v.aead.NonceSize()
	if len(sealed) < 1+n+v.aead.Overhead() || sealed[0] != keyVersion {
		return nil, ErrOpen
	}
	plain, err := v.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Lookup returns the keyed HMAC of a normalised value of one kind ("phone",
// "cccd"), for equality search. Kinds are separated so a phone never matches
// an ID number.
func (v *Vault) Lookup(kind, value string) []byte {
	m := hmac.New(sha256.New, v.lookup)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// TokenHash returns the keyed hash under which session and API token
// secrets are stored.
func (v *Vault) TokenHash(secret string) []byte {
	m := hmac.New(sha256.New, v.token)
	m.Write([]byte(secret))
	return m.Sum(nil)
}

// sealedPerson is the clear form of a person's sealed fields.
type sealedPerson struct {
	FullName string `json:"n"`
	Phone    string `json:"p,omitempty"`
	IDNumber string `json:"i,omitempty"`
	Address  string `json:"a,omitempty"`
}

func personAAD(id int64) string { return "person/" + strconv.FormatInt(id, 10) }

// SealPerson turns a person in clear into the record a store keeps.
func (v *Vault) SealPerson(p ravao.Person) (ravao.PersonRecord, error) {
	plain, err := json.Marshal(sealedPerson{
		FullName: p.FullName.Reveal(), Phone: p.Phone.Reveal(),
		IDNumber: p.IDNumber.Reveal(), Address: p.Address.Reveal(),
	})
	if err != nil {
		return ravao.PersonRecord{}, err
	}
	r := ravao.PersonRecord{
		ID: p.ID, Sealed: v.Seal(plain, personAAD(p.ID)),
		BirthYear: p.BirthYear, Sex: p.Sex, UnitCode: p.UnitCode,
		ConsentVersion: p.ConsentVersion, ConsentChannel: p.ConsentChannel, ConsentAt: p.ConsentAt,
		ConsentBasis: p.ConsentBasis, CreatedAt: p.CreatedAt,
	}
	if p.Phone != "" {
		r.PhoneKey = v.Lookup("phone", p.Phone.Reveal())
	}
	if p.IDNumber != "" {
		r.IDNumberKey = v.Lookup("cccd", p.IDNumber.Reveal())
	}
	return r, nil
}

// OpenPerson turns a stored record back into a person in clear.
func (v *Vault) OpenPerson(r ravao.PersonRecord) (ravao.Person, error) {
	plain, err := v.Open(r.Sealed, personAAD(r.ID))
	if err != nil {
		return ravao.Person{}, err
	}
	var s sealedPerson
	if err := json.Unmarshal(plain, &s); err != nil {
		return ravao.Person{}, ErrOpen
	}
	return ravao.Person{
		ID: r.ID, FullName: ravao.PII(s.FullName), Phone: ravao.PII(s.Phone),
		IDNumber: ravao.PII(s.IDNumber), Address: ravao.PII(s.Address),
		BirthYear: r.BirthYear, Sex: r.Sex, UnitCode: r.UnitCode,
		ConsentVersion: r.ConsentVersion, ConsentChannel: r.ConsentChannel, ConsentAt: r.ConsentAt,
		ConsentBasis: r.ConsentBasis, CreatedAt: r.CreatedAt,
	}, nil
}

// NewID returns a random positive 53-bit id for records whose id must be
// known before they are stored (a person's sealed fields are bound to it)
// or must not reveal how many exist. 53 bits keep it exact as a JSON number
// in JavaScript clients.
func NewID() int64 {
	var b [8]byte
	rand.Read(b[:])
	var n int64
	for _, c := range b {
		n = n<<8 | int64(c)
	}
	n &= 1<<53 - 1
	if n == 0 {
		return 1
	}
	return n
}

// NewSecret returns a random URL-safe secret of n bytes of entropy, for
// session ids and API tokens.
func NewSecret(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
