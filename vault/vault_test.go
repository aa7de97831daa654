package vault

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

func testVault(t *testing.T) *Vault {
	t.Helper()
	k, err := ParseKey(GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSealOpen(t *testing.T) {
	v := testVault(t)
	ct := v.Seal([]byte("0912345678"), "person/1")
	if bytes.Contains(ct, []byte("0912345678")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	got, err := v.Open(ct, "person/1")
	if err != nil || string(got) != "0912345678" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := v.Open(ct, "person/2"); err != ErrOpen {
		t.Errorf("ciphertext moved to another row opened: %v", err)
	}
	ct[len(ct)-1] ^= 1
	if _, err := v.Open(ct, "person/1"); err != ErrOpen {
		t.Errorf("tampered ciphertext opened: %v", err)
	}
	other := testVault(t)
	if _, err := other.Open(v.Seal([]byte("x"), "a"), "a"); err != ErrOpen {
		t.Errorf("opened with another key: %v", err)
	}
	if bytes.Equal(v.Seal([]byte("x"), "a"), v.Seal([]byte("x"), "a")) {
		t.Error("two seals of the same value are equal: nonce reused")
	}
}

func TestLookup(t *testing.T) {
	v, other := testVault(t), testVault(t)
	if !bytes.Equal(v.Lookup("phone", "0912345678"), v.Lookup("phone", "0912345678")) {
		t.Error("lookup is not deterministic")
	}
	if bytes.Equal(v.Lookup("phone", "035099001234"), v.Lookup("cccd", "035099001234")) {
		t.Error("a phone and an ID number with the same digits share a lookup key")
	}
	if bytes.Equal(v.Lookup("phone", "0912345678"), other.Lookup("phone", "0912345678")) {
		t.Error("lookup does not depend on the key")
	}
}

func TestSealPersonRoundTrip(t *testing.T) {
	v := testVault(t)
	now := time.Date(2026, 11, 25, 1, 2, 3, 0, time.UTC)
	a := ravao.Person{ID: NewID(), FullName: "Nguyễn Văn An", Phone: "0912345678", IDNumber: "035099001234",
		Address: "12 Lê Lợi", BirthYear: 1990, Sex: ravao.SexMale, UnitCode: "13321",
		ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now}
	rec, err := v.SealPerson(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"Nguyễn", "0912345678", "035099001234", "Lê Lợi"} {
		if bytes.Contains(rec.Sealed, []byte(clear)) {
			t.Errorf("sealed record contains %q", clear)
		}
	}
	if !bytes.Equal(rec.PhoneKey, v.Lookup("phone", "0912345678")) || !bytes.Equal(rec.IDNumberKey, v.Lookup("cccd", "035099001234")) {
		t.Error("lookup keys do not match Lookup")
	}
	back, err := v.OpenPerson(rec)
	if err != nil {
		t.Fatal(err)
	}
	if back != a {
		t.Errorf("round trip: got %#v, want %#v", back.FullName.Reveal(), a.FullName.Reveal())
	}
	// A sealed blob moved to another person's row does not open.
	b := a
	b.ID = NewID()
	recB, _ := v.SealPerson(b)
	rec.Sealed, recB.Sealed = recB.Sealed, rec.Sealed
	if _, err := v.OpenPerson(rec); err == nil {
		t.Error("swapped blob opened for a")
	}
	if _, err := v.OpenPerson(recB); err == nil {
		t.Error("swapped blob opened for b")
	}
}

func TestParseKey(t *testing.T) {
	for _, bad := range []string{"", "short", "!!!!", GenerateKey()[:20]} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
	seen := map[int64]bool{}
	for range 1000 {
		id := NewID()
		if id <= 0 || id >= 1<<53 || seen[id] {
			t.Fatalf("NewID gave %d", id)
		}
		seen[id] = true
	}
}

func BenchmarkSealPerson(b *testing.B) {
	k, _ := ParseKey(GenerateKey())
	v, _ := New(k)
	p := ravao.Person{ID: 1, FullName: "Nguyễn Văn An", Phone: "0912345678", IDNumber: "035099001234"}
	for b.Loop() {
		v.SealPerson(p)
	}
}

func BenchmarkLookup(b *testing.B) {
	k, _ := ParseKey(GenerateKey())
	v, _ := New(k)
	for b.Loop() {
		v.Lookup("phone", "0912345678")
	}
}

func TestPersonalQRKey(t *testing.T) {
	master, err := ParseKey(GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(master)
	if err != nil {
		t.Fatal(err)
	}
	again, err := New(master)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.PersonalQRKey()) != ed25519.PrivateKeySize {
		t.Fatalf("key is %d bytes, want %d", len(a.PersonalQRKey()), ed25519.PrivateKeySize)
	}
	if !a.PersonalQRKey().Equal(again.PersonalQRKey()) {
		t.Error("the personal QR key differs between two vaults on the same master key")
	}
	if a.PersonalQRKey().Equal(testVault(t).PersonalQRKey()) {
		t.Error("two master keys give the same personal QR key")
	}
	sig := ed25519.Sign(a.PersonalQRKey(), []byte("x"))
	if !ed25519.Verify(again.PersonalQRKey().Public().(ed25519.PublicKey), []byte("x"), sig) {
		t.Error("a signature does not verify under the public half of the re-derived key")
	}
}
