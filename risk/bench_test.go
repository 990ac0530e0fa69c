package risk

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"trustmark"
	"trustmark/credit"
)

// population is the national scale of issue 14, with a realistic handful
// of signals per subject of each kind (most subjects have few or none).
var population = []struct {
	kind    credit.SubjectKind
	n       int
	signals int // at most so many per subject, uniformly 0..signals
	kinds   []Kind
}{
	{credit.Body, 1_100, 16, []Kind{Anomaly, AnomalyEscalated, SuspensionShare, Complaint, InspectionFinding, PenaltySignal, NewBody, CommitmentApproval, HighRiskField}},
	{credit.Lab, 49_000, 6, []Kind{ProficiencyFailed, Complaint, InspectionFinding, PenaltySignal, ListingSignal}},
	{credit.Person, 120_000, 4, []Kind{Anomaly, AnomalyEscalated, InspectionFinding, PenaltySignal}},
	{credit.Org, 940_000, 5, []Kind{SamplingFailed, Complaint, InspectionFinding, PenaltySignal, ListingSignal, HighRiskField}},
}

// chunk fills buf with the signals of subjects [from, from+n) of one kind.
func chunk(rng *rand.Rand, kind credit.SubjectKind, most int, kinds []Kind, from, n int, on trustmark.Date, subjects []credit.Subject, bounds []int, buf []Signal) ([]credit.Subject, []int, []Signal) {
	subjects, bounds, buf = subjects[:0], bounds[:0], buf[:0]
	for i := from; i < from+n; i++ {
		s := credit.Subject{Kind: kind, ID: fmt.Sprintf("%s-%07d", kind, i)}
		subjects = append(subjects, s)
		bounds = append(bounds, len(buf))
		for range rng.IntN(most + 1) {
			buf = append(buf, Signal{Subject: s, Region: "110000", Kind: kinds[rng.IntN(len(kinds))],
				On: on.AddDate(0, 0, -rng.IntN(1500)), Source: "bench", Value: 1})
		}
	}
	return subjects, append(bounds, len(buf)), buf
}

// BenchmarkFullRecompute scores every subject of the nation once per
// iteration. Only Compute is timed: the signals are generated in chunks of
// 10,000 subjects with the timer stopped, as a store would stream them.
func BenchmarkFullRecompute(b *testing.B) {
	rs := DefaultRules().InForce(trustmark.NewDate(2026, 6, 1))
	on := trustmark.NewDate(2026, 6, 1)
	const size = 10_000
	var subjects []credit.Subject
	var bounds []int
	var buf []Signal
	signals, scored := 0, 0
	for b.Loop() {
		rng := rand.New(rand.NewPCG(1, 1))
		signals, scored = 0, 0
		for _, p := range population {
			for from := 0; from < p.n; from += size {
				b.StopTimer()
				subjects, bounds, buf = chunk(rng, p.kind, p.signals, p.kinds, from, min(size, p.n-from), on, subjects, bounds, buf)
				signals += len(buf)
				b.StartTimer()
				for i, s := range subjects {
					sc := Compute(s, buf[bounds[i]:bounds[i+1]], rs, on)
					if sc.Class != "" {
						scored++
					}
				}
			}
		}
	}
	b.ReportMetric(float64(scored), "subjects")
	b.ReportMetric(float64(signals), "signals")
}

// BenchmarkRescoreOne is one new signal reflected: a busy body's score
// recomputed from its 40 signals and the new one.
func BenchmarkRescoreOne(b *testing.B) {
	rs := DefaultRules()
	on := trustmark.NewDate(2026, 6, 1)
	rng := rand.New(rand.NewPCG(2, 2))
	_, _, signals := chunk(rng, credit.Body, 0, Kinds, 0, 1, on, nil, nil, nil)
	s := credit.Subject{Kind: credit.Body, ID: "body-0000000"}
	for i := range 41 {
		signals = append(signals, Signal{Subject: s, Kind: Kinds[i%len(Kinds)], On: on.AddDate(0, 0, -rng.IntN(1000)), Source: "bench"})
	}
	for b.Loop() {
		_ = rs.ScoreOn(s, signals, on)
	}
}
