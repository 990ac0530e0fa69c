package sqlstore_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// BenchmarkLabReports lists the first page of a laboratory of 50,000
// reports (over two years, clients among seedParties' 1,000
// organisations) newest first, as its workbench does, beside the
// registry's own listing of the same laboratory in key order (Reports),
// which reads the primary key's range and sorts nothing.
func BenchmarkLabReports(b *testing.B) {
	const lab, n = "240012340009", 50000
	path := filepath.Join(b.TempDir(), "trustmark.db")
	db, err := sqlstore.Open(ctx, path, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	seedParties(b, db)
	if _, err := db.Import(ctx, loader, trustmark.KindLabs, []trustmark.Record{&trustmark.Lab{CMANo: lab, USCC: trustmark.MakeUSCC("1211000040000090"),
		Name: "国家家用电器质量检验检测中心", RegionCode: "110000", Status: trustmark.PartyActive}}); err != nil {
		b.Fatal(err)
	}
	first, _ := trustmark.ParseDate("2024-01-01")
	for start := 0; start < n; start += 5000 {
		var recs []trustmark.Record
		for i := start; i < start+5000; i++ {
			recs = append(recs, &trustmark.Report{Number: fmt.Sprintf("BG%06d", i), LabCMANo: lab, ClientUSCC: holder(i * 7), Product: "电冰箱",
				Conclusion: trustmark.ConclusionPass, IssuedOn: first.AddDate(0, 0, (i*37)%730)})
		}
		if _, err := db.Import(ctx, loader, trustmark.KindReports, recs); err != nil {
			b.Fatal(err)
		}
	}
	// cursor10 starts the tenth page of the newest-first list.
	var cursor10 string
	for range 9 {
		p, err := db.LabReports(ctx, trustmark.LabReportFilter{LabCMANo: lab, Cursor: cursor10})
		if err != nil {
			b.Fatal(err)
		}
		cursor10 = p.NextCursor
	}
	run := func(name string, list func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if got, err := list(); err != nil || got != 50 {
					b.Fatalf("%s: %d reports, %v", name, got, err)
				}
			}
		})
	}
	lr := func(f trustmark.LabReportFilter) func() (int, error) {
		return func() (int, error) {
			f.LabCMANo, f.Limit = lab, 50
			p, err := db.LabReports(ctx, f)
			return len(p.Items), err
		}
	}
	// The same lists with the index of migration 027 and, in the same
	// run, without it (dropped, then made again), so that the two compare
	// as a ratio on the same machine at the same time.
	raw, err := sqlstore.OpenRaw(path)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for _, index := range []bool{true, false} {
		sfx := ""
		if !index {
			sfx = ", without the index"
			if _, err := raw.Exec(`DROP INDEX reports_lab_issued`); err != nil {
				b.Fatal(err)
			}
		}
		run("key order (Reports)"+sfx, func() (int, error) {
			p, err := db.Reports(ctx, trustmark.ReportFilter{LabCMANo: lab, Limit: 50})
			return len(p.Items), err
		})
		run("newest first"+sfx, lr(trustmark.LabReportFilter{}))
		run("newest first, 10th page"+sfx, lr(trustmark.LabReportFilter{Cursor: cursor10}))
		run("by number prefix"+sfx, lr(trustmark.LabReportFilter{Q: "BG01"}))
		run("by client name"+sfx, lr(trustmark.LabReportFilter{Q: "制造"}))
	}
	if _, err := raw.Exec(`CREATE INDEX reports_lab_issued ON reports (lab_cma_no, issued_on, number)`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLabReportsIndexImportCost measures what the index of migration
// 027 costs an import: two registries of one laboratory with 20,000
// reports, one without the index, take 1,000 new reports each in turn
// (interleaved, each first every other time, so that both see the same
// load on the machine); the
// metrics are the time of each and their ratio.
func BenchmarkLabReportsIndexImportCost(b *testing.B) {
	const lab = "240012340009"
	first, _ := trustmark.ParseDate("2024-01-01")
	open := func(index bool) *sqlstore.DB {
		path := filepath.Join(b.TempDir(), "trustmark.db")
		db, err := sqlstore.Open(ctx, path, sqlstore.WithClock(storetest.Clock))
		if err != nil {
			b.Fatal(err)
		}
		seedParties(b, db)
		if _, err := db.Import(ctx, loader, trustmark.KindLabs, []trustmark.Record{&trustmark.Lab{CMANo: lab, USCC: trustmark.MakeUSCC("1211000040000090"),
			Name: "国家家用电器质量检验检测中心", RegionCode: "110000", Status: trustmark.PartyActive}}); err != nil {
			b.Fatal(err)
		}
		if !index {
			raw, err := sqlstore.OpenRaw(path)
			if err == nil {
				_, err = raw.Exec(`DROP INDEX reports_lab_issued`)
				raw.Close()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		return db
	}
	with, without := open(true), open(false)
	defer with.Close()
	defer without.Close()
	next := 0
	batch := func(db *sqlstore.DB, start int) time.Duration {
		var recs []trustmark.Record
		for i := start; i < start+1000; i++ {
			recs = append(recs, &trustmark.Report{Number: fmt.Sprintf("IM%08d", i), LabCMANo: lab, ClientUSCC: holder(i), Product: "洗衣机",
				Conclusion: trustmark.ConclusionPass, IssuedOn: first.AddDate(0, 0, (i*37)%730)})
		}
		t0 := time.Now()
		if _, err := db.Import(ctx, loader, trustmark.KindReports, recs); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	for ; next < 20000; next += 1000 {
		batch(with, next)
		batch(without, next)
	}
	var tw, to time.Duration
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 { // each goes first every other time
			tw += batch(with, next)
			to += batch(without, next)
		} else {
			to += batch(without, next)
			tw += batch(with, next)
		}
		next += 1000
	}
	b.ReportMetric(float64(tw.Nanoseconds())/float64(b.N), "ns-with/op")
	b.ReportMetric(float64(to.Nanoseconds())/float64(b.N), "ns-without/op")
	b.ReportMetric(float64(tw)/float64(to), "with/without")
}
