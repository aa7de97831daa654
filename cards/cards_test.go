package cards

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/qrframe"
)

var (
	ict     = time.FixedZone("ICT", 7*3600)
	issued  = time.Date(2026, 11, 26, 9, 30, 0, 0, ict)
	expires = time.Date(2031, 11, 26, 23, 59, 59, 0, ict)
	key     = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
)

// people carry the hard cases: stacked diacritics (ễ, ệ, ọ), Đ, a name
// given decomposed (NFD) that must come out composed, and a long place.
var people = []struct{ name, place string }{
	{"Nguyễn Văn An", "Phường Phú Hội, Thành phố Huế"},
	{norm.NFD.String("Trần Thị Bích Ngọc"), "Xã Thanh Liêm, Tỉnh Ninh Bình"},
	{"Đặng Quốc Việt", "Đặc khu Côn Đảo, Thành phố Hồ Chí Minh"},
	{"Huỳnh Thị Ánh Tuyết", "Phường Hải Châu, Thành phố Đà Nẵng"},
	{"Lê Đức Thịnh", "Xã Mường Nhé, Tỉnh Điện Biên"},
}

// sample returns n cards with real signed payloads; card i has serial
// 100+i and birth year 1940+i, so each one is told apart in the PDF.
func sample(t testing.TB, n int) []Card {
	t.Helper()
	signer := personalqr.NewSigner(key)
	out := make([]Card, n)
	for i := range out {
		p := people[i%len(people)]
		payload, err := signer.Issue(personalqr.Claims{PersonID: int64(5000 + i), Expires: expires,
			Kind: personalqr.KindCard, Serial: uint32(100 + i)})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Card{Payload: payload, Name: ravao.MaskName(ravao.PII(p.name)), BirthYear: 1940 + i,
			Place: p.place, Serial: uint32(100 + i), Expires: expires, Issued: issued.AddDate(0, 0, -i)}
	}
	return out
}

// words is the card wording from the real catalogue, in Vietnamese.
func words(t testing.TB) Wording {
	t.Helper()
	c, err := i18n.New("vi")
	if err != nil {
		t.Fatal(err)
	}
	return WordingFrom(func(key string) string { return c.T("vi", key) })
}

