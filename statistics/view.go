package statistics

import (
	"time"

	"trustmark"
)

// Progress returns how far value has come from baseline towards target, as
// a share of the way: 0 at the baseline, 1 at the target, below 0 under the
// baseline and above 1 past the target. ok is false when the target equals
// the baseline, where no share can be told.
func Progress(value, baseline, target float64) (share float64, ok bool) {
	if target == baseline {
		return 0, false
	}
	return (value - baseline) / (target - baseline), true
}

// Figure is one indicator of the plan in a View.
type Figure struct {
	Indicator
	// Value is the registry's count on the view's day: a stock on AsOf, a
	// flow over Period. Value2020 is the same count at the end of
	// BaselineYear (a flow over that year). Both are 0 for an indicator
	// that is not InRegistry.
	Value, Value2020 int64
	// Period is the months a flow's Value sums (zero for a stock).
	Period Span
	// Progress is the share of the way from the plan's baseline to its
	// target (see Progress); HasProgress is false when the view is not of
	// the nation, whose figures the plan's are, or the row is not counted.
	Progress    float64
	HasProgress bool
	// Series is the trend: the count in each of the view's buckets.
	Series []int64
}

// View is the plan's table with the registry's counts for one region.
type View struct {
	Region   string // 6-digit GB/T 2260 code, or trustmark.NationalRegion
	Computed time.Time
	AsOf     trustmark.Date
	Buckets  []Bucket
	Figures  []Figure // every row of the plan, in its order
}

// National reports whether v is of the whole nation.
func (v View) National() bool { return v.Region == trustmark.NationalRegion }

// Counted returns the figures the registry counts, in the plan's order.
func (v View) Counted() []Figure {
	var out []Figure
	for _, f := range v.Figures {
		if f.InRegistry {
			out = append(out, f)
		}
	}
	return out
}

// NotCounted returns the plan's rows the registry cannot count.
func (v View) NotCounted() []Figure {
	var out []Figure
	for _, f := range v.Figures {
		if !f.InRegistry {
			out = append(out, f)
		}
	}
	return out
}

// NewView reads the tally t for region (trustmark.NationalRegion for the
// nation) against plan. The plan's baselines and targets are national, so
// progress is given for the nation only; every region gets its own count at
// the end of 2020 (Value2020) to compare with.
func NewView(plan []Indicator, t *Tally, region string) View {
	v := View{Region: region, Computed: t.Computed, AsOf: t.AsOf(), Buckets: t.Buckets}
	covered := t.covered(region)
	for _, in := range plan {
		f := Figure{Indicator: in}
		if in.InRegistry {
			f.Series = t.series(in.Key, covered)
			if in.Key.Flow() {
				f.Value, f.Period = lastYear(t.Buckets, f.Series)
				f.Value2020 = sumYear(t.Buckets, f.Series, BaselineYear)
			} else {
				if n := len(f.Series); n > 0 {
					f.Value = f.Series[n-1]
				}
				f.Value2020 = at(t.Buckets, f.Series, MonthOf(trustmark.NewDate(BaselineYear, time.December, 1)))
			}
			if v.National() {
				f.Progress, f.HasProgress = Progress(float64(f.Value), in.Baseline(), in.Target())
			}
		}
		v.Figures = append(v.Figures, f)
	}
	return v
}

// lastYear sums a flow over the twelve complete months before the last
// bucket (fewer when the trend is shorter), and returns the days summed.
func lastYear(buckets []Bucket, series []int64) (int64, Span) {
	end := len(buckets) - 1 // the as-of month, not complete
	start := max(0, end-12)
	if end <= start {
		return 0, Span{}
	}
	var n int64
	for _, v := range series[start:end] {
		n += v
	}
	return n, Span{First: buckets[start].First, Last: buckets[end-1].End}
}

// sumYear sums a flow over the buckets of year.
func sumYear(buckets []Bucket, series []int64, year int) int64 {
	var n int64
	for i, b := range buckets {
		if b.First.Time().Year() == year {
			n += series[i]
		}
	}
	return n
}

// at returns a stock in the bucket of month, 0 when there is none.
func at(buckets []Bucket, series []int64, month string) int64 {
	for i, b := range buckets {
		if b.Month == month {
			return series[i]
		}
	}
	return 0
}
