package qrframe

import (
	"errors"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	"github.com/ravao/ravao"
)

// maxSide is the longest side scanned first at full size; a larger picture
// is first scanned halved (as many times as it takes), which is quicker and,
// for a code that fills much of a photo, no less likely to read.
const maxSide = 800

// minHalved is the shortest side of a picture, in pixels, that is scanned
// again halved when no code was found in it.
const minHalved = 300

// narrow is the contrast, in levels between the 1st and the 99th percentile
// of brightness, under which a frame where no code was found is scanned
// again with its contrast widened.
const narrow = 160

var (
	fast   = map[gozxing.DecodeHintType]any{}
	harder = map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
)

// scan looks for a QR code in p: on the downscaled copy before the full
// picture when p is large, and last with its contrast widened when it is
// dim or washed out.
func scan(p plane) (string, error) {
	planes := []plane{p}
	if max(p.w, p.h) > maxSide {
		q := p.half()
		for max(q.w, q.h) > maxSide {
			q = q.half()
		}
		planes = []plane{q, p}
	}
	// A reader is not safe for concurrent use: each call has its own.
	r := qrcode.NewQRCodeReader()
	text, err := try(r, planes...)
	if !errors.Is(err, ErrNoCode) {
		return text, err
	}
	// gozxing sometimes places the grid askew on a sharp, printed code
	// ("failed to parse format info") at one scale and not at another: a
	// code it missed gets a second look at every other pixel, when that
	// still leaves it enough (a 2×2 mean, as half makes, blurs the edges
	// and fails the same way).
	if q := planes[0]; min(q.w, q.h) >= minHalved {
		if text, err := try(r, q.sampled()); !errors.Is(err, ErrNoCode) {
			return text, err
		}
	}
	if s, ok := planes[0].stretched(); ok {
		return try(r, s)
	}
	return "", ErrNoCode
}

// try reads a code in the first of planes where one is found, the quick
// way first on each, then trying harder on each.
func try(r gozxing.Reader, planes ...plane) (string, error) {
	bitmaps := make([]*gozxing.BinaryBitmap, len(planes))
	for i, q := range planes {
		bmp, err := q.bitmap()
		if err != nil {
			return "", &ravao.Error{Code: ravao.Internal, Err: err}
		}
		bitmaps[i] = bmp
	}
	for _, hard := range []bool{false, true} {
		for _, bmp := range bitmaps {
			hints := fast
			if hard {
				if !harderHelps(bmp.GetHeight()) {
					continue
				}
				hints = harder
			}
			if res, err := r.Decode(bmp, hints); err == nil {
				return res.GetText(), nil
			}
		}
	}
	return "", ErrNoCode
}

// harderHelps reports whether TRY_HARDER can find anything the quick way
// missed on a picture h rows tall. All it does for QR codes is search for
// finder patterns on every third row instead of a sample of rows, and a
// short picture (under 518 rows: a 640×480 frame) is searched on every
// third row anyway; trying again would only double the cost of a frame
// without a code.
func harderHelps(h int) bool {
	return 3*h/(4*detector.FinderPatternFinder_MAX_MODULES) > detector.FinderPatternFinder_MIN_SKIP
}
