package account

import (
	"fmt"
	"strings"

	"github.com/pquerna/otp/totp"
)

// TOTPURI returns the otpauth:// URI of a secret NewTOTP made, for the QR
// code of an enrolment page shown again (the pending session keeps the
// secret, not its URI): the same issuer, label and parameters, so that the
// app makes the codes EnrolTOTP expects.
func TOTPURI(issuer string, email Email, secret string) (string, error) {
	raw, err := idEncoding.DecodeString(strings.ToUpper(secret))
	if err != nil || len(raw) == 0 {
		return "", fmt.Errorf("account: TOTP secret is not base32")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: string(email), Period: totpPeriod, Secret: raw,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm,
	})
	if err != nil {
		return "", fmt.Errorf("account: TOTP URI: %w", err)
	}
	return key.URL(), nil
}
