// Package gatepayload recognises what a gate scanner read: a Ravao personal
// QR code, the QR code on a Vietnamese chip ID card (CCCD), or the 2021
// national personal QR code (Decision 1405/QĐ-BTTTT). It reads the payload
// only; verifying a personal QR code's signature, or finding the person an
// ID number belongs to, is the caller's work, with the store.
//
// # Recognition
//
// Parse trims surrounding whitespace (scanners end with Enter, so a
// trailing CR/LF is common), refuses payloads over MaxPayload bytes and
// invalid UTF-8, and then decides by shape, in this order:
//
//   - personal QR: personalqr.Looks (digits only, fixed prefix and length);
//   - qr1405: exactly 6 "|"-separated fields
//     (SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT) whose fourth field,
//     the type code, is one or two digits;
//   - cccd: at least 7 fields
//     (number|old number|name|date of birth|sex|address|issue date|...)
//     whose second field is empty or 9 digits and whose fourth field, the
//     date of birth, is 8 digits. Newer cards add trailing fields; they
//     are ignored.
//
// The two pipe formats cannot be confused: the fourth field is a one- or
// two-digit type code in one and an 8-digit date in the other. Fields are
// trimmed of surrounding spaces. A payload with either shape whose ID
// number is wrong is err.payload_id rather than err.payload_unknown: the
// guard holds the right kind of code, read badly.
//
// A scanner typing through a Vietnamese input method (Telex, VNI) rewrites
// letters but never digits or "|", so recognition rests on digits and
// field shapes only, and a mangled name is kept as read and flagged (see
// Scan.NameUnreliable). Dates and sex that cannot be read leave their
// fields empty rather than failing: the ID number is what matters at a
// gate.
package gatepayload

import (
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
)

// MaxPayload is the longest payload Parse reads, in bytes; a CCCD code
// with a long address stays well under it.
const MaxPayload = 2000

// Kind says which format a payload is in.
type Kind string

// The recognised kinds.
const (
	KindPersonalQR Kind = "personal_qr"
	KindCCCD       Kind = "cccd"
	Kind1405       Kind = "qr1405"
)

// Scan is what a payload says. Fields a format does not carry, or that
// could not be read, are zero.
type Scan struct {
	Kind Kind
	// Raw is the trimmed payload; for a personal QR code, its digits.
	Raw ravao.PII
	// IDNumber is the normalised 12-digit CCCD number, or the document
	// number of a 1405 code (CCCD, 9-digit CMND, or an upper-cased
	// passport number); "" for a personal QR code.
	IDNumber ravao.PII
	// OldID is the 9-digit CMND number when the payload carries one: the
	// old number of a CCCD, or the document number of a 1405 code that is
	// a CMND.
	OldID ravao.PII
	// FullName is the name normalised with ravao.NormalizeName, "" when
	// it is unusable.
	FullName ravao.PII
	// NameUnreliable reports that FullName looks mangled by a Vietnamese
	// input method (see nameLooksTyped): the ID number still holds, the
	// name should be checked by eye.
	NameUnreliable bool
	BirthYear      int // 0 when unknown
	// BirthDate is midnight UTC of the date of birth, zero when only the
	// year or nothing is known.
	BirthDate time.Time
	Sex       ravao.Sex // SexMale, SexFemale, or "" when not given
	Address   ravao.PII // CCCD only, NFC with single spaces
}

// LogValue logs only the kind and the name flag; the personal fields are
// ravao.PII, which never print.
func (s Scan) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", string(s.Kind)), slog.Bool("name_unreliable", s.NameUnreliable))
}

// Parse recognises a payload. Anything that is not one of the three
// formats is an Invalid error with key err.payload_unknown; a CCCD or 1405
// payload whose ID number is not valid is Invalid with err.payload_id.
func Parse(payload string) (Scan, error) {
	if len(payload) > MaxPayload {
		return Scan{}, unknown()
	}
	p := strings.TrimSpace(payload)
	if !utf8.ValidString(p) {
		return Scan{}, unknown()
	}
	if personalqr.Looks(p) {
		return Scan{Kind: KindPersonalQR, Raw: ravao.PII(p)}, nil
	}
	f := strings.Split(p, "|")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	switch {
	case is1405(f):
		return parse1405(p, f)
	case isCCCD(f):
		return parseCCCD(p, f)
	}
	return Scan{}, unknown()
}

func unknown() error { return ravao.Errorf(ravao.Invalid, "err.payload_unknown") }

func badID() error { return ravao.Errorf(ravao.Invalid, "err.payload_id") }

// withName sets FullName and NameUnreliable from the name as read.
func (s *Scan) withName(raw string) {
	n, err := ravao.NormalizeName(raw)
	if err != nil {
		return
	}
	s.FullName, s.NameUnreliable = ravao.PII(n), nameLooksTyped(n)
}

func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
