package personalqr

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/qrframe"
)

var t0 = time.Date(2026, 3, 14, 8, 30, 0, 0, time.UTC)

func keys(t testing.TB) (*Signer, *Verifier) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return NewSigner(priv), NewVerifier(pub)
}

func issue(t testing.TB, s *Signer, c Claims) string {
	t.Helper()
	p, err := s.Issue(c)
	if err != nil {
		t.Fatalf("Issue(%+v): %v", c, err)
	}
	return p
}

func sample() Claims {
	return Claims{PersonID: 4503599627370497, Expires: t0.Add(3 * time.Minute), Green: true, Kind: KindScreen, Serial: 0}
}

func TestRoundTrip(t *testing.T) {
	s, v := keys(t)
	for _, c := range []Claims{
		sample(),
		{PersonID: 1, Expires: t0, Green: false, Kind: KindCard, Serial: 7},
		{PersonID: MaxPersonID, Expires: time.Unix(1<<32-1, 0), Green: true, Kind: KindCard, Serial: 1<<32 - 1},
	} {
		p := issue(t, s, c)
		if len(p) != PayloadLen || !strings.HasPrefix(p, Prefix) || strings.Trim(p, "0123456789") != "" {
			t.Errorf("payload %q: want %d digits starting %s", p, PayloadLen, Prefix)
		}
		got, err := v.Parse(p, t0.Add(-time.Hour))
		if err != nil || got.PersonID != c.PersonID || !got.Expires.Equal(c.Expires) ||
			got.Green != c.Green || got.Kind != c.Kind || got.Serial != c.Serial {
			t.Errorf("Parse(Issue(%+v)) = %+v, %v", c, got, err)
		}
	}
}

func TestExpiryToTheSecond(t *testing.T) {
	s, v := keys(t)
	c := sample()
	c.Expires = c.Expires.Add(400 * time.Millisecond)
	got, err := v.Parse(issue(t, s, c), t0)
	if err != nil || !got.Expires.Equal(c.Expires.Truncate(time.Second)) {
		t.Errorf("Expires = %v, %v; want %v", got.Expires, err, c.Expires.Truncate(time.Second))
	}
}

func TestIssueValidates(t *testing.T) {
	s, _ := keys(t)
	for name, c := range map[string]Claims{
		"zero id":      {PersonID: 0, Expires: t0, Kind: KindScreen},
		"negative id":  {PersonID: -5, Expires: t0, Kind: KindScreen},
		"id 2^53":      {PersonID: 1 << 53, Expires: t0, Kind: KindScreen},
		"no kind":      {PersonID: 1, Expires: t0},
		"unknown kind": {PersonID: 1, Expires: t0, Kind: 3},
		"no expiry":    {PersonID: 1, Kind: KindCard},
		"before 1970":  {PersonID: 1, Expires: time.Unix(-60, 0), Kind: KindCard},
		"after 2106":   {PersonID: 1, Expires: time.Unix(1<<32, 0), Kind: KindCard},
	} {
		if p, err := s.Issue(c); err == nil {
			t.Errorf("%s: Issue(%+v) = %q, want an error", name, c, p)
		}
	}
}

func TestExpiry(t *testing.T) {
	s, v := keys(t)
	c := sample()
	p := issue(t, s, c)
	for _, now := range []time.Time{c.Expires.Add(-time.Nanosecond), c.Expires} {
		if _, err := v.Parse(p, now); err != nil {
			t.Errorf("at %v (expires %v): %v, want accepted", now, c.Expires, err)
		}
	}
	got, err := v.Parse(p, c.Expires.Add(time.Nanosecond))
	if !errors.Is(err, ErrExpired) || got.PersonID != c.PersonID {
		t.Errorf("just after expiry: %+v, %v; want ErrExpired with the claims", got, err)
	}
	if ravao.ErrorCode(err) != ravao.Invalid {
		t.Errorf("ErrorCode(ErrExpired) = %q, want %q", ravao.ErrorCode(err), ravao.Invalid)
	}
}

// TestEveryDigitMutationRejected changes each digit of payloads to each
// other digit: all 9 × 196 variants of each are rejected as ErrInvalid.
func TestEveryDigitMutationRejected(t *testing.T) {
	s, v := keys(t)
	tried := 0
	for i := range 3 {
		c := sample()
		c.PersonID += int64(i)
		c.Green = i%2 == 0
		p := issue(t, s, c)
		for j := range len(p) {
			for d := byte('0'); d <= '9'; d++ {
				if d == p[j] {
					continue
				}
				m := p[:j] + string(d) + p[j+1:]
				if got, err := v.Parse(m, t0); !errors.Is(err, ErrInvalid) {
					t.Fatalf("digit %d changed to %c: Parse = %+v, %v; want ErrInvalid", j, d, got, err)
				}
				tried++
			}
		}
	}
	t.Logf("%d mutated payloads, all rejected", tried)
}

