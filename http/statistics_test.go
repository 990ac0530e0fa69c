package http_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	tmhttp "trustmark/http"
)

func getIndicators(t *testing.T, f *fixture, target string) tmhttp.IndicatorsJSON {
	t.Helper()
	w := f.do("GET", target, "", "")
	if w.Code != 200 {
		t.Fatalf("GET %s = %d %s, want 200", target, w.Code, w.Body)
	}
	var got tmhttp.IndicatorsJSON
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return got
}

func indicator(t *testing.T, ans tmhttp.IndicatorsJSON, key string) tmhttp.IndicatorJSON {
	t.Helper()
	for _, in := range ans.Indicators {
		if string(in.Key) == key {
			return in
		}
	}
	t.Fatalf("no indicator %q in the answer", key)
	return tmhttp.IndicatorJSON{}
}

func TestStatisticsIndicators(t *testing.T) {
	f := newFixture(t)
	nation := getIndicators(t, f, "/api/v1/statistics/indicators")

	t.Run("without a region the answer is the nation's", func(t *testing.T) {
		if nation.Region != "000000" || nation.Date != "2026-03-15" {
			t.Errorf("region, date = %q, %q, want 000000, 2026-03-15", nation.Region, nation.Date)
		}
		if _, off := nation.AsOf.Zone(); off != 8*3600 || !nation.AsOf.Equal(now) {
			t.Errorf("as_of = %s, want %s in UTC+8", nation.AsOf, now.In(time.FixedZone("", 8*3600)))
		}
		if n := len(nation.Months); n == 0 || nation.Months[0] != "2020-01" || nation.Months[n-1] != "2026-03" {
			t.Errorf("months = %v, want 2020-01 … 2026-03", nation.Months)
		}
	})
	t.Run("the contract's keys are counted against the plan", func(t *testing.T) {
		for _, c := range []struct {
			key              string
			value            int64
			baseline, target float64
		}{
			{"valid_certificates", 3, 2_700_000, 3_200_000},
			{"certified_orgs", 2, 800_000, 1_000_000},
			{"approved_bodies", 2, 724, 1500},
			{"labs", 1, 48_919, 55_000},
			{"reports_per_year", 1, 567_000_000, 790_000_000},
		} {
			in := indicator(t, nation, c.key)
			if in.Value == nil || *in.Value != c.value || in.Baseline2020 == nil || math.Abs(*in.Baseline2020-c.baseline) > 0.5 ||
				in.Target2025 == nil || math.Abs(*in.Target2025-c.target) > 0.5 {
				t.Errorf("%s: value %v, baseline %v, target %v; want %d, %v, %v", c.key, deref(in.Value), deref(in.Baseline2020), deref(in.Target2025), c.value, c.baseline, c.target)
				continue
			}
			want := (float64(c.value) - c.baseline) / (c.target - c.baseline)
			if in.Progress == nil || math.Abs(*in.Progress-want) > 1e-12 {
				t.Errorf("%s: progress %v, want %v", c.key, deref(in.Progress), want)
			}
			if len(in.Trend) != len(nation.Months) {
				t.Errorf("%s: %d trend values for %d months", c.key, len(in.Trend), len(nation.Months))
			}
		}
		if in := indicator(t, nation, "reports_per_year"); in.Period == nil || in.Period.From != "2025-03-01" || in.Period.To != "2026-02-28" {
			t.Errorf("reports_per_year period = %+v, want 2025-03-01 to 2026-02-28", in.Period)
		}
	})
	t.Run("a row the registry cannot count has no value", func(t *testing.T) {
		in := indicator(t, nation, "revenue")
		if in.InRegistry || in.Value != nil || in.Progress != nil || in.Baseline2020 == nil || *in.Baseline2020 != 3881e8 {
			t.Errorf("revenue = %+v, want not in the registry with the plan's baseline 3881 亿元", in)
		}
	})
	for _, c := range []struct {
		name, region, code string
		valid              int64
	}{
		{"a province counts its cities and counties", "33", "330000", 2},
		{"a city counts its counties", "3301", "330100", 2},
		{"a county counts itself", "330106", "330106", 2},
		{"Beijing does not count Zhejiang", "110000", "110000", 1},
		{"a province with no records counts none", "500000", "500000", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ans := getIndicators(t, f, "/api/v1/statistics/indicators?region="+c.region)
			in := indicator(t, ans, "valid_certificates")
			if ans.Region != c.code || in.Value == nil || *in.Value != c.valid {
				t.Errorf("region %s: %q valid %v, want %q %d", c.region, ans.Region, deref(in.Value), c.code, c.valid)
			}
			if in.Baseline2020 != nil || in.Target2025 != nil || in.Progress != nil {
				t.Errorf("region %s carries the national plan's figures: %+v", c.region, in)
			}
		})
	}
	for _, c := range []struct{ name, target, field string }{
		{"a code not in GB/T 2260", "/api/v1/statistics/indicators?region=990000", "region"},
		{"a code that is not digits", "/api/v1/statistics/indicators?region=zj", "region"},
		{"a code of the wrong length", "/api/v1/statistics/indicators?region=33010", "region"},
		{"an unknown parameter", "/api/v1/statistics/indicators?province=33", "province"},
	} {
		t.Run(c.name+" is refused naming the field", func(t *testing.T) {
			w := f.do("GET", c.target, "", "")
			e := decodeErrorBody(t, w.Body.String())
			if w.Code != 400 || e.Code != "invalid" || e.Field != c.field {
				t.Errorf("GET %s = %d %s, want 400 invalid field %s", c.target, w.Code, w.Body, c.field)
			}
		})
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