func writePDF(t *testing.T, cards []Card) string {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, words(t), cards...); err != nil {
		t.Fatalf("PDF(%d cards): %v", len(cards), err)
	}
	path := filepath.Join(t.TempDir(), "cards.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var pageObj = regexp.MustCompile(`/Type /Page\b[^s]`)

func TestPDFPageCount(t *testing.T) {
	all := sample(t, 17)
	for _, tc := range []struct{ cards, pages int }{{1, 1}, {8, 1}, {9, 2}, {17, 3}} {
		data, err := os.ReadFile(writePDF(t, all[:tc.cards]))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(pageObj.FindAll(data, -1)); got != tc.pages {
			t.Errorf("%d cards: got %d pages, want %d", tc.cards, got, tc.pages)
		}
	}
}

// TestPDFText reads every word of a 17-card PDF with its position
// (pdftotext -bbox) and checks that each card slot shows exactly the words
// of its own card and the wording: nothing missing, nothing else (no
// payload digits, no other card's name), diacritics composed and intact.
func TestPDFText(t *testing.T) {
	tool := testenv.Tool(t, "pdftotext")
	cards := sample(t, 17)
	out, err := exec.Command(tool, "-bbox", writePDF(t, cards), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	got := wordsBySlot(t, string(out))
	w := words(t)
	for i, c := range cards {
		want := strings.Fields(strings.Join([]string{w.Title, w.Instructions, w.InstructionsEN,
			c.Name, w.BirthYearLabel + ": " + strconv.Itoa(c.BirthYear), c.Place,
			w.ExpiresLabel + ": 26/11/2031", w.SerialLabel + ": " + strconv.Itoa(int(c.Serial))}, " "))
		for j := range want {
			want[j] = norm.NFC.String(want[j])
		}
		if missing, extra := diffWords(got[i], want); len(missing)+len(extra) > 0 {
			t.Errorf("card %d: lacks %q, shows extra %q", i+1, missing, extra)
		}
	}
	if len(got) != len(cards) {
		t.Errorf("text found in %d card slots, want %d", len(got), len(cards))
	}
}

// diffWords returns the words of want that got lacks and those got has on
// top of want, counting repeats.
func diffWords(got, want []string) (missing, extra []string) {
	n := map[string]int{}
	for _, w := range got {
		n[w]++
	}
	for _, w := range want {
		n[w]--
	}
	for w, k := range n {
		for ; k < 0; k++ {
			missing = append(missing, w)
		}
		for ; k > 0; k-- {
			extra = append(extra, w)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}

var (
	pageTag = regexp.MustCompile(`<page `)
	wordTag = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// wordsBySlot sorts the words of pdftotext -bbox output (in points) into
// the card slots they fall in, numbered across pages as the cards are. A
// word outside every slot fails the test.
func wordsBySlot(t *testing.T, bbox string) map[int][]string {
	t.Helper()
	const mm = 25.4 / 72
	out := map[int][]string{}
	pages := pageTag.Split(bbox, -1)[1:]
	for p, page := range pages {
		for _, m := range wordTag.FindAllStringSubmatch(page, -1) {
			v := func(i int) float64 { f, _ := strconv.ParseFloat(m[i], 64); return f * mm }
			x, y := (v(1)+v(3))/2, (v(2)+v(4))/2
			i := slotAt(x, y)
			if i < 0 {
				t.Errorf("page %d: word %q at (%.1f, %.1f) mm is outside every card", p+1, m[5], x, y)
				continue
			}
			out[p*perPage+i] = append(out[p*perPage+i], html.UnescapeString(m[5]))
		}
	}
	return out
}

// slotAt is the slot on a page holding the point (x, y) in mm, or -1.
func slotAt(x, y float64) int {
	for i := range perPage {
		if s := slot(i); x > s.X && x < s.X+s.W && y > s.Y && y < s.Y+s.H {
			return i
		}
	}
	return -1
}

// TestPDFScans rasterises a 9-card PDF (every slot of a page, and a second
// page), crops each card and reads its QR code with zbarimg (outside) and
// gozxing (in process): each must give exactly its card's payload, whose
// signed claims carry the serial printed on the card.
func TestPDFScans(t *testing.T) {
	zbarimg := testenv.Tool(t, "zbarimg")
	pdftoppm := testenv.Tool(t, "pdftoppm")
	cards := sample(t, 9)
	const dpi = 150
	dir := t.TempDir()
	cmd := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-gray", "-png", writePDF(t, cards), filepath.Join(dir, "page"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(pages) != 2 {
		t.Fatalf("got %d rasterised pages, want 2", len(pages))
	}
	verifier := personalqr.NewVerifier(key.Public().(ed25519.PublicKey))
	for i, c := range cards {
		crop := cropSlot(t, pages[i/perPage], slot(i), dpi)
		path := filepath.Join(dir, fmt.Sprintf("card-%d.png", i))
		var buf bytes.Buffer
		if err := png.Encode(&buf, crop); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbarimg, "--raw", "-q", path).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != c.Payload {
			t.Errorf("card %d: zbarimg read %q (err %v), want its payload", i+1, got, err)
		}
		got, err := qrframe.DecodeImage(crop)
		if err != nil || got != c.Payload {
			t.Errorf("card %d: gozxing read %q (err %v), want its payload", i+1, got, err)
			continue
		}
		claims, err := verifier.Parse(got, issued)
		if err != nil || claims.Serial != c.Serial || claims.Kind != personalqr.KindCard {
			t.Errorf("card %d: claims %+v (err %v), want a card with serial %d", i+1, claims, err, c.Serial)
		}
	}
}

// cropSlot cuts the card area r (mm) out of a page rasterised at dpi.
func cropSlot(t *testing.T, page string, r rect, dpi float64) image.Image {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode %s: %v", page, err)
	}
	px := func(mm float64) int { return int(mm * dpi / 25.4) }
	area := image.Rect(px(r.X), px(r.Y), px(r.X+r.W)+1, px(r.Y+r.H)+1)
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(area)
}

func TestPDFDeterministic(t *testing.T) {
	cards := sample(t, 9)
	var a, b bytes.Buffer
	if err := PDF(&a, words(t), cards...); err != nil {
		t.Fatal(err)
	}
	if err := PDF(&b, words(t), cards...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two runs gave different PDFs (%d and %d bytes)", a.Len(), b.Len())
	}
	// The first card was issued last: its date is the creation date.
	if !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20261126")) {
		t.Errorf("creation date is not the latest issue date")
	}
}

func TestPDFRejects(t *testing.T) {
	good := sample(t, 1)[0]
	with := func(payload string) Card { c := good; c.Payload = payload; return c }
	letter := good.Payload[:100] + "A" + good.Payload[101:]
	for _, tc := range []struct {
		name, key string
		cards     []Card
	}{
		{"no cards", errKeyNone, nil},
		{"empty payload", errKeyPayload, []Card{good, with("")}},
		{"letter in payload", errKeyPayload, []Card{with(letter)}},
		{"short digits", errKeyPayload, []Card{with("8400112345")}},
		{"spaces around", errKeyPayload, []Card{with(" " + good.Payload + "\n")}},
		{"over the cap", errKeyTooMany, slices.Repeat([]Card{good}, MaxCards+1)},
	} {
		err := PDF(io.Discard, words(t), tc.cards...)
		if ravao.ErrorCode(err) != ravao.Invalid || ravao.ErrorKey(err) != tc.key {
			t.Errorf("%s: got error %v, want invalid %s", tc.name, err, tc.key)
		}
	}
	if err := PDF(io.Discard, words(t), slices.Repeat([]Card{good}, 2)...); err != nil {
		t.Errorf("a valid batch: %v", err)
	}
}

// TestLayout checks the geometry of every slot: cards inside the page and
// apart from each other, the QR code at least 30 mm with a four-module
// quiet zone inside the card and free of text, and every text box inside
// its card.
func TestLayout(t *testing.T) {
	q, err := qrcode.New(sample(t, 1)[0].Payload, level)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	bitmap := q.Bitmap()
	if len(bitmap) != 37 {
		t.Errorf("QR code has %d modules a side, want 37 (version 5)", len(bitmap))
	}
	for i := range perPage {
		f := layout(slot(i), bitmap)
		if c := f.Card; c.X < 5 || c.Y < 5 || c.X+c.W > pageW-5 || c.Y+c.H > pageH-5 {
			t.Errorf("slot %d: card %+v is not inside the printable page", i, c)
		}
		for j := range i {
			if overlaps(f.Card, slot(j)) {
				t.Errorf("slots %d and %d overlap", j, i)
			}
		}
		if f.QR.W < 30 || f.QR.H < 30 {
			t.Errorf("slot %d: QR is %.1f × %.1f mm, want ≥ 30", i, f.QR.W, f.QR.H)
		}
		q := 4 * f.QR.W / float64(len(bitmap))
		zone := rect{X: f.QR.X - q, Y: f.QR.Y - q, W: f.QR.W + 2*q, H: f.QR.H + 2*q}
		if !inside(zone, f.Card) {
			t.Errorf("slot %d: quiet zone %+v leaves the card %+v", i, zone, f.Card)
		}
		for _, b := range []textBox{f.Title, f.Name, f.BirthYear, f.Place, f.Expires, f.Serial, f.Instructions, f.InstructionsEN} {
			if overlaps(b.rect, zone) {
				t.Errorf("slot %d: text box %+v is inside the QR quiet zone %+v", i, b.rect, zone)
			}
			if !inside(b.rect, f.Card) {
				t.Errorf("slot %d: text box %+v leaves the card %+v", i, b.rect, f.Card)
			}
		}
		checkModules(t, f, bitmap)
	}
}

// checkModules asserts the rectangles cover exactly the dark modules.
func checkModules(t *testing.T, f face, bitmap [][]bool) {
	t.Helper()
	var dark, covered float64
	for _, row := range bitmap {
		for _, on := range row {
			if on {
				dark++
			}
		}
	}
	m := f.QR.W / float64(len(bitmap))
	for _, r := range f.Modules {
		if !inside(r, rect{X: f.QR.X - 1e-9, Y: f.QR.Y - 1e-9, W: f.QR.W + 2e-9, H: f.QR.H + 2e-9}) {
			t.Fatalf("module %+v outside QR %+v", r, f.QR)
		}
		covered += r.W * r.H / (m * m)
	}
	if diff := covered - dark; diff > 1e-6 || diff < -1e-6 {
		t.Errorf("rectangles cover %.2f modules, want %.0f", covered, dark)
	}
}

func overlaps(a, b rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func inside(a, b rect) bool {
	return a.X >= b.X && a.Y >= b.Y && a.X+a.W <= b.X+b.W && a.Y+a.H <= b.Y+b.H
}

// BenchmarkPDF100 is a commune official printing a hundred cards at once.
func BenchmarkPDF100(b *testing.B) {
	cards := sample(b, 100)
	w := words(b)
	for b.Loop() {
		if err := PDF(io.Discard, w, cards...); err != nil {
			b.Fatal(err)
		}
	}
}
