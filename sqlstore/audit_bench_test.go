package sqlstore_test

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// benchTeams is how many auditors check in, each to an audit of their own.
const benchTeams = 100

func benchPerson(i int) string { return fmt.Sprintf("2026-BQA-%04d", i) }

// seedAudits registers benchTeams auditors of benchBody and a plan for
// each, whose opening meeting started an hour before the suite's clock;
// each of the first history auditors also has that many past audits, one
// a day, for the overlap and lent-out rules to search.
func seedAudits(b testing.TB, db *sqlstore.DB, history int) []string {
	b.Helper()
	return seedTeams(b, db, history, benchTeams)
}

// seedTeams is seedAudits with teams auditors.
func seedTeams(b testing.TB, db *sqlstore.DB, history, teams int) []string {
	b.Helper()
	seedParties(b, db)
	var persons []trustmark.Record
	for i := range teams {
		persons = append(persons, &trustmark.Person{RegistrationNo: benchPerson(i), Name: "审核员", BodyApprovalNo: benchBody,
			Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive})
	}
	for _, batch := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{{trustmark.KindPersons, persons}, {trustmark.KindCertificates, certBatch("BENCH", teams)}} {
		if _, err := db.Import(ctx, loader, batch.kind, batch.recs); err != nil {
			b.Fatal(err)
		}
	}
	plan := func(i int, open time.Time) audit.Plan {
		return audit.Plan{Certificate: fmt.Sprintf("BENCH-%05d", i), Kind: audit.Surveillance,
			Site:      audit.Site{Address: "杭州市西湖区", Lat: 30.25, Lng: 120.15, Datum: audit.WGS84},
			OpeningAt: open, ClosingAt: open.Add(7 * time.Hour), Team: []audit.Member{{RegistrationNo: benchPerson(i), Role: audit.Leader}},
			AuditorDays: 5, EffectivePersonnel: 230}
	}
	ids := make([]string, teams)
	for i := range teams {
		for d := history; d > 0 && i == 0; d-- {
			if _, err := db.ReportAudit(ctx, benchBody, "bench", plan(i, storetest.Now.AddDate(0, 0, -d))); err != nil {
				b.Fatal(err)
			}
		}
		d, err := db.ReportAudit(ctx, benchBody, "bench", plan(i, storetest.Now.Add(-time.Hour)))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = d.Audit.ID
	}
	return ids
}

// BenchmarkCheckIn measures deciding, evaluating every anomaly rule on,
// and persisting one check-in with one photo into SQLite from one caller:
// the group commit's queue then holds one check-in at a time, so each has
// a transaction of its own. long-history: the auditor checking in has 2,000 past
// audits.
func BenchmarkCheckIn(b *testing.B) {
	for _, bc := range []struct {
		name    string
		history int
	}{{"teams", 0}, {"long-history", 2000}} {
		b.Run(bc.name, func(b *testing.B) {
			db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.WithClock(storetest.Clock))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ids := seedAudits(b, db, bc.history)
			photo := make([]byte, 64<<10)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				n := i % benchTeams
				if bc.history > 0 {
					n = 0
				}
				binary.LittleEndian.PutUint64(photo, uint64(i)) // a photo of its own
				req := audit.CheckInRequest{Person: benchPerson(n), Kind: "open", Lat: 30.2501, Lng: 120.1502, AccuracyM: 15,
					Datum: "wgs84", DeviceTime: storetest.Now, Device: fmt.Sprint("phone-", i)}
				if _, err := db.CheckIn(ctx, ids[n], fmt.Sprint("k", i), req, [][]byte{photo}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
		})
	}
}

