package draw

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"trustmark"
)

// Algorithm names the version of the draw rules in this package. It is part
// of every commitment: a rule change is a new version, and a published draw
// is always recomputed by the rules it was committed to.
const Algorithm = "trustmark-draw/1"

// Class is a subject's risk or credit class (A, B, C, D, ...), the stratum
// it is drawn in.
type Class string

// Permyriad is a rate in parts per ten thousand (万分之), so that rates are
// exact integers in the commitment: 500 is 5%.
type Permyriad int

// SeedKind says which public random value will seed a draw.
type SeedKind string

// Seed kinds.
const (
	SeedDrand   SeedKind = "drand"   // a future round of a drand chain
	SeedLottery SeedKind = "lottery" // the results of named future lottery draws, combined per RFC 3797
)

// SeedSpec names the future public random value, fixed before it exists.
type SeedSpec struct {
	Kind SeedKind
	// Chain is the drand chain hash and Round the round (SeedDrand).
	Chain string
	Round uint64
	// Lottery names the draws (one token, "双色球2026143+大乐透26143") and
	// Sources says how many sources their results make (SeedLottery).
	Lottery string
	Sources int
}

// Subject is an eligible subject of the campaign.
type Subject struct {
	ID     string
	Class  Class
	Region string // the region whose inspectors carry out its inspection
	Unit   string // the unit an inspector must not belong to ("-" for none)
}

// Inspector is a member of the inspector pool.
type Inspector struct {
	ID     string
	Region string
	Unit   string // the inspector's own unit (employer, office)
	Banned bool   // listed, so the exclusion is public, but never drawn
}

// Pair is an inspector and a subject: a declared conflict of interest.
type Pair struct {
	Inspector string
	Subject   string
}

// Past is an earlier inspection of subject by inspector, on a date.
type Past struct {
	Inspector string
	Subject   string
	On        trustmark.Date
}

// Commitment is a campaign's frozen inputs, published in the log before the
// random value exists. Its canonical bytes (Canonical) and their SHA-256
// (Hash) are what the log holds; the draw depends on nothing else.
type Commitment struct {
	Campaign string
	Seed     SeedSpec
	TeamSize int
	// RepeatDays is how long an inspector may not inspect the same subject
	// again: a past inspection on or after DrawnOn - RepeatDays excludes.
	RepeatDays int
	DrawnOn    trustmark.Date
	Rates      map[Class]Permyriad
	Subjects   []Subject   // sorted by ID (Sort)
	Inspectors []Inspector // sorted by ID
	Conflicts  []Pair      // sorted
	Past       []Past      // sorted
}

