package audit

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"time"
)

// Span is one audit on a person's record: its planned time, its body, the
// audits it is linked with, and whether the person checked in to it.
type Span struct {
	Audit     string
	Body      string
	Start     time.Time
	End       time.Time
	Links     []string
	CheckedIn bool
}

// Fix is one of a person's check-ins as the travel rule sees it: where and
// when (server time).
type Fix struct {
	CheckIn  string
	Audit    string
	At       time.Time
	Position Point
}

// History is one person's audits and check-ins, sorted by time, so that the
// overlap, travel and lent-out rules look at a few neighbours found by
// binary search rather than at every audit of an auditor with thousands.
// A History from NewHistory is immutable and safe for concurrent use; a
// Batch marks the audits its own histories' person checks in to.
type History struct {
	spans  []Span      // by Start
	maxEnd []time.Time // maxEnd[i] is the latest End of spans[:i+1]
	fixes  []Fix       // by At
}

// NewHistory returns the history of the given audits and check-ins, in any
// order.
func NewHistory(spans []Span, fixes []Fix) *History {
	h := &History{spans: slices.Clone(spans), fixes: slices.Clone(fixes)}
	slices.SortFunc(h.spans, func(a, b Span) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Audit, b.Audit)) })
	slices.SortFunc(h.fixes, func(a, b Fix) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.CheckIn, b.CheckIn)) })
	h.maxEnd = make([]time.Time, len(h.spans))
	for i, s := range h.spans {
		h.maxEnd[i] = s.End
		if i > 0 && h.maxEnd[i-1].After(s.End) {
			h.maxEnd[i] = h.maxEnd[i-1]
		}
	}
	return h
}

// Overlapping yields the spans that overlap [start, end), those starting
// before end and ending after start, latest start first. It finds the last
// span starting before end by binary search and walks back only while some
// earlier span may still end after start; it allocates nothing.
func (h *History) Overlapping(start, end time.Time) iter.Seq[Span] {
	return func(yield func(Span) bool) {
		j := sort.Search(len(h.spans), func(i int) bool { return !h.spans[i].Start.Before(end) })
		for i := j - 1; i >= 0 && h.maxEnd[i].After(start); i-- {
			if h.spans[i].End.After(start) && !yield(h.spans[i]) {
				return
			}
		}
	}
}

// Neighbours returns the check-ins just before and just after t (nil when
// there is none), leaving out the check-in skip.
func (h *History) Neighbours(t time.Time, skip string) (prev, next *Fix) {
	j := sort.Search(len(h.fixes), func(i int) bool { return !h.fixes[i].At.Before(t) })
	for i := j - 1; i >= 0; i-- {
		if h.fixes[i].CheckIn != skip {
			prev = &h.fixes[i]
			break
		}
	}
	for i := j; i < len(h.fixes); i++ {
		if h.fixes[i].CheckIn != skip {
			next = &h.fixes[i]
			break
		}
	}
	return prev, next
}

// withFixes returns a history of h's audits with the given check-ins,
// sorted by time, sharing h's spans.
func (h *History) withFixes(fixes []Fix) *History {
	return &History{spans: h.spans, maxEnd: h.maxEnd, fixes: fixes}
}

// markCheckedIn records that the person checked in to audit.
func (h *History) markCheckedIn(audit string) {
	for i := range h.spans {
		if h.spans[i].Audit == audit {
			h.spans[i].CheckedIn = true
		}
	}
}
