package calendar

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"trustmark"
)

// Loading a later year's notice: the national administrator takes the
// State Council's notice of a year the product does not ship, in the file
// form of data/reference (the JSON keyed by year, or the CSV of one row a
// day), and loads it into the official calendar (trustmark calendar load,
// or the workbench's /work/calendar). The store keeps it and records the
// load in the public log; the server installs it on its calendar.

// ReadNoticeFile reads notices from a file in either form of
// data/reference: JSON when its first non-blank byte is "{", CSV otherwise.
// The CSV form has no place for the notice's title, so title gives it (it
// is required there); for JSON, a non-empty title replaces the file's
// only when the file holds one year.
func ReadNoticeFile(r io.Reader, title string) ([]*Notice, error) {
	br := bufio.NewReader(io.LimitReader(r, maxNoticeBytes+1))
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil, trustmark.Invalidf("calendar.notice_empty", "file", "the holiday notice file is empty")
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			br.ReadByte()
			continue
		}
		if b[0] == '{' {
			ns, err := ParseNotices(br)
			if err == nil && title != "" && len(ns) == 1 && utf8.ValidString(title) {
				ns[0].Title = title
			}
			return ns, err
		}
		return ParseNoticesCSV(br, title)
	}
}

// csvColumns are the columns of the CSV form; weekday is optional and,
// when given, must agree with the date (it is how a reader checks a row
// by eye, so a disagreement is a typing mistake).
var csvColumns = []string{"date", "year", "type", "festival", "weekday"}

// Kinds of row of the CSV form.
const (
	csvHoliday = "holiday"
	csvWorkday = "adjusted_workday"
)

// weekdaysZH are the weekday column's words, 周日 first as time.Weekday.
var weekdaysZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// ParseNoticesCSV reads notices from the CSV form of
// data/reference/cn_holidays_2025_2026.csv: a header, then one row per
// holiday or adjusted working day (date, year, type, festival, weekday).
// Every year of the file gets title. It refuses, naming the row and the
// field, a malformed date, a date outside the row's year, an unknown type,
// an adjusted working day that is not a Saturday or Sunday, a weekday
// that is not the date's, and a day both off and worked.
func ParseNoticesCSV(r io.Reader, title string) ([]*Notice, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxNoticeBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxNoticeBytes {
		return nil, trustmark.Errorf(trustmark.ETooLarge, "", "a holiday notice file is at most %d bytes", maxNoticeBytes)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, trustmark.Invalidf("calendar.csv_header", "header", "the first row must be the header %s", strings.Join(csvColumns, ","))
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range csvColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, trustmark.Invalidf("calendar.csv_header", "header", "the first row must be the header %s", strings.Join(csvColumns, ","))
		}
	}
	byYear := map[int]*Notice{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, trustmark.Invalidf("calendar.csv_row", "row", "row %d: not a CSV row: %v", row, err)
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if err := addCSVRow(byYear, row, cell, title); err != nil {
			return nil, err
		}
	}
	if len(byYear) == 0 {
		return nil, trustmark.Invalidf("calendar.notice_empty", "file", "the holiday notice file is empty")
	}
	out := make([]*Notice, 0, len(byYear))
	for _, n := range byYear {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b *Notice) int { return a.Year - b.Year })
	return out, nil
}

