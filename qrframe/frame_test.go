package qrframe

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"
)

// scene describes a synthetic camera frame: a QR code of text (none when
// text is empty) held in front of a cluttered background, photographed
// with the defects of a cheap camera.
type scene struct {
	text   string
	w, h   int
	side   float64 // pixels across the code, quiet zone included
	angle  float64 // degrees, anticlockwise
	lo, hi float64 // luminance of black and white: lowered contrast
	blur   bool
	noise  float64 // amplitude of uniform sensor noise
	seed   uint64
}

// camera is the usual gate frame: 640×480, the code filling a
// bit over half the height, tilted 7°, dim, blurred and noisy.
func camera(text string) scene {
	return scene{text: text, w: 640, h: 480, side: 280, angle: 7, lo: 60, hi: 185, blur: true, noise: 12, seed: 1}
}

// personalPayload is shaped like a personalqr payload: "84001" and 191
// digits.
func personalPayload() string {
	r := rand.New(rand.NewPCG(84, 1))
	var b strings.Builder
	b.WriteString("84001")
	for range 191 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

const sampleURL = "https://ravao.example.vn/q/7KQ2M9XT4PZ3"

// render draws the scene as luminance, row by row.
func (s scene) render(t testing.TB) []float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(s.seed, 2))
	lum := background(r, s.w, s.h)
	if s.text != "" {
		s.drawCode(t, lum)
	}
	for i, v := range lum {
		lum[i] = s.lo + (s.hi-s.lo)*v/255
	}
	if s.blur {
		lum = boxBlur(lum, s.w, s.h)
	}
	for i := range lum {
		lum[i] += (r.Float64()*2 - 1) * s.noise
	}
	return lum
}

// background is a lit gradient with dark clutter on it (edges and stripes
// for the finder-pattern search to reject).
func background(r *rand.Rand, w, h int) []float64 {
	lum := make([]float64, w*h)
	for y := range h {
		for x := range w {
			lum[y*w+x] = 140 + 80*float64(x)/float64(w) - 40*float64(y)/float64(h)
		}
	}
	for range 40 {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := min(w, x0+5+r.IntN(w/6)), min(h, y0+3+r.IntN(h/10))
		v := r.Float64() * 120
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if (x/3+y/7)%2 == 0 {
					lum[y*w+x] = v
				}
			}
		}
	}
	return lum
}

// drawCode paints the code at the centre of lum, rotated, each pixel the
// mean of 4×4 point samples so that edges are anti-aliased as a lens would.
func (s scene) drawCode(t testing.TB, lum []float64) {
	t.Helper()
	q, err := qrcode.New(s.text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bits := q.Bitmap() // modules with the quiet zone
	n := float64(len(bits))
	sin, cos := math.Sincos(s.angle * math.Pi / 180)
	cx, cy := float64(s.w)/2, float64(s.h)/2
	reach := int(s.side*0.75) + 1
	for y := max(0, int(cy)-reach); y < min(s.h, int(cy)+reach); y++ {
		for x := max(0, int(cx)-reach); x < min(s.w, int(cx)+reach); x++ {
			inside, dark := 0, 0
			for sy := range 4 {
				for sx := range 4 {
					dx, dy := float64(x)+(float64(sx)+0.5)/4-cx, float64(y)+(float64(sy)+0.5)/4-cy
					u := (cos*dx-sin*dy)/s.side*n + n/2
					v := (sin*dx+cos*dy)/s.side*n + n/2
					if u < 0 || v < 0 || u >= n || v >= n {
						continue
					}
					inside++
					if bits[int(v)][int(u)] {
						dark++
					}
				}
			}
			if inside > 0 {
				code := 255 * float64(16-dark) / 16
				lum[y*s.w+x] = (lum[y*s.w+x]*float64(16-inside) + code*float64(inside)) / 16
			}
		}
	}
}

// boxBlur is a 3×3 mean: slight defocus.
func boxBlur(lum []float64, w, h int) []float64 {
	out := make([]float64, len(lum))
	for y := range h {
		for x := range w {
			sum, k := 0.0, 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if xx, yy := x+dx, y+dy; xx >= 0 && yy >= 0 && xx < w && yy < h {
						sum += lum[yy*w+xx]
						k++
					}
				}
			}
			out[y*w+x] = sum / k
		}
	}
	return out
}

// rgba colours the luminance with a warm cast, as indoor light gives, so
// that a JPEG of it carries chroma like a camera's.
func (s scene) rgba(t testing.TB) *image.RGBA {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	for i, v := range s.render(t) {
		m.Pix[4*i+0] = clamp(v + 10)
		m.Pix[4*i+1] = clamp(v)
		m.Pix[4*i+2] = clamp(v - 14)
		m.Pix[4*i+3] = 0xff
	}
	return m
}

// gray is the scene as a grayscale picture.
func (s scene) gray(t testing.TB) *image.Gray {
	t.Helper()
	m := image.NewGray(image.Rect(0, 0, s.w, s.h))
	for i, v := range s.render(t) {
		m.Pix[i] = clamp(v)
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(math.Round(max(0, min(255, v))))
}

// jpegOf encodes m at quality 70, as the gate page's canvas.toBlob does.
func jpegOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
