package account

import (
	"strings"
	"testing"
	"time"
)

// FuzzParsePHC: whatever a stored hash holds, ParsePHC never panics, and a
// string it accepts is exactly the one it would write.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=08,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR")
	f.Add("$argon2i$v=19$m=256,t=2,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParsePHC(s)
		if err != nil {
			return
		}
		if h.String() != s {
			t.Errorf("ParsePHC(%q).String() = %q", s, h.String())
		}
		if h.Memory > maxMemoryKiB || h.Time > maxTime || h.Memory < 8*uint32(h.Threads) {
			t.Errorf("ParsePHC(%q) accepted parameters out of bounds: %+v", s, h.Params)
		}
	})
}

// FuzzParseTOTPCode: a code accepted is six ASCII digits and reads the same
// again.
func FuzzParseTOTPCode(f *testing.F) {
	for _, s := range []string{"287082", "287 082", "２８７０８２", "28708", "", "287-082", "\u00bd12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseTOTPCode(s)
		if err != nil {
			return
		}
		if len(c) != 6 || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("ParseTOTPCode(%q) = %q, want six digits", s, c)
		}
		if again, err := ParseTOTPCode(c); err != nil || again != c {
			t.Errorf("ParseTOTPCode(%q) = %q, %v; want it unchanged", c, again, err)
		}
	})
}

// FuzzVerifyTOTP: any typed code is refused or accepted without a panic, and
// is accepted only when it is the code of a step in the window after the
// last one used.
func FuzzVerifyTOTP(f *testing.F) {
	f.Add("287082", int64(59), int64(0))
	f.Add("287082", int64(59), int64(1))
	f.Add("000000", int64(1_772_413_200), int64(0))
	f.Fuzz(func(t *testing.T, code string, unix, last int64) {
		if unix < 0 || unix > 1<<40 {
			return
		}
		st := TOTP{Secret: rfcSecret, LastStep: last}
		got, err := st.Verify(code, time.Unix(unix, 0))
		if err != nil {
			if got != st {
				t.Errorf("a refused code changed the state: %+v", got)
			}
			return
		}
		c, _ := ParseTOTPCode(code)
		if got.LastStep <= last || got.LastStep < unix/30-TOTPSkew || got.LastStep > unix/30+TOTPSkew || codeAt(t, rfcSecret, got.LastStep) != c {
			t.Errorf("Verify(%q) at %d after step %d accepted step %d", code, unix, last, got.LastStep)
		}
	})
}

// FuzzParseTokens: link and session tokens are refused or give a hash, and
// a token of one kind is never taken for the other.
func FuzzParseTokens(f *testing.F) {
	link, _, _, _ := IssueLink(seeded(1), Invitation, "a", "b", t0)
	session, _, _ := NewSession(seeded(1), "a", StageFull, t0)
	f.Add(link)
	f.Add(session)
	f.Add("tml_")
	f.Add("tm_abc")
	f.Fuzz(func(t *testing.T, s string) {
		lh, lerr := ParseLinkToken(s)
		sh, serr := ParseSessionToken(s)
		if lerr == nil && serr == nil {
			t.Fatalf("%q parses as both a link and a session token", s)
		}
		ts := strings.TrimSpace(s) // tokens are pasted with blanks around them
		if lerr == nil && (len(ts) != len(linkPrefix)+43 || strings.ContainsAny(ts, "\r\n =")) || serr == nil && len(ts) != len(sessionPrefix)+43 {
			t.Errorf("token %q accepted in a spelling that is not canonical", s)
		}
		for _, h := range []string{lh, sh} {
			if h != "" && (len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "") {
				t.Errorf("token %q has hash %q, want 64 hex digits", s, h)
			}
		}
	})
}

// FuzzParseEmail: an address accepted is canonical (parsing it again gives
// it back) and within SMTP's length.
func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"wang.li@samr.gov.cn", " Wang.Li@SAMR.gov.cn ", "a@b", "\"a b\"@c.cn", "x <y@z.cn>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEmail(s)
		if err != nil {
			return
		}
		if again, err := ParseEmail(string(e)); err != nil || again != e || len(e) > maxEmailBytes {
			t.Errorf("ParseEmail(%q) = %q; again %q, %v", s, e, again, err)
		}
	})
}
