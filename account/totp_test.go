package account

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/hotp"

	"trustmark"
)

// rfcSecret is the SHA-1 seed of RFC 6238 Appendix B, "12345678901234567890",
// in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestTOTPAcceptsRFC6238Vectors(t *testing.T) {
	// RFC 6238 Appendix B, SHA-1 column: the 8-digit values' last 6 digits
	// are the 6-digit codes (RFC 4226 §5.3 truncation modulo 10^6).
	tests := []struct {
		unix int64
		code string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		got, err := TOTP{Secret: rfcSecret}.Verify(tt.code, time.Unix(tt.unix, 0))
		if err != nil || got.LastStep != tt.unix/30 {
			t.Errorf("Verify(%s) at %d = %+v, %v; want accepted at step %d", tt.code, tt.unix, got, err, tt.unix/30)
		}
	}
}

func codeAt(t testing.TB, secret string, step int64) string {
	t.Helper()
	c, err := hotp.GenerateCodeCustom(secret, uint64(step), totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPWindowAndReplay(t *testing.T) {
	now := time.Unix(1_772_413_200, 0) // 2026-03-02 09:00 China time
	cur := step(now)
	fresh := TOTP{Secret: rfcSecret}
	tests := []struct {
		name     string
		state    TOTP
		step     int64
		reason   string
		lastStep int64
	}{
		{"the current step's code is accepted", fresh, cur, "", cur},
		{"the previous step's code is accepted (skew)", fresh, cur - 1, "", cur - 1},
		{"the next step's code is accepted (skew)", fresh, cur + 1, "", cur + 1},
		{"a code two steps old is refused", fresh, cur - 2, "totp.wrong", 0},
		{"a code two steps ahead is refused", fresh, cur + 2, "totp.wrong", 0},
		{"a code used once is refused again", TOTP{rfcSecret, cur}, cur, "totp.reused", cur},
		{"an older code after a newer one is refused", TOTP{rfcSecret, cur}, cur - 1, "totp.reused", cur},
		{"the next code after a used one is accepted", TOTP{rfcSecret, cur}, cur + 1, "", cur + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.state.Verify(codeAt(t, rfcSecret, tt.step), now)
			if reason(err) != tt.reason || got.LastStep != tt.lastStep {
				t.Errorf("Verify(code of step %d) = %+v, %v; want reason %q, last step %d", tt.step-cur, got, err, tt.reason, tt.lastStep)
			}
			if tt.reason != "" && trustmark.ErrorCode(err) != trustmark.EUnauthorized {
				t.Errorf("Verify refusal code = %s, want unauthorized", trustmark.ErrorCode(err))
			}
		})
	}
}

func TestParseTOTPCode(t *testing.T) {
	good := map[string]string{
		"287082":        "287082",
		" 287 082 ":     "287082",
		"287-082":       "287082",
		"２８７０８２":        "287082",
		"\t287082\t":    "287082",
		"０８１ ８０４":       "081804",
		"287\u3000082 ": "287082",
	}
	for in, want := range good {
		if got, err := ParseTOTPCode(in); err != nil || got != want {
			t.Errorf("ParseTOTPCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "28708", "2870821", "28708a", "٢٨٧٠٨٢", "287.082", "+87082"} {
		if got, err := ParseTOTPCode(in); reason(err) != "totp.format" {
			t.Errorf("ParseTOTPCode(%q) = %q, %v; want totp.format", in, got, err)
		}
	}
}

func TestNewTOTP(t *testing.T) {
	secret, uri, err := NewTOTP(seeded(5), "Trustmark", "wang.li@samr.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 {
		t.Errorf("NewTOTP secret = %q, want 32 base32 characters (160 bits)", secret)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/Trustmark:wang.li@samr.gov.cn?") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("NewTOTP URI = %s, want an otpauth URI with the issuer, account and secret", uri)
	}
	again, _, _ := NewTOTP(seeded(5), "Trustmark", "wang.li@samr.gov.cn")
	other, _, _ := NewTOTP(seeded(6), "Trustmark", "wang.li@samr.gov.cn")
	if again != secret || other == secret {
		t.Error("NewTOTP does not take its secret from the random source")
	}
	if _, err := (TOTP{Secret: secret}).Verify(codeAt(t, secret, step(t0)), t0); err != nil {
		t.Errorf("a code of the new secret is refused: %v", err)
	}
}
