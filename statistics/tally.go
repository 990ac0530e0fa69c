package statistics

import (
	"context"
	"slices"
	"sort"
	"time"

	"trustmark"
)

// Source gives the registry's latest Tally. sqlstore.DB implements it with
// a cache refreshed in the background, so a Tally may be a little older than
// the registry: its Computed time says when it was counted. It must be safe
// for concurrent use.
type Source interface {
	Tally(ctx context.Context) (*Tally, error)
}

// Tally is the registry counted once: for each counted indicator and each
// region code the records carry, the count in each bucket of the trend (a
// stock on the bucket's End, a flow within it). Regions are summed when
// read (Series), so one count answers the nation and every province, city
// and county. A Tally is not modified once made and is safe to share.
type Tally struct {
	Buckets  []Bucket
	Computed time.Time // when the registry was read
	counts   map[Key]map[string][]int64
}

// AsOf returns the day the tally's stocks are read on: the End of its last
// bucket (zero when it has none).
func (t *Tally) AsOf() trustmark.Date {
	if len(t.Buckets) == 0 {
		return trustmark.Date{}
	}
	return t.Buckets[len(t.Buckets)-1].End
}

// Series returns indicator k in each bucket for the region scope and
// everything below it (trustmark.RegionCovers; trustmark.NationalRegion for
// the nation). Records whose region is not a GB/T 2260 code count for the
// nation only.
func (t *Tally) Series(k Key, scope string) []int64 {
	return t.series(k, t.covered(scope))
}

// covered returns which of the tally's region codes scope covers, asking
// RegionCovers once for each code whatever the number of indicators.
func (t *Tally) covered(scope string) map[string]bool {
	in := map[string]bool{}
	for _, byRegion := range t.counts {
		for region := range byRegion {
			if _, seen := in[region]; !seen {
				in[region] = trustmark.RegionCovers(scope, region)
			}
		}
	}
	return in
}

func (t *Tally) series(k Key, covered map[string]bool) []int64 {
	out := make([]int64, len(t.Buckets))
	for region, s := range t.counts[k] {
		if covered[region] {
			for i, n := range s {
				out[i] += n
			}
		}
	}
	return out
}

// Counter builds a Tally from the registry's records, one Add at a time.
// It is not safe for concurrent use.
type Counter struct {
	buckets []Bucket
	months  map[string]int
	// stocks holds difference arrays (a record adds 1 at its first bucket
	// and takes it away after its last, one entry past the buckets), so an
	// Add costs two binary searches whatever its span; flows hold counts.
	stocks, flows map[Key]map[string][]int64
	ranges        [][2]int // AddUnion's scratch
}

// NewCounter returns a counter over buckets (from Trend or Months).
func NewCounter(buckets []Bucket) *Counter {
	c := &Counter{buckets: buckets, months: map[string]int{}, stocks: map[Key]map[string][]int64{}, flows: map[Key]map[string][]int64{}}
	for i, b := range buckets {
		c.months[b.Month] = i
	}
	return c
}

// indexes returns the buckets whose End lies in s: from first through last,
// ok false when none does.
func (c *Counter) indexes(s Span) (first, last int, ok bool) {
	n := len(c.buckets)
	first, last = 0, n-1
	if !s.First.IsZero() {
		first = sort.Search(n, func(i int) bool { return !c.buckets[i].End.Before(s.First) })
	}
	if !s.Last.IsZero() {
		last = sort.Search(n, func(i int) bool { return c.buckets[i].End.After(s.Last) }) - 1
	}
	return first, last, first <= last
}

func (c *Counter) row(m map[Key]map[string][]int64, k Key, region string, n int) []int64 {
	byRegion := m[k]
	if byRegion == nil {
		byRegion = map[string][]int64{}
		m[k] = byRegion
	}
	r := byRegion[region]
	if r == nil {
		r = make([]int64, n)
		byRegion[region] = r
	}
	return r
}

// Add counts a record of stock k in region in every bucket whose End lies
// in s.
func (c *Counter) Add(k Key, region string, s Span) {
	if first, last, ok := c.indexes(s); ok {
		c.addRange(k, region, first, last)
	}
}

func (c *Counter) addRange(k Key, region string, first, last int) {
	r := c.row(c.stocks, k, region, len(c.buckets)+1)
	r[first]++
	r[last+1]--
}

// AddUnion counts one record of stock k in region in every bucket whose End
// lies in any of spans, once however many hold it: an organisation with two
// valid certificates is one certified organisation.
func (c *Counter) AddUnion(k Key, region string, spans []Span) {
	c.ranges = c.ranges[:0]
	for _, s := range spans {
		if first, last, ok := c.indexes(s); ok {
			c.ranges = append(c.ranges, [2]int{first, last})
		}
	}
	if len(c.ranges) == 0 {
		return
	}
	slices.SortFunc(c.ranges, func(a, b [2]int) int { return a[0] - b[0] })
	cur := c.ranges[0]
	for _, r := range c.ranges[1:] {
		if r[0] <= cur[1]+1 {
			cur[1] = max(cur[1], r[1])
			continue
		}
		c.addRange(k, region, cur[0], cur[1])
		cur = r
	}
	c.addRange(k, region, cur[0], cur[1])
}

// AddFlow counts n records of flow k in region in the bucket of month
// ("YYYY-MM"); a month outside the buckets is not counted.
func (c *Counter) AddFlow(k Key, region, month string, n int64) {
	if i, ok := c.months[month]; ok && n != 0 {
		c.row(c.flows, k, region, len(c.buckets))[i] += n
	}
}

// Tally returns what was counted, read at computed. The counter must not
// be used after.
func (c *Counter) Tally(computed time.Time) *Tally {
	t := &Tally{Buckets: c.buckets, Computed: computed, counts: c.flows}
	for k, byRegion := range c.stocks {
		out := map[string][]int64{}
		for region, diff := range byRegion {
			s := make([]int64, len(c.buckets))
			var run int64
			for i := range s {
				run += diff[i]
				s[i] = run
			}
			out[region] = s
		}
		t.counts[k] = out
	}
	for _, k := range Counted {
		if t.counts[k] == nil {
			t.counts[k] = map[string][]int64{}
		}
	}
	c.stocks, c.flows = nil, nil
	return t
}
