package poster

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/qrframe"
)

const testURL = "https://ravao.example.vn/q/060020NX86CK18J9B0"

// decodeQR reads the one QR code in img in process.
func decodeQR(t *testing.T, img image.Image) (string, error) {
	t.Helper()
	return qrframe.DecodeImage(img)
}

func pngImage(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

func TestPNGDecodes(t *testing.T) {
	for _, url := range []string{
		testURL,
		"http://127.0.0.1:8080/q/0",
		"https://kiem-soat.benhvien-hanam.gov.vn/q/060020NX86CK18J9B0060020NX86CK18J9B0",
	} {
		b, err := PNG(url, 256)
		if err != nil {
			t.Fatalf("PNG(%q): %v", url, err)
		}
		got, err := decodeQR(t, pngImage(t, b))
		if err != nil || got != url {
			t.Errorf("decoded %q (err %v), want %q", got, err, url)
		}
	}
}

// TestPNGDegraded checks the code survives what a poor print and a tilted
// phone do to it: a small image, blur, and a 10° rotation.
func TestPNGDegraded(t *testing.T) {
	b, err := PNG(testURL, 512)
	if err != nil {
		t.Fatal(err)
	}
	img := rotate(boxBlur(downscale(toGray(pngImage(t, b)), 120)), 10)
	got, err := decodeQR(t, img)
	if err != nil || got != testURL {
		t.Errorf("degraded: decoded %q (err %v), want %q", got, err, testURL)
	}
}

func TestPNGRejects(t *testing.T) {
	for _, tc := range []struct {
		url string
		px  int
	}{{"", 256}, {testURL, 0}, {strings.Repeat("x", 4000), 256}} {
		if _, err := PNG(tc.url, tc.px); ravao.ErrorCode(err) != ravao.Invalid {
			t.Errorf("PNG(len %d, %d): got error %v, want code invalid", len(tc.url), tc.px, err)
		}
	}
}

func TestSVG(t *testing.T) {
	b, err := SVG(testURL)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ViewBox string     `xml:"viewBox,attr"`
		Rects   []struct{} `xml:"rect"`
		Paths   []struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("SVG is not XML: %v", err)
	}
	if len(doc.Paths) != 1 || len(doc.Rects) != 1 || !strings.HasPrefix(doc.Paths[0].D, "M") {
		t.Errorf("got %d paths and %d rects, want 1 and 1", len(doc.Paths), len(doc.Rects))
	}
	if strings.Contains(string(b), "href") {
		t.Errorf("SVG has an external reference: %s", b)
	}
	// Render the path back into a bitmap and decode it: the SVG draws the
	// same code the PNG does.
	got, err := decodeQR(t, renderSVGPath(t, doc.ViewBox, doc.Paths[0].D, 8))
	if err != nil || got != testURL {
		t.Errorf("SVG decoded %q (err %v), want %q", got, err, testURL)
	}
}

// renderSVGPath paints the "Mx yhWv1h-Wz" runs SVG writes, scale pixels a
// module.
func renderSVGPath(t *testing.T, viewBox, d string, scale int) image.Image {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(viewBox, "0 0 %d", &n); err != nil {
		t.Fatalf("viewBox %q: %v", viewBox, err)
	}
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, seg := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil {
			t.Fatalf("path segment %q: %v", seg, err)
		}
		r := image.Rect(x*scale, y*scale, (x+w)*scale, (y+1)*scale)
		draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
	}
	return img
}

func toGray(src image.Image) *image.Gray {
	g := image.NewGray(src.Bounds())
	draw.Draw(g, g.Bounds(), src, src.Bounds().Min, draw.Src)
	return g
}

// downscale averages src into an image size pixels wide, keeping its
// aspect ratio.
func downscale(src *image.Gray, size int) *image.Gray {
	b := src.Bounds()
	w, h := size, max(1, size*b.Dy()/b.Dx())
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			x0, x1 := x*b.Dx()/w, (x+1)*b.Dx()/w
			y0, y1 := y*b.Dy()/h, (y+1)*b.Dy()/h
			sum, n := 0, 0
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					sum += int(src.GrayAt(b.Min.X+sx, b.Min.Y+sy).Y)
					n++
				}
			}
			dst.SetGray(x, y, color.Gray{uint8(sum / max(n, 1))})
		}
	}
	return dst
}

// boxBlur averages each pixel with its 3 × 3 neighbourhood.
func boxBlur(src *image.Gray) *image.Gray {
	b := src.Bounds()
	dst := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum, n := 0, 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if p := (image.Point{x + dx, y + dy}); p.In(b) {
						sum += int(src.GrayAt(p.X, p.Y).Y)
						n++
					}
				}
			}
			dst.SetGray(x, y, color.Gray{uint8(sum / n)})
		}
	}
	return dst
}

// rotate turns src by deg degrees about its centre (nearest neighbour) onto
// a white canvas large enough to hold it.
func rotate(src *image.Gray, deg float64) *image.Gray {
	b := src.Bounds()
	side := int(math.Ceil(math.Hypot(float64(b.Dx()), float64(b.Dy())))) + 2
	dst := image.NewGray(image.Rect(0, 0, side, side))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(side)/2, float64(side)/2
	sx0, sy0 := float64(b.Dx())/2, float64(b.Dy())/2
	for y := range side {
		for x := range side {
			dx, dy := float64(x)-cx, float64(y)-cy
			// Inverse rotation: where in src does this pixel come from.
			px := int(math.Round(cos*dx+sin*dy+sx0)) + b.Min.X
			py := int(math.Round(-sin*dx+cos*dy+sy0)) + b.Min.Y
			if (image.Point{px, py}).In(b) {
				dst.SetGray(x, y, src.GrayAt(px, py))
			}
		}
	}
	return dst
}
