package account

import (
	"strings"
	"testing"
)

// cheap are parameters that make tests fast; only TestRFC9106 pays for the
// real ones.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestVerifyPasswordKnownAnswers(t *testing.T) {
	// Hashes computed by the reference implementation (phc-winner-argon2),
	// as its test suite and libar2's list them: salt "somesalt".
	tests := []struct{ password, hash string }{
		{"password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
		{"password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"},
		{"password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"},
		{"differentpassword", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94"},
	}
	for _, tt := range tests {
		if ok, err := VerifyPassword(tt.hash, tt.password); !ok || err != nil {
			t.Errorf("VerifyPassword(%s, %q) = %v, %v; want true", tt.hash, tt.password, ok, err)
		}
		if strings.Contains(tt.hash, "m=65536") {
			continue // 64 MiB a try: one right answer is proof enough
		}
		if ok, err := VerifyPassword(tt.hash, tt.password+"x"); ok || err != nil {
			t.Errorf("VerifyPassword(%s, %q) = %v, %v; want false", tt.hash, tt.password+"x", ok, err)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword(seeded(1), cheap, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the hash verifies the password and no other", func(t *testing.T) {
		if ok, _ := VerifyPassword(h, "correct horse battery staple"); !ok {
			t.Error("VerifyPassword(right password) = false")
		}
		if ok, _ := VerifyPassword(h, "correct horse battery stapler"); ok {
			t.Error("VerifyPassword(wrong password) = true")
		}
	})
	t.Run("two hashes of one password differ by their salt", func(t *testing.T) {
		h2, _ := HashPassword(seeded(2), cheap, "correct horse battery staple")
		if h2 == h {
			t.Errorf("two hashes with different salts are both %s", h)
		}
	})
	t.Run("a password typed in full-width characters is the same password", func(t *testing.T) {
		h, _ := HashPassword(seeded(3), cheap, "Trustmark2026!")
		if ok, _ := VerifyPassword(h, "Ｔｒｕｓｔｍａｒｋ２０２６！"); !ok {
			t.Error("VerifyPassword(full-width form) = false, want true (NFKC)")
		}
	})
	t.Run("an unreadable hash is an error, never a match", func(t *testing.T) {
		if ok, err := VerifyPassword("$2a$10$abcdefghijklmnopqrstuv", "x"); ok || err == nil {
			t.Errorf("VerifyPassword(bcrypt hash) = %v, %v; want false and an error", ok, err)
		}
	})
}

func TestRFC9106(t *testing.T) {
	h, err := HashPassword(seeded(4), RFC9106, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Errorf("HashPassword(RFC9106) = %s, want m=65536,t=3,p=4", h)
	}
	p, err := ParsePHC(h)
	if err != nil || len(p.Salt) != 16 || len(p.Key) != 32 {
		t.Errorf("ParsePHC(%s) = %+v, %v; want a 16-byte salt and a 32-byte hash", h, p, err)
	}
	if ok, _ := VerifyPassword(h, "a long enough passphrase"); !ok {
		t.Error("VerifyPassword(RFC9106 hash) = false")
	}
	if NeedsRehash(h, RFC9106) || !NeedsRehash(h, cheap) {
		t.Error("NeedsRehash does not compare the parameters")
	}
}

func TestParsePHCRefuses(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	bad := map[string]string{
		"argon2i":                   "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + key,
		"version 16":                "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + key,
		"no version":                "$argon2id$m=256,t=2,p=1$" + salt + "$" + key,
		"parameters out of order":   "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + key,
		"a leading zero":            "$argon2id$v=19$m=0256,t=2,p=1$" + salt + "$" + key,
		"a sign":                    "$argon2id$v=19$m=+256,t=2,p=1$" + salt + "$" + key,
		"memory over 1 GiB":         "$argon2id$v=19$m=2097152,t=2,p=1$" + salt + "$" + key,
		"memory under 8 per lane":   "$argon2id$v=19$m=8,t=2,p=2$" + salt + "$" + key,
		"zero passes":               "$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + key,
		"a short salt":              "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + key,
		"a short hash":              "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$bmY2NQ",
		"base64 padding":            "$argon2id$v=19$m=256,t=2,p=1$" + salt + "=$" + key,
		"an extra field":            "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key + "$x",
		"a secret parameter":        "$argon2id$v=19$m=256,t=2,p=1,keyid=1$" + salt + "$" + key,
		"URL-safe base64":           "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4",
		"an empty string":           "",
		"text without dollar signs": "argon2id",
	}
	for name, s := range bad {
		t.Run(name+" is refused", func(t *testing.T) {
			if p, err := ParsePHC(s); err == nil {
				t.Errorf("ParsePHC(%q) = %+v, want an error", s, p)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	p := DefaultPasswordPolicy
	const email = Email("zhangwei@cqc.com.cn")
	tests := []struct {
		name, password, reason string
	}{
		{"a passphrase is accepted", "bright river under hill", ""},
		{"Chinese characters count as characters", "长江黄河泰山黄山庐山峨眉", ""},
		{"eleven characters are too few", "Abcdefgh12!", "password.too_short"},
		{"twelve characters are enough", "Kx9#mPq2$vLw", ""},
		{"a password over 1024 bytes is refused", strings.Repeat("长江", 200), "password.too_long"},
		{"a control character is refused", "bright river\x00under hill", "password.control"},
		{"a repeated character is refused", "aaaaaaaaaaaaaaaa", "password.repetitive"},
		{"a repeated pair is refused", "121212121212", "password.repetitive"},
		{"a run of digits is refused", "123456789012", "password.sequence"},
		{"a run of letters backwards is refused", "zyxwvutsrqpo", "password.sequence"},
		{"the e-mail name is refused", "zhangwei-2026-spring", "password.contains_email"},
		{"a common stem with four more characters is refused", "password1234", "password.common"},
		{"two common stems together are refused", "qwerty123456789", "password.common"},
		{"a common stem inside a long phrase is accepted", "my password is a river", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.CheckPassword(tt.password, email)
			if reason(err) != tt.reason || (err == nil) != (tt.reason == "") {
				t.Errorf("CheckPassword(%q) = %v, want %q", tt.password, err, tt.reason)
			}
		})
	}
}
