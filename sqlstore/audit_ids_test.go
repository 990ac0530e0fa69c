package sqlstore

import (
	"sync"
	"testing"
	"time"
)

// TestIDSeq checks that check-in identifiers sort in the order they were
// made, under a moving clock, a clock that stands still and one that goes
// back, and stay distinct when made concurrently.
func TestIDSeq(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var s idSeq
	var prev string
	for i, now := range []time.Time{t0, t0, t0.Add(time.Microsecond), t0.Add(time.Second), t0, t0.Add(-time.Hour), t0.Add(time.Hour)} {
		id := s.next("C", now)
		if len(id) != 25 {
			t.Errorf("next #%d = %q, %d characters, want 25", i, id, len(id))
		}
		if id <= prev {
			t.Errorf("next #%d = %q, want after %q", i, id, prev)
		}
		prev = id
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				id := s.next("C", t0)
				mu.Lock()
				if seen[id] {
					t.Errorf("next = %q twice", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
