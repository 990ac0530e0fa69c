package draw

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark/data"
)

// rfcExample is section 6 of RFC 3797 as recorded in the reference data.
type rfcExample struct {
	KeyString string `json:"key_string"`
	PoolSize  int    `json:"pool_size"`
	Number    int    `json:"number_to_select"`
	Selected  []int  `json:"selected_positions_in_order"`
	Alternate struct {
		Position int `json:"position"`
	} `json:"next_alternate"`
	Table []struct {
		Index    int    `json:"index"`
		MD5      string `json:"md5_hex"`
		Divisor  int    `json:"divisor"`
		Position int    `json:"selected_position"`
	} `json:"table"`
}

func loadRFCExample(t *testing.T) rfcExample {
	t.Helper()
	b, err := data.Reference.ReadFile("reference/rfc3797.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Example rfcExample `json:"example_section_6"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Example.Table) != 16 {
		t.Fatalf("reference table has %d rows, want 16", len(f.Example.Table))
	}
	return f.Example
}

func TestKeyStringOfTheRFCExample(t *testing.T) {
	ex := loadRFCExample(t)
	// The RFC's sources as published; the second is deliberately unsorted.
	sources, err := ParseSources("9319\n2 5 12 8 10\n9 18 26 34 41 45\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := KeyString(sources); got != ex.KeyString {
		t.Errorf("KeyString = %q, want %q", got, ex.KeyString)
	}
}

func TestSelectRFC3797MatchesSection6(t *testing.T) {
	ex := loadRFCExample(t)
	t.Run("every MD5 row of the table", func(t *testing.T) {
		for _, row := range ex.Table {
			sum := md5Row(ex.KeyString, row.Index-1)
			if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, row.MD5) {
				t.Errorf("row %d: MD5 = %s, want %s", row.Index, got, row.MD5)
			}
		}
	})
	t.Run("the ten picks and the alternate", func(t *testing.T) {
		got, err := SelectRFC3797(ex.KeyString, ex.PoolSize, ex.Number+1)
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]int{}, ex.Selected...), ex.Alternate.Position)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SelectRFC3797 (-want +got):\n%s", diff)
		}
	})
	t.Run("all sixteen rows select the table's positions", func(t *testing.T) {
		got, err := SelectRFC3797(ex.KeyString, ex.PoolSize, len(ex.Table))
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range ex.Table {
			if got[i] != row.Position {
				t.Errorf("pick %d (divisor %d) = %d, want %d", row.Index, row.Divisor, got[i], row.Position)
			}
		}
	})
}

func TestSelectRFC3797RefusesImpossibleRequests(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pool, n int
	}{
		{"an empty pool", 0, 0},
		{"a pool beyond the two-byte counter", 65536, 1},
		{"more picks than the pool", 3, 4},
		{"a negative number of picks", 3, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := SelectRFC3797("1./", tc.pool, tc.n); err == nil {
				t.Errorf("SelectRFC3797(pool %d, n %d) = nil error, want one", tc.pool, tc.n)
			}
		})
	}
}

func TestParseSources(t *testing.T) {
	good := []struct {
		name, in, key string
	}{
		{"commas and spaces separate numbers", "3, 1,2\n7", "1.2.3./7./"},
		{"leading zeros are dropped", "007 010\n", "7.10./"},
		{"blank lines and CRLF are skipped", "\r\n5\r\n\r\n6 4\r\n", "5./4.6./"},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			src, err := ParseSources(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := KeyString(src); got != tc.key {
				t.Errorf("KeyString(ParseSources(%q)) = %q, want %q", tc.in, got, tc.key)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"nothing", " \n\n"},
		{"a negative number", "1 -2"},
		{"a decimal", "1.5"},
		{"a word", "12 abc"},
		{"a number too long", "1234567890123456789"},
		{"seventeen numbers on a line", strings.Repeat("1 ", 17)},
		{"seventeen sources", strings.Repeat("1\n", 17)},
		{"full-width digits", "１２"},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			if got, err := ParseSources(tc.in); err == nil {
				t.Errorf("ParseSources(%q) = %v, want an error", tc.in, got)
			}
		})
	}
}

func FuzzParseSources(f *testing.F) {
	for _, s := range []string{"9319\n2 5 12 8 10\n9 18 26 34 41 45\n", "1,2,3", "", "0\n0\n", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		src, err := ParseSources(in)
		if err != nil {
			return
		}
		key := KeyString(src)
		// The key is a function of the numbers alone: writing it back as
		// sources gives the same key.
		again, err := ParseSources(strings.NewReplacer(".", " ", "/", "\n").Replace(key))
		if err != nil {
			t.Fatalf("ParseSources of key %q: %v", key, err)
		}
		if got := KeyString(again); got != key {
			t.Errorf("key round trip = %q, want %q", got, key)
		}
		if _, err := SelectRFC3797(key, 30, 5); err != nil {
			t.Error(err)
		}
	})
}
