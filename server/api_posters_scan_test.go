package server

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/qrframe"
)

// checkpointURL is what the API says checkpoint cp's QR code must encode.
func (f *placeFixture) checkpointURL(login string, venue, cp int64) string {
	f.t.Helper()
	rec := f.as(login, "GET", fmt.Sprintf("/api/v1/venues/%d", venue), "")
	var v venueDetailJSON
	decode(f.t, rec.Body, &v)
	for _, c := range v.Checkpoints {
		if c.ID == cp && c.URL != "" {
			if !strings.HasPrefix(c.URL, "http://ravao.test/q/") || !strings.HasSuffix(c.URL, "/q/"+c.Code) {
				f.t.Fatalf("checkpoint URL %q is not BASE_URL/q/CODE for code %q", c.URL, c.Code)
			}
			return c.URL
		}
	}
	f.t.Fatalf("venue %d has no live checkpoint %d: %+v", venue, cp, v.Checkpoints)
	return ""
}

// readQR decodes the one QR code of an image in process.
func readQR(t *testing.T, img image.Image) string {
	t.Helper()
	text, err := qrframe.DecodeImage(img)
	if err != nil {
		return "error: " + err.Error()
	}
	return text
}

// TestQRImageScans: the QR image the place page shows decodes, in process,
// to exactly the checkpoint's URL.
func TestQRImageScans(t *testing.T) {
	f := newPlaceFixture(t)
	want := f.checkpointURL(managerA, f.venueA, f.cpA)
	rec := f.as(managerA, "GET", fmt.Sprintf("/api/v1/checkpoints/%d/qr.png?px=400", f.cpA), "")
	if rec.Code != http.StatusOK {
		t.Fatalf("qr.png: %d %s", rec.Code, rec.Body)
	}
	img, err := png.Decode(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := readQR(t, img); got != want {
		t.Errorf("qr.png decodes to %q, want %q", got, want)
	}
}

// TestPosterPDFScans downloads a real checkpoint's A4 and A5 posters
// through the API, rasterises them (pdftoppm) and reads the QR code with
// zbarimg and with gozxing: both must give exactly BASE_URL/q/CODE; and
// pdftotext must find the venue's name with its diacritics.
func TestPosterPDFScans(t *testing.T) {
	pdftoppm, zbarimg, pdftotext := testenv.Tool(t, "pdftoppm"), testenv.Tool(t, "zbarimg"), testenv.Tool(t, "pdftotext")
	f := newPlaceFixture(t)
	want := f.checkpointURL(managerA, f.venueA, f.cpA)
	for _, size := range []string{"A4", "A5"} {
		rec := f.as(managerA, "GET", fmt.Sprintf("/api/v1/checkpoints/%d/poster.pdf?size=%s", f.cpA, size), "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s poster: %d %s", size, rec.Code, rec.Body)
		}
		dir := t.TempDir()
		pdf := filepath.Join(dir, "poster.pdf")
		if err := os.WriteFile(pdf, rec.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(pdftoppm, "-r", "60", "-png", "-singlefile", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		page := filepath.Join(dir, "page.png")
		out, err := exec.Command(zbarimg, "--raw", "-q", page).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Errorf("%s: zbarimg read %q (%v), want %q", size, got, err, want)
		}
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if got := readQR(t, img); got != want {
			t.Errorf("%s: gozxing read %q, want %q", size, got, want)
		}
		text, err := exec.Command(pdftotext, pdf, "-").Output()
		if err != nil || !strings.Contains(string(text), "Xưởng may số 1") || !strings.Contains(string(text), "Cổng chính") {
			t.Errorf("%s: pdftotext (%v) lacks the venue or checkpoint name:\n%s", size, err, text)
		}
	}
}
