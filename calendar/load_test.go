package calendar

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"trustmark"
)

// notice2027CSV is a notice of 2027 in the CSV form, made up for the tests
// (its New Year's Day and one Spring Festival week), not the State
// Council's text.
const notice2027CSV = `date,year,type,festival,weekday
2027-01-01,2027,holiday,元旦 New Year,周五
2027-02-06,2027,holiday,春节 Spring Festival,周六
2027-02-07,2027,holiday,春节 Spring Festival,周日
2027-02-08,2027,holiday,春节 Spring Festival,周一
2027-02-20,2027,adjusted_workday,春节,周六
`

func mustDate(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReadNoticeFile(t *testing.T) {
	ns, err := ReadNoticeFile(strings.NewReader(notice2027CSV), "2027 test notice")
	if err != nil {
		t.Fatalf("ReadNoticeFile(csv) = %v", err)
	}
	if len(ns) != 1 || ns[0].Year != 2027 || len(ns[0].Holidays) != 4 || len(ns[0].Workdays) != 1 || ns[0].Title != "2027 test notice" {
		t.Fatalf("ReadNoticeFile(csv) = %+v, want 2027 with 4 holidays and 1 adjusted working day", ns[0])
	}
	t.Run("the JSON form of a notice reads back the same", func(t *testing.T) {
		back, err := ReadNoticeFile(bytes.NewReader(EncodeNotice(ns[0])), "")
		if err != nil {
			t.Fatalf("ReadNoticeFile(EncodeNotice) = %v", err)
		}
		if got, want := string(EncodeNotice(back[0])), string(EncodeNotice(ns[0])); got != want {
			t.Errorf("EncodeNotice(ReadNoticeFile(EncodeNotice(n))) = %s, want %s", got, want)
		}
	})
	t.Run("the shipped files read alike in both forms", func(t *testing.T) {
		j, err := os.Open("../data/reference/cn_holidays_2025_2026.json")
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		c, err := os.Open("../data/reference/cn_holidays_2025_2026.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fromJSON, err := ReadNoticeFile(j, "")
		if err != nil {
			t.Fatal(err)
		}
		fromCSV, err := ReadNoticeFile(c, "t")
		if err != nil {
			t.Fatal(err)
		}
		for i := range fromJSON {
			fromCSV[i].Title, fromCSV[i].Sources = fromJSON[i].Title, fromJSON[i].Sources
			if got, want := string(EncodeNotice(fromCSV[i])), string(EncodeNotice(fromJSON[i])); got != want {
				t.Errorf("year %d: CSV reads %s, JSON %s", fromJSON[i].Year, got, want)
			}
		}
	})
}

func TestReadNoticeFileRefusals(t *testing.T) {
	head := "date,year,type,festival,weekday\n"
	for _, tc := range []struct {
		name, file, title, reason, field, says string
	}{
		{"a date in the wrong year", head + "2028-01-01,2027,holiday,元旦,周六\n", "t", "calendar.csv_year", "year", "row 2"},
		{"a malformed date", head + "2027-13-01,2027,holiday,元旦,\n", "t", "calendar.csv_date", "date", "row 2"},
		{"a holiday on an adjusted working day", head + "2027-02-20,2027,adjusted_workday,春节,周六\n2027-02-20,2027,holiday,春节,周六\n", "t", "calendar.csv_both", "type", "row 3"},
		{"an adjusted working day on a weekday", head + "2027-02-22,2027,adjusted_workday,春节,周一\n", "t", "calendar.csv_weekday_worked", "date", "row 2"},
		{"a weekday that is not the date's", head + "2027-01-01,2027,holiday,元旦,周一\n", "t", "calendar.csv_weekday", "weekday", "row 2"},
		{"an unknown type", head + "2027-01-01,2027,day_off,元旦,\n", "t", "calendar.csv_type", "type", "row 2"},
		{"no header", "2027-01-01,2027,holiday,元旦\n", "t", "calendar.csv_header", "header", "header"},
		{"a CSV without a title", head + "2027-01-01,2027,holiday,元旦,周五\n", "", "calendar.notice_title", "notice", "title"},
		{"an empty file", "  \n", "t", "calendar.notice_empty", "file", "empty"},
		{"JSON with a holiday on an adjusted working day", `{"2027":{"notice":"t","holidays":[{"name":"春节","dates":["2027-02-20"]}],"adjusted_workdays":[{"date":"2027-02-20","for":"春节"}]}}`, "", "calendar.notice_both", "adjusted_workdays", "2027-02-20"},
		{"JSON with a date in the wrong year", `{"2027":{"notice":"t","holidays":[{"name":"元旦","dates":["2026-01-01"]}]}}`, "", "calendar.notice_outside_year", "holidays", "2026-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadNoticeFile(strings.NewReader(tc.file), tc.title)
			var e *trustmark.Error
			if !asError(err, &e) || e.Reason != tc.reason || e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("ReadNoticeFile(%q) = %v (reason %q, field %q), want reason %q, field %q, saying %q", tc.file, err, reasonOf(e), fieldOf(e), tc.reason, tc.field, tc.says)
			}
		})
	}
}

