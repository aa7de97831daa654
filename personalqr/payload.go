package personalqr

import (
	"crypto/ed25519"
	"encoding/binary"
	"math/big"
	"strings"
	"time"
)

// Prefix starts every version 1 payload: "8400" and the version digit.
const Prefix = "84001"

const (
	bodyLen = 15
	rawLen  = bodyLen + ed25519.SignatureSize
	// numLen is the number of decimal digits for rawLen bytes:
	// ceil(8 * 79 * log10(2)).
	numLen = 191
	// PayloadLen is the length of every version 1 payload in digits.
	PayloadLen = len(Prefix) + numLen
)

// sigDomain keeps these signatures apart from anything else the same key
// might ever sign.
const sigDomain = "ravao personal qr\x00"

const (
	greenBit  = 1 << 53
	kindShift = 54
)

// body packs the claims into the fixed 15-byte layout of the package doc.
func (c Claims) body() []byte {
	head := uint64(c.PersonID) | uint64(c.Kind)<<kindShift
	if c.Green {
		head |= greenBit
	}
	b := make([]byte, 8, bodyLen+1)
	binary.BigEndian.PutUint64(b, head)
	b = b[1:] // the top byte of head is always zero
	b = binary.BigEndian.AppendUint32(b, uint32(c.Expires.Unix()))
	return binary.BigEndian.AppendUint32(b, c.Serial)
}

// parseBody unpacks a body that carries a valid signature; it still refuses
// values Issue never writes.
func parseBody(b []byte) (Claims, bool) {
	head := binary.BigEndian.Uint64(append([]byte{0}, b[:7]...))
	c := Claims{
		PersonID: int64(head & MaxPersonID),
		Green:    head&greenBit != 0,
		Kind:     Kind(head >> kindShift),
		Expires:  time.Unix(int64(binary.BigEndian.Uint32(b[7:11])), 0).UTC(),
		Serial:   binary.BigEndian.Uint32(b[11:15]),
	}
	return c, c.validate() == nil
}

func signed(body []byte) []byte {
	m := make([]byte, 0, len(sigDomain)+len(Prefix)+len(body))
	m = append(m, sigDomain...)
	m = append(m, Prefix...)
	return append(m, body...)
}

// encode writes raw as the prefix and a zero-padded decimal number.
func encode(raw []byte) string {
	n := new(big.Int).SetBytes(raw).Text(10)
	return Prefix + strings.Repeat("0", numLen-len(n)) + n
}

// decode reads what encode wrote. Each raw value has exactly one spelling:
// the width is fixed and numbers past rawLen bytes are refused.
func decode(p string) ([]byte, bool) {
	if len(p) != PayloadLen || !strings.HasPrefix(p, Prefix) || !digitsOnly(p) {
		return nil, false
	}
	n, ok := new(big.Int).SetString(p[len(Prefix):], 10)
	if !ok || n.BitLen() > 8*rawLen {
		return nil, false
	}
	return n.FillBytes(make([]byte, rawLen)), true
}

func digitsOnly(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// trim drops what scanners and copy-paste add around a code.
func trim(s string) string { return strings.Trim(s, " \t\r\n") }
