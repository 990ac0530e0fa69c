package matter

import (
	"cmp"
	"slices"

	"trustmark"
)

// Overdue reports whether m is overdue on today: it still waits for its
// party, and today is after its due date. The due day itself is not overdue
// (a period ends at midnight of its last day); a paused matter's clock is
// stopped; an answered matter waits on the regulator, not on its party.
func Overdue(m Matter, today trustmark.Date) bool {
	return m.State == Opened && today.After(m.Due.Date)
}

// WorkingDaysLeft returns how many working days m's party has left on
// today: the working days after today up to and including the due date, so
// 0 on the due day itself. An overdue matter has a negative count, the
// working days since the due date and at least one, so that the sign alone
// tells overdue. A paused matter's count stands still at what was left when
// it paused. A matter that no longer waits for its party has 0 left.
// provisional is set when the count or the due date depends on a year whose
// holiday notice is not loaded.
func (r *Rules) WorkingDaysLeft(m Matter, today trustmark.Date) (n int, provisional bool) {
	switch m.State {
	case Paused:
		n, provisional = r.cal.WorkingDaysBetween(m.PausedOn, m.Due.Date)
	case Opened:
		if Overdue(m, today) {
			n, provisional = r.cal.WorkingDaysBetween(m.Due.Date, today)
			n = -max(n, 1)
		} else {
			n, provisional = r.cal.WorkingDaysBetween(today, m.Due.Date)
		}
	default:
		return 0, false
	}
	return n, provisional || m.Due.Provisional
}

// SortInbox orders matters as an inbox shows them on today: overdue first,
// then by due date, then by when they were opened.
func SortInbox(ms []Matter, today trustmark.Date) {
	slices.SortStableFunc(ms, func(a, b Matter) int {
		oa, ob := Overdue(a, today), Overdue(b, today)
		if oa != ob {
			if oa {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Due.Date.Time().Compare(b.Due.Date.Time()), a.OpenedAt.Compare(b.OpenedAt))
	})
}
