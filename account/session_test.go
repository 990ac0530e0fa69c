package account

import (
	"testing"
	"time"
)

func TestSessionLifetimes(t *testing.T) {
	p := DefaultSessions
	_, full, err := NewSession(seeded(10), "a1", StageFull, t0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		s      Session
		at     time.Duration // after t0
		reason string
	}{
		{"a session used within 30 minutes lives on", full, 30*time.Minute - time.Second, ""},
		{"a session unused for 30 minutes has ended", full, 30 * time.Minute, "session.idle"},
		{"a session in use ends 12 hours after sign-in", Session{Stage: StageFull, CreatedAt: t0, LastSeen: t0.Add(12*time.Hour - time.Minute)}, 12 * time.Hour, "session.expired"},
		{"a session in use lives just short of 12 hours", Session{Stage: StageFull, CreatedAt: t0, LastSeen: t0.Add(12*time.Hour - time.Minute)}, 12*time.Hour - time.Second, ""},
		{"a pending sign-in lasts 10 minutes", Session{Stage: StageSecondFactor, CreatedAt: t0, LastSeen: t0}, 10 * time.Minute, "session.pending_expired"},
		{"a pending sign-in within 10 minutes goes on", Session{Stage: StageCredentials, CreatedAt: t0, LastSeen: t0}, 10*time.Minute - time.Second, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Use(tt.s, t0.Add(tt.at))
			if reason(err) != tt.reason {
				t.Fatalf("Use at +%v = %v, want %q", tt.at, err, tt.reason)
			}
			if err == nil && !got.LastSeen.Equal(t0.Add(tt.at)) {
				t.Errorf("Use at +%v: LastSeen = %v, want the time of use", tt.at, got.LastSeen)
			}
		})
	}
}