// addCSVRow checks one row and adds its day to its year's notice.
func addCSVRow(byYear map[int]*Notice, row int, cell func(string) string, title string) error {
	d, err := trustmark.ParseDate(cell("date"))
	if err != nil {
		return trustmark.Invalidf("calendar.csv_date", "date", "row %d: date %q is not a date YYYY-MM-DD", row, cell("date"))
	}
	year, err := strconv.Atoi(cell("year"))
	if err != nil || year != d.Time().Year() {
		return trustmark.Invalidf("calendar.csv_year", "year", "row %d: date %s is not in year %q", row, d, cell("year"))
	}
	wd := d.Time().Weekday()
	if w := cell("weekday"); w != "" && w != weekdaysZH[wd] && !strings.EqualFold(w, wd.String()) && !strings.EqualFold(w, wd.String()[:3]) {
		return trustmark.Invalidf("calendar.csv_weekday", "weekday", "row %d: %s is a %s, not %q", row, d, wd, w)
	}
	name := cell("festival")
	if !utf8.ValidString(name) {
		return trustmark.Invalidf("calendar.csv_text", "festival", "row %d: the festival is not UTF-8 text", row)
	}
	n := byYear[year]
	if n == nil {
		if !utf8.ValidString(title) {
			return trustmark.Invalidf("calendar.csv_text", "notice", "row %d: the notice's title is not UTF-8 text", row)
		}
		if title == "" {
			return trustmark.Invalidf("calendar.notice_title", "notice", "%d: the notice's title is required", year)
		}
		n = &Notice{Year: year, Title: title, Holidays: map[trustmark.Date]string{}, Workdays: map[trustmark.Date]string{}}
		byYear[year] = n
	}
	switch cell("type") {
	case csvHoliday:
		if _, worked := n.Workdays[d]; worked {
			return trustmark.Invalidf("calendar.csv_both", "type", "row %d: %s is both a holiday and an adjusted working day", row, d)
		}
		n.Holidays[d] = name
	case csvWorkday:
		if wd != time.Saturday && wd != time.Sunday {
			return trustmark.Invalidf("calendar.csv_weekday_worked", "date", "row %d: %s is a %s; an adjusted working day is a Saturday or Sunday", row, d, wd)
		}
		if _, off := n.Holidays[d]; off {
			return trustmark.Invalidf("calendar.csv_both", "type", "row %d: %s is both a holiday and an adjusted working day", row, d)
		}
		n.Workdays[d] = name
	default:
		return trustmark.Invalidf("calendar.csv_type", "type", "row %d: type %q is neither %s nor %s", row, cell("type"), csvHoliday, csvWorkday)
	}
	return nil
}

// DecideLoad decides whether notice n may be loaded into a calendar that
// ships with the notices of shipped: a year the product ships is its own
// (copied from the State Council's text with its sources) and is not
// replaced by a load, and a notice gives at least one holiday. A year
// loaded before may be loaded again: the later load replaces it (a
// corrected notice).
func DecideLoad(shipped *Calendar, n *Notice) error {
	if shipped.Notice(n.Year) != nil {
		return trustmark.Reasonf(trustmark.EConflict, "calendar.notice_shipped", "year",
			"%d: Trustmark ships the notice of %d; a load gives a later year", n.Year, n.Year)
	}
	if len(n.Holidays) == 0 {
		return trustmark.Invalidf("calendar.notice_no_holidays", "holidays", "%d: the notice gives no holiday", n.Year)
	}
	return nil
}

// EncodeNotice returns n in the JSON file form of one year (as ParseNotices
// reads it), with its days in date order: what the store keeps and the
// public log records of a load.
func EncodeNotice(n *Notice) []byte {
	type holiday struct {
		Name  string   `json:"name"`
		Dates []string `json:"dates"`
	}
	type workday struct {
		Date string `json:"date"`
		For  string `json:"for"`
	}
	y := struct {
		Notice   string    `json:"notice"`
		Sources  []string  `json:"sources"`
		Holidays []holiday `json:"holidays"`
		Workdays []workday `json:"adjusted_workdays"`
	}{Notice: n.Title, Sources: n.Sources, Holidays: []holiday{}, Workdays: []workday{}}
	if y.Sources == nil {
		y.Sources = []string{}
	}
	for _, d := range slices.SortedFunc(maps.Keys(n.Holidays), compareDates) {
		name := n.Holidays[d]
		if k := len(y.Holidays); k > 0 && y.Holidays[k-1].Name == name {
			y.Holidays[k-1].Dates = append(y.Holidays[k-1].Dates, d.String())
			continue
		}
		y.Holidays = append(y.Holidays, holiday{Name: name, Dates: []string{d.String()}})
	}
	for _, d := range slices.SortedFunc(maps.Keys(n.Workdays), compareDates) {
		y.Workdays = append(y.Workdays, workday{Date: d.String(), For: n.Workdays[d]})
	}
	b, err := json.Marshal(map[string]any{strconv.Itoa(n.Year): y})
	if err != nil {
		panic("calendar: encode notice: " + err.Error()) // strings and slices only
	}
	return b
}

func compareDates(a, b trustmark.Date) int { return a.Time().Compare(b.Time()) }
