package draw

import (
	"cmp"
	"encoding/hex"
	"slices"
	"strings"

	"trustmark"
)

// rules holds what excludes an inspector from a subject, built once per
// draw from the commitment.
type rules struct {
	c *Commitment
	// excluded holds the declared conflicts and the inspections within
	// RepeatDays before DrawnOn, each with the rules that exclude it (a
	// short team's Shortfall counts them apart): one lookup per candidate.
	excluded map[Pair]exclusion
	// touched holds the subjects named in excluded, so that the pair is
	// looked up only for them (a few percent of a national campaign).
	touched  map[string]bool
	byRegion map[string][]int // active inspectors' indices, in ID order
}

// exclusion is the set of rules that exclude an inspector from a subject.
type exclusion uint8

const (
	byConflict exclusion = 1 << iota // a declared conflict
	byRecent                         // an inspection within the repeat period
)

func newRules(c *Commitment) *rules {
	ru := &rules{c: c, excluded: make(map[Pair]exclusion, len(c.Conflicts)+len(c.Past)), touched: map[string]bool{}, byRegion: map[string][]int{}}
	for _, p := range c.Conflicts {
		ru.excluded[p] |= byConflict
	}
	since := c.DrawnOn.AddDate(0, 0, -c.RepeatDays)
	for _, p := range c.Past {
		if !p.On.Before(since) {
			ru.excluded[Pair{p.Inspector, p.Subject}] |= byRecent
		}
	}
	for p := range ru.excluded {
		ru.touched[p.Subject] = true
	}
	for i, in := range c.Inspectors {
		if !in.Banned {
			ru.byRegion[in.Region] = append(ru.byRegion[in.Region], i)
		}
	}
	return ru
}

// eligible reports whether inspector i may inspect s: not from the
// subject's own unit, no declared conflict, not on s within the repeat
// period. Banned inspectors and other regions are never in the candidate
// lists at all.
func (ru *rules) eligible(i int, s Subject) bool {
	return ru.eligibleFast(i, s, ru.touched[s.ID])
}

// eligibleFast is eligible with the subject's touched flag looked up once
// by the caller.
func (ru *rules) eligibleFast(i int, s Subject, touched bool) bool {
	in := ru.c.Inspectors[i]
	if s.Unit != "-" && in.Unit == s.Unit {
		return false
	}
	if !touched {
		return true
	}
	_, ok := ru.excluded[Pair{in.ID, s.ID}]
	return !ok
}

// assigner draws teams with balanced workloads. Each region keeps its
// inspectors in buckets by current load; a member is drawn uniformly from
// the lowest bucket that holds an eligible inspector (a partial
// Fisher-Yates shuffle of the bucket, skipping the ineligible), then moves
// up a bucket. So loads within a region differ by at most one unless the
// exclusion rules force otherwise, and each pick costs a few hashes, not a
// scan of the pool.
type assigner struct {
	*rules
	seed    [32]byte
	buckets map[string]*[][]int // region → load → inspectors
	st      stream              // reused for each subject
}

func newAssigner(c *Commitment, seed [32]byte) *assigner {
	a := &assigner{rules: newRules(c), seed: seed, buckets: map[string]*[][]int{}}
	for region, ids := range a.byRegion {
		a.buckets[region] = &[][]int{slices.Clone(ids)}
	}
	return a
}

// team draws s's team from the stream SHA-256(seed, "team", subject id).
func (a *assigner) team(s Subject) []string {
	buckets := a.buckets[s.Region]
	if buckets == nil {
		return []string{} // no inspector in the region: the shortfall is public
	}
	st := &a.st
	st.reset(a.seed, "team\x00", s.ID)
	team := make([]string, 0, a.c.TeamSize)
	var taken []int
	touched := a.touched[s.ID]
	for range a.c.TeamSize {
		i, ok := a.pick(buckets, st, s, touched, taken)
		if !ok {
			break
		}
		taken = append(taken, i)
		team = append(team, a.c.Inspectors[i].ID)
	}
	return team
}

func (a *assigner) pick(buckets *[][]int, st *stream, s Subject, touched bool, taken []int) (int, bool) {
	for load := 0; load < len(*buckets); load++ {
		b := (*buckets)[load]
		for j := 0; j < len(b); j++ {
			r := j + st.uniform(len(b)-j)
			b[j], b[r] = b[r], b[j]
			i := b[j]
			if slices.Contains(taken, i) || !a.eligibleFast(i, s, touched) {
				continue
			}
			b[j] = b[len(b)-1]
			(*buckets)[load] = b[:len(b)-1]
			if load+1 == len(*buckets) {
				*buckets = append(*buckets, nil)
			}
			(*buckets)[load+1] = append((*buckets)[load+1], i)
			return i, true
		}
	}
	return 0, false
}

// Recuse records that inspector steps down from subject's team for reason,
// and draws the replacement by the same rule as the draw: uniformly among
// the eligible inspectors of the subject's region with the least current
// load (drawn teams and earlier recusals counted), from the stream
// SHA-256(seed, "recusal", n) where n counts recusals from 0. An inspector
// who recused from a subject is never drawn for it again. It returns a new
// result; res is not changed.
func Recuse(c *Commitment, res *Result, subject, inspector, reason string) (*Result, error) {
	if strings.TrimSpace(reason) == "" || len(reason) > 2000 {
		return nil, trustmark.Errorf(trustmark.EInvalid, "reason", "a recusal needs a reason of at most 2000 bytes")
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	si, ok := slices.BinarySearchFunc(c.Subjects, subject, func(s Subject, id string) int { return cmp.Compare(s.ID, id) })
	if !ok {
		return nil, trustmark.Errorf(trustmark.ENotFound, "subject", "subject %s is not in the commitment", subject)
	}
	s := c.Subjects[si]
	team := res.Team(subject)
	if !slices.Contains(team, inspector) {
		return nil, trustmark.Errorf(trustmark.EConflict, "inspector", "inspector %s is not on the team of subject %s", inspector, subject)
	}
	seed, err := hex.DecodeString(res.Seed)
	if err != nil || len(seed) != 32 {
		return nil, trustmark.Errorf(trustmark.EInvalid, "seed", "result has no 32-byte seed")
	}
	load := map[string]int{}
	for _, p := range res.Picks {
		for _, id := range p.Team {
			load[id]++
		}
	}
	for _, rc := range res.Recusals {
		load[rc.Inspector]--
		if rc.Replacement != "" {
			load[rc.Replacement]++
		}
	}
	load[inspector]--
	excluded := map[string]bool{}
	for _, id := range team {
		excluded[id] = true
	}
	for _, rc := range res.Recusals {
		if rc.Subject == subject {
			excluded[rc.Inspector] = true
		}
	}
	ru := newRules(c)
	var least []int
	for _, i := range ru.byRegion[s.Region] {
		id := c.Inspectors[i].ID
		if excluded[id] || !ru.eligible(i, s) {
			continue
		}
		if len(least) > 0 && load[id] > load[c.Inspectors[least[0]].ID] {
			continue
		}
		if len(least) > 0 && load[id] < load[c.Inspectors[least[0]].ID] {
			least = least[:0]
		}
		least = append(least, i)
	}
	rc := Recusal{Subject: subject, Inspector: inspector, Reason: reason}
	if len(least) > 0 {
		st := newStream([32]byte(seed), "recusal\x00"+itoa(len(res.Recusals)))
		rc.Replacement = c.Inspectors[least[st.uniform(len(least))]].ID
	}
	out := *res
	out.Recusals = append(slices.Clone(res.Recusals), rc)
	return &out, nil
}
