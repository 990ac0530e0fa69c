package draw

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"math"
	"slices"
	"strconv"
)

// Result is a published draw: what was drawn, in draw order, with the
// teams, and the recusals recorded since. Verify recomputes all of it from
// the commitment and the random value.
type Result struct {
	Algorithm  string    `json:"algorithm"`
	Commitment string    `json:"commitment"` // hex SHA-256 of the canonical commitment
	Random     string    `json:"random"`     // hex of the public random value
	Seed       string    `json:"seed"`       // hex of the draw seed (see drawSeed)
	Strata     []Stratum `json:"strata"`
	Picks      []Pick    `json:"picks"`
	Recusals   []Recusal `json:"recusals"`
}

// Stratum is one class's part of the draw.
type Stratum struct {
	Class    Class     `json:"class"`
	Rate     Permyriad `json:"rate"`
	Eligible int       `json:"eligible"`
	Drawn    int       `json:"drawn"`
}

// Pick is a drawn subject and the team drawn for it. A team is shorter than
// the campaign's team size only when the subject's region has too few
// eligible inspectors, and then Shortfall says why: the shortfall is
// public, never a silent short or empty team. A subject left with no team
// cannot be inspected by the draw (Result.CheckTeam).
type Pick struct {
	Subject   string     `json:"subject"`
	Class     Class      `json:"class"`
	Team      []string   `json:"team"`
	Shortfall *Shortfall `json:"shortfall,omitempty"` // nil when the team is full
}

// Recusal is an inspector stepping down from a drawn subject after the
// draw, with the reason, and the replacement drawn by the same rule
// (empty when no eligible inspector is left).
type Recusal struct {
	Subject     string `json:"subject"`
	Inspector   string `json:"inspector"`
	Reason      string `json:"reason"`
	Replacement string `json:"replacement"`
}

// Quota is how many of n subjects a rate draws: ceil(rate × n / 10000).
// Rounding up honours rules written as minimums (抽查比例不低于…) and draws at
// least one from every non-empty class with a positive rate.
func Quota(rate Permyriad, n int) int {
	return int((int64(rate)*int64(n) + 9999) / 10000)
}

// Draw draws c with the random value r. Subjects are ranked within each
// class by the first 8 bytes, big-endian, of SHA-256(seed || "subject" ||
// 0x00 || id) (ties, which need a 64-bit collision, by id), and each class's
// first Quota are drawn: a uniformly random subset, with no integer taken
// modulo anything. The drawn subjects, in rank order across classes, then
// get their teams one by one (see assigner), a short team with its
// Shortfall.
func Draw(c *Commitment, r Random) (*Result, error) {
	if err := r.matches(c); err != nil {
		return nil, err
	}
	h, err := c.Hash() // checks c
	if err != nil {
		return nil, err
	}
	seed := drawSeed(h, r.Value)
	res := &Result{Algorithm: Algorithm, Commitment: hexHash(h), Random: hex.EncodeToString(r.Value[:]),
		Seed: hex.EncodeToString(seed[:]), Picks: []Pick{}, Recusals: []Recusal{}}

	byClass := partition(c.Subjects, subjectRanks(seed, c.Subjects))
	less := func(a, b ranked) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		return cmp.Compare(c.Subjects[a.i].ID, c.Subjects[b.i].ID)
	}
	var drawn []ranked
	for _, cl := range slices.Sorted(maps.Keys(c.Rates)) {
		members := byClass[cl]
		k := Quota(c.Rates[cl], len(members))
		res.Strata = append(res.Strata, Stratum{Class: cl, Rate: c.Rates[cl], Eligible: len(members), Drawn: k})
		drawn = append(drawn, smallest(members, k, less)...)
	}
	slices.SortFunc(drawn, less)

	a := newAssigner(c, seed)
	res.Picks = make([]Pick, 0, len(drawn))
	for _, d := range drawn {
		s := c.Subjects[d.i]
		team := a.team(s)
		res.Picks = append(res.Picks, Pick{Subject: s.ID, Class: s.Class, Team: team, Shortfall: a.shortfall(s, len(team))})
	}
	return res, nil
}

// subjectRanks is each subject's hash rank.
func subjectRanks(seed [32]byte, subjects []Subject) []uint64 {
	ranks := make([]uint64, len(subjects))
	buf := append(seed[:len(seed):len(seed)], "subject\x00"...)
	n := len(buf)
	for i, s := range subjects {
		buf = append(buf[:n], s.ID...)
		sum := sha256.Sum256(buf)
		ranks[i] = binary.BigEndian.Uint64(sum[:8])
	}
	return ranks
}

// partition groups the subjects' ranks by class, in one allocation (a
// national campaign has a million subjects).
func partition(subjects []Subject, ranks []uint64) map[Class][]ranked {
	count := map[Class]int{}
	for _, s := range subjects {
		count[s.Class]++
	}
	all := make([]ranked, len(subjects))
	byClass, off := map[Class][]ranked{}, 0
	for _, cl := range slices.Sorted(maps.Keys(count)) {
		byClass[cl] = all[off : off : off+count[cl]]
		off += count[cl]
	}
	for i, s := range subjects {
		byClass[s.Class] = append(byClass[s.Class], ranked{ranks[i], int32(i)})
	}
	return byClass
}

// smallest returns the k smallest of members under less, sorted. Ranks are
// uniform, so the k smallest almost surely lie below the rank of quantile
// (k + 6√k + 16)/n: those are filtered out and sorted, and the whole class
// only when the filter caught fewer than k. Either way the answer is
// exactly that of sorting the class; the filter only saves time.
func smallest(members []ranked, k int, less func(a, b ranked) int) []ranked {
	n := len(members)
	if margin := float64(k) + 6*math.Sqrt(float64(k)) + 16; margin < float64(n)/2 {
		limit := uint64(margin / float64(n) * (1 << 63) * 2)
		var below []ranked
		for _, m := range members {
			if m.rank < limit {
				below = append(below, m)
			}
		}
		if len(below) >= k {
			slices.SortFunc(below, less)
			return below[:k]
		}
	}
	slices.SortFunc(members, less)
	return members[:k]
}

// ranked is a subject's index and hash rank.
type ranked struct {
	rank uint64
	i    int32
}

// Team returns the current team of subject: the drawn team with the
// recusals applied in order.
func (r *Result) Team(subject string) []string {
	var team []string
	for _, p := range r.Picks {
		if p.Subject == subject {
			team = slices.Clone(p.Team)
			break
		}
	}
	for _, rc := range r.Recusals {
		if rc.Subject != subject {
			continue
		}
		team = slices.DeleteFunc(team, func(id string) bool { return id == rc.Inspector })
		if rc.Replacement != "" {
			team = append(team, rc.Replacement)
		}
	}
	return team
}

func itoa(n int) string { return strconv.Itoa(n) }
