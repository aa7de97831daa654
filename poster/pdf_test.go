package poster

import (
	"bytes"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"golang.org/x/text/unicode/norm"
)

var issued = time.Date(2026, 11, 26, 9, 30, 0, 0, time.FixedZone("ICT", 7*3600))

// samples are posters whose names carry the hard cases: stacked diacritics
// (ệ, ễ), Đ, and text given decomposed (NFD), which must come out composed.
var samples = []Poster{
	{VenueName: "Bệnh viện Đa khoa tỉnh Hà Nam", Address: "Số 1 đường Lê Hoàn, TP Phủ Lý",
		CheckpointName: "Cổng chính", Code: "060020NX86CK18J9B0",
		URL: "https://ravao.example.vn/q/060020NX86CK18J9B0", Issued: issued},
	{VenueName: norm.NFD.String("Trường THCS Nguyễn Trãi"), Address: "Phường Lê Hồng Phong",
		CheckpointName: "Nhà đa năng", Code: "0600A1Q2W3E4R5T6Y7",
		URL: "https://ravao.example.vn/q/0600A1Q2W3E4R5T6Y7", Issued: issued},
	{VenueName: "Chợ Phủ Lý — cổng số 2", Address: "Đường Trần Phú, Hà Nam",
		CheckpointName: "Cổng số 2", Code: "0600ZZ8K7J6H5G4F3D",
		URL: "https://ravao.example.vn/q/0600ZZ8K7J6H5G4F3D", Issued: issued},
}

// batch is a PDF file and the posters it holds, one per page.
type batch struct {
	size    Size
	posters []Poster
}

var batches = []batch{{A4, samples[:2]}, {A5, samples[2:]}}

func writePDF(t *testing.T, b batch) string {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, b.size, words(t), b.posters...); err != nil {
		t.Fatalf("PDF(%s): %v", b.size, err)
	}
	path := filepath.Join(t.TempDir(), "posters.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var pageObj = regexp.MustCompile(`/Type /Page\b[^s]`)

func TestPDFPageCount(t *testing.T) {
	for _, b := range batches {
		data, err := os.ReadFile(writePDF(t, b))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(pageObj.FindAll(data, -1)); got != len(b.posters) {
			t.Errorf("%s: got %d pages, want %d", b.size, got, len(b.posters))
		}
	}
}

func TestPDFText(t *testing.T) {
	tool := testenv.Tool(t, "pdftotext")
	for _, b := range batches {
		path := writePDF(t, b)
		for i, p := range b.posters {
			page := strconv.Itoa(i + 1)
			out, err := exec.Command(tool, "-enc", "UTF-8", "-f", page, "-l", page, path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := norm.NFC.String(string(out))
			for _, want := range []string{norm.NFC.String(p.VenueName), p.CheckpointName, p.Code,
				"Quét mã QR bằng camera điện thoại", "No app needed.", "26/11/2026"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s page %d: text lacks %q; got:\n%s", b.size, i+1, want, text)
				}
			}
		}
	}
}

// rasterise renders every page of a PDF to PNG with pdftoppm at dpi and
// returns the page files in order.
func rasterise(t *testing.T, pdf string, dpi, pages int) []string {
	t.Helper()
	pdftoppm := testenv.Tool(t, "pdftoppm")
	dir := t.TempDir()
	cmd := exec.Command(pdftoppm, "-r", strconv.Itoa(dpi), "-png", pdf, filepath.Join(dir, "page"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(files) != pages {
		t.Fatalf("got %d rasterised pages, want %d", len(files), pages)
	}
	return files
}

// TestPDFScans reads the QR code of every page, rasterised, with zbarimg
// (outside) and gozxing (in process).
func TestPDFScans(t *testing.T) {
	zbarimg := testenv.Tool(t, "zbarimg")
	for _, b := range batches {
		for i, png := range rasterise(t, writePDF(t, b), 50, len(b.posters)) {
			want := b.posters[i].URL
			out, err := exec.Command(zbarimg, "--raw", "-q", png).Output()
			if got := strings.TrimSpace(string(out)); err != nil || got != want {
				t.Errorf("%s page %d: zbarimg read %q (err %v), want %q", b.size, i+1, got, err, want)
			}
			data, err := os.ReadFile(png)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := decodeQR(t, pngImage(t, data)); err != nil || got != want {
				t.Errorf("%s page %d: gozxing read %q (err %v), want %q", b.size, i+1, got, err, want)
			}
		}
	}
}

// TestPDFDegraded reads an A4 poster as a phone camera sees it from 1.5 m:
// a 60° field of view spans about 1.7 m there, so on a 1080-pixel preview
// the 210 mm page is about 130 pixels wide (the QR code about 100, some 3
// pixels a module). The page is scaled to that, blurred and rotated by 10°.
func TestPDFDegraded(t *testing.T) {
	zbarimg := testenv.Tool(t, "zbarimg")
	b := batches[0]
	for i, page := range rasterise(t, writePDF(t, b), 100, len(b.posters)) {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		img := rotate(boxBlur(downscale(toGray(pngImage(t, data)), 130)), 10)
		want := b.posters[i].URL
		if got, err := decodeQR(t, img); err != nil || got != want {
			t.Errorf("page %d degraded: gozxing read %q (err %v), want %q", i+1, got, err, want)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "degraded.png")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbarimg, "--raw", "-q", path).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Errorf("page %d degraded: zbarimg read %q (err %v), want %q", i+1, got, err, want)
		}
	}
}

func TestPDFDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := PDF(&a, A4, words(t), samples...); err != nil {
		t.Fatal(err)
	}
	if err := PDF(&b, A4, words(t), samples...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two runs gave different PDFs (%d and %d bytes)", a.Len(), b.Len())
	}
	if !bytes.Contains(a.Bytes(), []byte("/CreationDate (D:20261126")) {
		t.Errorf("creation date is not the issue date")
	}
}

