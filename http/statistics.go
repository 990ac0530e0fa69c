package http

import (
	nethttp "net/http"
	"time"

	"trustmark"
	"trustmark/statistics"
)

// IndicatorsJSON is the answer of GET /api/v1/statistics/indicators: the
// 14th five-year plan's indicators with the registry's counts for a region.
type IndicatorsJSON struct {
	Region string `json:"region"` // 6-digit GB/T 2260 code, "000000" for the nation
	// AsOf is when the registry was counted (China time, with its zone);
	// Date is the day the stocks are read on.
	AsOf   time.Time `json:"as_of"`
	Date   string    `json:"date"`
	Months []string  `json:"months"` // the trend's months, "YYYY-MM", the last one to Date
	// Indicators are every row of the plan's table, in its order.
	Indicators []IndicatorJSON `json:"indicators"`
}

// IndicatorJSON is one indicator. Numbers are in the registry's units
// (certificates, not 万张). Baseline and target are the plan's national
// figures: null in a region's answer, as is progress. A row the registry
// cannot count has in_registry false and null counts.
type IndicatorJSON struct {
	Key          statistics.Key `json:"key"`
	Name         string         `json:"name"`
	NameEN       string         `json:"name_en"`
	Group        string         `json:"group"`
	PlanUnit     string         `json:"plan_unit"`
	Baseline2020 *float64       `json:"baseline_2020"`
	Target2025   *float64       `json:"target_2025"`
	InRegistry   bool           `json:"in_registry"`
	Value        *int64         `json:"value"`
	Value2020    *int64         `json:"value_2020"`
	Progress     *float64       `json:"progress"`
	// Period is the months a flow's value sums (reports issued in the
	// last twelve complete months).
	Period *PeriodJSON `json:"period,omitempty"`
	Trend  []int64     `json:"trend,omitempty"` // one count per month of Months
	// Counts says what the registry counts, or why it cannot.
	Counts   string `json:"counts"`
	CountsEN string `json:"counts_en"`
}

// PeriodJSON is a run of days, both included.
type PeriodJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// statisticsIndicators answers GET /api/v1/statistics/indicators?region=.
func (s *Server) statisticsIndicators(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "region")
	region := trustmark.NationalRegion
	if v := q.str("region"); v != "" && v != trustmark.NationalRegion {
		code, err := trustmark.ParseRegionCode(v)
		if err != nil {
			q.fail(fieldError("region", err))
		}
		region = code
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	if s.cfg.Statistics == nil {
		Error(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "this server does not count statistics"))
		return
	}
	tally, err := s.cfg.Statistics.Tally(r.Context())
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, indicatorsJSON(statistics.NewView(statistics.Plan(), tally, region)))
}

// chinaTime is the zone of every time the API gives: UTC+8.
var chinaTime = time.FixedZone("CST", 8*3600)

func indicatorsJSON(v statistics.View) IndicatorsJSON {
	out := IndicatorsJSON{Region: v.Region, AsOf: v.Computed.In(chinaTime), Date: v.AsOf.String(), Months: []string{}}
	for _, b := range v.Buckets {
		out.Months = append(out.Months, b.Month)
	}
	for _, f := range v.Figures {
		in := IndicatorJSON{Key: f.Key, Name: f.Name, NameEN: f.NameEN, Group: f.Group, PlanUnit: f.Unit, InRegistry: f.InRegistry,
			Counts: f.Counts, CountsEN: f.CountsEN}
		if v.National() {
			in.Baseline2020, in.Target2025 = ptr(f.Baseline()), ptr(f.Target())
		}
		if f.InRegistry {
			in.Value, in.Value2020, in.Trend = ptr(f.Value), ptr(f.Value2020), f.Series
		}
		if f.HasProgress {
			in.Progress = ptr(f.Progress)
		}
		if !f.Period.First.IsZero() {
			in.Period = &PeriodJSON{From: f.Period.First.String(), To: f.Period.Last.String()}
		}
		out.Indicators = append(out.Indicators, in)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