func asError(err error, e **trustmark.Error) bool {
	te, ok := err.(*trustmark.Error)
	*e = te
	return ok
}

func reasonOf(e *trustmark.Error) string {
	if e == nil {
		return ""
	}
	return e.Reason
}

func fieldOf(e *trustmark.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

func TestDecideLoad(t *testing.T) {
	ns, err := ReadNoticeFile(strings.NewReader(notice2027CSV), "t")
	if err != nil {
		t.Fatal(err)
	}
	shipped := Official()
	if err := DecideLoad(shipped, ns[0]); err != nil {
		t.Errorf("DecideLoad(2027) = %v, want nil", err)
	}
	if err := DecideLoad(shipped, shipped.Notice(2026)); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("DecideLoad(2026) = %v, want a conflict: 2026 ships with the product", err)
	}
	empty := &Notice{Year: 2028, Title: "t"}
	if err := DecideLoad(shipped, empty); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("DecideLoad(no holidays) = %v, want invalid", err)
	}
}

// TestInstallEndsTheProvisionalMark: a count into 2027 is provisional
// until 2027's notice is installed, and is counted on it afterwards, for
// every holder of the calendar.
func TestInstallEndsTheProvisionalMark(t *testing.T) {
	cal := Official()
	from := mustDate(t, "2026-12-30")
	before, err := cal.AddWorkingDays(from, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !before.Provisional || before.Date.String() != "2027-01-06" {
		t.Errorf("AddWorkingDays(2026-12-30, 5) before the load = %+v, want 2027-01-06 provisional", before)
	}
	ns, err := ReadNoticeFile(strings.NewReader(notice2027CSV), "t")
	if err != nil {
		t.Fatal(err)
	}
	cal.Install(ns...)
	after, err := cal.AddWorkingDays(from, 5)
	if err != nil {
		t.Fatal(err)
	}
	if after.Provisional || after.Date.String() != "2027-01-07" {
		t.Errorf("AddWorkingDays(2026-12-30, 5) after the load = %+v, want 2027-01-07 not provisional (New Year's Day off)", after)
	}
	if got := Official().Notice(2027); got != nil {
		t.Errorf("Official().Notice(2027) = %v after installing on another calendar, want nil", got)
	}
}

// FuzzReadNoticeFile: any file is read or refused with a *trustmark.Error,
// never a panic, and what is read encodes and reads back the same.
func FuzzReadNoticeFile(f *testing.F) {
	f.Add([]byte(notice2027CSV), "t")
	f.Add([]byte(`{"2027":{"notice":"t","holidays":[{"name":"元旦","dates":["2027-01-01"]}],"adjusted_workdays":[]}}`), "")
	f.Add([]byte("date,year,type,festival\n2027-02-20,2027,adjusted_workday,x\n"), "t")
	f.Add([]byte("\ufeffdate,year,type,festival,weekday\n\"2027-01-01\",2027,holiday,\"a,b\",Fri\n"), "t")
	f.Fuzz(func(t *testing.T, b []byte, title string) {
		ns, err := ReadNoticeFile(bytes.NewReader(b), title)
		if err != nil {
			if _, ok := err.(*trustmark.Error); !ok {
				t.Fatalf("ReadNoticeFile = %T %v, want a *trustmark.Error", err, err)
			}
			return
		}
		for _, n := range ns {
			back, err := ParseNotices(bytes.NewReader(EncodeNotice(n)))
			if err != nil || len(back) != 1 {
				t.Fatalf("ParseNotices(EncodeNotice(%+v)) = %v, %v", n, back, err)
			}
			if got, want := string(EncodeNotice(back[0])), string(EncodeNotice(n)); got != want {
				t.Fatalf("EncodeNotice round trip = %s, want %s", got, want)
			}
		}
	})
}