// BenchmarkCheckInBatch is BenchmarkCheckIn with the check-ins that arrive
// together committed in one transaction of batch check-ins (group commit);
// each check-in carries one photo of its own, of 1 or 64 KiB. Every
// check-in comes from a phone of its own, the most a device can cost the
// store (a row of device_persons each); phones: each auditor checks in
// from their own phone, as auditors do; many: so do 5,000 auditors, so
// that a group's check-ins are of as many persons and audits as at a
// national peak, where 100 auditors would keep each person's index
// entries on a few pages. The suite's clock stands still, so
// before migration 029 a phone checking in thousands of times at one
// instant made the shared-device rule scan them all. group is
// CheckInBatch, which reads the rules' context for the whole batch in a
// few statements and writes its rows with multi-row inserts; each is the
// path before it (CheckInBatchEach, kept in the tests), where every
// check-in read and wrote in about seven statements of its own. The two
// run side by side in one run, under the same load.
func BenchmarkCheckInBatch(b *testing.B) {
	const batch = 500
	paths := []struct {
		name string
		fn   func(db *sqlstore.DB, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error)
	}{
		{"group", func(db *sqlstore.DB, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error) {
			return db.CheckInBatch(ctx, items)
		}},
		{"each", func(db *sqlstore.DB, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error) {
			return db.CheckInBatchEach(ctx, items)
		}},
	}
	for _, bc := range []struct {
		name    string
		history int
		photo   int
		phones  bool // a phone for each auditor, not for each check-in
		teams   int  // auditors, benchTeams when 0
	}{{"teams/photo-1KiB", 0, 1 << 10, false, 0}, {"teams/photo-64KiB", 0, 64 << 10, false, 0}, {"long-history/photo-1KiB", 2000, 1 << 10, false, 0},
		{"teams/photo-jpeg", 0, photoJPEG, false, 0}, {"phones/photo-1KiB", 0, 1 << 10, true, 0}, {"many/photo-1KiB", 0, 1 << 10, true, 5000}} {
		for _, path := range paths {
			b.Run(bc.name+"/"+path.name, func(b *testing.B) {
				file := filepath.Join(b.TempDir(), "bench.db")
				db, err := sqlstore.Open(ctx, file, sqlstore.WithClock(storetest.Clock))
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				teams := cmp.Or(bc.teams, benchTeams)
				ids := seedTeams(b, db, bc.history, teams)
				items := make([]audit.CheckInItem, batch)
				var walMax int64 // the write-ahead log's largest size after a group
				b.ResetTimer()
				cpu := cpuTime()
				n := 0
				var made time.Duration // CPU spent making JPEG photos, the phones' work
				for b.Loop() {
					var photos [][]byte
					if bc.photo == photoJPEG {
						b.StopTimer()
						c0 := cpuTime()
						photos = benchJPEGs(b, n, len(items))
						made += cpuTime() - c0
						b.StartTimer()
					}
					for j := range items {
						p := n * 7919 % teams // every auditor in turn, neighbours apart
						if bc.history > 0 {
							p = 0
						}
						var photo []byte
						if photos != nil {
							photo = photos[j]
						} else {
							photo = make([]byte, bc.photo)
							binary.LittleEndian.PutUint64(photo, uint64(n))
						}
						phone := fmt.Sprint("phone-", n)
						if bc.phones {
							phone = benchPerson(p)
						}
						items[j] = audit.CheckInItem{Audit: ids[p], RequestKey: fmt.Sprint("k", n), Photos: [][]byte{photo},
							Request: audit.CheckInRequest{Person: benchPerson(p), Kind: "open", Lat: 30.2501, Lng: 120.1502, AccuracyM: 15,
								Datum: "wgs84", DeviceTime: storetest.Now, Device: phone}}
						n++
					}
					_, errs, err := path.fn(db, items)
					if err != nil {
						b.Fatal(err)
					}
					for _, err := range errs {
						if err != nil {
							b.Fatal(err)
						}
					}
					if fi, err := os.Stat(file + "-wal"); err == nil {
						walMax = max(walMax, fi.Size())
					}
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "checkins/s")
				b.ReportMetric(float64(walMax)/(1<<20), "wal-max-MB")
				b.ReportMetric(float64((cpuTime()-cpu-made).Microseconds())/float64(n), "cpu-µs/checkin")
			})
		}
	}
}

// photoJPEG, as a photo size, asks for real photos: a JPEG of its own for
// each check-in, whose perceptual hash the store computes and indexes
// (four band rows a photo), as a phone's photo has.
const photoJPEG = -1