func TestPDFRejects(t *testing.T) {
	bad := samples[0]
	bad.URL = ""
	for name, call := range map[string]func() error{
		"no posters": func() error { return PDF(io.Discard, A4, words(t)) },
		"size":       func() error { return PDF(io.Discard, "Letter", words(t), samples[0]) },
		"empty URL":  func() error { return PDF(io.Discard, A4, words(t), bad) },
	} {
		if err := call(); ravao.ErrorCode(err) != ravao.Invalid {
			t.Errorf("%s: got error %v, want code invalid", name, err)
		}
	}
}

func TestLayout(t *testing.T) {
	for _, tc := range []struct {
		size  Size
		minQR float64
		url   string
	}{
		{A4, 150, samples[0].URL},
		{A5, 105, samples[0].URL},
		{A4, 150, "http://x/q/1"}, // forced up to minVersion
	} {
		bitmap, err := paperBitmap(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		l, err := layout(tc.size, bitmap)
		if err != nil {
			t.Fatal(err)
		}
		if l.QR.W < tc.minQR || l.QR.H < tc.minQR {
			t.Errorf("%s: QR is %.1f × %.1f mm, want ≥ %.0f", tc.size, l.QR.W, l.QR.H, tc.minQR)
		}
		checkQuietZone(t, tc.size, l, len(bitmap))
		checkModules(t, tc.size, l, bitmap)
	}
}

// checkQuietZone asserts that no text comes within four modules of the QR
// symbol, and that everything is on the page.
func checkQuietZone(t *testing.T, size Size, l page, modules int) {
	t.Helper()
	q := 4 * l.QR.W / float64(modules)
	zone := rect{X: l.QR.X - q, Y: l.QR.Y - q, W: l.QR.W + 2*q, H: l.QR.H + 2*q}
	if zone.X < 0 || zone.X+zone.W > l.W {
		t.Errorf("%s: quiet zone %+v leaves the page", size, zone)
	}
	for _, b := range []textBox{l.Venue, l.Address, l.Checkpoint, l.Code, l.Instructions, l.InstructionsEN, l.Issued} {
		if overlaps(b.rect, zone) {
			t.Errorf("%s: text box %+v is inside the QR quiet zone %+v", size, b.rect, zone)
		}
		if b.Y < 0 || b.Y+b.H > l.H || b.X < 0 || b.X+b.W > l.W {
			t.Errorf("%s: text box %+v leaves the %.0f × %.0f page", size, b.rect, l.W, l.H)
		}
	}
}

// checkModules asserts the rectangles cover exactly the dark modules.
func checkModules(t *testing.T, size Size, l page, bitmap [][]bool) {
	t.Helper()
	var dark, covered float64
	for _, row := range bitmap {
		for _, on := range row {
			if on {
				dark++
			}
		}
	}
	m := l.QR.W / float64(len(bitmap))
	for _, r := range l.Modules {
		if r.X < l.QR.X-1e-9 || r.Y < l.QR.Y-1e-9 || r.X+r.W > l.QR.X+l.QR.W+1e-9 || r.Y+r.H > l.QR.Y+l.QR.H+1e-9 {
			t.Fatalf("%s: module %+v outside QR %+v", size, r, l.QR)
		}
		covered += r.W * r.H / (m * m)
	}
	if diff := covered - dark; diff > 1e-6 || diff < -1e-6 {
		t.Errorf("%s: rectangles cover %.2f modules, want %.0f", size, covered, dark)
	}
}

func overlaps(a, b rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// BenchmarkPDF1000 is a large venue printing every checkpoint at once.
func BenchmarkPDF1000(b *testing.B) {
	posters := make([]Poster, 1000)
	for i := range posters {
		posters[i] = samples[i%len(samples)]
	}
	w := words(b)
	for b.Loop() {
		if err := PDF(io.Discard, A4, w, posters...); err != nil {
			b.Fatal(err)
		}
	}
}

// words is the poster wording from the real catalogue, in Vietnamese.
func words(t testing.TB) Wording {
	t.Helper()
	c, err := i18n.New("vi")
	if err != nil {
		t.Fatal(err)
	}
	return WordingFrom(func(key string) string { return c.T("vi", key) })
}

// BenchmarkPDF1 is one poster alone: the baseline the 1,000-page batch is
// compared with (font embedding is paid once per file).
func BenchmarkPDF1(b *testing.B) {
	w := words(b)
	for b.Loop() {
		if err := PDF(io.Discard, A4, w, samples[0]); err != nil {
			b.Fatal(err)
		}
	}
}
