package gatepayload

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// telexKeys are letter sequences that Vietnamese spelling never has but
// that Telex types for â ê ô đ and ă ơ ư (w alone, aw, ow, uw).
var telexKeys = []string{"aa", "ee", "oo", "dd", "w"}

// nameLooksTyped reports whether a normalised name looks like the raw
// keystrokes of a Vietnamese input method rather than the name: a scanner
// typing "Nguyễn" through Telex may produce "Nguyeenx", through VNI
// "Nguye64n", through VIQR "Nguye^~n". A word gives it away when it
//
//   - holds a character that is neither a letter nor a hyphen (VNI's
//     digits, VIQR's ^ ~ ` ' ? . ( +);
//   - holds one of telexKeys, in any case;
//   - ends with a Telex tone key s, f, r, x or j, in a name with no
//     diacritics anywhere: no Vietnamese syllable ends with these letters,
//     and a name that kept its diacritics was not typed through Telex.
//
// It is a hint for a guard, not a verdict: foreign names (Thomas, Edward,
// Aaron, O'Brien) are flagged too.
func nameLooksTyped(name string) bool {
	ascii := isASCII(name)
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if strings.IndexFunc(w, notNameRune) >= 0 || containsAny(w, telexKeys) {
			return true
		}
		last, _ := utf8.DecodeLastRuneInString(w)
		if ascii && len(w) > 1 && strings.ContainsRune("sfrxj", last) {
			return true
		}
	}
	return false
}

func notNameRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '-'
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
