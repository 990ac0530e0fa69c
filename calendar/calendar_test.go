package calendar

import (
	"strings"
	"testing"

	"trustmark"
)

func date(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAddWorkingDays(t *testing.T) {
	cal := Official()
	tests := []struct {
		name        string
		from        string
		add         int
		want        string
		provisional bool
	}{
		{"zero days is the day itself", "2025-03-03", 0, "2025-03-03", false},
		{"the day of the event is not counted", "2025-03-03", 1, "2025-03-04", false},
		{"a plain week skips the weekend", "2025-03-07", 1, "2025-03-10", false},
		{"Spring Festival 2025 counts the adjusted Sunday before it and skips the holiday", "2025-01-24", 5, "2025-02-07", false},
		{"a day before Spring Festival 2025 lands after it", "2025-01-27", 1, "2025-02-05", false},
		{"the adjusted Saturday after Spring Festival 2025 is worked", "2025-02-07", 1, "2025-02-08", false},
		{"National Day 2025 counts the adjusted Sunday 28 September", "2025-09-26", 3, "2025-09-30", false},
		{"National Day 2025 skips 1-8 October", "2025-09-26", 4, "2025-10-09", false},
		{"National Day 2025 ends on the adjusted Saturday 11 October", "2025-09-26", 6, "2025-10-11", false},
		{"the adjusted Saturday before Spring Festival 2026 is worked", "2026-02-13", 1, "2026-02-14", false},
		{"Spring Festival 2026 skips 15-23 February", "2026-02-13", 2, "2026-02-24", false},
		{"New Year 2026 counts the adjusted Sunday 4 January", "2025-12-31", 1, "2026-01-04", false},
		{"National Day 2026 skips 1-7 October", "2026-09-30", 1, "2026-10-08", false},
		{"National Day 2026 ends on the adjusted Saturday 10 October", "2026-09-30", 3, "2026-10-10", false},
		{"a count that stays in a loaded year is final", "2026-12-24", 5, "2026-12-31", false},
		{"a count into a year without a notice is provisional", "2026-12-25", 5, "2027-01-01", true},
		{"a start in an unloaded year whose count stays in a loaded one is final", "2024-12-31", 1, "2025-01-02", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.AddWorkingDays(date(t, tt.from), tt.add)
			if err != nil {
				t.Fatal(err)
			}
			if got.Date.String() != tt.want || got.Provisional != tt.provisional {
				t.Errorf("AddWorkingDays(%s, %d) = %s provisional %v, want %s provisional %v",
					tt.from, tt.add, got.Date, got.Provisional, tt.want, tt.provisional)
			}
		})
	}
}

func TestAddWorkingDaysRefusesBadInput(t *testing.T) {
	cal := Official()
	for _, tt := range []struct {
		name  string
		from  trustmark.Date
		add   int
		field string
	}{
		{"a negative count", date(t, "2025-01-01"), -1, "add"},
		{"a count beyond ten years", date(t, "2025-01-01"), MaxWorkingDays + 1, "add"},
		{"no start date", trustmark.Date{}, 5, "from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cal.AddWorkingDays(tt.from, tt.add)
			if trustmark.ErrorCode(err) != trustmark.EInvalid || trustmark.ErrorField(err) != tt.field {
				t.Errorf("AddWorkingDays(%s, %d) = %v, want invalid %s", tt.from, tt.add, err, tt.field)
			}
		})
	}
}

// The notices' own count of working days in each year (248 in 2025 and 2026,
// data/reference/cn_holidays_2025_2026.json) holds the holidays and adjusted
// days to each other.
func TestWorkingDaysInAYearMatchTheNotice(t *testing.T) {
	cal := Official()
	for _, year := range []string{"2025", "2026"} {
		n, provisional := cal.WorkingDaysBetween(date(t, year+"-01-01").AddDate(0, 0, -1), date(t, year+"-12-31"))
		if n != 248 || provisional {
			t.Errorf("working days in %s = %d provisional %v, want 248 final", year, n, provisional)
		}
	}
	if got := cal.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Errorf("Years() = %v, want [2025 2026]", got)
	}
}

