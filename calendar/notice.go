package calendar

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"time"

	"trustmark"
)

// A Notice is the State Council's yearly notice on public holidays
// (国务院办公厅关于某年部分节假日安排的通知): the days off and the weekend days
// worked instead (调休) of one year.
type Notice struct {
	Year     int
	Title    string   // the notice's title and number, as published
	Sources  []string // where its text was read
	Holidays map[trustmark.Date]string
	Workdays map[trustmark.Date]string // adjusted working days, by the holiday they make up for
}

// maxNoticeBytes bounds a notice file: a year's notice is a few kilobytes.
const maxNoticeBytes = 1 << 20

// noticeFile is the file form of notices, keyed by year, as in
// data/reference/cn_holidays_2025_2026.json.
type noticeFile map[string]struct {
	Notice   string   `json:"notice"`
	Sources  []string `json:"sources"`
	Holidays []struct {
		Name  string   `json:"name"`
		Dates []string `json:"dates"`
	} `json:"holidays"`
	Workdays []struct {
		Date string `json:"date"`
		For  string `json:"for"`
	} `json:"adjusted_workdays"`
}

// ParseNotices reads one or more yearly notices from their JSON file form. It
// refuses a file that is not a faithful notice: a date outside its year, a
// day both off and worked, an adjusted working day that is not a Saturday or
// Sunday, a year without a title. Errors name the year, the field and the
// date.
func ParseNotices(r io.Reader) ([]*Notice, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxNoticeBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxNoticeBytes {
		return nil, trustmark.Errorf(trustmark.ETooLarge, "", "a holiday notice file is at most %d bytes", maxNoticeBytes)
	}
	var f noticeFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, trustmark.Invalidf("calendar.notice_json", "", "holiday notice file is not the expected JSON: %v", err)
	}
	var out []*Notice
	for key, y := range f {
		year, err := strconv.Atoi(key)
		if err != nil || year < 1949 || year > 9999 {
			return nil, trustmark.Invalidf("calendar.notice_year", "year", "%q is not a year", key)
		}
		n := &Notice{Year: year, Title: y.Notice, Sources: y.Sources,
			Holidays: map[trustmark.Date]string{}, Workdays: map[trustmark.Date]string{}}
		if n.Title == "" {
			return nil, trustmark.Invalidf("calendar.notice_title", "notice", "%d: the notice's title is required", year)
		}
		for _, h := range y.Holidays {
			for _, s := range h.Dates {
				d, err := n.date("holidays", s)
				if err != nil {
					return nil, err
				}
				n.Holidays[d] = h.Name
			}
		}
		for _, w := range y.Workdays {
			d, err := n.date("adjusted_workdays", w.Date)
			if err != nil {
				return nil, err
			}
			if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, trustmark.Invalidf("calendar.notice_weekday", "adjusted_workdays", "%d: %s is a %s; an adjusted working day is a Saturday or Sunday", year, d, wd)
			}
			if _, off := n.Holidays[d]; off {
				return nil, trustmark.Invalidf("calendar.notice_both", "adjusted_workdays", "%d: %s is both a holiday and an adjusted working day", year, d)
			}
			n.Workdays[d] = w.For
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

func (n *Notice) date(field, s string) (trustmark.Date, error) {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		return d, trustmark.Invalidf("calendar.notice_date", field, "%d: %q is not a date YYYY-MM-DD", n.Year, s)
	}
	if d.Time().Year() != n.Year {
		return d, trustmark.Invalidf("calendar.notice_outside_year", field, "%d: %s is not in the notice's year", n.Year, d)
	}
	return d, nil
}
