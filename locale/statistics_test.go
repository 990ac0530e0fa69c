package locale

import (
	"reflect"
	"strings"
	"testing"
)

func TestStatisticsMessagesAreComplete(t *testing.T) {
	for _, m := range []*Messages{zh, en} {
		s := m.Statistics
		v := reflect.ValueOf(s)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("catalogue %s: Statistics.%s is empty", m.Lang, v.Type().Field(i).Name)
			}
		}
		if len(s.IndicatorColumns) != 14 || len(s.TrendColumns) != 2 || len(s.Magnitudes) == 0 {
			t.Errorf("catalogue %s: %d indicator columns, %d trend columns, %d magnitudes; want 14, 2 and some",
				m.Lang, len(s.IndicatorColumns), len(s.TrendColumns), len(s.Magnitudes))
		}
		for _, name := range []string{s.SheetIndicators, s.SheetTrend} {
			if len([]rune(name)) > 31 || strings.ContainsAny(name, `[]:*?/\`) {
				t.Errorf("catalogue %s: %q cannot name an XLSX sheet", m.Lang, name)
			}
		}
	}
	for i, c := range zh.Statistics.IndicatorColumns {
		if !containsCJK(c) {
			t.Errorf("zh indicator column %d %q is not Chinese", i, c)
		}
	}
}
