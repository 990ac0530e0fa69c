package account

import (
	"testing"
	"time"

	"trustmark"
)

func TestThrottle(t *testing.T) {
	p := DefaultThrottle
	fail := func(th Throttle, at time.Time, n int) (Throttle, []Event) {
		var evs []Event
		for range n {
			var e []Event
			th, e = p.Record(th, at, false)
			evs = append(evs, e...)
		}
		return th, evs
	}
	t.Run("four failures do not lock", func(t *testing.T) {
		th, evs := fail(Throttle{}, t0, 4)
		if th.Locked(t0) || len(evs) != 0 || th.Failures != 4 {
			t.Errorf("after 4 failures: %+v, %v; want 4 failures and no lock", th, evs)
		}
	})
	th, evs := fail(Throttle{}, t0, 5)
	t.Run("the fifth failure locks for 15 minutes", func(t *testing.T) {
		if len(evs) != 1 || evs[0].Kind != EventLocked || !th.LockedUntil.Equal(t0.Add(15*time.Minute)) {
			t.Errorf("after 5 failures: %+v, %v; want locked until %v", th, evs, t0.Add(15*time.Minute))
		}
	})
	t.Run("a lock refuses until its last instant and not after", func(t *testing.T) {
		if err := th.Check(t0.Add(15*time.Minute - time.Nanosecond)); trustmark.ErrorCode(err) != trustmark.ERateLimited || reason(err) != "signin.locked" {
			t.Errorf("Check just before the lock ends = %v, want rate_limited", err)
		}
		if err := th.Check(t0.Add(15 * time.Minute)); err != nil {
			t.Errorf("Check when the lock ends = %v, want nil", err)
		}
	})
	t.Run("the next lock in a row lasts twice as long", func(t *testing.T) {
		later := t0.Add(15 * time.Minute)
		th2, _ := fail(th, later, 5)
		if !th2.LockedUntil.Equal(later.Add(30 * time.Minute)) {
			t.Errorf("second lock until %v, want %v", th2.LockedUntil, later.Add(30*time.Minute))
		}
	})
	t.Run("locks grow to a day and no further", func(t *testing.T) {
		th := Throttle{Locks: 20}
		th, _ = fail(th, t0, 5)
		if !th.LockedUntil.Equal(t0.Add(24 * time.Hour)) {
			t.Errorf("lock after 20 locks until %v, want a day", th.LockedUntil)
		}
	})
	t.Run("a success clears the record", func(t *testing.T) {
		th, _ := p.Record(th, t0.Add(time.Hour), true)
		if th != (Throttle{}) {
			t.Errorf("after a success: %+v, want a clear record", th)
		}
	})
	t.Run("failures further apart than the window do not add up", func(t *testing.T) {
		var th Throttle
		for i := range 10 {
			th, _ = p.Record(th, t0.Add(time.Duration(i)*16*time.Minute), false)
		}
		if th.Locked(t0.Add(160*time.Minute)) || th.Failures != 1 {
			t.Errorf("after 10 failures 16 minutes apart: %+v, want 1 failure and no lock", th)
		}
	})
	t.Run("failures within the window add up", func(t *testing.T) {
		var th Throttle
		for i := range 5 {
			th, _ = p.Record(th, t0.Add(time.Duration(i)*15*time.Minute), false)
		}
		if !th.Locked(t0.Add(time.Hour)) {
			t.Errorf("after 5 failures 15 minutes apart: %+v, want locked", th)
		}
	})
}
