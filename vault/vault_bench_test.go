package vault

import (
	"testing"

	"github.com/ravao/ravao"
)

// benchVault is a vault with a fresh key.
func benchVault(b *testing.B) *Vault {
	k, err := ParseKey(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	v, err := New(k)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkSeal seals a declaration's worth of bytes.
func BenchmarkSeal(b *testing.B) {
	v := benchVault(b)
	plain := []byte(`{"v":"2026-1","a":{"fever":false,"cough":false,"contact":false,"travel":false}}`)
	for b.Loop() {
		v.Seal(plain, "declaration/1")
	}
}

// BenchmarkOpen opens what BenchmarkSeal seals.
func BenchmarkOpen(b *testing.B) {
	v := benchVault(b)
	sealed := v.Seal([]byte(`{"v":"2026-1","a":{"fever":false,"cough":false,"contact":false,"travel":false}}`), "declaration/1")
	for b.Loop() {
		if _, err := v.Open(sealed, "declaration/1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenPerson opens a sealed person, as tracing does for each
// contact it shows.
func BenchmarkOpenPerson(b *testing.B) {
	v := benchVault(b)
	rec, err := v.SealPerson(ravao.Person{ID: 1, FullName: "Nguyễn Văn An", Phone: "0912345678", IDNumber: "035099001234"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := v.OpenPerson(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenHash is the keyed hash of a device token, once per
// check-in.
func BenchmarkTokenHash(b *testing.B) {
	v := benchVault(b)
	tok := NewSecret(24)
	for b.Loop() {
		v.TokenHash(tok)
	}
}
