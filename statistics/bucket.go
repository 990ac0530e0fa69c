package statistics

import (
	"time"

	"trustmark"
)

// BaselineYear is the plan's baseline year. The trend starts in its January,
// so that the flows of 2020 can be summed and the stocks read at its end.
const BaselineYear = 2020

// TrendStart returns the first day of the trend: 1 January of BaselineYear.
func TrendStart() trustmark.Date { return trustmark.NewDate(BaselineYear, time.January, 1) }

// Bucket is one calendar month of a trend. A stock (certificates in force)
// is read on its End; a flow (reports issued) is summed over the month.
type Bucket struct {
	Month string         // "2026-03"
	First trustmark.Date // its first day
	// End is its last day, or the as-of day in the as-of month: a trend
	// never reads a day that has not come.
	End trustmark.Date
}

// Partial reports whether b ends before its month does (the as-of month).
func (b Bucket) Partial() bool { return b.End.AddDate(0, 0, 1).Time().Day() != 1 }

// Months returns the calendar months from the month of from through the
// month of asOf, oldest first, the last ending on asOf. It returns nil when
// asOf comes before the month of from.
func Months(from, asOf trustmark.Date) []Bucket {
	if from.IsZero() || asOf.IsZero() {
		return nil
	}
	first := trustmark.NewDate(from.Time().Year(), from.Time().Month(), 1)
	var out []Bucket
	for m := first; !m.After(asOf); m = m.AddDate(0, 1, 0) {
		end := m.AddDate(0, 1, -1)
		if end.After(asOf) {
			end = asOf
		}
		out = append(out, Bucket{Month: m.String()[:7], First: m, End: end})
	}
	return out
}

// Trend returns the buckets of the indicators' trend on asOf: the months
// from TrendStart through asOf.
func Trend(asOf trustmark.Date) []Bucket { return Months(TrendStart(), asOf) }

// MonthOf returns the "YYYY-MM" month of d, "" for the zero date.
func MonthOf(d trustmark.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()[:7]
}

// Span is a run of days, First through Last, both included. A zero First
// means since always, a zero Last for ever.
type Span struct{ First, Last trustmark.Date }

// Holds reports whether day d is in s.
func (s Span) Holds(d trustmark.Date) bool {
	return (s.First.IsZero() || !d.Before(s.First)) && (s.Last.IsZero() || !d.After(s.Last))
}

// CertificateSpan returns the days on which a certificate counts as valid,
// from what the registry holds of it: from its issue date through its
// expiry date (a certificate is valid through the day it expires), cut short
// on the day before status_since when its status is suspended, revoked,
// withdrawn or expired. ok is false when it was valid on no day: a status
// other than valid or expired whose day is unknown is taken to hold from the
// start, since the registry cannot show the certificate was ever in force.
//
// The registry keeps a certificate's present status only, so a certificate
// suspended last year and restored since counts as valid through its
// suspension; the event log has the history, the counts do not replay it.
func CertificateSpan(issued, expires trustmark.Date, status trustmark.CertStatus, since trustmark.Date) (Span, bool) {
	s := Span{First: issued, Last: expires}
	switch {
	case status == trustmark.StatusValid:
	case since.IsZero():
		if status != trustmark.StatusExpired {
			return s, false
		}
	default:
		if cut := since.AddDate(0, 0, -1); s.Last.IsZero() || cut.Before(s.Last) {
			s.Last = cut
		}
	}
	return s, s.First.IsZero() || s.Last.IsZero() || !s.Last.Before(s.First)
}

// PartySpan returns the days on which a certification body, laboratory or
// registered person counts: from start (a body's approval; zero when the
// registry does not know it) through until (a laboratory's CMA validity;
// zero for none), cut short on the day before status_since when its status
// is not active. ok is false when it counted on no day; an inactive status
// whose day is unknown is taken to hold from the start.
func PartySpan(start, until trustmark.Date, status trustmark.PartyStatus, since trustmark.Date) (Span, bool) {
	s := Span{First: start, Last: until}
	if status != trustmark.PartyActive {
		if since.IsZero() {
			return s, false
		}
		if cut := since.AddDate(0, 0, -1); s.Last.IsZero() || cut.Before(s.Last) {
			s.Last = cut
		}
	}
	return s, s.First.IsZero() || s.Last.IsZero() || !s.Last.Before(s.First)
}
