package draw

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func smallCommitment() *Commitment {
	return &Commitment{
		Campaign:   "2026-SR-001",
		Seed:       SeedSpec{Kind: SeedLottery, Lottery: "双色球2026143", Sources: 1},
		TeamSize:   2,
		RepeatDays: 365,
		DrawnOn:    trustmark.NewDate(2026, 12, 1),
		Rates:      map[Class]Permyriad{"B": 500, "A": 200},
		Subjects: []Subject{
			{ID: "91350100M000100Y43", Class: "B", Region: "350100", Unit: "-"},
			{ID: "91110000MA01ABCD1X", Class: "A", Region: "110000", Unit: "CNCA-BJ"},
		},
		Inspectors: []Inspector{
			{ID: "P002", Region: "110000", Unit: "SAMR-BJ", Banned: true},
			{ID: "P001", Region: "350100", Unit: "SAMR-FJ"},
		},
		Conflicts: []Pair{{"P001", "91350100M000100Y43"}},
		Past:      []Past{{"P001", "91110000MA01ABCD1X", trustmark.NewDate(2026, 3, 2)}},
	}
}

const smallCanonical = `trustmark-draw/1
campaign 2026-SR-001
seed lottery 双色球2026143 1
team 2
repeat-days 365
drawn-on 2026-12-01
rate A 200
rate B 500
subject 91110000MA01ABCD1X A 110000 CNCA-BJ
subject 91350100M000100Y43 B 350100 -
inspector P001 350100 SAMR-FJ active
inspector P002 110000 SAMR-BJ banned
conflict P001 91350100M000100Y43
past P001 91110000MA01ABCD1X 2026-03-02
`

func TestCanonicalForm(t *testing.T) {
	c := smallCommitment()
	t.Run("unsorted lists are refused until sorted", func(t *testing.T) {
		if _, err := c.Canonical(); err == nil {
			t.Error("Canonical of unsorted subjects = nil error, want one")
		}
	})
	c.Sort()
	got, err := c.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("is the documented text", func(t *testing.T) {
		if diff := cmp.Diff(smallCanonical, string(got)); diff != "" {
			t.Errorf("Canonical (-want +got):\n%s", diff)
		}
	})
	t.Run("hash is the SHA-256 of the text", func(t *testing.T) {
		h, err := c.Hash()
		if err != nil {
			t.Fatal(err)
		}
		if want := sha256.Sum256([]byte(smallCanonical)); h != want {
			t.Errorf("Hash = %x, want %x", h, want)
		}
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil || buf.String() != smallCanonical {
			t.Errorf("WriteTo = %q, %v; want the canonical text", buf.String(), err)
		}
	})
	t.Run("parses back to the same commitment", func(t *testing.T) {
		back, err := ParseCommitment(got)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, back, cmp.AllowUnexported(trustmark.Date{})); diff != "" {
			t.Errorf("ParseCommitment (-want +got):\n%s", diff)
		}
	})
}

func TestCommitmentOfManySubjectsRoundTrips(t *testing.T) {
	c := world{subjects: 2000, inspectors: 80, regions: 5, units: 20, team: 2, conflicts: 50, past: 50, bannedEvery: 9,
		rates: map[Class]Permyriad{"A": 100, "B": 300, "C": 1000, "D": 5000}}.build(rand.New(rand.NewPCG(1, 2)))
	b, err := c.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCommitment(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Canonical()
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("Canonical(ParseCommitment(b)) differs from b (err %v)", err)
	}
}

func TestParseCommitmentRefusesNonCanonicalText(t *testing.T) {
	for _, tc := range []struct{ name, old, new string }{
		{"another algorithm", "trustmark-draw/1", "trustmark-draw/2"},
		{"two spaces", "team 2", "team  2"},
		{"a leading zero", "team 2", "team 02"},
		{"a plus sign", "team 2", "team +2"},
		{"CRLF line ends", "team 2\n", "team 2\r\n"},
		{"subjects out of order", "subject 91110000MA01ABCD1X A 110000 CNCA-BJ\nsubject 91350100M000100Y43 B 350100 -\n",
			"subject 91350100M000100Y43 B 350100 -\nsubject 91110000MA01ABCD1X A 110000 CNCA-BJ\n"},
		{"a duplicate subject", "subject 91350100M000100Y43 B 350100 -\n", "subject 91350100M000100Y43 B 350100 -\nsubject 91350100M000100Y43 B 350100 -\n"},
		{"a class without a rate", "subject 91350100M000100Y43 B", "subject 91350100M000100Y43 C"},
		{"a rate above 100%", "rate A 200", "rate A 10001"},
		{"a duplicate rate", "rate A 200\n", "rate A 200\nrate A 300\n"},
		{"an unknown status", "P001 350100 SAMR-FJ active", "P001 350100 SAMR-FJ retired"},
		{"a missing field", "conflict P001 91350100M000100Y43", "conflict P001"},
		{"an unknown line", "team 2\n", "team 2\ncolour blue\n"},
		{"a header line out of place", "team 2\nrepeat-days 365\n", "repeat-days 365\nteam 2\n"},
		{"a bad date", "2026-03-02", "2026-02-30"},
		{"no final newline", "2026-03-02\n", "2026-03-02"},
		{"a second campaign line in the lists", "rate A 200\n", "rate A 200\ncampaign x\n"},
		{"an unknown seed kind", "seed lottery", "seed coin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(smallCanonical, tc.old) {
				t.Fatalf("test text lacks %q", tc.old)
			}
			in := strings.Replace(smallCanonical, tc.old, tc.new, 1)
			if c, err := ParseCommitment([]byte(in)); err == nil {
				t.Errorf("ParseCommitment accepted %q as %+v", in, c)
			}
		})
	}
}

func FuzzParseCommitment(f *testing.F) {
	f.Add([]byte(smallCanonical))
	f.Add([]byte("trustmark-draw/1\ncampaign x\nseed drand " + strings.Repeat("a", 64) + " 5\nteam 1\nrepeat-days 0\ndrawn-on 2026-01-01\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParseCommitment(in)
		if err != nil {
			return
		}
		// Only the canonical form parses, so it must re-encode to itself.
		out, err := c.Canonical()
		if err != nil {
			t.Fatalf("parsed commitment does not encode: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Errorf("Canonical(ParseCommitment(%q)) = %q", in, out)
		}
	})
}
