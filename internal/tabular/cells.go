package tabular

import (
	"strconv"
	"strings"
	"unicode"
)

// MaxAddressBytes matches the limit ravao.Person puts on an address.
const MaxAddressBytes = 300

// Address single-spaces an address cell; ok is false, and the address "",
// when it is longer than MaxAddressBytes or holds control characters.
func Address(cell string) (a string, ok bool) {
	a = strings.Join(strings.Fields(cell), " ")
	if len(a) > MaxAddressBytes || strings.IndexFunc(a, unicode.IsControl) >= 0 {
		return "", false
	}
	return a, true
}

// PhoneCell puts back the leading zero of a national number that a
// spreadsheet stored as a number (912345678), for that is what the person
// typed; other cells are returned as they are, for ravao.NormalizePhone.
func PhoneCell(cell string) string {
	if lostZero(cell) {
		return "0" + cell
	}
	return cell
}

// lostZero reports whether s is a national number without its leading 0:
// nine digits of a mobile or ten of a landline.
func lostZero(s string) bool {
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return false
	}
	return len(s) == 9 && strings.ContainsRune("35789", rune(s[0])) || len(s) == 10 && s[0] == '2'
}
