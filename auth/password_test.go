package auth_test

import (
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

func TestHashPassword(t *testing.T) {
	h, err := auth.HashPassword(goodPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(h, want) {
		t.Errorf("got hash %q, want prefix %q", h, want)
	}
	if strings.Contains(h, goodPassword) {
		t.Errorf("hash %q contains the password", h)
	}
	if !auth.VerifyPassword(h, goodPassword) {
		t.Errorf("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse batterY", goodPassword + " "} {
		if auth.VerifyPassword(h, wrong) {
			t.Errorf("wrong password %q verifies", wrong)
		}
	}
	h2, _ := auth.HashPassword(goodPassword, cheap)
	if h == h2 {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
}

func TestHashPasswordDefaultParams(t *testing.T) {
	h, err := auth.HashPassword(goodPassword, auth.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(h, want) {
		t.Errorf("got hash %q, want prefix %q", h, want)
	}
}

func TestWeakPasswordRejected(t *testing.T) {
	tests := []struct {
		password, key string
	}{
		{"", "err.password_short"},
		{"short", "err.password_short"},
		{"ngắn quá ạ", ""}, // 10 runes, 15 bytes: long enough
		{"ngắnquáạ", "err.password_short"},
		{strings.Repeat("a", 128), ""},
		{strings.Repeat("a", 129), "err.password_long"},
		{strings.Repeat("ệ", 43), "err.password_long"}, // 43 runes, 129 bytes
	}
	for _, tt := range tests {
		_, err := auth.HashPassword(tt.password, cheap)
		if tt.key == "" {
			if err != nil {
				t.Errorf("password of %d bytes: got %v, want accepted", len(tt.password), err)
			}
			continue
		}
		if ravao.ErrorCode(err) != ravao.Invalid {
			t.Errorf("password of %d bytes: got %v, want Invalid", len(tt.password), err)
			continue
		}
		wantField(t, err, "password", tt.key)
	}
}

// A password typed with combining diacritics (as some Vietnamese input
// methods do) matches the same password typed precomposed.
func TestPasswordUnicodeForms(t *testing.T) {
	precomposed := "mật khẩu Việt Nam"
	decomposed := "ma\u0323\u0302t kha\u0302\u0309u Vie\u0323\u0302t Nam"
	h, err := auth.HashPassword(precomposed, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.VerifyPassword(h, decomposed) {
		t.Errorf("decomposed form of the password does not verify")
	}
}

func TestVerifyMalformedHash(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA"} {
		if auth.VerifyPassword(h, goodPassword) {
			t.Errorf("malformed hash %q verifies", h)
		}
	}
}
