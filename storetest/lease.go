package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"trustmark"
)

// leaseStep is one call in a lease scenario: holder tries to take (or, with
// release, gives up) the lease at Now+at.
type leaseStep struct {
	holder  string
	at      time.Duration
	release bool
	want    bool // whether AcquireLease takes it; ignored for a release
}

// testLeases checks AcquireLease and ReleaseLease: one holder at a time, by
// the clock passed in, renewal, expiry, release, and exactly one winner of
// a race on the database.
func testLeases(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	ws, ok := s.(trustmark.WatchStore)
	if !ok {
		t.Skipf("%T does not implement trustmark.WatchStore; leases are not checked", s)
	}
	const ttl = 30 * time.Second
	scenarios := []struct {
		name  string
		steps []leaseStep
	}{
		{"a free lease is taken, and a held one is not taken by another holder", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "b", at: 0, want: false},
			{holder: "b", at: ttl - time.Microsecond, want: false},
		}},
		{"the holder renews its lease, which then outlasts the first ttl", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "a", at: 20 * time.Second, want: true},
			{holder: "b", at: ttl + time.Second, want: false},
			{holder: "b", at: 20*time.Second + ttl - time.Microsecond, want: false},
		}},
		{"an expired lease is taken by another holder, and the old holder is refused", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "b", at: ttl, want: true},
			{holder: "a", at: ttl + time.Second, want: false},
		}},
		{"its holder may take back its own expired lease while no one else has", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "a", at: 10 * ttl, want: true},
			{holder: "b", at: 10 * ttl, want: false},
		}},
		{"a released lease is free at once", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "a", at: time.Second, release: true},
			{holder: "b", at: time.Second, want: true},
		}},
		{"only the holder can release a lease", []leaseStep{
			{holder: "a", at: 0, want: true},
			{holder: "b", at: time.Second, release: true},
			{holder: "b", at: time.Second, want: false},
			{holder: "a", at: time.Second, want: true},
		}},
		{"releasing a free lease does nothing", []leaseStep{
			{holder: "a", at: 0, release: true},
			{holder: "b", at: 0, want: true},
		}},
	}
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			name := fmt.Sprintf("scenario-%d", i) // leases are independent by name
			for j, st := range sc.steps {
				if st.release {
					if err := ws.ReleaseLease(ctx, name, st.holder); err != nil {
						t.Fatalf("step %d: ReleaseLease(%s) error: %v", j+1, st.holder, err)
					}
					continue
				}
				got, err := ws.AcquireLease(ctx, name, st.holder, Now.Add(st.at), ttl)
				if err != nil {
					t.Fatalf("step %d: AcquireLease(%s, Now+%s) error: %v", j+1, st.holder, st.at, err)
				}
				if got != st.want {
					t.Errorf("step %d: AcquireLease(%s, Now+%s) = %t, want %t", j+1, st.holder, st.at, got, st.want)
				}
			}
		})
	}

	t.Run("a lease of another name is independent", func(t *testing.T) {
		for _, name := range []string{"independent-1", "independent-2"} {
			if got, err := ws.AcquireLease(ctx, name, name, Now, ttl); !got || err != nil {
				t.Errorf("AcquireLease(%s) = %t, %v; want true", name, got, err)
			}
		}
	})

	t.Run("a lease needs a name, a holder and a positive ttl", func(t *testing.T) {
		for _, tc := range []struct {
			name, holder string
			ttl          time.Duration
			field        string
		}{
			{"", "a", ttl, "name"},
			{"bad", "", ttl, "holder"},
			{"bad", "a", 0, "ttl"},
		} {
			_, err := ws.AcquireLease(ctx, tc.name, tc.holder, Now, tc.ttl)
			wantCode(t, fmt.Sprintf("AcquireLease(%q, %q, %s)", tc.name, tc.holder, tc.ttl), err, trustmark.EInvalid, tc.field)
		}
	})

	t.Run("of holders racing for a free or expired lease exactly one wins", func(t *testing.T) {
		const racers, rounds = 12, 5
		for round := range rounds {
			// Each round races at an instant past the previous winner's ttl.
			at := Now.Add(time.Duration(round) * 2 * ttl)
			wins := make(chan string, racers)
			var wg sync.WaitGroup
			for r := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					holder := fmt.Sprintf("racer-%d-%d", round, r)
					ok, err := ws.AcquireLease(ctx, "race", holder, at, ttl)
					if err != nil {
						t.Errorf("AcquireLease(%s) error: %v", holder, err)
					}
					if ok {
						wins <- holder
					}
				}()
			}
			wg.Wait()
			close(wins)
			var winners []string
			for w := range wins {
				winners = append(winners, w)
			}
			if len(winners) != 1 {
				t.Errorf("round %d: winners %v, want exactly one of %d", round, winners, racers)
			}
		}
	})
}
