package gatepayload

import (
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
)

// FuzzParse checks that Parse never panics, refuses only with Invalid
// errors whose keys are in the catalogue, and returns scans that hold
// what the package promises. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	cat, err := i18n.New("vi")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(personalPayload(f))
	f.Fuzz(func(t *testing.T, payload string) {
		s, err := Parse(payload)
		if err != nil {
			key := invalidKey(t, err)
			for _, lang := range i18n.Langs {
				if !cat.Has(lang, key) {
					t.Errorf("error key %q is not in %s.json", key, lang)
				}
			}
			return
		}
		checkScan(t, payload, s)
	})
}

func checkScan(t *testing.T, payload string, s Scan) {
	t.Helper()
	if s.Raw.Reveal() != strings.TrimSpace(payload) {
		t.Errorf("Raw = %q, want the trimmed payload", s.Raw)
	}
	switch s.Kind {
	case KindPersonalQR:
		if s != (Scan{Kind: KindPersonalQR, Raw: s.Raw}) {
			t.Errorf("personal QR scan carries more than Raw: %+v", s)
		}
	case KindCCCD:
		if err := ravao.ValidateCCCD(s.IDNumber.Reveal()); err != nil {
			t.Errorf("IDNumber %q: %v", s.IDNumber, err)
		}
	case Kind1405:
		if s.IDNumber == "" || s.Address != "" || s.Sex != "" {
			t.Errorf("1405 scan %+v: want an IDNumber, no address, no sex", s)
		}
	default:
		t.Errorf("Kind = %q", s.Kind)
	}
	if s.FullName != "" {
		if n, err := ravao.NormalizeName(s.FullName.Reveal()); err != nil || n != s.FullName.Reveal() {
			t.Errorf("FullName %q is not normalised", s.FullName)
		}
	}
	if s.OldID != "" && !digits(s.OldID.Reveal(), 9, 9) {
		t.Errorf("OldID = %q, want 9 digits", s.OldID)
	}
	if !s.BirthDate.IsZero() && s.BirthDate.Year() != s.BirthYear {
		t.Errorf("BirthDate %v in another year than BirthYear %d", s.BirthDate, s.BirthYear)
	}
	if again, err := Parse(s.Raw.Reveal()); err != nil || again != s {
		t.Errorf("Parse(Raw) = %+v, %v; want the same scan", again, err)
	}
}
