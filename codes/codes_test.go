package codes

import (
	"crypto/rand"
	"math/big"
	"strings"
	"testing"
)

func signer(t testing.TB, version byte) *Signer {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	s, err := NewSigner(map[byte][]byte{version: key}, version)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	s := signer(t, 1)
	for _, c := range []Code{{1, 0, 1}, {42, 3, 1}, {1<<53 - 1, 1<<32 - 1, 1}} {
		code := s.Issue(c.Checkpoint, c.Serial)
		if strings.Trim(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" {
			t.Errorf("code %q has characters outside the alphabet", code)
		}
		got, err := s.Parse(code)
		if err != nil || got != c {
			t.Errorf("Parse(Issue(%+v)) = %+v, %v", c, got, err)
		}
		if got, err := s.Parse(strings.ToLower(code)); err != nil || got != c {
			t.Errorf("lower-case code rejected: %v", err)
		}
	}
	if n := len(s.Issue(123456, 2)); n > 20 {
		t.Errorf("a code for checkpoint 123456 is %d characters; posters want it short", n)
	}
}

// TestRejectsForgeries: 100,000 random codes, and every single-character
// change of valid codes, are all rejected.
func TestRejectsForgeries(t *testing.T) {
	s := signer(t, 1)
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	tried := 0
	for range 100000 {
		n, _ := rand.Int(rand.Reader, big.NewInt(12))
		b := make([]byte, 10+n.Int64())
		for i := range b {
			k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			b[i] = alphabet[k.Int64()]
		}
		if _, err := s.Parse(string(b)); err == nil {
			t.Fatalf("random code %q accepted", b)
		}
		tried++
	}
	for id := int64(1); id <= 200; id++ {
		code := s.Issue(id, uint32(id%3))
		for i := range code {
			for _, c := range []byte(alphabet) {
				if c == code[i] {
					continue
				}
				mutated := code[:i] + string(c) + code[i+1:]
				if _, err := s.Parse(mutated); err == nil {
					t.Fatalf("mutated code %q (from %q) accepted", mutated, code)
				}
				tried++
			}
		}
	}
	t.Logf("%d forged codes tried, 0 accepted", tried)
}

func TestKeyVersions(t *testing.T) {
	old, cur := signer(t, 1), signer(t, 2)
	both, err := NewSigner(map[byte][]byte{1: old.keys[1], 2: cur.keys[2]}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := both.Parse(old.Issue(7, 0)); err != nil || c.KeyVersion != 1 {
		t.Errorf("a code under the previous key: %+v, %v", c, err)
	}
	if _, err := cur.Parse(old.Issue(7, 0)); err == nil {
		t.Error("a code under a retired key was accepted")
	}
	for _, bad := range []string{"", strings.Repeat("0", MaxLen+1), "A", "Ü", "00000000000000000000"} {
		if _, err := both.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	s := signer(f, 1)
	f.Add(s.Issue(1, 0))
	f.Add("")
	f.Add("ZZZZZZZZZZZZZZZZ")
	f.Fuzz(func(t *testing.T, code string) {
		c, err := s.Parse(code)
		if err == nil && s.Issue(c.Checkpoint, c.Serial) != canonical(code) {
			t.Fatalf("accepted %q, which is not what Issue gives for %+v", code, c)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	s := signer(b, 1)
	code := s.Issue(123456, 1)
	for b.Loop() {
		if _, err := s.Parse(code); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHMACBaseline is one HMAC-SHA-256 over a code's body on this
// machine: Parse is reported as a ratio to it, so the figure holds on any
// hardware.
func BenchmarkHMACBaseline(b *testing.B) {
	s := signer(b, 1)
	body := []byte{1, 0xc0, 0xc4, 0x07, 1}
	for b.Loop() {
		s.mac(s.keys[1], body)
	}
}
