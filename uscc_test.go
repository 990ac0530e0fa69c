package trustmark

import (
	"strings"
	"testing"
)

func TestParseUSCC(t *testing.T) {
	goodParseTests := []struct{ in, want string }{
		// GB 32100-2015's own worked example, corrected (see data/reference/gb32100_uscc_spec.json).
		{"91350100M000100Y43", "91350100M000100Y43"},
		{" 91350100m000100y43 ", "91350100M000100Y43"}, // people type lower case and spaces
		{string(MakeUSCC("91330106MA27XY00")), string(MakeUSCC("91330106MA27XY00"))},
		{string(MakeUSCC("1211000040000000")), string(MakeUSCC("1211000040000000"))},
		{string(MakeUSCC("52440300MJL00000")), string(MakeUSCC("52440300MJL00000"))},
		{string(MakeUSCC("Y1110000A0000000")), string(MakeUSCC("Y1110000A0000000"))},
	}
	for _, tt := range goodParseTests {
		t.Run("accepts "+tt.in, func(t *testing.T) {
			got, err := ParseUSCC(tt.in)
			if err != nil {
				t.Fatalf("ParseUSCC(%q) error: %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("ParseUSCC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	badParseTests := []struct{ in, wantMsg string }{
		// The standard's worked example as printed, with check character Z: the sum is 1640,
		// 1640 mod 31 = 28, 31-28 = 3, so the check character must be 3.
		{"91350100M000100Y4Z", "has check character Z, want 3"},
		{"91350100M000100Y4", "has 17 characters, want 18"},
		{"91350100M000100Y43X", "has 19 characters, want 18"},
		{"91350100M0001O0Y43", `has 'O' at position 14`},
		{"91350100M000100I43", `has 'I' at position 16`},
		{"94350100M000100Y43", `starts with "94"`},
		{"B1350100M000100Y43", `starts with "B1"`},
		{"913501A0M000100Y43", "want a digit of the region code"},
		{"91350100M000100Y53", "organisation-code check character 5, want 4"},
		{"", "has 0 characters"},
		{"９１３５０１００Ｍ０００１００Ｙ４３", "has 18 characters"}, // full-width: right length, wrong set
	}
	for _, tt := range badParseTests {
		t.Run("refuses "+tt.in, func(t *testing.T) {
			_, err := ParseUSCC(tt.in)
			if err == nil {
				t.Fatalf("ParseUSCC(%q) = nil error, want one containing %q", tt.in, tt.wantMsg)
			}
			if ErrorCode(err) != EInvalid || ErrorField(err) != "uscc" {
				t.Errorf("ParseUSCC(%q) error code, field = %q, %q; want invalid, uscc", tt.in, ErrorCode(err), ErrorField(err))
			}
			if tt.wantMsg != "has 18 characters" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParseUSCC(%q) error = %q, want it to contain %q", tt.in, err, tt.wantMsg)
			}
		})
	}
}

func TestUSCCCheckMatchesWorkedExampleArithmetic(t *testing.T) {
	// The standard lists the products C_i*W_i for the example; recompute them.
	const s = "91350100M000100Y4"
	want := []int{9, 3, 27, 135, 0, 26, 0, 0, 420, 0, 0, 0, 8, 0, 0, 900, 112}
	sum := 0
	for i := 0; i < 17; i++ {
		got := strings.IndexByte(usccCharset, s[i]) * usccWeights[i]
		if got != want[i] {
			t.Errorf("product at position %d = %d, want %d", i+1, got, want[i])
		}
		sum += got
	}
	if sum != 1640 {
		t.Errorf("sum = %d, want 1640", sum)
	}
}

func TestGB11714Check(t *testing.T) {
	// Weights 3 7 9 10 5 8 4 2; check = 11 - (sum mod 11), 10 written X and 11 written 0.
	tests := []struct {
		body string
		want byte
	}{
		{"M000100Y", '4'}, // the worked example: 22*3 + 1*5 + 34*2 = 139, 139 mod 11 = 7, 11-7 = 4
		{"00000000", '0'}, // 11 - 0 = 11, written 0
		{"00000001", '9'}, // 1*2 = 2, 11-2 = 9
		{"00000030", 'X'}, // 3*4 = 12, 12 mod 11 = 1, 11-1 = 10, written X
	}
	for _, tt := range tests {
		if got := gb11714Check(tt.body); got != tt.want {
			t.Errorf("gb11714Check(%q) = %c, want %c", tt.body, got, tt.want)
		}
	}
}

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100M000100Y4Z", "", "Y1", "９１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUSCC(s)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("ParseUSCC(%q) error code %q, want invalid", s, ErrorCode(err))
			}
			return
		}
		// Anything accepted is canonical and accepted again unchanged.
		again, err := ParseUSCC(string(u))
		if err != nil || again != u {
			t.Fatalf("ParseUSCC(ParseUSCC(%q)) = %q, %v; want %q, nil", s, again, err, u)
		}
		if MakeUSCC(string(u[:16])) != u {
			t.Fatalf("MakeUSCC(%q) != %q", u[:16], u)
		}
	})
}
