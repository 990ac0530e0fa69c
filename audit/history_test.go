package audit

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestOverlappingAgreesWithAScanOfEveryAudit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := cst(t, "2026-01-01 00:00")
	var spans []Span
	for i := range 2000 {
		s := base.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		spans = append(spans, Span{Audit: "A" + strconv.Itoa(i), Start: s, End: s.Add(time.Duration(1+rng.IntN(24*20)) * time.Hour)})
	}
	h := NewHistory(spans, nil)
	for range 500 {
		s := base.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		e := s.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
		var want []string
		for _, sp := range h.spans { // sorted, so the same order
			if sp.Start.Before(e) && sp.End.After(s) {
				want = append(want, sp.Audit)
			}
		}
		var got []string
		for sp := range h.Overlapping(s, e) {
			got = append(got, sp.Audit)
		}
		slices.Reverse(want) // latest start first
		if !slices.Equal(got, want) {
			t.Fatalf("Overlapping(%s, %s) = %v, want %v", s, e, got, want)
		}
	}
}

func TestCheckHistory(t *testing.T) {
	a := testAudit(t) // 2026-03-02 09:00-17:00 in Hangzhou, body CNCA-R-2002-001
	a.Links = []string{"L"}
	span := func(id, body, from, to string, in bool) Span {
		return Span{Audit: id, Body: body, Start: cst(t, from), End: cst(t, to), CheckedIn: in}
	}
	shanghai := Point{31.2304, 121.4737} // 165 km from the site
	tests := []struct {
		name  string
		spans []Span
		fixes []Fix
		at    string
		want  []Rule
	}{
		{"an audit the same afternoon elsewhere, checked in", []Span{span("B", bodyNo, "2026-03-02 13:00", "2026-03-02 18:00", true)}, nil, "2026-03-02 09:00", []Rule{Overlap}},
		{"an audit ending exactly at the start does not overlap", []Span{span("B", bodyNo, "2026-03-01 09:00", "2026-03-02 09:00", true)}, nil, "2026-03-02 09:00", nil},
		{"an overlapping audit not checked in to", []Span{span("B", bodyNo, "2026-03-02 13:00", "2026-03-02 18:00", false)}, nil, "2026-03-02 09:00", nil},
		{"a linked audit of the same half day", []Span{span("L", bodyNo, "2026-03-02 09:00", "2026-03-02 17:00", true)}, nil, "2026-03-02 09:00", nil},
		{"an audit of another body within 30 days", []Span{span("B", "CNCA-R-2003-009", "2026-03-20 09:00", "2026-03-20 17:00", false)}, nil, "2026-03-02 09:00", []Rule{LentOut}},
		{"an audit of another body 31 days later", []Span{span("B", "CNCA-R-2003-009", "2026-04-02 17:01", "2026-04-03 17:00", false)}, nil, "2026-03-02 09:00", nil},
		{"Shanghai 165 km an hour before: 165 km/h is plausible", nil, []Fix{{"F", "B", cst(t, "2026-03-02 08:00"), shanghai}}, "2026-03-02 09:00", nil},
		{"Shanghai half an hour before: 330 km/h", nil, []Fix{{"F", "B", cst(t, "2026-03-02 08:30"), shanghai}}, "2026-03-02 09:00", []Rule{ImpossibleTravel}},
		{"Shanghai half an hour after", nil, []Fix{{"F", "B", cst(t, "2026-03-02 09:30"), shanghai}}, "2026-03-02 09:00", []Rule{ImpossibleTravel}},
		{"40 km in a minute is under the 50 km floor", nil, []Fix{{"F", "B", cst(t, "2026-03-02 08:59"), north(site, 40000)}}, "2026-03-02 09:00", nil},
		{"only the nearest check-in is compared", nil, []Fix{{"F1", "B", cst(t, "2026-03-02 08:30"), shanghai}, {"F2", "C", cst(t, "2026-03-02 08:50"), site}}, "2026-03-02 09:00", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkIn(t, "C1", Open, tt.at, site)
			var got []Rule
			for _, an := range rules.CheckHistory(a, c, NewHistory(tt.spans, tt.fixes)) {
				got = append(got, an.Rule)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("CheckHistory = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTravelSeverity(t *testing.T) {
	a := testAudit(t)
	beijing := Point{39.9042, 116.4074} // about 1,130 km: 377 km/h in 3 hours, 283 in 4
	for _, tt := range []struct {
		before time.Duration
		want   Severity
	}{{3 * time.Hour, Major}, {4 * time.Hour, ""}, {time.Hour, Severe}, {0, Severe}} {
		c := checkIn(t, "C1", Open, "2026-03-02 09:00", site)
		h := NewHistory(nil, []Fix{{"F", "B", c.At.Add(-tt.before), beijing}})
		ans := rules.CheckHistory(a, c, h)
		if tt.want == "" && len(ans) == 0 {
			continue
		}
		if len(ans) != 1 || ans[0].Severity != tt.want {
			t.Errorf("Beijing %v before: %v, want one %s", tt.before, ans, tt.want)
		}
	}
}

func TestCheckPhotosAndDevice(t *testing.T) {
	a := testAudit(t)
	a.Links = []string{"L"}
	c := checkIn(t, "C1", Open, "2026-03-02 09:00", site) // photo sha-C1, phash F0F0...
	tests := []struct {
		name   string
		others []PhotoUse
		want   []string // match kinds
	}{
		{"the same bytes for another audit", []PhotoUse{{"B", "X", Photo{SHA256: "sha-C1"}}}, []string{"exact"}},
		{"a re-encoded copy 6 bits away", []PhotoUse{{"B", "X", Photo{SHA256: "other", PHash: 0xF0F0F0F0F0F0F03F}}}, []string{"perceptual"}},
		{"a different photo 7 bits away", []PhotoUse{{"B", "X", Photo{SHA256: "other", PHash: 0xF0F0F0F0F0F0F00E}}}, nil},
		{"the same photo of this audit", []PhotoUse{{"A1", "X", Photo{SHA256: "sha-C1"}}}, nil},
		{"the same photo of a linked audit", []PhotoUse{{"L", "X", Photo{SHA256: "sha-C1"}}}, nil},
		{"no perceptual hash is no match", []PhotoUse{{"B", "X", Photo{SHA256: "other"}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, an := range rules.CheckPhotos(a, c, tt.others) {
				got = append(got, an.Evidence["match"])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("CheckPhotos = %v, want %v", got, tt.want)
			}
		})
	}
	c.Device = "dev-1"
	devs := []DeviceUse{
		{"P9", "B", "X1", c.At.Add(-29 * 24 * time.Hour)}, // another person, another audit: shared
		{"P9", "B", "X2", c.At.Add(-31 * 24 * time.Hour)}, // outside the window
		{"P2", "A1", "X3", c.At},                          // a team mate on this audit
		{"P1", "B", "X4", c.At.Add(-time.Hour)},           // the same person
	}
	if got := rules.CheckDevice(a, c, devs); len(got) != 1 || got[0].Evidence["other_checkin"] != "X1" {
		t.Errorf("CheckDevice = %v, want one anomaly about X1", got)
	}
}