// Sort puts the lists in canonical order, the order the draw assumes.
func (c *Commitment) Sort() {
	slices.SortFunc(c.Subjects, func(a, b Subject) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(c.Inspectors, func(a, b Inspector) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(c.Conflicts, comparePair)
	slices.SortFunc(c.Past, comparePast)
}

func comparePair(a, b Pair) int {
	return cmp.Or(cmp.Compare(a.Inspector, b.Inspector), cmp.Compare(a.Subject, b.Subject))
}

func comparePast(a, b Past) int {
	return cmp.Or(cmp.Compare(a.Inspector, b.Inspector), cmp.Compare(a.Subject, b.Subject), a.On.Time().Compare(b.On.Time()))
}

// Check reports the first reason c cannot be drawn: a malformed token, a
// list out of canonical order or with a duplicate, a subject's class without
// a rate, an incomplete seed.
func (c *Commitment) Check() error {
	if err := c.checkHeader(); err != nil {
		return err
	}
	if err := c.checkRates(); err != nil {
		return err
	}
	if err := c.checkSubjects(); err != nil {
		return err
	}
	if err := c.checkInspectors(); err != nil {
		return err
	}
	if err := c.checkConflicts(); err != nil {
		return err
	}
	return c.checkPast()
}

// invalid is the error of a commitment that cannot be drawn.
func invalid(field, format string, args ...any) error {
	return trustmark.Errorf(trustmark.EInvalid, field, format, args...)
}

// checkHeader checks the fields before the lists: the campaign, the seed,
// the team size, the repeat period and the draw date.
func (c *Commitment) checkHeader() error {
	if err := checkToken("campaign", c.Campaign); err != nil {
		return err
	}
	if err := c.Seed.check(); err != nil {
		return err
	}
	if c.TeamSize < 1 || c.TeamSize > 10 {
		return invalid("team", "team size %d, want 1 to 10", c.TeamSize)
	}
	if c.RepeatDays < 0 || c.RepeatDays > 3660 {
		return invalid("repeat_days", "repeat period of %d days, want 0 to 3660", c.RepeatDays)
	}
	if c.DrawnOn.IsZero() {
		return invalid("drawn_on", "no draw date")
	}
	return nil
}

// check reports why s does not name a public random value completely.
func (s SeedSpec) check() error {
	switch s.Kind {
	case SeedDrand:
		if len(s.Chain) != 64 || s.Round == 0 {
			return invalid("seed", "a drand seed needs a 64-hex-digit chain hash and a round from 1")
		}
	case SeedLottery:
		if err := checkToken("seed", s.Lottery); err != nil {
			return err
		}
		if s.Sources < 1 || s.Sources > MaxSources {
			return invalid("seed", "a lottery seed needs 1 to %d sources, not %d", MaxSources, s.Sources)
		}
	default:
		return invalid("seed", "seed kind %q, want drand or lottery", s.Kind)
	}
	return nil
}

// checkRates checks each class's rate: a token, and a rate from 0 to 100%.
func (c *Commitment) checkRates() error {
	for cl, r := range c.Rates {
		if err := checkToken("rate", string(cl)); err != nil {
			return err
		}
		if r < 0 || r > 10000 {
			return invalid("rate", "class %s: rate %d‱, want 0 to 10000", cl, r)
		}
	}
	return nil
}

// checkSubjects checks that the subjects are tokens, in canonical order
// without a duplicate, each of a class with a rate.
func (c *Commitment) checkSubjects() error {
	for i, s := range c.Subjects {
		if err := checkTokens("subjects", s.ID, string(s.Class), s.Region, s.Unit); err != nil {
			return err
		}
		if _, ok := c.Rates[s.Class]; !ok {
			return invalid("subjects", "subject %s: class %s has no rate", s.ID, s.Class)
		}
		if i > 0 && c.Subjects[i-1].ID >= s.ID {
			return invalid("subjects", "subject %s: not after %s (sorted, no duplicates)", s.ID, c.Subjects[i-1].ID)
		}
	}
	return nil
}

// checkInspectors checks that the inspectors are tokens, in canonical
// order without a duplicate.
func (c *Commitment) checkInspectors() error {
	for i, in := range c.Inspectors {
		if err := checkTokens("inspectors", in.ID, in.Region, in.Unit); err != nil {
			return err
		}
		if i > 0 && c.Inspectors[i-1].ID >= in.ID {
			return invalid("inspectors", "inspector %s: not after %s (sorted, no duplicates)", in.ID, c.Inspectors[i-1].ID)
		}
	}
	return nil
}

// checkConflicts checks that the declared conflicts are tokens, in
// canonical order without a duplicate.
func (c *Commitment) checkConflicts() error {
	for i, p := range c.Conflicts {
		if err := checkTokens("conflicts", p.Inspector, p.Subject); err != nil {
			return err
		}
		if i > 0 && comparePair(c.Conflicts[i-1], p) >= 0 {
			return invalid("conflicts", "conflict %s %s: not sorted or a duplicate", p.Inspector, p.Subject)
		}
	}
	return nil
}

// checkPast checks that the past inspections are tokens with a date, in
// canonical order without a duplicate.
func (c *Commitment) checkPast() error {
	for i, p := range c.Past {
		if err := checkTokens("past", p.Inspector, p.Subject); err != nil {
			return err
		}
		if p.On.IsZero() {
			return invalid("past", "past inspection %s %s: no date", p.Inspector, p.Subject)
		}
		if i > 0 && comparePast(c.Past[i-1], p) >= 0 {
			return invalid("past", "past inspection %s %s %s: not sorted or a duplicate", p.Inspector, p.Subject, p.On)
		}
	}
	return nil
}

// maxToken bounds one field of the canonical form.
const maxToken = 200

// checkToken refuses what would break the line format: a token is non-empty
// valid UTF-8 with no space or control character.
func checkToken(field, s string) error {
	if s == "" || len(s) > maxToken || !utf8.ValidString(s) {
		return trustmark.Errorf(trustmark.EInvalid, field, "%q must be 1 to %d bytes of UTF-8", s, maxToken)
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b == 0x7f {
			return trustmark.Errorf(trustmark.EInvalid, field, "%q contains a space or control character", s)
		} else if b >= utf8.RuneSelf {
			// Rare (Chinese names of lottery draws): check the runes.
			for _, r := range s[i:] {
				if r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029 || r == 0x3000 || unicode.IsSpace(r) || unicode.IsControl(r) {
					return trustmark.Errorf(trustmark.EInvalid, field, "%q contains a space or control character", s)
				}
			}
			return nil
		}
	}
	return nil
}

func checkTokens(field string, ss ...string) error {
	for _, s := range ss {
		if err := checkToken(field, s); err != nil {
			return err
		}
	}
	return nil
}

// Canonical returns the commitment's canonical bytes: UTF-8 lines, fields
// separated by one space, in this order (each list sorted, rates by class):
//
//	trustmark-draw/1
//	campaign ID
//	seed drand CHAIN_HASH ROUND | seed lottery NAME SOURCES
//	team N
//	repeat-days N
//	drawn-on YYYY-MM-DD
//	rate CLASS PERMYRIAD
//	subject ID CLASS REGION UNIT
//	inspector ID REGION UNIT active|banned
//	conflict INSPECTOR SUBJECT
//	past INSPECTOR SUBJECT YYYY-MM-DD
//
// A line-per-record text is chosen over JSON so that anyone can recompute the
// hash with a short script and diff two commitments line by line.
func (c *Commitment) Canonical() ([]byte, error) {
	var out []byte
	err := c.encode(func(b []byte) { out = append(out, b...) })
	return out, err
}

// Hash returns the SHA-256 of the canonical bytes, streamed so that a
// national campaign's tens of megabytes are never held twice.
func (c *Commitment) Hash() ([32]byte, error) {
	h := sha256.New()
	if err := c.encode(func(b []byte) { h.Write(b) }); err != nil {
		return [32]byte{}, err
	}
	return [32]byte(h.Sum(nil)), nil
}

// WriteTo writes the canonical bytes to w.
func (c *Commitment) WriteTo(w io.Writer) (int64, error) {
	var n int64
	var werr error
	err := c.encode(func(b []byte) {
		if werr == nil {
			m, e := w.Write(b)
			n, werr = n+int64(m), e
		}
	})
	return n, cmp.Or(err, werr)
}

func (c *Commitment) encode(emit func([]byte)) error {
	if err := c.Check(); err != nil {
		return err
	}
	buf := make([]byte, 0, 64<<10)
	line := func(fields ...string) {
		for i, f := range fields {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, f...)
		}
		buf = append(buf, '\n')
		if len(buf) > 60<<10 {
			emit(buf)
			buf = buf[:0]
		}
	}
	itoa := strconv.Itoa
	line(Algorithm)
	line("campaign", c.Campaign)
	if c.Seed.Kind == SeedDrand {
		line("seed", string(SeedDrand), c.Seed.Chain, strconv.FormatUint(c.Seed.Round, 10))
	} else {
		line("seed", string(SeedLottery), c.Seed.Lottery, itoa(c.Seed.Sources))
	}
	line("team", itoa(c.TeamSize))
	line("repeat-days", itoa(c.RepeatDays))
	line("drawn-on", c.DrawnOn.String())
	for _, cl := range slices.Sorted(maps.Keys(c.Rates)) {
		line("rate", string(cl), itoa(int(c.Rates[cl])))
	}
	for _, s := range c.Subjects {
		line("subject", s.ID, string(s.Class), s.Region, s.Unit)
	}
	for _, in := range c.Inspectors {
		status := "active"
		if in.Banned {
			status = "banned"
		}
		line("inspector", in.ID, in.Region, in.Unit, status)
	}
	for _, p := range c.Conflicts {
		line("conflict", p.Inspector, p.Subject)
	}
	for _, p := range c.Past {
		line("past", p.Inspector, p.Subject, p.On.String())
	}
	emit(buf)
	return nil
}

// hexHash is a commitment hash as messages and results write it.
func hexHash(h [32]byte) string { return hex.EncodeToString(h[:]) }

// Region returns the region of subject id in c, "" when c has no such
// subject.
func (c *Commitment) Region(id string) string {
	i, ok := slices.BinarySearchFunc(c.Subjects, id, func(s Subject, id string) int { return cmp.Compare(s.ID, id) })
	if !ok {
		return ""
	}
	return c.Subjects[i].Region
}
