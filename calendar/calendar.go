// Package calendar is the official working-day calendar of the People's
// Republic of China, on which statutory deadlines are counted: weekends and
// public holidays off, and the weekend days the State Council's yearly notice
// makes working days (调休) worked.
//
// Periods are counted as the law counts them: the day of the event itself is
// not counted (期间开始之日不计算在内), so N working days from a date end on the
// N-th working day after it. A year whose notice is not loaded is counted by
// weekends alone, and every answer that depends on such a year says it is
// provisional.
package calendar

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
	"time"

	"trustmark"
	"trustmark/data"
)

// MaxWorkingDays bounds one count: the longest statutory period in the
// regime is months, not decades.
const MaxWorkingDays = 3660

// Calendar is the working-day calendar over a set of yearly notices. It is
// safe for concurrent use. Its notices change only through Install, which
// replaces them all at once: every count sees either the notices before an
// install or those after it, never a mix.
type Calendar struct {
	notices atomic.Pointer[map[int]*Notice]
}

// New returns the calendar of the given notices; a later notice for the same
// year replaces an earlier one.
func New(notices ...*Notice) *Calendar {
	c := &Calendar{}
	m := map[int]*Notice{}
	for _, n := range notices {
		m[n.Year] = n
	}
	c.notices.Store(&m)
	return c
}

func (c *Calendar) load() map[int]*Notice { return *c.notices.Load() }

// With returns a calendar that also holds n (replacing its year's notice);
// c is unchanged.
func (c *Calendar) With(n *Notice) *Calendar {
	m := maps.Clone(c.load())
	m[n.Year] = n
	out := &Calendar{}
	out.notices.Store(&m)
	return out
}

// Install adds notices to c in place, each replacing its year's: the
// national administrator's load of a later year's notice reaches every
// deadline counted on c (the server's one calendar) without a restart.
func (c *Calendar) Install(notices ...*Notice) {
	for {
		old := c.notices.Load()
		m := maps.Clone(*old)
		for _, n := range notices {
			m[n.Year] = n
		}
		if c.notices.CompareAndSwap(old, &m) {
			return
		}
	}
}

// officialFile is the embedded copy of the State Council's notices.
const officialFile = "reference/cn_holidays_2025_2026.json"

// Official returns the calendar of the notices Trustmark ships with (2025 and
// 2026). Later years are loaded from their notices with ParseNotices and With.
func Official() *Calendar {
	f, err := data.Reference.Open(officialFile)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded %s: %v", officialFile, err))
	}
	defer f.Close()
	ns, err := ParseNotices(f)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded %s: %v", officialFile, err))
	}
	return New(ns...)
}

// Years returns the years whose notice is loaded, in order.
func (c *Calendar) Years() []int { return slices.Sorted(maps.Keys(c.load())) }

// Notice returns the notice of year, or nil when it is not loaded.
func (c *Calendar) Notice(year int) *Notice { return c.load()[year] }

// DayKind says why a day is or is not a working day.
type DayKind string

// Kinds of day.
const (
	Workday         DayKind = "workday"          // Monday to Friday, no holiday
	Weekend         DayKind = "weekend"          // Saturday or Sunday, not worked
	Holiday         DayKind = "holiday"          // a public holiday of the notice
	AdjustedWorkday DayKind = "adjusted_workday" // a weekend day worked (调休)
)

// Day is what the calendar says of one date.
type Day struct {
	Date        trustmark.Date
	Kind        DayKind
	Name        string // the holiday, or the holiday an adjusted day makes up for
	Provisional bool   // the date's year has no notice loaded
}

// Working reports whether the day is a working day.
func (d Day) Working() bool { return d.Kind == Workday || d.Kind == AdjustedWorkday }

// Day returns what the calendar says of d.
func (c *Calendar) Day(d trustmark.Date) Day { return dayIn(c.load(), d) }

// dayIn is what the notices say of d; a count takes the notices once, so
// an Install during it does not change its answer half-way.
func dayIn(notices map[int]*Notice, d trustmark.Date) Day {
	n := notices[d.Time().Year()]
	weekend := d.Time().Weekday() == time.Saturday || d.Time().Weekday() == time.Sunday
	day := Day{Date: d, Kind: Workday, Provisional: n == nil}
	if weekend {
		day.Kind = Weekend
	}
	if n == nil {
		return day
	}
	if name, ok := n.Holidays[d]; ok {
		day.Kind, day.Name = Holiday, name
	} else if name, ok := n.Workdays[d]; ok {
		day.Kind, day.Name = AdjustedWorkday, name
	}
	return day
}

// Deadline is a date computed on the calendar. Provisional is set when the
// computation went through a year whose notice is not loaded, so the date
// may move once it is.
type Deadline struct {
	Date        trustmark.Date `json:"date"`
	Provisional bool           `json:"provisional"`
}

// AddWorkingDays returns the n-th working day after from: the day of from
// itself is not counted. n = 0 gives from itself. It refuses n outside
// 0..MaxWorkingDays and a zero date.
func (c *Calendar) AddWorkingDays(from trustmark.Date, n int) (Deadline, error) {
	if from.IsZero() {
		return Deadline{}, trustmark.Invalidf("calendar.from_required", "from", "a start date is required")
	}
	if n < 0 || n > MaxWorkingDays {
		return Deadline{}, trustmark.Invalidf("calendar.add_range", "add", "the number of working days must be between 0 and %d, not %d", MaxWorkingDays, n)
	}
	out := Deadline{Date: from}
	notices := c.load()
	for d := from; n > 0; {
		d = d.AddDate(0, 0, 1)
		day := dayIn(notices, d)
		out.Provisional = out.Provisional || day.Provisional
		if day.Working() {
			n--
			out.Date = d
		}
	}
	return out, nil
}

// WorkingDaysBetween counts the working days after from up to and including
// to: how many working days of a period have passed on day to. It is 0 when
// to is not after from.
func (c *Calendar) WorkingDaysBetween(from, to trustmark.Date) (n int, provisional bool) {
	notices := c.load()
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		day := dayIn(notices, d)
		provisional = provisional || day.Provisional
		if day.Working() {
			n++
		}
	}
	return n, provisional
}
