package qrframe

import (
	"image"
	"image/draw"

	"github.com/makiuchi-d/gozxing"
)

// plane is an 8-bit luminance picture: the pixel at (x, y) is
// pix[y*stride+x], for 0 ≤ x < w and 0 ≤ y < h.
type plane struct {
	pix    []byte
	stride int
	w, h   int
}

// luminance returns the brightness of m. A JPEG decodes to *image.YCbCr (or
// *image.Gray), whose Y plane is already the luminance: it is used in place,
// with no conversion and no copy. Other pictures are drawn over white, so
// that a transparent PNG reads as it looks.
func luminance(m image.Image) plane {
	r := m.Bounds()
	switch m := m.(type) {
	case *image.YCbCr:
		return plane{m.Y[m.YOffset(r.Min.X, r.Min.Y):], m.YStride, r.Dx(), r.Dy()}
	case *image.Gray:
		return plane{m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, r.Dx(), r.Dy()}
	}
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	draw.Draw(g, g.Rect, m, r.Min, draw.Over)
	return plane{g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy()}
}

// half returns p at half its width and height, each pixel the mean of a
// 2×2 block.
func (p plane) half() plane {
	h := plane{w: p.w / 2, h: p.h / 2}
	h.stride = h.w
	h.pix = make([]byte, h.w*h.h)
	for y := range h.h {
		top := p.pix[2*y*p.stride:]
		bottom := p.pix[(2*y+1)*p.stride:]
		row := h.pix[y*h.stride:]
		for x := range h.w {
			sum := int(top[2*x]) + int(top[2*x+1]) + int(bottom[2*x]) + int(bottom[2*x+1])
			row[x] = byte((sum + 2) / 4)
		}
	}
	return h
}

// sampled returns every other pixel of every other row of p: half the
// size like half, but with edges as sharp as p's.
func (p plane) sampled() plane {
	h := plane{w: p.w / 2, h: p.h / 2}
	h.stride = h.w
	h.pix = make([]byte, h.w*h.h)
	for y := range h.h {
		src := p.pix[2*y*p.stride:]
		row := h.pix[y*h.stride:]
		for x := range h.w {
			row[x] = src[2*x]
		}
	}
	return h
}

// bitmap binarizes p with gozxing's hybrid binarizer, which thresholds each
// block against its neighbourhood and so copes with uneven light. The
// bitmap computes its black matrix once and keeps it for every attempt.
func (p plane) bitmap() (*gozxing.BinaryBitmap, error) {
	src, err := gozxing.NewPlanarYUVLuminanceSource(p.pix, p.stride, p.h, 0, 0, p.w, p.h, false)
	if err != nil {
		return nil, err
	}
	return gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
}

// stretched returns a copy of p with its contrast widened, the 1st to the
// 99th percentile of its brightness mapped onto 0–255, or false when p's
// contrast is wide already. The hybrid binarizer takes a block spanning
// fewer than 24 levels for a flat one, and in poor light or under glare a
// block of the code can span fewer; but widening also makes flat blocks of
// sensor noise look like detail, so it is a second attempt, not a fix.
func (p plane) stretched() (plane, bool) {
	var hist [256]int
	for y := range p.h {
		for _, v := range p.pix[y*p.stride:][:p.w] {
			hist[v]++
		}
	}
	tail := p.w * p.h / 100
	lo, hi := 0, 255
	for n := hist[lo]; n < tail; n += hist[lo] {
		lo++
	}
	for n := hist[hi]; n < tail; n += hist[hi] {
		hi--
	}
	if hi-lo >= narrow || hi <= lo {
		return plane{}, false
	}
	var lut [256]byte
	for v := range lut {
		lut[v] = byte(min(255, max(0, (v-lo)*255/(hi-lo))))
	}
	s := plane{pix: make([]byte, p.w*p.h), stride: p.w, w: p.w, h: p.h}
	for y := range p.h {
		row := s.pix[y*s.stride:][:s.w]
		for i, v := range p.pix[y*p.stride:][:p.w] {
			row[i] = lut[v]
		}
	}
	return s, true
}
