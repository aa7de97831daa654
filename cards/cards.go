// Package cards prints personal QR cards for people without a smartphone
// (children, the elderly, rural residents): A4 sheets of eight ID-1 cards,
// the size of a CCCD card, to cut out and keep in a wallet or card holder.
//
// A card carries a long-lived personal QR code of kind personalqr.KindCard
// and as little else as a gate needs: a masked name, the birth year, the
// commune, the expiry and the card serial, so that a lost card tells a
// finder next to nothing and a reissued card can be told from the one it
// replaces. The QR code is drawn as vector rectangles, large enough for a
// phone or a handheld scanner, with its quiet zone inside the card.
//
// PDF output is deterministic for the same input (fixed creation date
// derived from the cards, sorted catalogue, compression on), like the
// posters of package poster.
package cards

import (
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
)

// Card is one printed personal QR card. Name is already masked by the
// caller (ravao.MaskName), never a full name, phone or ID number: a lost
// card must tell a finder as little as possible. Expires is printed as
// dd/mm/yyyy in its own location, so callers pass it in the deployment's
// time zone.
type Card struct {
	Payload   string // personalqr payload, digits only
	Name      string // masked name
	BirthYear int
	Place     string // the person's commune and province, e.g. "Phường Phú Hội, Thành phố Huế"
	Serial    uint32 // printed small, so holders and officials can tell reissued cards apart
	Expires   time.Time
	Issued    time.Time
}

// MaxCards is the most cards one PDF holds: 250 pages, a commune's batch,
// while a whole province in one request would tie the server up.
const MaxCards = 2000

// Error keys of this package (message catalogue).
const (
	errKeyNone    = "err.cards_none"
	errKeyPayload = "err.card_payload"
	errKeyTooMany = "err.too_many_cards"
)

// check refuses an empty or oversized batch and any payload that is not a
// personal QR code (digits, prefix, length): a card that scans to
// something a gate rejects is worse than no card.
func check(cards []Card) error {
	switch {
	case len(cards) == 0:
		return ravao.Errorf(ravao.Invalid, errKeyNone)
	case len(cards) > MaxCards:
		return ravao.Errorf(ravao.Invalid, errKeyTooMany, MaxCards)
	}
	for i, c := range cards {
		// Looks ignores surrounding spaces; the length check does not.
		if !personalqr.Looks(c.Payload) || len(c.Payload) != personalqr.PayloadLen {
			return ravao.Errorf(ravao.Invalid, errKeyPayload, i+1)
		}
	}
	return nil
}
