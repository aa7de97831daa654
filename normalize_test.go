package ravao

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"0912345678", "0912345678"},
		{"+84912345678", "0912345678"},
		{"+84 912 345 678", "0912345678"},
		{"84912345678", "0912345678"},
		{"0912.345.678", "0912345678"},
		{"0912-345-678", "0912345678"},
		{"(024) 3825 1234", "02438251234"},
		{"+84 24 3825 1234", "02438251234"},
		{"0312345678", "0312345678"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []string{"", "0", "912345678", "091234567", "09123456789", "0112345678", "+1 912 345 678",
		"+8491234567", "0912a45678", "091234567８", "\xff\xfe", "0912345678\x00", strings.Repeat("0", 40), "++84912345678"}
	for _, in := range bad {
		if got, err := NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", in, got)
		} else if ErrorCode(err) != Invalid {
			t.Errorf("NormalizePhone(%q) error code %q, want invalid", in, ErrorCode(err))
		}
	}
}

func TestValidateCCCD(t *testing.T) {
	good := []string{"035099001234", "001203012345", "096180000001"}
	for _, s := range good {
		if err := ValidateCCCD(s); err != nil {
			t.Errorf("ValidateCCCD(%q) = %v, want nil", s, err)
		}
	}
	bad := []string{"", "03509900123", "0350990012345", "03509900123a", "003099001234", "099099001234", "000000000000", "035 099 001 234"}
	for _, s := range bad {
		if err := ValidateCCCD(s); err == nil {
			t.Errorf("ValidateCCCD(%q) = nil, want an error", s)
		}
	}
	if got, err := NormalizeCCCD(" 035 099 001 234 "); err != nil || got != "035099001234" {
		t.Errorf("NormalizeCCCD with spaces = %q, %v", got, err)
	}
}

func TestNormalizeName(t *testing.T) {
	decomposed := "Nguye\u0302\u0303n Va\u0306n An" // NFD as some keyboards send it
	tests := []struct{ in, want string }{
		{"  Nguyễn   Văn  An ", "Nguyễn Văn An"},
		{decomposed, "Nguyễn Văn An"},
		{"Trần Thị\tBích", "Trần Thị Bích"},
		{"O'Neil-Smith", "O'Neil-Smith"},
	}
	for _, tt := range tests {
		got, err := NormalizeName(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := map[string]string{
		"":                                  "err.name_empty",
		"   ":                               "err.name_empty",
		"12345":                             "err.name_empty",
		"An\x00":                            "err.name_chars",
		"An\u200bB":                         "err.name_chars",
		"\xffAn":                            "err.utf8",
		strings.Repeat("Ă", MaxNameRunes+1): "err.name_long",
	}
	for in, key := range bad {
		_, err := NormalizeName(in)
		var e *Error
		if err == nil || !asError(err, &e) || e.Key != key {
			t.Errorf("NormalizeName(%q) error = %v, want key %s", in, err, key)
		}
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func TestMasking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn An", "Nguyễn V*** A"},
		{"Trần Thị Bích Ngọc", "Trần T*** B*** N"},
		{"Lê Đạt", "Lê Đ"},
		{"Ánh", "Á***"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskName(PII(tt.in)); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := MaskPhone("0912345678"); got != "091****678" {
		t.Errorf("MaskPhone = %q, want 091****678", got)
	}
	if got := FoldDiacritics("Nguyễn Đình Đức"); got != "nguyen dinh duc" {
		t.Errorf("FoldDiacritics = %q", got)
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0912345678", "+84 912 345 678", "84912345678", "(024) 3825 1234", "", "+", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizePhone(s)
		if err != nil {
			return
		}
		if again, err := NormalizePhone(n); err != nil || again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, n, again, err)
		}
		if n[0] != '0' || (len(n) != 10 && len(n) != 11) {
			t.Fatalf("bad normal form %q from %q", n, s)
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", " a  b ", "\x00", "\xff", "Ư"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeName(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(n) || utf8.RuneCountInString(n) > MaxNameRunes || strings.TrimSpace(n) != n {
			t.Fatalf("bad normal form %q from %q", n, s)
		}
		if again, err := NormalizeName(n); err != nil || again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, n, again, err)
		}
		_ = MaskName(PII(n))
	})
}

func FuzzValidateCCCD(f *testing.F) {
	for _, s := range []string{"035099001234", "", "0350990012345", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateCCCD(s) == nil && len(s) != 12 {
			t.Fatalf("accepted %q", s)
		}
	})
}
