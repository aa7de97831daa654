package gatepayload

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
)

// isCCCD reports the shape of a chip ID card code: at least 7 fields, the
// old number empty or 9 digits, the date of birth 8 digits.
func isCCCD(f []string) bool {
	return len(f) >= 7 && (f[1] == "" || digits(f[1], 9, 9)) && digits(f[3], 8, 8)
}

// parseCCCD reads number|old number|name|ddmmyyyy|sex|address|issue date.
func parseCCCD(raw string, f []string) (Scan, error) {
	id, err := ravao.NormalizeCCCD(f[0])
	if err != nil {
		return Scan{}, badID()
	}
	s := Scan{Kind: KindCCCD, Raw: ravao.PII(raw), IDNumber: ravao.PII(id), OldID: ravao.PII(f[1]), Sex: sex(f[4]), Address: ravao.PII(address(f[5]))}
	s.withName(f[2])
	s.BirthDate, s.BirthYear = compactDate(f[3])
	return s, nil
}

// sex reads "Nam" and "Nữ", also without diacritics and as a Telex or VNI
// input method may have typed "Nữ" ("Nuwx", "Nu74"): whatever follows "nu"
// in two characters at most.
func sex(s string) ravao.Sex {
	f := ravao.FoldDiacritics(s)
	switch {
	case f == "nam":
		return ravao.SexMale
	case strings.HasPrefix(f, "nu") && len(f) <= 4:
		return ravao.SexFemale
	}
	return ""
}

// address returns the address in NFC with single spaces and without
// control or format characters.
func address(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}
