// Package sheet writes tables that people open in a spreadsheet (contact
// lists sent to health departments, progress reports) as CSV and XLSX
// files that cannot run anything on the computer that opens them.
//
// A spreadsheet reads a cell that begins with '=', '+', '-' or '@' (and,
// in some programs, with a tab or a carriage return) as a formula: a name
// such as =cmd|' /C calc'!A0 typed at a check-in would otherwise become a
// command on a health official's computer. CSV cells that could be read
// so are neutralised with a leading apostrophe, reversibly; XLSX cells are
// always text cells, which spreadsheets never evaluate.
//
// Both formats hold the same text: Clean says which. For any cell s,
// reading the CSV back gives Neutralise(Clean(s)) and the XLSX Clean(s).
package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// marker is the apostrophe that neutralises a cell: spreadsheets have long
// read a leading apostrophe as "this is text".
const marker = '\''

// triggers are the first characters that make a spreadsheet read a cell
// as a formula (OWASP's list).
const triggers = "=+-@\t\r"

// Neutralise makes a cell safe to open in a spreadsheet: a value starting
// with '=', '+', '-', '@', a tab or a carriage return (or with the marker
// itself, so that the mapping stays reversible) gets a leading apostrophe;
// Restore undoes it exactly. Neutralise(s) never begins with a formula
// trigger, and Restore(Neutralise(s)) == s for every string, valid UTF-8 or
// not.
func Neutralise(s string) string {
	if escaped(s) {
		return string(marker) + s
	}
	return s
}

// Restore is the inverse of Neutralise: it removes the apostrophe that
// Neutralise added, and leaves any other text alone (an apostrophe that
// Neutralise could not have added, as in "'quoted", stays).
func Restore(s string) string {
	if len(s) > 1 && s[0] == marker && escaped(s[1:]) {
		return s[1:]
	}
	return s
}

// Dangerous reports whether a spreadsheet could read s as a formula: it
// begins with one of the formula triggers.
func Dangerous(s string) bool {
	return s != "" && strings.IndexByte(triggers, s[0]) >= 0
}

// escaped reports whether Neutralise prefixes s: a formula, or text that
// already begins with the marker.
func escaped(s string) bool {
	return Dangerous(s) || s != "" && s[0] == marker
}

// Clean is the text a cell can hold, the same in CSV and XLSX:
//
//   - invalid UTF-8, the control characters other than tab, line feed
//     and carriage return, and the noncharacters U+FFFE and U+FFFF each
//     become U+FFFD: XML 1.0 cannot carry most of them, and the rest (DEL,
//     the C1 controls) are invisible in a spreadsheet anyway;
//   - the underscore that opens text shaped like XLSX's own escape for
//     those characters, _xHHHH_ (four hex digits), becomes U+FFFD too:
//     Excel would decode the text as the escape, and excelize does not
//     escape it faithfully (it loses "_xD800_", "_x0041_x0042_" and
//     others), so the sheet could not show it as written;
//   - carriage returns just before a line feed are dropped, because CSV
//     readers and spreadsheets read CR LF inside a cell as one line break
//     (a lone carriage return is kept).
//
// Both writers apply it, so the round trip through either file is exact
// for every cell that Clean leaves unchanged, and gives Clean(s) for the
// others. Clean is idempotent.
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r':
			run := len(s[i:]) - len(strings.TrimLeft(s[i:], "\r"))
			if i+run == len(s) || s[i+run] != '\n' {
				b.WriteString(s[i : i+run])
			}
			n = run
		case r == utf8.RuneError && n == 1, !holdable(r), r == '_' && xmlEscape(s[i:]):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// holdable reports whether an XML 1.0 document can carry r as it is.
func holdable(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return true
	case 0xFFFE, 0xFFFF:
		return false
	}
	return !unicode.IsControl(r)
}

// xmlEscape reports whether s begins with _xHHHH_, the form in which XLSX
// files carry characters that XML cannot.
func xmlEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
