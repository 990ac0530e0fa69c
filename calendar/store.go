package calendar

import (
	"context"
	"time"

	"trustmark"
)

// EntityNotice names a loaded notice in events and the public log; the
// event's key is the year and its data the notice (EncodeNotice).
const EntityNotice = "calendar_notice"

// Loaded is a notice the national administrator loaded: who loaded it and
// when.
type Loaded struct {
	Notice *Notice
	By     string // the party, "kind:id"
	At     time.Time
}

// Store keeps the loaded notices (sqlstore.DB is one).
type Store interface {
	// LoadNotices decides on each notice (DecideLoad), keeps it, replacing
	// a loaded one of its year, and records the load as an event in the
	// public log: all of them or none.
	LoadNotices(ctx context.Context, actor trustmark.Party, notices []*Notice) error
	// LoadedNotices returns the loaded notices in year order.
	LoadedNotices(ctx context.Context) ([]Loaded, error)
}

// InstallLoaded installs on c the notices s holds: what a server does at
// start, so that its deadlines count on every year loaded so far.
func InstallLoaded(ctx context.Context, c *Calendar, s Store) error {
	ls, err := s.LoadedNotices(ctx)
	if err != nil {
		return err
	}
	ns := make([]*Notice, len(ls))
	for i, l := range ls {
		ns[i] = l.Notice
	}
	c.Install(ns...)
	return nil
}

// YearStatus is one year of the calendar as the national administrator
// sees it: shipped with the product, loaded, or provisional (no notice:
// counted by weekends alone).
type YearStatus struct {
	Year    int
	Title   string
	Shipped bool
	Loaded  *Loaded
}

// Provisional reports whether deadlines in the year are marked
// provisional.
func (y YearStatus) Provisional() bool { return !y.Shipped && y.Loaded == nil }

// Years lists the years from the first shipped one to the later of the
// year after the last known notice and the year after thisYear: every
// year with a notice, and the provisional ones a deadline may reach soon.
func Years(shipped *Calendar, loaded []Loaded, thisYear int) []YearStatus {
	byYear := map[int]*Loaded{}
	for i := range loaded {
		byYear[loaded[i].Notice.Year] = &loaded[i]
	}
	years := shipped.Years()
	if len(years) == 0 {
		return nil
	}
	last := max(years[len(years)-1], thisYear)
	for y := range byYear {
		last = max(last, y)
	}
	var out []YearStatus
	for y := years[0]; y <= last+1; y++ {
		st := YearStatus{Year: y}
		if n := shipped.Notice(y); n != nil {
			st.Shipped, st.Title = true, n.Title
		} else if l := byYear[y]; l != nil {
			st.Loaded, st.Title = l, l.Notice.Title
		}
		out = append(out, st)
	}
	return out
}
