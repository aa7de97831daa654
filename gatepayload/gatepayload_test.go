package gatepayload

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
)

const (
	anAddress = "Số 1 Lê Lợi, Phường Quang Trung, Phủ Lý, Hà Nam"
	anCCCD    = "001090012345|123456789|Nguyễn Văn An|15031990|Nam|" + anAddress + "|01072021"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// an is the Scan of anCCCD; tests change what their payload changes.
func an() Scan {
	return Scan{Kind: KindCCCD, Raw: anCCCD, IDNumber: "001090012345", OldID: "123456789", FullName: "Nguyễn Văn An",
		BirthYear: 1990, BirthDate: date(1990, 3, 15), Sex: ravao.SexMale, Address: anAddress}
}

func with(s Scan, change func(*Scan)) Scan {
	change(&s)
	return s
}

func personalPayload(t testing.TB) string {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, err := personalqr.NewSigner(priv).Issue(personalqr.Claims{PersonID: 42, Expires: date(2026, 3, 14),
		Green: true, Kind: personalqr.KindCard, Serial: 3})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParse(t *testing.T) {
	qr := personalPayload(t)
	lan := "079195001234||Lê Thị Hoa|01011995|Nữ|12 Nguyễn Huệ, Bến Nghé, Quận 1, TP. Hồ Chí Minh|20042021"
	mangled := "001090012345|123456789|%s|15031990|Nam|" + anAddress + "|01072021"
	tests := []struct {
		name, payload string
		want          Scan
	}{
		{"personal QR", qr, Scan{Kind: KindPersonalQR, Raw: ravao.PII(qr)}},
		{"personal QR with Enter", " " + qr + "\r\n", Scan{Kind: KindPersonalQR, Raw: ravao.PII(qr)}},

		{"CCCD", anCCCD, an()},
		{"CCCD with CRLF and spaces", "  " + anCCCD + "\r\n", an()},
		{"CCCD with spaces around fields",
			" 001 090 012345 | 123456789 |  Nguyễn   Văn An |15031990| Nam |  " + anAddress + " |01072021",
			with(an(), func(s *Scan) {
				s.Raw = "001 090 012345 | 123456789 |  Nguyễn   Văn An |15031990| Nam |  " + anAddress + " |01072021"
			})},
		{"CCCD with extra trailing fields", anCCCD + "|15032030|Kinh|", with(an(), func(s *Scan) { s.Raw = anCCCD + "|15032030|Kinh|" })},
		{"CCCD without old number, female", lan + "\n", Scan{Kind: KindCCCD, Raw: ravao.PII(lan), IDNumber: "079195001234",
			FullName: "Lê Thị Hoa", BirthYear: 1995, BirthDate: date(1995, 1, 1), Sex: ravao.SexFemale,
			Address: "12 Nguyễn Huệ, Bến Nghé, Quận 1, TP. Hồ Chí Minh"}},
		{"CCCD with an NFD name and sex", norm.NFD.String(lan), Scan{Kind: KindCCCD, Raw: ravao.PII(norm.NFD.String(lan)),
			IDNumber: "079195001234", FullName: "Lê Thị Hoa", BirthYear: 1995, BirthDate: date(1995, 1, 1),
			Sex: ravao.SexFemale, Address: "12 Nguyễn Huệ, Bến Nghé, Quận 1, TP. Hồ Chí Minh"}},
		{"CCCD name in capitals without diacritics", strings.Replace(anCCCD, "Nguyễn Văn An", "NGUYEN VAN AN", 1),
			with(an(), func(s *Scan) {
				s.Raw, s.FullName = ravao.PII(strings.Replace(anCCCD, "Nguyễn Văn An", "NGUYEN VAN AN", 1)), "NGUYEN VAN AN"
			})},
		{"CCCD Telex name", fmt.Sprintf(mangled, "Nguyeenx Vawn An"), with(an(), func(s *Scan) {
			s.Raw, s.FullName, s.NameUnreliable = ravao.PII(fmt.Sprintf(mangled, "Nguyeenx Vawn An")), "Nguyeenx Vawn An", true
		})},
		{"CCCD Telex tone letter", fmt.Sprintf(mangled, "Hoangf Van An"), with(an(), func(s *Scan) {
			s.Raw, s.FullName, s.NameUnreliable = ravao.PII(fmt.Sprintf(mangled, "Hoangf Van An")), "Hoangf Van An", true
		})},
		{"CCCD VNI name", fmt.Sprintf(mangled, "Nguye64n Va8n An"), with(an(), func(s *Scan) {
			s.Raw, s.FullName, s.NameUnreliable = ravao.PII(fmt.Sprintf(mangled, "Nguye64n Va8n An")), "Nguye64n Va8n An", true
		})},
		{"CCCD VIQR name", fmt.Sprintf(mangled, "Nguye^~n Va(n An"), with(an(), func(s *Scan) {
			s.Raw, s.FullName, s.NameUnreliable = ravao.PII(fmt.Sprintf(mangled, "Nguye^~n Va(n An")), "Nguye^~n Va(n An", true
		})},
		{"CCCD Telex sex", "079195001234||Lee Thij Hoa|01011995|Nuwx|Quaajn 1|20042021", Scan{Kind: KindCCCD,
			Raw: "079195001234||Lee Thij Hoa|01011995|Nuwx|Quaajn 1|20042021", IDNumber: "079195001234",
			FullName: "Lee Thij Hoa", NameUnreliable: true, BirthYear: 1995, BirthDate: date(1995, 1, 1),
			Sex: ravao.SexFemale, Address: "Quaajn 1"}},
		{"CCCD without a usable name", "001090012345|123456789| |15031990|Nam|" + anAddress + "|01072021",
			with(an(), func(s *Scan) { s.Raw, s.FullName = "001090012345|123456789| |15031990|Nam|"+anAddress+"|01072021", "" })},
		{"CCCD born on an unknown day", "001045012345||Trần Văn Bảy|00001945|Nam||01072021", Scan{Kind: KindCCCD,
			Raw: "001045012345||Trần Văn Bảy|00001945|Nam||01072021", IDNumber: "001045012345",
			FullName: "Trần Văn Bảy", BirthYear: 1945, Sex: ravao.SexMale}},
		{"CCCD with an unreadable sex", "001090012345||An|15031990|?|x|01072021", Scan{Kind: KindCCCD,
			Raw: "001090012345||An|15031990|?|x|01072021", IDNumber: "001090012345", FullName: "An",
			BirthYear: 1990, BirthDate: date(1990, 3, 15), Address: "x"}},

		{"1405 CCCD, empty EXT", "001090012345|Nguyễn Văn An|15/03/1990|1|a1b2c3|", Scan{Kind: Kind1405,
			Raw: "001090012345|Nguyễn Văn An|15/03/1990|1|a1b2c3|", IDNumber: "001090012345",
			FullName: "Nguyễn Văn An", BirthYear: 1990, BirthDate: date(1990, 3, 15)}},
		{"1405 ddmmyyyy", "001090012345|Nguyễn Văn An|15031990|1|Q|X\r\n", Scan{Kind: Kind1405,
			Raw: "001090012345|Nguyễn Văn An|15031990|1|Q|X", IDNumber: "001090012345",
			FullName: "Nguyễn Văn An", BirthYear: 1990, BirthDate: date(1990, 3, 15)}},
		{"1405 one-digit day and month", "001090012345|An|5/3/1990|1|Q|", Scan{Kind: Kind1405,
			Raw: "001090012345|An|5/3/1990|1|Q|", IDNumber: "001090012345", FullName: "An",
			BirthYear: 1990, BirthDate: date(1990, 3, 5)}},
		{"1405 year only, CMND", "123456789|Trần Văn Bảy|1945|2|Q|", Scan{Kind: Kind1405,
			Raw: "123456789|Trần Văn Bảy|1945|2|Q|", IDNumber: "123456789", OldID: "123456789",
			FullName: "Trần Văn Bảy", BirthYear: 1945}},
		{"1405 Vietnamese passport", "c1234567|Phạm Thu Hà|01/12/2001|3|Q|", Scan{Kind: Kind1405,
			Raw: "c1234567|Phạm Thu Hà|01/12/2001|3|Q|", IDNumber: "C1234567", FullName: "Phạm Thu Hà",
			BirthYear: 2001, BirthDate: date(2001, 12, 1)}},
		{"1405 foreign passport", "E12345678|JOHN SMITH||10|Q|", Scan{Kind: Kind1405,
			Raw: "E12345678|JOHN SMITH||10|Q|", IDNumber: "E12345678", FullName: "JOHN SMITH"}},
		{"1405 unreadable date", "001090012345|An|31/02/1990|1|Q|", Scan{Kind: Kind1405,
			Raw: "001090012345|An|31/02/1990|1|Q|", IDNumber: "001090012345", FullName: "An"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.payload)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	qr := personalPayload(t)
	tests := []struct{ name, payload, key string }{
		{"empty", "", "err.payload_unknown"},
		{"blank", " \r\n", "err.payload_unknown"},
		{"checkpoint URL", "http://x/q/K7P2M9QX", "err.payload_unknown"},
		{"https URL", "https://ravao.vn/q/ABC?x=1|2", "err.payload_unknown"},
		{"random text", "xin chào", "err.payload_unknown"},
		{"11-digit number", "00109001234", "err.payload_unknown"},
		{"bare CCCD number", "001090012345", "err.payload_unknown"},
		{"personal QR one digit short", qr[:len(qr)-1], "err.payload_unknown"},
		{"personal QR with a letter", qr[:100] + "a" + qr[101:], "err.payload_unknown"},
		{"invalid UTF-8", "001090012345|123456789|Nguy\xffn|15031990|Nam|x|01072021", "err.payload_unknown"},
		{"only pipes", "||||||", "err.payload_unknown"},
		{"six pipes", "|||||||", "err.payload_unknown"},
		{"many pipes", strings.Repeat("|", 1000), "err.payload_unknown"},
		{"huge", strings.Repeat("0", MaxPayload+1), "err.payload_unknown"},
		{"valid CCCD padded past the limit", anCCCD + strings.Repeat(" ", MaxPayload), "err.payload_unknown"},
		{"CCCD without issue date", "001090012345|123456789|An|15031990|Nam|x", "err.payload_unknown"},
		{"CCCD with a dated birth", "001090012345|123456789|An|15/03/1990|Nam|x|01072021", "err.payload_unknown"},
		{"CCCD old number 8 digits", "001090012345|12345678|An|15031990|Nam|x|01072021", "err.payload_unknown"},
		{"1405 with 7 fields", "001090012345|An|15/03/1990|1|Q||", "err.payload_unknown"},
		{"1405 type code of 3 digits", "001090012345|An|15/03/1990|100|Q|", "err.payload_unknown"},

		{"CCCD with an 11-digit number", "00109001234|123456789|An|15031990|Nam|x|01072021", "err.payload_id"},
		{"CCCD with an unknown province", "999090012345|123456789|An|15031990|Nam|x|01072021", "err.payload_id"},
		{"CCCD with an empty number", "|123456789|An|15031990|Nam|x|01072021", "err.payload_id"},
		{"1405 with an unknown province", "999090012345|An|15/03/1990|1|Q|", "err.payload_id"},
		{"1405 with an 11-digit number", "12345678901|An|15/03/1990|1|Q|", "err.payload_id"},
		{"1405 with a short passport", "C123|An|15/03/1990|1|Q|", "err.payload_id"},
		{"1405 with a mangled number", "0010900123-45|An|15/03/1990|1|Q|", "err.payload_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.payload)
			if got != (Scan{}) {
				t.Errorf("Scan = %+v, want zero", got)
			}
			if key := invalidKey(t, err); key != tt.key {
				t.Errorf("key = %q, want %q", key, tt.key)
			}
		})
	}
}

// invalidKey checks err is a *ravao.Error with code Invalid and returns
// its key.
func invalidKey(t testing.TB, err error) string {
	t.Helper()
	var e *ravao.Error
	if !errors.As(err, &e) || e.Code != ravao.Invalid {
		t.Fatalf("error %v: want a *ravao.Error with code %q", err, ravao.Invalid)
	}
	return e.Key
}

func TestLogValueHidesPersonalData(t *testing.T) {
	s, err := Parse(anCCCD)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("scan", "scan", s)
	for _, secret := range []string{"001090012345", "123456789", "Nguyễn", "Lê Lợi", "1990"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("log line %q shows %q", b.String(), secret)
		}
	}
	if !strings.Contains(b.String(), "scan.kind=cccd") {
		t.Errorf("log line %q: want the kind", b.String())
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bb := range []struct{ name, payload string }{
		{"personal_qr", personalPayload(b)},
		{"cccd", anCCCD + "\r\n"},
		{"qr1405", "001090012345|Nguyễn Văn An|15/03/1990|1|a1b2c3|"},
		{"unknown", "http://x/q/K7P2M9QX"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse(bb.payload); err != nil && bb.name != "unknown" {
					b.Fatal(err)
				}
			}
		})
	}
}
