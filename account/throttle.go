package account

import (
	"time"

	"trustmark"
)

// Throttle is an account's record of failed sign-ins: how many failed in a
// row, when the last one was, and until when the account is locked. Locks
// are temporary and grow with each lock in a row, so that guessing is slow
// while a person who mistypes is back in minutes. (Limits per client
// address are the rate limiter's, in front of this.)
type Throttle struct {
	Failures    int       `json:"failures"`
	LastFailure time.Time `json:"last_failure"`
	Locks       int       `json:"locks"` // locks since the last success
	LockedUntil time.Time `json:"locked_until"`
}

// ThrottlePolicy sets when an account locks and for how long.
type ThrottlePolicy struct {
	MaxFailures int           // failures in a row that lock the account
	Window      time.Duration // failures further apart than this start the count anew
	Lock        time.Duration // the first lock
	MaxLock     time.Duration // locks double up to this
}

// DefaultThrottle locks after 5 failures within 15 minutes, for 15 minutes,
// doubling to at most a day. OWASP's authentication guidance and MLPS 2.0
// (GB/T 22239-2019, 登录失败处理) ask for a lock after a few failures; a
// permanent lock would let anyone shut a regulator out.
var DefaultThrottle = ThrottlePolicy{MaxFailures: 5, Window: 15 * time.Minute, Lock: 15 * time.Minute, MaxLock: 24 * time.Hour}

// Locked reports whether t refuses sign-ins at now.
func (t Throttle) Locked(now time.Time) bool { return now.Before(t.LockedUntil) }

// Check refuses a sign-in while the account is locked, saying until when.
// The refusal does not say whether the password would have been right.
func (t Throttle) Check(now time.Time) error {
	if t.Locked(now) {
		until := t.LockedUntil.In(chinaTime).Format("2006-01-02 15:04")
		return refuse(trustmark.ERateLimited, "signin.locked", "", "too many failed sign-ins: try again after %s (China time), or ask your administrator", until)
	}
	return nil
}

var chinaTime = time.FixedZone("CST", 8*3600)

// Record returns t after a sign-in attempt at now that succeeded (ok) or
// failed, and the lock event when this failure locks the account. A
// success clears the record.
func (p ThrottlePolicy) Record(t Throttle, now time.Time, ok bool) (Throttle, []Event) {
	if ok {
		return Throttle{}, nil
	}
	if !t.LastFailure.IsZero() && now.Sub(t.LastFailure) > p.Window {
		t.Failures = 0
	}
	t.Failures++
	t.LastFailure = now
	if t.Failures < p.MaxFailures {
		return t, nil
	}
	lock := p.Lock
	for i := 0; i < t.Locks && lock < p.MaxLock; i++ {
		lock *= 2
	}
	lock = min(lock, p.MaxLock)
	t.Failures, t.Locks, t.LockedUntil = 0, t.Locks+1, now.Add(lock)
	return t, []Event{{Kind: EventLocked, At: now, Detail: lock.String()}}
}
