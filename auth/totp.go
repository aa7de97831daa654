package auth

import (
	"context"
	"strconv"

	"github.com/pquerna/otp/totp"

	"github.com/ravao/ravao"
)

// totpIssuer is the name authenticator apps show above the code.
const totpIssuer = "Ravao"

// totpAAD binds a sealed TOTP secret to its account, so that a secret
// copied into another row does not open.
func totpAAD(userID int64) string { return "user/" + strconv.FormatInt(userID, 10) + "/totp" }

// EnableTOTP gives an account a new TOTP secret, required at every sign-in
// from now on, and returns the otpauth:// URL to show once as a QR code.
// Calling it again replaces the secret (a lost phone).
func (s *Service) EnableTOTP(ctx context.Context, actor *ravao.Principal, userID int64) (string, error) {
	if err := authorize(actor); err != nil {
		return "", err
	}
	var url string
	err := s.changeUser(ctx, actor, userID, "user.totp", func(tx ravao.Tx, u *ravao.User) error {
		key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Login})
		if err != nil {
			return err
		}
		u.TOTPSecret = s.vault.Seal([]byte(key.Secret()), totpAAD(u.ID))
		url = key.URL()
		return nil
	})
	if err != nil {
		return "", err
	}
	return url, nil
}
