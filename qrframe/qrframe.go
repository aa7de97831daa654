// Package qrframe reads a QR code from one camera frame: the gate page sends
// frames here when its browser has no BarcodeDetector, about one a second
// from each gate, so Decode is built to be quick on a typical 640×480 JPEG
// and bounded on the worst input (a frame with no code in it, or a picture
// far larger than a camera frame).
package qrframe

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"github.com/ravao/ravao"
)

// MaxBytes bounds the encoded frame Decode accepts.
const MaxBytes = 2 << 20

// MaxPixels bounds the decoded frame, checked from the header before any
// pixel is decoded: a 12-megapixel phone photo (4032×3024) fits, a PNG
// whose header claims 100000×100000 does not.
const MaxPixels = 4096 * 3072

// The errors Decode returns, user-facing and comparable with errors.Is.
var (
	// ErrNoCode means the frame is a picture but no QR code could be read in
	// it: the gate page keeps scanning.
	ErrNoCode error = ravao.Errorf(ravao.Invalid, "err.no_code")
	// ErrFrame means the body is not a JPEG or PNG picture.
	ErrFrame error = ravao.Errorf(ravao.Invalid, "err.frame")
	// ErrTooLarge means the body exceeds MaxBytes or the picture MaxPixels.
	ErrTooLarge error = ravao.Errorf(ravao.TooLarge, "err.frame_too_large")
)

// Decode finds one QR code in an encoded image (JPEG or PNG, at most
// MaxBytes, at most MaxPixels) and returns its text. It is safe for
// concurrent use.
func Decode(img []byte) (string, error) {
	m, err := decodeImage(img)
	if err != nil {
		return "", err
	}
	return DecodeImage(m)
}

// DecodeImage finds one QR code in a decoded picture (a rasterised poster
// or card in tests, a frame in Decode) and returns its text; none is
// ErrNoCode. It is safe for concurrent use.
func DecodeImage(m image.Image) (string, error) {
	return scan(luminance(m))
}

// decodeImage decodes a JPEG or PNG after checking its size from the
// header, so that a small file claiming a huge picture allocates nothing.
func decodeImage(b []byte) (image.Image, error) {
	if len(b) == 0 {
		return nil, ErrFrame
	}
	if len(b) > MaxBytes {
		return nil, ErrTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, ErrFrame
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrFrame
	}
	if cfg.Width > MaxPixels/cfg.Height {
		return nil, ErrTooLarge
	}
	var m image.Image
	switch format {
	case "jpeg":
		m, err = jpeg.Decode(bytes.NewReader(b))
	case "png":
		m, err = png.Decode(bytes.NewReader(b))
	default:
		// Another package may have registered more formats (GIF, WebP):
		// camera frames come as JPEG or PNG only.
		return nil, ErrFrame
	}
	if err != nil {
		return nil, ErrFrame
	}
	return m, nil
}
