// Package poster draws what is printed at a checkpoint: the QR code that
// encodes the checkpoint's URL (BASE_URL/q/CODE), as PNG or SVG for screens,
// and printable A4/A5 PDF posters with the venue, the checkpoint, a large
// vector QR code, the short code for typing by hand and brief instructions.
//
// PDF output is deterministic for the same input (fixed creation date
// derived from the posters, sorted catalogue, compression on), so posters can
// be cached and compared byte for byte.
package poster

import (
	"time"

	"github.com/ravao/ravao"
)

// Poster is what one printed page shows. URL is what the QR code encodes;
// Code is printed under it. Issued is shown as dd/mm/yyyy in its own
// location, so callers pass it in the deployment's time zone.
type Poster struct {
	VenueName, Address, CheckpointName, Code, URL string
	Issued                                        time.Time
}

// Size is a paper size for PDF posters.
type Size string

// The paper sizes posters are laid out for. A5 is A4 scaled down.
const (
	A4 Size = "A4"
	A5 Size = "A5"
)

// Error keys of this package (message catalogue).
const (
	errKeySize    = "err.poster_size"
	errKeyNone    = "err.poster_none"
	errKeyContent = "err.qr_content"
)

func errSize() error    { return ravao.Errorf(ravao.Invalid, errKeySize) }
func errNone() error    { return ravao.Errorf(ravao.Invalid, errKeyNone) }
func errContent() error { return ravao.Errorf(ravao.Invalid, errKeyContent) }
