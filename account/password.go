package account

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"trustmark"
)

// Params are the cost parameters of an argon2id password hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// RFC9106 is the second recommended option of RFC 9106 §4 ("if much less
// memory is available"): argon2id with t=3 passes, p=4 lanes, m=64 MiB, a
// 128-bit salt and a 256-bit tag. The first option's 2 GiB per sign-in is
// out of reach of a server that signs several people in at once; this one
// is above OWASP's minimum (m=19 MiB, t=2, p=1) in both memory and passes.
// Hashing takes about a tenth of a second: the server bounds how many
// sign-ins hash at once so that memory stays bounded.
var RFC9106 = Params{Memory: 64 * 1024, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}

// Bounds on the parameters a stored hash may carry. A hash is read from the
// database, but a row written by someone else must not make the server
// allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8 // RFC 9106 §3.1: at least 8 bytes; 16 recommended
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// PHC is a decoded argon2id hash in the PHC string format
// (https://github.com/P-H-C/phc-string-format):
// $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>, salt and hash in base64
// without padding.
type PHC struct {
	Params
	Salt []byte
	Key  []byte
}

// phcB64 is the PHC format's base64: the standard alphabet without padding.
// Strict refuses encodings with stray bits, so one hash has one spelling.
var phcB64 = base64.RawStdEncoding.Strict()

// String returns the PHC string of h.
func (h PHC) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.Memory, h.Time, h.Threads,
		phcB64.EncodeToString(h.Salt), phcB64.EncodeToString(h.Key))
}

// ParsePHC reads an argon2id hash in the PHC string format. It accepts only
// argon2id of version 19 (0x13), parameters in the order m, t, p, in
// decimal without leading zeros, within bounds, so that a string that
// parses is also the one String returns.
func ParsePHC(s string) (PHC, error) {
	bad := func(what string) (PHC, error) {
		return PHC{}, fmt.Errorf("account: password hash: %s", what)
	}
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" {
		return bad("not an argon2id PHC string")
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("not argon2 version 19")
	}
	var h PHC
	ps := strings.Split(f[3], ",")
	if len(ps) != 3 {
		return bad("parameters are not m=,t=,p=")
	}
	m, okM := decimal(ps[0], "m=", maxMemoryKiB)
	t, okT := decimal(ps[1], "t=", maxTime)
	p, okP := decimal(ps[2], "p=", 255)
	if !okM || !okT || !okP || t < 1 || p < 1 || m < 8*p {
		return bad("parameters out of range")
	}
	h.Memory, h.Time, h.Threads = uint32(m), uint32(t), uint8(p)
	if !isB64(f[4]) || !isB64(f[5]) {
		return bad("salt or hash is not base64")
	}
	var err error
	if h.Salt, err = phcB64.DecodeString(f[4]); err != nil || len(h.Salt) < minSaltLen || len(h.Salt) > maxSaltLen {
		return bad("salt is not 8-64 bytes of base64")
	}
	if h.Key, err = phcB64.DecodeString(f[5]); err != nil || len(h.Key) < minKeyLen || len(h.Key) > maxKeyLen {
		return bad("hash is not 16-64 bytes of base64")
	}
	h.SaltLen, h.KeyLen = uint32(len(h.Salt)), uint32(len(h.Key))
	return h, nil
}

// isB64 reports whether s is made of the base64 alphabet only: the decoder
// would skip line breaks, and a hash must have one spelling.
func isB64(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '+' || r == '/')
	})
}

// decimal reads prefix followed by a decimal number 0..limit without a
// sign or leading zeros.
func decimal(s, prefix string, limit uint64) (uint64, bool) {
	d, ok := strings.CutPrefix(s, prefix)
	if !ok || d == "" || len(d) > 10 || d[0] == '0' && len(d) > 1 {
		return 0, false
	}
	n, err := strconv.ParseUint(d, 10, 64)
	return n, err == nil && n <= limit
}

// normalize puts a password in Unicode NFKC, as NIST SP 800-63B §5.1.1.2
// asks, so that the same password typed with full-width characters (a
// Chinese input method's ＡＢＣ１２３) or composed differently signs in.
func normalize(password string) []byte { return norm.NFKC.Bytes([]byte(password)) }

