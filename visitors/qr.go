package visitors

import (
	"context"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
)

// PersonalQR is the on-screen personal code of the device's person: it
// carries their opaque id, whether their current declaration is green and
// a short expiry, so the screen shows a new one every few minutes.
func (s *Service) PersonalQR(ctx context.Context, token string) (string, time.Time, error) {
	var payload string
	var expires time.Time
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		_, p, err := s.device(tx, token)
		if err != nil {
			return err
		}
		now := tx.Now()
		d, err := ravao.PersonDecision(tx, p.ID, now, s.questions.Validity())
		if err != nil {
			return err
		}
		green := d == ravao.Green
		expires = now.Add(s.cfg.ScreenQRTTL).Truncate(time.Second)
		payload, err = s.qr.Issue(personalqr.Claims{PersonID: p.ID, Expires: expires, Green: green,
			Kind: personalqr.KindScreen, Serial: p.CardSerial})
		return err
	})
	return payload, expires, err
}

// Verifier checks personal codes; gates hold its public key.
func (s *Service) Verifier() *personalqr.Verifier { return s.verifier }
