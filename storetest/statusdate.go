package storetest

import (
	"testing"

	"trustmark"
)

// testStatusDates: an import that changes a laboratory's or a person's
// status dates the change by the day the record gives
// (trustmark.ChangedStatusSince), in the party and in the event's
// effective day; a record that gives none, one still to come, or the day
// the old status began (a copy of the stored record) dates it today.
func testStatusDates(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	given, accredited := Today.AddDate(0, 0, -40), Today.AddDate(0, 0, -400)
	lab := func(no string) *trustmark.Lab {
		l := &trustmark.Lab{CMANo: no, USCC: trustmark.MakeUSCC("12110000400000" + no[10:]), Name: "北京检测中心" + no[10:], RegionCode: "110000",
			Status: trustmark.PartyActive, StatusSince: accredited}
		wantAll(t, importAll(t, s, trustmark.KindLabs, l), trustmark.Created)
		return l
	}
	suspend := func(l *trustmark.Lab, since trustmark.Date) *trustmark.Lab {
		t.Helper()
		next := *l
		next.Status, next.StatusSince = trustmark.PartySuspended, since
		wantAll(t, importAll(t, s, trustmark.KindLabs, &next), trustmark.Updated)
		got, err := s.Lab(ctx, l.CMANo)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for i, tc := range []struct {
		name        string
		since, want trustmark.Date
	}{
		{"a given day is kept", given, given},
		{"no day is today", trustmark.Date{}, Today},
		{"a day still to come is today", Today.AddDate(0, 0, 3), Today},
		{"the day the old status began is today", accredited, Today},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := lab("24001234001" + string(rune('1'+i)))
			if got := suspend(l, tc.since); got.Status != trustmark.PartySuspended || got.StatusSince != tc.want {
				t.Errorf("Lab(%s) = %s since %s, want suspended since %s", l.CMANo, got.Status, got.StatusSince, tc.want)
			}
			evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityLab, Key: l.CMANo, After: -1})
			if err != nil {
				t.Fatal(err)
			}
			if last := evs[len(evs)-1]; last.Action != trustmark.ActionStatusChanged || last.EffectiveOn != tc.want {
				t.Errorf("last event of lab %s = %s on %s, want status_changed on %s", l.CMANo, last.Action, last.EffectiveOn, tc.want)
			}
		})
	}
	t.Run("a person's given day is kept", func(t *testing.T) {
		p := person("P-0009", "李娜", bodyA, trustmark.PartyActive)
		p.StatusSince = accredited
		wantAll(t, importAll(t, s, trustmark.KindPersons, p), trustmark.Created)
		p.Status, p.StatusSince = trustmark.PartySuspended, given
		wantAll(t, importAll(t, s, trustmark.KindPersons, p), trustmark.Updated)
		if got, err := s.Person(ctx, "P-0009"); err != nil || got.Status != trustmark.PartySuspended || got.StatusSince != given {
			t.Errorf("Person(P-0009) = %+v %v, want suspended since %s", got, err, given)
		}
	})
}
