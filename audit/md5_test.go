package audit

import (
	"strings"
	"testing"

	"trustmark"
)

// The bands and two columns of IAF MD 5:2019 as the document prints them,
// written out here independently of the embedded file.
var (
	bandMins   = []int{1, 6, 11, 16, 26, 46, 66, 86, 126, 176, 276, 426, 626, 876, 1176, 1551, 2026, 2676, 3451, 4351, 5451, 6801, 8501}
	bandMaxes  = []int{5, 10, 15, 25, 45, 65, 85, 125, 175, 275, 425, 625, 875, 1175, 1550, 2025, 2675, 3450, 4350, 5450, 6800, 8500, 10700}
	qmsDays    = []float64{1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}
	emsLimited = []float64{2.5, 3, 3, 3, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 10, 11, 12, 13, 14}
	ohsHigh    = []float64{3, 3.5, 4.5, 5.5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 19, 20, 21, 23, 25, 27, 28, 30, 32, 34}
)

func TestInitialTimeAtEveryBandBoundary(t *testing.T) {
	cols := []struct {
		std  trustmark.CertType
		c    Complexity
		days []float64
	}{
		{trustmark.TypeQMS, "", qmsDays},
		{trustmark.TypeEMS, Limited, emsLimited},
		{trustmark.TypeEMS, "", emsLimited}, // no complexity: the lowest column
		{trustmark.TypeOHSMS, High, ohsHigh},
	}
	for _, col := range cols {
		for i := range bandMins {
			for _, n := range []int{bandMins[i], bandMaxes[i]} {
				got, ok := rules.Table.InitialHalfDays(col.std, col.c, n)
				if want := int(col.days[i] * 2); !ok || got != want {
					t.Errorf("InitialHalfDays(%s, %q, %d) = %d half days, %v, want %d", col.std, col.c, n, got, ok, want)
				}
			}
		}
	}
	if got, _ := rules.Table.InitialHalfDays(trustmark.TypeQMS, "", 50000); got != 44 {
		t.Errorf("InitialHalfDays(QMS, 50000) = %d half days, want the last band's 44", got)
	}
	for _, tt := range []struct {
		std trustmark.CertType
		n   int
	}{{trustmark.TypeQMS, 0}, {trustmark.TypeFSMS, 10}, {trustmark.TypeCCC, 10}} {
		if _, ok := rules.Table.InitialHalfDays(tt.std, "", tt.n); ok {
			t.Errorf("InitialHalfDays(%s, %d) is defined, want no table", tt.std, tt.n)
		}
	}
}

func TestMinimumDaysRoundsToTheNearestHalfDay(t *testing.T) {
	tests := []struct {
		name      string
		std       trustmark.CertType
		c         Complexity
		kind      Kind
		personnel int
		want      float64
		ok        bool
	}{
		{"QMS 1-5 initial: 1.5 less 30% is 1.05, rounded down to 1", trustmark.TypeQMS, "", Initial, 5, 1, true},
		{"QMS 6 initial: 2 less 30% is 1.4, rounded up to 1.5", trustmark.TypeQMS, "", Initial, 6, 1.5, true},
		{"QMS 55 (EA FAQ 37.23, table 5) initial: 3.5", trustmark.TypeQMS, "", Initial, 55, 3.5, true},
		{"QMS 55 surveillance: 5/3 less 30% is 1.17, rounded to 1", trustmark.TypeQMS, "", Surveillance, 55, 1, true},
		{"QMS 55 recertification: 10/3 less 30% is 2.33, rounded to 2.5", trustmark.TypeQMS, "", Recertification, 55, 2.5, true},
		{"QMS 1 surveillance: 0.35 rounds up to half a day", trustmark.TypeQMS, "", Surveillance, 1, 0.5, true},
		{"EMS limited 1176: 7.5 less 30% is 5.25, midway, rounded up to 5.5", trustmark.TypeEMS, Limited, Initial, 1176, 5.5, true},
		{"EMS limited 1175: 7 less 30% is 4.9, rounded to 5", trustmark.TypeEMS, Limited, Initial, 1175, 5, true},
		{"OH&SMS high 10700 recertification: 34·2/3·0.7 = 15.87, rounded to 16", trustmark.TypeOHSMS, High, Recertification, 10700, 16, true},
		{"OH&SMS limited is held to the low column: 2.5 less 30% = 1.75, midway, up to 2", trustmark.TypeOHSMS, Limited, Initial, 3, 2, true},
		{"a Stage 1 alone has no minimum", trustmark.TypeQMS, "", Stage1, 55, 0, false},
		{"a special audit has no minimum", trustmark.TypeQMS, "", Special, 55, 0, false},
		{"FSMS has no MD 5 table", trustmark.TypeFSMS, "", Initial, 55, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := rules.MinimumDays(tt.std, tt.c, tt.kind, tt.personnel)
			if ok != tt.ok || got.Days != tt.want {
				t.Errorf("MinimumDays(%s, %q, %s, %d) = %v, %v, want %v, %v", tt.std, tt.c, tt.kind, tt.personnel, got.Days, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseTableRefusesABrokenTable(t *testing.T) {
	tests := []struct{ name, csv, reason string }{
		{"a gap between bands", "enp_min,enp_max,qms_days\n1,5,1.5\n7,10,2\n", "audit.md5_band"},
		{"a band not starting at 1", "enp_min,enp_max,qms_days\n2,5,1.5\n", "audit.md5_band"},
		{"a time that is not whole half days", "enp_min,enp_max,qms_days\n1,5,1.25\n", "audit.md5_row"},
		{"an unknown column", "enp_min,enp_max,fsms_days\n1,5,1.5\n", "audit.md5_column"},
		{"no rows", "enp_min,enp_max,qms_days\n", "audit.md5_csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTable(strings.NewReader(tt.csv))
			if errReason(err) != tt.reason {
				t.Errorf("ParseTable(%q) error = %v, want reason %s", tt.csv, err, tt.reason)
			}
		})
	}
}

func FuzzParseTable(f *testing.F) {
	f.Add("enp_min,enp_max,qms_days\n1,5,1.5\n6,10,2\n")
	f.Add("enp_min,enp_max,qms_days,ems_high\n1,5,1.5\n")
	f.Fuzz(func(t *testing.T, s string) {
		tb, err := ParseTable(strings.NewReader(s))
		if err != nil {
			return
		}
		for i, b := range tb.Bands {
			if b.Max < b.Min || (i > 0 && b.Min != tb.Bands[i-1].Max+1) {
				t.Fatalf("ParseTable accepted bands %v", tb.Bands)
			}
		}
	})
}
