package bulk_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/bulk"
	"trustmark/sqlstore"
)

// benchStore adds 2,000 organisations and 40,000 CCC certificates to the
// fixture.
func benchStore(b *testing.B, open opener) (*sqlstore.DB, []string, []trustmark.USCC) {
	now := storeNow
	db := open(b, &now)
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "bench.csv"}
	var orgs []trustmark.Record
	var usccs []trustmark.USCC
	for i := 0; i < 2000; i++ {
		u := trustmark.MakeUSCC(fmt.Sprintf("91110108%08d", 100000+i))
		usccs = append(usccs, u)
		orgs = append(orgs, &trustmark.Org{USCC: u, Name: fmt.Sprintf("基准测试公司%d", i), RegionCode: "110108"})
	}
	if _, err := db.Import(ctx, imp, trustmark.KindOrgs, orgs); err != nil {
		b.Fatal(err)
	}
	var numbers []string
	for start := 0; start < 40000; start += 1000 {
		var certs []trustmark.Record
		for i := start; i < start+1000; i++ {
			no := fmt.Sprintf("2024010901%06d", i)
			numbers = append(numbers, no)
			certs = append(certs, &trustmark.Certificate{Number: no, Type: trustmark.TypeCCC, BodyApprovalNo: bodyCQC, HolderUSCC: usccs[i%len(usccs)],
				Scope: "电子玩具", CCCCategory: "0901", IssuedOn: date("2024-02-01"), ExpiresOn: date("2029-01-31"), Status: trustmark.StatusValid})
		}
		out, err := db.Import(ctx, imp, trustmark.KindCertificates, certs)
		if err != nil {
			b.Fatal(err)
		}
		if out[0].Err != nil {
			b.Fatal(out[0].Err)
		}
	}
	return db, numbers, usccs
}

// benchItems is one call's worth of a realistic mix: 70% known
// certificates, 15% unknown well-formed CCC numbers, 10% USCCs, 5% junk.
func benchItems(call int, numbers []string, usccs []trustmark.USCC) []string {
	items := make([]string, bulk.MaxItems)
	for i := range items {
		k := call*bulk.MaxItems + i
		switch i % 20 {
		case 0, 1, 2:
			items[i] = fmt.Sprintf("2025010901%06d", k%1_000_000)
		case 3, 4:
			items[i] = string(usccs[k%len(usccs)])
		case 5:
			items[i] = "ZZ-" + fmt.Sprint(k)
		default:
			items[i] = numbers[(k*7919)%len(numbers)]
		}
	}
	return items
}

// BenchmarkVerifyService measures the service alone, without HTTP.
func BenchmarkVerifyService(b *testing.B) { eachStoreB(b, benchmarkVerifyService) }

func benchmarkVerifyService(b *testing.B, open opener) {
	db, numbers, usccs := benchStore(b, open)
	svc := bulk.New(bulk.Config{Store: db, Clock: func() time.Time { return verifyNow }})
	calls := make([][]string, 64)
	for i := range calls {
		calls[i] = benchItems(i, numbers, usccs)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Verify(ctx, calls[i%len(calls)], en); err != nil {
			b.Fatal(err)
		}
	}
	reportThroughput(b, cpu0)
}

// reportThroughput reports items per second of wall time, and items per
// second of the process's CPU time, which does not depend on what else the
// machine is doing (a shared machine makes the first one meaningless).
func reportThroughput(b *testing.B, cpu0 time.Duration) {
	items := float64(b.N * bulk.MaxItems)
	b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(items/cpu.Seconds(), "items/cpu-s")
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// eachStoreB runs a benchmark on SQLite, and on PostgreSQL when
// TRUSTMARK_TEST_PG is set.
func eachStoreB(b *testing.B, fn func(b *testing.B, open opener)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, openStoreClock) })
	b.Run("postgres", func(b *testing.B) {
		fn(b, func(t testing.TB, now *time.Time) *sqlstore.DB { return fill(t, pgDSN(t), now) })
	})
}
