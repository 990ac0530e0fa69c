package ratelimit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"trustmark/ratelimit"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestTakeBurstsThenWaits(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	l := ratelimit.New(ratelimit.Config{Clock: clock.now})
	for i := range 5 {
		if ok, _ := l.Take("a", 2, 5); !ok {
			t.Fatalf("Take %d within the burst of 5 = false, want true", i+1)
		}
	}
	ok, wait := l.Take("a", 2, 5)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("Take beyond the burst = %v, wait %v; want false, wait 500ms at 2/s", ok, wait)
	}
	t.Run("a token refills after 1/rate seconds", func(t *testing.T) {
		clock.advance(400 * time.Millisecond)
		if ok, _ := l.Take("a", 2, 5); ok {
			t.Fatal("Take after 0.4 s = true, want false")
		}
		clock.advance(100 * time.Millisecond)
		if ok, _ := l.Take("a", 2, 5); !ok {
			t.Fatal("Take after 0.5 s = false, want true")
		}
	})
	t.Run("another key has its own bucket", func(t *testing.T) {
		if ok, _ := l.Take("b", 2, 5); !ok {
			t.Fatal("Take of another key = false, want true")
		}
	})
	t.Run("the bucket refills to its burst and no more", func(t *testing.T) {
		clock.advance(time.Hour)
		n := 0
		for ok, _ := l.Take("a", 2, 5); ok; ok, _ = l.Take("a", 2, 5) {
			n++
		}
		if n != 5 {
			t.Errorf("tokens after an idle hour = %d, want the burst 5", n)
		}
	})
	t.Run("a rate of zero always allows", func(t *testing.T) {
		for range 100 {
			if ok, _ := l.Take("z", 0, 1); !ok {
				t.Fatal("Take at rate 0 = false, want true")
			}
		}
	})
}

func TestChargeTakesFromTheBucketInTheContext(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := ratelimit.New(ratelimit.Config{Clock: clock.now})
	if ok, _ := l.Take("k", 10, 20); !ok {
		t.Fatal("first Take = false")
	}
	ctx := ratelimit.WithBucket(context.Background(), l, "k", 20)
	ratelimit.Charge(ctx, 19) // twenty requests' worth in all
	ok, wait := l.Take("k", 10, 20)
	if ok || wait != 100*time.Millisecond {
		t.Errorf("Take after a charge of 19 = %v, wait %v; want false, wait 100ms (one token at 10/s)", ok, wait)
	}
	t.Run("debt is bounded by ten bursts", func(t *testing.T) {
		ratelimit.Charge(ctx, 1e9)
		clock.advance(20*time.Second + 100*time.Millisecond) // 201 tokens: ten bursts of debt and one more
		if ok, _ := l.Take("k", 10, 20); !ok {
			t.Error("Take after refilling ten bursts of debt = false, want true")
		}
	})
	ratelimit.Charge(context.Background(), 5) // no bucket: nothing happens
}

func TestMemoryIsBounded(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := ratelimit.New(ratelimit.Config{MaxClients: 640, Clock: clock.now})
	for i := range 20_000 {
		l.Take(fmt.Sprint(i), 1, 10)
		if i%1000 == 0 {
			clock.advance(time.Second)
		}
	}
	if n := l.Len(); n > 640+32 {
		t.Errorf("buckets held after 20,000 keys = %d, want at most about 640", n)
	}
}
