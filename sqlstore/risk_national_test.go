//go:build unix

package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// nationalMix is issue 14's national population: 1,100 bodies, 49,000
// laboratories, 120,000 persons and 940,000 organisations, each with 0 to
// most signals (uniformly) of the kinds that bear on it, dated up to 1,500
// days back. risk's BenchmarkFullRecompute scores the same mix in memory.
var nationalMix = []struct {
	kind  credit.SubjectKind
	n     int
	most  int
	kinds []risk.Kind
}{
	{credit.Body, 1_100, 16, []risk.Kind{risk.Anomaly, risk.AnomalyEscalated, risk.SuspensionShare, risk.Complaint, risk.InspectionFinding,
		risk.PenaltySignal, risk.NewBody, risk.CommitmentApproval, risk.HighRiskField}},
	{credit.Lab, 49_000, 6, []risk.Kind{risk.ProficiencyFailed, risk.Complaint, risk.InspectionFinding, risk.PenaltySignal, risk.ListingSignal}},
	{credit.Person, 120_000, 4, []risk.Kind{risk.Anomaly, risk.AnomalyEscalated, risk.InspectionFinding, risk.PenaltySignal}},
	{credit.Org, 940_000, 5, []risk.Kind{risk.SamplingFailed, risk.Complaint, risk.InspectionFinding, risk.PenaltySignal, risk.ListingSignal, risk.HighRiskField}},
}

var nationalRegions = []string{"110000", "120000", "310000", "320000", "330000", "370000", "440000", "510000", "610000", "650000"}

// seedNational writes the national mix divided by div straight into
// risk_signals and risk_scores, as the risk follower would have left them
// after scoring every subject on day on (subjects without a signal have no
// row: they are class A). It returns the subjects scored and the signals.
func seedNational(tb testing.TB, db *DB, div int, on trustmark.Date) (subjects, signals int) {
	tb.Helper()
	ctx := context.Background()
	rules := risk.DefaultRules()
	rng := rand.New(rand.NewPCG(14, 14))
	const chunk = 10_000
	for _, p := range nationalMix {
		n := p.n / div
		for from := 0; from < n; from += chunk {
			err := db.Transact(ctx, func(tx *Tx) error {
				var sigRows, scoreRows [][]any
				for i := from; i < min(n, from+chunk); i++ {
					s := credit.Subject{Kind: p.kind, ID: fmt.Sprintf("%s-%07d", p.kind, i)}
					region := nationalRegions[i%len(nationalRegions)]
					k := rng.IntN(p.most + 1)
					if k == 0 {
						continue
					}
					sigs := make([]risk.Signal, k)
					for j := range sigs {
						sigs[j] = risk.Signal{ID: fmt.Sprintf("bench:%s/%d", s, j), Subject: s, Region: region, Kind: p.kinds[rng.IntN(len(p.kinds))],
							On: on.AddDate(0, 0, -rng.IntN(1500)), Source: fmt.Sprintf("inspection:%d", rng.IntN(1e6))}
						sigRows = append(sigRows, []any{sigs[j].ID, string(s.Kind), s.ID, string(sigs[j].Kind), sigs[j].On.String(), 0, string(mustJSON(sigs[j]))})
					}
					sc := rules.ScoreOn(s, sigs, on)
					scoreRows = append(scoreRows, []any{string(s.Kind), s.ID, region, string(sc.Class), sc.Total, sc.Version, on.String(), 0, string(mustJSON(sc))})
					subjects++
					signals += k
				}
				if err := bulkInsert(ctx, tx, `INSERT INTO risk_signals (id, subject_kind, subject_id, kind, on_day, seq, data) VALUES `, sigRows); err != nil {
					return err
				}
				return bulkInsert(ctx, tx, `INSERT INTO risk_scores (subject_kind, subject_id, region, class, total, version, on_day, seq, data) VALUES `, scoreRows)
			})
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	return subjects, signals
}

// bulkInsert inserts rows with statements of 200 rows each.
func bulkInsert(ctx context.Context, tx *Tx, head string, rows [][]any) error {
	for len(rows) > 0 {
		part := rows[:min(200, len(rows))]
		rows = rows[len(part):]
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(part[0])), ", ") + ")"
		var args []any
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := tx.Exec(ctx, head+strings.TrimSuffix(strings.Repeat(one+", ", len(part)), ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRescoreRiskNational measures recomputing the stored risk
// scores through the store (SQLite, in a temporary file): the national mix
// of issue 14 is written with the timer stopped, then RescoreRisk runs over
// all of it, chunk after chunk of RescoreChunk, as serve's daily job does.
// "full": every score due (the first run, or a new version of the rules in
// force); "next-day": the day after a full run, when only the scores with
// a decaying signal, or a signal reaching its horizon, are due. A tenth of
// the nation (110,010 subjects, 92,305 of them with a signal and a stored
// score) by default; TRUSTMARK_BENCH_NATIONAL=full for all 1,110,100, the
// figure to quote: ten times a tenth underestimates the nation, whose
// database (over 1.7 GB) outgrows SQLite's page cache. It reports wall and
// CPU time (the process's, SQLite included) per subject rescored, and both
// multiplied up to the nation (for a full run, the measured times).
func BenchmarkRescoreRiskNational(b *testing.B) {
	div := 10
	switch v := os.Getenv("TRUSTMARK_BENCH_NATIONAL"); v {
	case "":
	case "full":
		div = 1
	default: // a smaller part, to compare variants quickly
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			div = n
		}
	}
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	on := trustmark.NewDate(2026, 6, 1)
	subjects, signals := seedNational(b, db, div, on)
	ctx := context.Background()
	rescoreAll := func(day trustmark.Date) int {
		total := 0
		var after credit.Subject
		for {
			n, last, err := db.RescoreRisk(ctx, day, after, RescoreChunk)
			if err != nil {
				b.Fatal(err)
			}
			total, after = total+n, last
			if n < RescoreChunk {
				return total
			}
		}
	}
	allDue := func() {
		if _, err := db.w.ExecContext(ctx, `UPDATE risk_scores SET until_day = ''`); err != nil {
			b.Fatal(err)
		}
	}
	measure := func(b *testing.B, before func(), day trustmark.Date) {
		var wall, cpu time.Duration
		total := 0
		for range b.N {
			b.StopTimer()
			before()
			b.StartTimer()
			start, startCPU := time.Now(), cpuTime()
			total += rescoreAll(day)
			wall += time.Since(start)
			cpu += cpuTime() - startCPU
		}
		b.ReportMetric(float64(subjects), "subjects")
		b.ReportMetric(float64(signals), "signals")
		b.ReportMetric(float64(total/b.N), "rescored")
		b.ReportMetric(float64(wall.Microseconds())/float64(total), "wall-µs/subject")
		b.ReportMetric(float64(cpu.Microseconds())/float64(total), "cpu-µs/subject")
		b.ReportMetric(wall.Seconds()/float64(b.N)*float64(div), "national-wall-s")
		b.ReportMetric(cpu.Seconds()/float64(b.N)*float64(div), "national-cpu-s")
	}
	b.Run("full", func(b *testing.B) {
		measure(b, allDue, on.AddDate(0, 0, 1))
	})
	b.Run("next-day", func(b *testing.B) {
		measure(b, func() { allDue(); rescoreAll(on.AddDate(0, 0, 1)) }, on.AddDate(0, 0, 2))
	})
}