// benchJPEGs returns k distinct small JPEG photos (48×48 pixels of noise,
// about 2 KiB), the first seeded by n.
func benchJPEGs(b *testing.B, n, k int) [][]byte {
	out := make([][]byte, k)
	img := image.NewGray(image.Rect(0, 0, 48, 48))
	for i := range out {
		r := rand.New(rand.NewPCG(uint64(n+i), 13))
		for p := range img.Pix {
			img.Pix[p] = uint8(r.Uint32())
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
			b.Fatal(err)
		}
		out[i] = buf.Bytes()
	}
	return out
}

// BenchmarkCheckInConcurrent measures check-ins from many phones at once:
// 64 submitters each calling the store for one check-in at a time, as the
// HTTP handlers do. alone is one transaction per check-in (CheckInAlone,
// the path before group commit); group is CheckIn, whose queue commits
// what the submitters sent meanwhile in one transaction. Both on SQLite
// and PostgreSQL in one run; each check-in carries a 1 KiB photo of its
// own and comes from a phone of its own.
func BenchmarkCheckInConcurrent(b *testing.B) {
	type checkInFunc func(db *sqlstore.DB) func(string, string, audit.CheckInRequest, [][]byte) error
	paths := []struct {
		name string
		fn   checkInFunc
	}{
		{"alone", func(db *sqlstore.DB) func(string, string, audit.CheckInRequest, [][]byte) error {
			return func(id, key string, req audit.CheckInRequest, p [][]byte) error {
				_, err := db.CheckInAlone(ctx, id, key, req, p)
				return err
			}
		}},
		{"group", func(db *sqlstore.DB) func(string, string, audit.CheckInRequest, [][]byte) error {
			return func(id, key string, req audit.CheckInRequest, p [][]byte) error {
				_, err := db.CheckIn(ctx, id, key, req, p)
				return err
			}
		}},
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, path := range paths {
			b.Run(engine+"/"+path.name, func(b *testing.B) {
				db := openEngine(b, engine)
				defer db.Close()
				ids := seedAudits(b, db, 0)
				checkIn := path.fn(db)
				var next atomic.Int64
				b.SetParallelism(32) // 64 submitters on 2 cores
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					photo := make([]byte, 1<<10)
					for pb.Next() {
						n := int(next.Add(1))
						req := benchRequest(n, photo)
						if err := checkIn(ids[n%benchTeams], fmt.Sprint("k", n), req, [][]byte{photo}); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
			})
		}
	}
}

// BenchmarkCheckInPeak measures the group commit at a national peak: 2,000
// phones with a check-in in flight at once (1,000 submitters a core),
// each calling CheckIn as the handlers do, so that the queue forms groups
// as large as its bound while the previous group commits. It reports the
// rate and the latency a phone sees (from its call to its answer).
func BenchmarkCheckInPeak(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			db := openEngine(b, engine)
			defer db.Close()
			ids := seedAudits(b, db, 0)
			var next atomic.Int64
			var mu sync.Mutex
			var waits []time.Duration
			b.SetParallelism(1000)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				photo := make([]byte, 1<<10)
				var mine []time.Duration
				for pb.Next() {
					n := int(next.Add(1))
					req := benchRequest(n, photo)
					start := time.Now()
					if _, err := db.CheckIn(ctx, ids[n%benchTeams], fmt.Sprint("k", n), req, [][]byte{photo}); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				waits = append(waits, mine...)
				mu.Unlock()
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
			slices.Sort(waits)
			if len(waits) > 0 {
				b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

// openEngine opens a fresh store on engine, "sqlite" or "postgres".
func openEngine(b *testing.B, engine string) *sqlstore.DB {
	if engine == "sqlite" {
		return openSQLite(b)
	}
	return openPG(b)
}

// benchRequest is check-in n of the concurrent benchmarks: an opening
// check-in of auditor n%benchTeams from a phone of its own, with photo
// (1 KiB) made its own by n.
func benchRequest(n int, photo []byte) audit.CheckInRequest {
	binary.LittleEndian.PutUint64(photo, uint64(n))
	return audit.CheckInRequest{Person: benchPerson(n % benchTeams), Kind: "open", Lat: 30.2501, Lng: 120.1502,
		AccuracyM: 15, Datum: "wgs84", DeviceTime: storetest.Now, Device: fmt.Sprint("phone-", n)}
}
