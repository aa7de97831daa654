package qrframe

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/ravao/ravao"
	"github.com/skip2/go-qrcode"
)

func TestDecode(t *testing.T) {
	personal := personalPayload()
	square := camera(personal)
	square.w, square.h, square.side, square.angle = 480, 480, 300, -4
	small := camera(personal)
	small.side, small.seed = 215, 2
	url := scene{text: sampleURL, w: 640, h: 480, side: 170, angle: -12, lo: 70, hi: 170, blur: true, noise: 10, seed: 3}
	dim := camera(personal)
	dim.side, dim.lo, dim.hi, dim.noise, dim.seed = 215, 100, 140, 8, 4
	large := camera(personal)
	large.w, large.h, large.side = 1600, 1200, 640
	tests := []struct {
		name  string
		text  string
		frame func(t *testing.T) []byte
	}{
		{"personal", personal, func(t *testing.T) []byte { return jpegOf(t, camera(personal).rgba(t)) }},
		{"personal centre square", personal, func(t *testing.T) []byte { return jpegOf(t, square.rgba(t)) }},
		{"personal small", personal, func(t *testing.T) []byte { return jpegOf(t, small.rgba(t)) }},
		{"personal dim", personal, func(t *testing.T) []byte { return jpegOf(t, dim.rgba(t)) }},
		{"url", sampleURL, func(t *testing.T) []byte { return jpegOf(t, url.rgba(t)) }},
		{"grayscale jpeg", sampleURL, func(t *testing.T) []byte { return jpegOf(t, camera(sampleURL).gray(t)) }},
		{"large photo", personal, func(t *testing.T) []byte { return jpegOf(t, large.rgba(t)) }},
		{"transparent png", sampleURL, transparentPNG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.frame(t))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.text {
				t.Errorf("got %q, want %q", got, tt.text)
			}
		})
	}
}

// transparentPNG is a code as a web page would save it: dark modules on a
// transparent background, which reads only if composited over white.
func transparentPNG(t *testing.T) []byte {
	q, err := qrcode.New(sampleURL, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.BackgroundColor = color.Transparent
	b, err := q.PNG(300)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRefuses(t *testing.T) {
	frame := jpegOf(t, camera(personalPayload()).rgba(t))
	noCode := camera("")
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"no code", jpegOf(t, noCode.rgba(t)), ErrNoCode},
		{"truncated jpeg", frame[:len(frame)/2], ErrFrame},
		{"png bomb", pngBomb(t, 100000, 100000), ErrTooLarge},
		{"empty", nil, ErrFrame},
		{"not an image", []byte("FRAME\n not a picture"), ErrFrame},
		{"gif", gifOf(t), ErrFrame},
		{"over MaxBytes", append(bytes.Clone(frame), make([]byte, MaxBytes)...), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode = %q, %v; want %v", got, err, tt.want)
			}
		})
	}
	if ravao.ErrorCode(ErrNoCode) != ravao.Invalid || ravao.ErrorKey(ErrNoCode) != "err.no_code" {
		t.Errorf("ErrNoCode is %v", ErrNoCode)
	}
	if ravao.ErrorCode(ErrTooLarge) != ravao.TooLarge {
		t.Errorf("ErrTooLarge is %v", ErrTooLarge)
	}
}

// pngBomb is a valid PNG header claiming a w×h grey picture, followed by
// a small IDAT that inflates to a megabyte of zeros.
func pngBomb(t *testing.T, w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		b.WriteString(kind)
		b.Write(data)
		b.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	chunk("IHDR", append(ihdr, 8, 0, 0, 0, 0)) // 8-bit grey, no interlace
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b.Bytes()))
	if err != nil || format != "png" || cfg.Width != int(w) || cfg.Height != int(h) {
		t.Fatalf("bomb header reads as %v %q %v", cfg, format, err)
	}
	return b.Bytes()
}

func gifOf(t *testing.T) []byte {
	var b bytes.Buffer
	m := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White})
	if err := gif.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDecodeConcurrent decodes from several goroutines at once, as many
// gates do; run with -race it checks that nothing is shared.
func TestDecodeConcurrent(t *testing.T) {
	personal := personalPayload()
	frames := map[string][]byte{
		personal:  jpegOf(t, camera(personal).rgba(t)),
		sampleURL: jpegOf(t, camera(sampleURL).rgba(t)),
	}
	var wg sync.WaitGroup
	for range 2 {
		for want, frame := range frames {
			wg.Go(func() {
				if got, err := Decode(frame); err != nil || got != want {
					t.Errorf("Decode = %q, %v; want %q", got, err, want)
				}
			})
		}
	}
	wg.Wait()
}

func TestHarderHelps(t *testing.T) {
	for h, want := range map[int]bool{480: false, 517: false, 518: true, 720: true} {
		if got := harderHelps(h); got != want {
			t.Errorf("harderHelps(%d) = %v, want %v", h, got, want)
		}
	}
}

func benchFrame(b *testing.B, text string) []byte {
	return jpegOf(b, camera(text).rgba(b))
}

// BenchmarkDecode640 decodes the usual gate frame: a 640×480 JPEG with a
// personal code in it.
func BenchmarkDecode640(b *testing.B) {
	frame := benchFrame(b, personalPayload())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeEmpty640 decodes a 640×480 frame without a code: the worst
// case, every attempt made and failed.
func BenchmarkDecodeEmpty640(b *testing.B) {
	frame := benchFrame(b, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame); !errors.Is(err, ErrNoCode) {
			b.Fatal(err)
		}
	}
}

// BenchmarkJPEGDecode640 is the baseline: only jpeg.Decode of the frame
// BenchmarkDecode640 reads.
func BenchmarkJPEGDecode640(b *testing.B) {
	frame := benchFrame(b, personalPayload())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(frame)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodePrintedCards reads personal cards rasterised from the staff
// cards PDF (at 200 and 150 dpi) that gozxing misses at full size (the grid
// placed askew; a finder pattern not found) and reads at every other
// pixel. zbarimg reads both as printed.
func TestDecodePrintedCards(t *testing.T) {
	for file, want := range map[string]string{
		"askew-card.png":       "8400110117169728908729027446781580162002985511366545",
		"lost-finder-card.png": "8400110614355207798938283202847096379353148818870222",
	} {
		img, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Decode(img); err != nil || !strings.HasPrefix(got, want) {
			t.Errorf("%s: got %.60q, %v; want the card's payload %s…", file, got, err, want)
		}
	}
}
