package gatepayload

import (
	"strings"

	"github.com/ravao/ravao"
)

// is1405 reports the shape of a 1405 personal QR code: exactly 6 fields,
// the fourth (LoaiDinhDanh) a one- or two-digit type code.
func is1405(f []string) bool {
	return len(f) == 6 && digits(f[3], 1, 2)
}

// parse1405 reads SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT. The type
// code, QID and EXT identify the code's issuer records, which a gate has
// no use for.
func parse1405(raw string, f []string) (Scan, error) {
	id, old, err := documentNumber(f[0])
	if err != nil {
		return Scan{}, err
	}
	s := Scan{Kind: Kind1405, Raw: ravao.PII(raw), IDNumber: ravao.PII(id), OldID: ravao.PII(old)}
	s.withName(f[1])
	s.BirthDate, s.BirthYear = birthDate(f[2])
	return s, nil
}

// documentNumber reads SoGiayTo, spaces removed: 12 digits are a CCCD
// number and must be valid, 9 digits a CMND (returned as old too), and
// 6 to 20 letters and digits with at least one letter a passport number,
// upper-cased. An all-digit passport number of 9 digits reads as a CMND:
// the payload cannot tell them apart.
func documentNumber(s string) (id, old string, err error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	switch {
	case digits(s, 12, 12):
		id, err := ravao.NormalizeCCCD(s)
		if err != nil {
			return "", "", badID()
		}
		return id, "", nil
	case digits(s, 9, 9):
		return s, s, nil
	case passport(s):
		return s, "", nil
	}
	return "", "", badID()
}

func passport(s string) bool {
	if len(s) < 6 || len(s) > 20 {
		return false
	}
	letters := 0
	for i := range len(s) {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			letters++
		case c < '0' || c > '9':
			return false
		}
	}
	return letters > 0
}