func TestDay(t *testing.T) {
	cal := Official()
	for _, tt := range []struct {
		date    string
		kind    DayKind
		working bool
	}{
		{"2026-02-16", Holiday, false},
		{"2026-02-14", AdjustedWorkday, true},
		{"2026-02-07", Weekend, false},
		{"2026-02-09", Workday, true},
		{"2027-01-01", Workday, true}, // provisional: weekends only
	} {
		d := cal.Day(date(t, tt.date))
		if d.Kind != tt.kind || d.Working() != tt.working {
			t.Errorf("Day(%s) = %s working %v, want %s working %v", tt.date, d.Kind, d.Working(), tt.kind, tt.working)
		}
	}
	if !cal.Day(date(t, "2027-01-01")).Provisional {
		t.Error("Day(2027-01-01) is not provisional, want provisional: 2027's notice is not loaded")
	}
}

func TestLoadingALaterNotice(t *testing.T) {
	const notice2027 = `{"2027": {"notice": "国务院办公厅关于2027年部分节假日安排的通知（示例）",
		"holidays": [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]}],
		"adjusted_workdays": []}}`
	ns, err := ParseNotices(strings.NewReader(notice2027))
	if err != nil {
		t.Fatal(err)
	}
	cal := Official().With(ns[0])
	got, err := cal.AddWorkingDays(date(t, "2026-12-31"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Date.String() != "2027-01-04" || got.Provisional {
		t.Errorf("after loading 2027: AddWorkingDays(2026-12-31, 1) = %+v, want 2027-01-04 final", got)
	}
	if Official().Notice(2027) != nil {
		t.Error("With changed the calendar it was called on")
	}
}

func TestParseNoticesRefusesUnfaithfulNotices(t *testing.T) {
	for _, tt := range []struct{ name, file, field string }{
		{"a date outside the notice's year", `{"2027": {"notice": "n", "holidays": [{"name": "x", "dates": ["2028-01-01"]}]}}`, "holidays"},
		{"an adjusted working day on a weekday", `{"2027": {"notice": "n", "adjusted_workdays": [{"date": "2027-01-04", "for": "x"}]}}`, "adjusted_workdays"},
		{"a day both off and worked", `{"2027": {"notice": "n", "holidays": [{"name": "x", "dates": ["2027-01-02"]}], "adjusted_workdays": [{"date": "2027-01-02", "for": "x"}]}}`, "adjusted_workdays"},
		{"a notice without a title", `{"2027": {"holidays": []}}`, "notice"},
		{"a key that is not a year", `{"twenty": {"notice": "n"}}`, "year"},
		{"a malformed date", `{"2027": {"notice": "n", "holidays": [{"name": "x", "dates": ["2027-13-01"]}]}}`, "holidays"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNotices(strings.NewReader(tt.file))
			if trustmark.ErrorCode(err) != trustmark.EInvalid || trustmark.ErrorField(err) != tt.field {
				t.Errorf("ParseNotices = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func FuzzParseNotices(f *testing.F) {
	f.Add(`{"2027": {"notice": "n", "holidays": [{"name": "x", "dates": ["2027-01-01"]}], "adjusted_workdays": [{"date": "2027-01-09", "for": "x"}]}}`)
	f.Add(`{}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, s string) {
		ns, err := ParseNotices(strings.NewReader(s))
		if err != nil {
			if trustmark.ErrorCode(err) == trustmark.EInternal {
				t.Fatalf("ParseNotices(%q) = internal error %v: bad input is the client's mistake", s, err)
			}
			return
		}
		cal := New(ns...)
		for _, n := range ns {
			for d := range n.Holidays {
				if cal.Day(d).Working() {
					t.Fatalf("holiday %s is a working day", d)
				}
			}
			for d := range n.Workdays {
				if !cal.Day(d).Working() {
					t.Fatalf("adjusted working day %s is not a working day", d)
				}
			}
		}
	})
}
