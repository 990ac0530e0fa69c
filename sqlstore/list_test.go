package sqlstore

import (
	"slices"
	"testing"

	"trustmark"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, key := range [][]string{{"00125Q10001R0M", "QMS"}, {"", ""}, {"报告/1", "x\x00y"}} {
		c := encodeCursor(key...)
		got, err := decodeCursor(c, len(key))
		if err != nil || !slices.Equal(got, key) {
			t.Errorf("decodeCursor(encodeCursor(%q)) = %q, %v", key, got, err)
		}
	}
}

// FuzzDecodeCursor: cursors come from clients; any string must give a key or
// an invalid error, never a panic or another kind of error.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor("00125Q10001R0M", "QMS"), 2)
	f.Add("not-a-cursor", 1)
	f.Add("", 2)
	f.Fuzz(func(t *testing.T, c string, n int) {
		if n < 0 || n > 4 {
			return
		}
		key, err := decodeCursor(c, n)
		if err != nil {
			if trustmark.ErrorCode(err) != trustmark.EInvalid || trustmark.ErrorField(err) != "cursor" {
				t.Errorf("decodeCursor(%q) error %v, want invalid cursor", c, err)
			}
			return
		}
		if c != "" && len(key) != n {
			t.Errorf("decodeCursor(%q, %d) gave %d parts", c, n, len(key))
		}
	})
}

func TestRebind(t *testing.T) {
	if got, want := postgres.rebind(`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`), `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`; got != want {
		t.Errorf("rebind = %q, want %q", got, want)
	}
	if got := sqlite.rebind(`x = ?`); got != `x = ?` {
		t.Errorf("sqlite rebind changed the query: %q", got)
	}
}
