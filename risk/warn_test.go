package risk

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"trustmark/account"
	"trustmark/credit"
	"trustmark/matter"
)

func TestClassUp(t *testing.T) {
	r := DefaultRules()
	on := day(t, "2026-06-01")
	quiet := r.ScoreOn(body, []Signal{sig(t, Complaint, "2026-05-01", 0)}, on)
	loud := r.ScoreOn(body, []Signal{sig(t, Complaint, "2026-05-01", 0), sig(t, PenaltySignal, "2026-05-20", 0)}, on)
	if ws := ClassUp(loud, quiet, "110000"); len(ws) != 0 {
		t.Errorf("ClassUp(C → A) = %v, want no warning", ws)
	}
	if ws := ClassUp(quiet, quiet, "110000"); len(ws) != 0 {
		t.Errorf("ClassUp(same class) = %v, want no warning", ws)
	}
	ws := ClassUp(quiet, loud, "110000")
	if len(ws) != 1 || ws[0].Rule != RuleClassUp || len(ws[0].Evidence) != 2 {
		t.Fatalf("ClassUp(A → C) = %+v, want one warning with both signals as evidence", ws)
	}
	if want := fmt.Sprint([]string{body.String(), string(quiet.Class), one(quiet.Total), string(loud.Class), one(loud.Total)}); fmt.Sprint(ws[0].Args) != want {
		t.Errorf("ClassUp's args = %q, want %s (subject, class and score before and after)", ws[0].Args, want)
	}

	t.Run("the warning opens a risk matter for the region's regulators", func(t *testing.T) {
		o := ws[0].Opening("M1", time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC), "risk")
		m, _, err := matter.Official().Open(o)
		if err != nil {
			t.Fatalf("Open(%+v): %v", o, err)
		}
		if m.Party != (account.Unit{Kind: account.Regulator, ID: "110000"}) || m.Kind != "risk_warning" {
			t.Errorf("matter = %+v, want a risk_warning for regulator 110000", m)
		}
	})
}

func TestAnomalyClusters(t *testing.T) {
	on := day(t, "2026-06-30")
	var signals []Signal
	add := func(region string, n int, first string) {
		for i := range n {
			signals = append(signals, Signal{Subject: body, Region: region, Kind: Anomaly, On: day(t, first).AddDate(0, 0, i%5), Source: fmt.Sprintf("audit:%s-%d", region, i)})
		}
	}
	add("110000", 12, "2026-06-01") // in the window from 2026-06-01: a cluster
	add("310000", 3, "2026-06-10")
	add("440000", 2, "2026-06-10")
	add("500000", 30, "2026-05-01") // before the window
	ws := AnomalyClusters(signals, on, DefaultPatterns)
	if len(ws) != 1 || ws[0].Region != "110000" || len(ws[0].Evidence) != 12 {
		t.Fatalf("AnomalyClusters = %+v, want one warning for 110000 with 12 anomalies", ws)
	}
	if got, want := fmt.Sprint(ws[0].Args), "[12 110000 2026-06-01 2026-06-30 2.5]"; got != want {
		t.Errorf("AnomalyClusters' args = %s, want %s (anomalies, region, days, the mean of the others in the window: (3+2)/2)", got, want)
	}
	p := DefaultPatterns
	p.ClusterMin = 13
	if ws := AnomalyClusters(signals, on, p); len(ws) != 0 {
		t.Errorf("AnomalyClusters below ClusterMin = %+v, want none", ws)
	}
}

func TestSuspensionJumps(t *testing.T) {
	b := func(id string, share float64) BodyRate {
		return BodyRate{Body: credit.Subject{Kind: credit.Body, ID: id}, Region: "320000", Peers: "QMS", Share: share}
	}
	on := day(t, "2026-06-30")
	tests := []struct {
		name  string
		rates []BodyRate
		want  []string
	}{
		{"a body at over three times its peers' median is warned of", []BodyRate{b("A", 0.03), b("B", 0.02), b("C", 0.02), b("D", 0.09)}, []string{"D body:D 9.0 QMS 3 2.0"}},
		{"just under three times is not", []BodyRate{b("A", 0.03), b("B", 0.02), b("C", 0.04), b("D", 0.089)}, nil},
		{"a high ratio on a tiny share is not", []BodyRate{b("A", 0.001), b("B", 0.001), b("C", 0.001), b("D", 0.04)}, nil},
		{"too few peers to compare with", []BodyRate{b("A", 0.01), b("B", 0.01), b("D", 0.5)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range SuspensionJumps(tt.rates, on, DefaultPatterns) {
				got = append(got, w.Subject.ID+" "+strings.Join(w.Args, " "))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("SuspensionJumps = %v, want %v", got, tt.want)
			}
		})
	}
}
