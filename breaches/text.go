package breaches

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// clean trims free text and puts it in NFC, so that the same words typed
// on different keyboards compare and print alike.
func clean(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

func validUTF8(s string) bool { return utf8.ValidString(s) }

// ms truncates an instant to the millisecond the store keeps, in UTC.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}
