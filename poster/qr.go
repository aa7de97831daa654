package poster

import (
	"bytes"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/ravao/ravao/internal/printed"
)

// level is Medium: about 15% of the symbol may be dirty or torn and it still
// reads, while the URL fits a version small enough for big modules.
const level = qrcode.Medium

// quietModules is the white border the QR standard asks for around a symbol.
const quietModules = 4

// encode returns the QR code for url, rejecting an empty one (a poster that
// scans to nothing is worse than no poster).
func encode(url string) (*qrcode.QRCode, error) {
	if url == "" {
		return nil, errContent()
	}
	q, err := qrcode.New(url, level)
	if err != nil {
		// Too long for any QR version: a caller bug, not a user's.
		return nil, fmt.Errorf("poster: encode QR: %w", errContent())
	}
	return q, nil
}

// PNG returns a px × px PNG of the QR code for url, quiet zone included.
// px is raised to one pixel per module when smaller.
func PNG(url string, px int) ([]byte, error) {
	if px <= 0 {
		return nil, errContent()
	}
	q, err := encode(url)
	if err != nil {
		return nil, err
	}
	return q.PNG(px)
}

// SVG returns a self-contained SVG of the QR code for url: a white square
// and one black path in module units (viewBox), so it scales crisply.
func SVG(url string) ([]byte, error) {
	q, err := encode(url)
	if err != nil {
		return nil, err
	}
	bm := q.Bitmap() // includes the quiet zone
	n := len(bm)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for _, r := range printed.Runs(bm) {
		fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", r.X, r.Y, r.W, r.W)
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}
