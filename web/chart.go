package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"trustmark/locale"
	"trustmark/statistics"
)

// Chart is an indicator's trend by month drawn on the server as a small SVG
// (a line for a stock, bars for a flow) in a 320 × 170 box that scales to
// the screen, with a title, a description and the same numbers as a table,
// so that a screen reader or a reader without images loses nothing.
type Chart struct {
	ID, Title, Desc string
	Flow            bool
	Line            string     // the points of a stock's polyline
	Last            ChartPoint // a stock's latest point
	Bars            []ChartBar
	YTicks, XTicks  []ChartTick
	Rows            []ChartRow // newest first
}

// ChartPoint, ChartBar and ChartTick are positions in the chart's box,
// written to one decimal.
type (
	ChartPoint struct{ X, Y string }
	ChartBar   struct{ X, Y, W, H string }
	ChartTick  struct{ At, Label string }
)

// ChartRow is one month of the table.
type ChartRow struct{ Month, Day, Value string }

// The chart's box: the plot area leaves room on the left for the values and
// below for the years.
const (
	chartLeft, chartRight = 46.0, 312.0
	chartTop, chartBottom = 10.0, 140.0
)

func newChart(f statistics.Figure, buckets []statistics.Bucket, m *locale.Messages) Chart {
	t := &m.Statistics
	name := f.NameIn(m.Lang)
	c := Chart{ID: "trend-" + string(f.Key), Flow: f.Key.Flow(), Title: fmt.Sprintf(t.ChartStock, name)}
	if c.Flow {
		c.Title = fmt.Sprintf(t.ChartFlow, name)
	}
	n := len(f.Series)
	if n == 0 {
		return c
	}
	lo, hi := f.Series[0], f.Series[0]
	for _, v := range f.Series {
		lo, hi = min(lo, v), max(hi, v)
	}
	c.Desc = fmt.Sprintf(t.ChartDesc, buckets[0].Month, buckets[n-1].Month, formatCount(lo, m), formatCount(hi, m), formatCount(f.Series[n-1], m))
	s := chartScale{top: niceCeil(float64(hi)), step: (chartRight - chartLeft) / float64(n)}
	c.plot(f.Series, s)
	for _, frac := range []float64{0, 0.5, 1} {
		v := s.top * frac
		c.YTicks = append(c.YTicks, ChartTick{At: coord(chartBottom - frac*(chartBottom-chartTop)), Label: axisLabel(v, m)})
	}
	c.XTicks = yearTicks(buckets, s)
	c.Rows = chartRows(f.Series, buckets, m)
	return c
}

// chartScale places a series in the plot area: each month a slot step
// wide, and values from 0 at the bottom to top at the top.
type chartScale struct{ top, step float64 }

// x is the middle of month i's slot.
func (s chartScale) x(i int) float64 { return chartLeft + s.step*(float64(i)+0.5) }

// y is the height of value v.
func (s chartScale) y(v int64) float64 {
	return chartBottom - float64(v)/s.top*(chartBottom-chartTop)
}

// plot draws series: bars for a flow, a line ending in a marked latest
// point for a stock.
func (c *Chart) plot(series []int64, s chartScale) {
	var pts []string
	for i, v := range series {
		if c.Flow {
			c.Bars = append(c.Bars, ChartBar{X: coord(s.x(i) - s.step*0.4), Y: coord(s.y(v)), W: coord(s.step * 0.8), H: coord(chartBottom - s.y(v))})
		} else {
			pts = append(pts, coord(s.x(i))+","+coord(s.y(v)))
		}
	}
	c.Line = strings.Join(pts, " ")
	n := len(series)
	c.Last = ChartPoint{X: coord(s.x(n - 1)), Y: coord(s.y(series[n-1]))}
}

// yearTicks labels the Januaries of buckets with their years; past seven
// of them, only one in every few, so that at most seven labels show.
func yearTicks(buckets []statistics.Bucket, s chartScale) []ChartTick {
	years := 0
	for _, b := range buckets {
		if strings.HasSuffix(b.Month, "-01") {
			years++
		}
	}
	every := max(1, (years+6)/7) // at most seven year labels
	var ticks []ChartTick
	k := 0
	for i, b := range buckets {
		if !strings.HasSuffix(b.Month, "-01") {
			continue
		}
		if k%every == 0 {
			ticks = append(ticks, ChartTick{At: coord(s.x(i)), Label: b.Month[:4]})
		}
		k++
	}
	return ticks
}

// chartRows is the chart's table, newest month first; a month not yet
// over says so by its day.
func chartRows(series []int64, buckets []statistics.Bucket, m *locale.Messages) []ChartRow {
	var rows []ChartRow
	for i := len(series) - 1; i >= 0; i-- {
		row := ChartRow{Month: buckets[i].Month, Day: buckets[i].End.String(), Value: formatCount(series[i], m)}
		if buckets[i].Partial() {
			row.Day = fmt.Sprintf(m.Statistics.Partial, row.Day)
		}
		rows = append(rows, row)
	}
	return rows
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// niceCeil returns the least of 1, 2, 2.5 and 5 times a power of ten that
// is at least v (1 for nothing), so that the axis reads in round numbers.
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

// axisLabel writes an axis value shortly: "340万", "5亿" in Chinese, "3.4M"
// in English, plain below the first magnitude ("2.5" half way to 5).
func axisLabel(v float64, m *locale.Messages) string {
	for _, u := range m.Statistics.Magnitudes {
		if v >= u.Size {
			return strconv.FormatFloat(v/u.Size, 'g', 3, 64) + u.Suffix
		}
	}
	if v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return formatCount(int64(v), m)
}