func TestShapeChangesRejected(t *testing.T) {
	s, v := keys(t)
	p := issue(t, s, sample())
	// 2^632 still has 191 digits, but is one past the largest 79-byte value.
	overflow := new(big.Int).Lsh(big.NewInt(1), 8*rawLen).Text(10)
	for name, m := range map[string]string{
		"truncated":           p[:len(p)-1],
		"first digit dropped": p[1:],
		"extended":            p + "0",
		"leading zero":        "0" + p,
		"empty":               "",
		"prefix only":         Prefix,
		"letter":              p[:50] + "A" + p[51:],
		"inner space":         p[:50] + " " + p[50:],
		"plus sign":           Prefix + "+" + p[len(Prefix)+1:],
		"other version":       "84002" + p[len(Prefix):],
		"overflow":            Prefix + overflow,
		"full-width digit":    p[:len(p)-1] + "０",
		"doubled":             p + p,
		"trailing junk":       p + "\r\nx",
	} {
		if got, err := v.Parse(m, t0); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse = %+v, %v; want ErrInvalid", name, got, err)
		}
	}
	if len(overflow) != numLen {
		t.Fatalf("2^632 has %d digits, numLen is %d", len(overflow), numLen)
	}
}

func TestScannerWhitespaceTolerated(t *testing.T) {
	s, v := keys(t)
	p := issue(t, s, sample())
	for _, m := range []string{p + "\n", p + "\r\n", p + "\r", " " + p + " ", "\t" + p + "\r\n"} {
		if _, err := v.Parse(m, t0); err != nil {
			t.Errorf("Parse(%q): %v", m, err)
		}
		if !Looks(m) {
			t.Errorf("Looks(%q) = false", m)
		}
	}
}

func TestOtherKeyRejected(t *testing.T) {
	s, _ := keys(t)
	_, other := keys(t)
	if got, err := other.Parse(issue(t, s, sample()), t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("payload from another key: %+v, %v; want ErrInvalid", got, err)
	}
	if ravao.ErrorCode(ErrInvalid) != ravao.Invalid {
		t.Errorf("ErrorCode(ErrInvalid) = %q", ravao.ErrorCode(ErrInvalid))
	}
}

// TestNoPersonalData decodes a payload down to its bytes: a 15-byte body
// holding only the claims (re-packing them gives the same bytes) and a
// signature. There is no room for a name, phone or ID number.
func TestNoPersonalData(t *testing.T) {
	s, v := keys(t)
	c := Claims{PersonID: 123456789, Expires: t0, Green: true, Kind: KindCard, Serial: 3}
	p := issue(t, s, c)
	raw, ok := decode(p)
	if !ok || len(raw) != bodyLen+ed25519.SignatureSize || bodyLen != 15 {
		t.Fatalf("decoded %d bytes (ok %v), want %d body + 64 signature", len(raw), ok, bodyLen)
	}
	body := raw[:bodyLen]
	if !bytes.Equal(body, c.body()) {
		t.Errorf("body %x is not the packed claims %x", body, c.body())
	}
	got, ok := parseBody(body)
	if !ok || got.PersonID != c.PersonID || got.Serial != c.Serial || !got.Expires.Equal(c.Expires) {
		t.Errorf("parseBody = %+v, %v", got, ok)
	}
	for _, pii := range []string{"Nguyễn", "0912345678", "035090012345"} {
		if bytes.Contains(raw, []byte(pii)) || strings.Contains(p, pii) {
			t.Errorf("payload contains %q", pii)
		}
	}
	if _, err := v.Parse(p, t0); err != nil {
		t.Fatal(err)
	}
}

// TestQRCode draws a payload as a PNG with go-qrcode at error correction M
// (the version must stay at most 10 so cheap phones read it at a distance)
// and reads it back with gozxing.
func TestQRCode(t *testing.T) {
	s, v := keys(t)
	p := issue(t, s, Claims{PersonID: MaxPersonID, Expires: time.Unix(1<<32-1, 0), Green: true, Kind: KindCard, Serial: 1<<32 - 1})
	q, err := qrcode.New(p, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if q.VersionNumber > 10 {
		t.Errorf("QR version %d, want at most 10", q.VersionNumber)
	}
	t.Logf("%d digits: QR version %d at error correction M", len(p), q.VersionNumber)
	pngBytes, err := q.PNG(400)
	if err != nil {
		t.Fatal(err)
	}
	text, err := qrframe.Decode(pngBytes)
	if err != nil || text != p {
		t.Fatalf("gozxing read %q (%v), want %q", text, err, p)
	}
	if _, err := v.Parse(text, t0); err != nil {
		t.Error(err)
	}
}

func TestLooks(t *testing.T) {
	s, _ := keys(t)
	if p := issue(t, s, sample()); !Looks(p) {
		t.Errorf("Looks(%q) = false", p)
	}
	for _, p := range []string{
		"035090012345|123456789|Nguyễn Văn An|01011990|Nam|Thôn 1, Xã A, Tỉnh B|01012021",
		"035090012345",
		"",
		strings.Repeat("8", PayloadLen),
		Prefix + strings.Repeat("x", PayloadLen-len(Prefix)),
		"https://ravao.example/q/7K3M2XQ9PW",
	} {
		if Looks(p) {
			t.Errorf("Looks(%q) = true", p)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	s, v := keys(b)
	p := issue(b, s, sample())
	for b.Loop() {
		if _, err := v.Parse(p, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEd25519Verify is the floor for BenchmarkParse: the signature
// check alone, on a message of the same length.
func BenchmarkEd25519Verify(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	msg := signed(sample().body())
	sig := ed25519.Sign(priv, msg)
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}
