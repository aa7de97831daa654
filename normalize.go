package ravao

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameRunes is the longest person or place name accepted.
const MaxNameRunes = 100

// NormalizeName cleans a person's or a place's name typed by someone: valid
// UTF-8, NFC, no control characters, single spaces, at most MaxNameRunes
// runes, at least one letter.
func NormalizeName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", Errorf(Invalid, "err.utf8")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	letters, runes := 0, 0
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			return "", Errorf(Invalid, "err.name_chars")
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			runes++
		}
		space = false
		if unicode.IsLetter(r) {
			letters++
		}
		b.WriteRune(r)
		runes++
	}
	if letters == 0 {
		return "", Errorf(Invalid, "err.name_empty")
	}
	if runes > MaxNameRunes {
		return "", Errorf(Invalid, "err.name_long")
	}
	return b.String(), nil
}

// NormalizePhone turns a Vietnamese phone number as people type it
// ("+84 912 345 678", "84912345678", "0912.345.678") into the national form
// 0xxxxxxxxx. Mobile numbers have ten digits and start 03, 05, 07, 08 or 09;
// landlines have eleven and start 02.
func NormalizePhone(s string) (string, error) {
	if !utf8.ValidString(s) || len(s) > 32 {
		return "", Errorf(Invalid, "err.phone")
	}
	var d strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", Errorf(Invalid, "err.phone")
		}
	}
	n := d.String()
	switch {
	case strings.HasPrefix(s, "+") && !strings.HasPrefix(n, "84"):
		return "", Errorf(Invalid, "err.phone")
	case strings.HasPrefix(n, "84") && (len(n) == 11 || len(n) == 12):
		n = "0" + n[2:]
	}
	if n == "" || n[0] != '0' {
		return "", Errorf(Invalid, "err.phone")
	}
	mobile := len(n) == 10 && strings.ContainsRune("35789", rune(n[1]))
	landline := len(n) == 11 && n[1] == '2'
	if !mobile && !landline {
		return "", Errorf(Invalid, "err.phone")
	}
	return n, nil
}

// cccdProvinces are the birth-registration province codes that open a
// 12-digit citizen identity number (Circular 07/2016/TT-BCA and successors).
var cccdProvinces = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025
		026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060
		062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096`) {
		cccdProvinces[c] = true
	}
}

// ValidateCCCD checks the structure of a 12-digit chip ID card number: the
// province code of birth registration, then a digit for century and sex,
// two digits of the birth year, and six digits.
func ValidateCCCD(s string) error {
	if len(s) != 12 {
		return Errorf(Invalid, "err.cccd")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Errorf(Invalid, "err.cccd")
		}
	}
	if !cccdProvinces[s[:3]] {
		return Errorf(Invalid, "err.cccd")
	}
	return nil
}

// NormalizeCCCD strips the spaces people type inside an ID number and
// validates it.
func NormalizeCCCD(s string) (string, error) {
	s = strings.Join(strings.Fields(s), "")
	if err := ValidateCCCD(s); err != nil {
		return "", err
	}
	return s, nil
}

// FoldDiacritics lower-cases s and removes Vietnamese diacritics (and đ), for
// searching names the way people type them without accents.
func FoldDiacritics(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MaskName shows a name the way gates and venue staff may see it: the
// family name, the initial of each middle name followed by ***, and the
// initial of the given name: "Nguyễn Văn An" becomes "Nguyễn V*** A".
func MaskName(name PII) string {
	words := strings.Fields(name.Reveal())
	switch len(words) {
	case 0:
		return ""
	case 1:
		return initial(words[0]) + "***"
	}
	out := []string{words[0]}
	for _, w := range words[1 : len(words)-1] {
		out = append(out, initial(w)+"***")
	}
	out = append(out, initial(words[len(words)-1]))
	return strings.Join(out, " ")
}

func initial(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	return string(r)
}

// MaskPhone keeps the first three and last three digits: 091****678.
func MaskPhone(phone PII) string {
	p := phone.Reveal()
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-6) + p[len(p)-3:]
}