// HashPassword returns the PHC string of password hashed with argon2id
// under p, with a salt read from rand. It does not apply the password
// policy: CheckPassword does, where a person chooses a password.
func HashPassword(rand io.Reader, p Params, password string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("account: password salt: %w", err)
	}
	h := PHC{Params: p, Salt: salt, Key: argon2.IDKey(normalize(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)}
	return h.String(), nil
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time. An unreadable hash is an error (the account
// cannot sign in with a password until it is reset), never a match.
func VerifyPassword(encoded, password string) (bool, error) {
	h, err := ParsePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey(normalize(password), h.Salt, h.Time, h.Memory, h.Threads, h.KeyLen)
	return subtle.ConstantTimeCompare(key, h.Key) == 1, nil
}

// NeedsRehash reports whether a hash was made with parameters other than p,
// so that a successful sign-in should store the password hashed anew.
func NeedsRehash(encoded string, p Params) bool {
	h, err := ParsePHC(encoded)
	return err != nil || h.Params != p
}

// VerifyNobody spends the time of VerifyPassword under p and reports false.
// A sign-in for an address no account has calls it, so that it takes as
// long as one for a known address with a wrong password and does not tell
// which addresses exist.
func VerifyNobody(p Params, password string) bool {
	argon2.IDKey(normalize(password), make([]byte, p.SaltLen), p.Time, p.Memory, p.Threads, p.KeyLen)
	return false
}

// PasswordPolicy is what a new password must be. Following NIST SP
// 800-63B §5.1.1.2 it asks for length, not for character classes, and
// refuses what is easy to guess.
type PasswordPolicy struct {
	MinRunes int // characters, after NFKC
	MaxBytes int // bounds the work of hashing
}

// DefaultPasswordPolicy asks for at least 12 characters: regulators have a
// second factor too, but bodies and laboratories that do not choose one
// sign in with the password alone (800-63B asks 15 for single-factor use;
// 12 is OWASP's floor for it).
var DefaultPasswordPolicy = PasswordPolicy{MinRunes: 12, MaxBytes: 1024}

// minBeyondCommon is how many characters a password needs beyond the
// common stems it contains.
const minBeyondCommon = 6

// minDistinct refuses passwords made of a few characters repeated
// (aaaaaaaaaaaa, 121212121212, abcabcabcabc).
const minDistinct = 5

// CheckPassword returns nil when password may be chosen by the holder of
// email, or an invalid error whose reason key says why not.
func (p PasswordPolicy) CheckPassword(password string, email Email) error {
	pw := string(normalize(password))
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(password):
		return trustmark.Invalidf("password.encoding", "password", "the password is not valid text")
	case n < p.MinRunes:
		return trustmark.Invalidf("password.too_short", "password", "a password needs at least %d characters; this one has %d", p.MinRunes, n)
	case len(pw) > p.MaxBytes:
		return trustmark.Invalidf("password.too_long", "password", "a password is at most %d bytes", p.MaxBytes)
	case strings.ContainsFunc(pw, unicode.IsControl):
		return trustmark.Invalidf("password.control", "password", "a password cannot contain control characters")
	case distinct(pw) < minDistinct:
		return trustmark.Invalidf("password.repetitive", "password", "a password needs at least %d different characters", minDistinct)
	case isSequence(pw):
		return trustmark.Invalidf("password.sequence", "password", "a password cannot be a run of consecutive characters such as 123456789012")
	}
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(string(email), "@")
	if len(local) >= 4 && strings.Contains(lower, local) {
		return trustmark.Invalidf("password.contains_email", "password", "a password cannot contain the account's e-mail name")
	}
	rest := lower
	for _, w := range commonPasswords {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if utf8.RuneCountInString(rest) < minBeyondCommon {
		return trustmark.Invalidf("password.common", "password", "this password is built on one of the most commonly used; choose another")
	}
	return nil
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// isSequence reports whether s steps by one code point throughout, up or
// down (123456789012 wraps 9 to 0; abcdefghijkl).
func isSequence(s string) bool {
	rs := []rune(s)
	up, down := true, true
	for i := 1; i < len(rs); i++ {
		d := rs[i] - rs[i-1]
		up = up && (d == 1 || rs[i-1] == '9' && rs[i] == '0')
		down = down && (d == -1 || rs[i-1] == '0' && rs[i] == '9')
	}
	return up || down
}

// commonPasswords are stems of the passwords most often found in leaked
// lists, in China and elsewhere. A password that is made of them with fewer
// than minBeyondCommon other characters (password1234, qwerty123456) is
// refused: guessing tools try those first.
var commonPasswords = []string{
	"password", "passw0rd", "qwertyuiop", "qwerty", "1qaz2wsx", "1q2w3e4r", "zxcvbnm",
	"asdfghjkl", "iloveyou", "woaini", "5201314", "admin123", "abc123", "a123456",
	"123456789", "111111", "123123", "888888", "666666", "trustmark",
}
