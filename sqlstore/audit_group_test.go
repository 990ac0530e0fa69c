package sqlstore_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/audit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// Concurrent check-ins are committed in groups, and each caller still gets
// its own answer: the check-in it made, the one its retry repeats (sent
// at the same time, so usually in the same group), or its own refusal.
// CheckIn is what the API's and the phone page's handlers call; the clock
// ticks at each reading, and every transaction reads it once for its time
// of record, so that check-ins sharing one were committed together.
func TestAuditGroupCommit(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		var ticks atomic.Int64
		db := open(sqlstore.WithClock(func() time.Time { return storetest.Now.Add(time.Duration(ticks.Add(1)) * time.Microsecond) }))
		defer db.Close()
		ids := seedAudits(t, db, 0)
		const n = 60
		type answer struct {
			res audit.CheckInResult
			err error
		}
		answers := make([]answer, 2*n+1)
		var wg sync.WaitGroup
		for i := range 2 * n {
			wg.Go(func() {
				p := (i / 2) % benchTeams // two calls for each person, with one request key
				req := audit.CheckInRequest{Person: benchPerson(p), Kind: "open", Lat: 30.2501, Lng: 120.1502, AccuracyM: 15, Datum: "wgs84"}
				res, err := db.CheckIn(ctx, ids[p], fmt.Sprint("key-", p), req, [][]byte{[]byte(fmt.Sprint("photo ", p))})
				answers[i] = answer{res, err}
			})
		}
		wg.Go(func() { // not on that team
			req := audit.CheckInRequest{Person: benchPerson(1), Kind: "open", Lat: 30.25, Lng: 120.15, Datum: "wgs84"}
			_, err := db.CheckIn(ctx, ids[2], "stranger", req, [][]byte{[]byte("x")})
			answers[2*n] = answer{err: err}
		})
		wg.Wait()
		if code := trustmark.ErrorCode(answers[2*n].err); code != trustmark.EForbidden {
			t.Errorf("a stranger's check-in: %v, want forbidden", answers[2*n].err)
		}
		commits := map[time.Time]bool{}
		for p := range n {
			a, b := answers[2*p], answers[2*p+1]
			if a.err != nil || b.err != nil {
				t.Fatalf("person %d: %v, %v", p, a.err, b.err)
			}
			if a.res.CheckIn.ID != b.res.CheckIn.ID || a.res.Replayed == b.res.Replayed {
				t.Errorf("person %d: check-ins %s (replayed %v) and %s (replayed %v), want one check-in and one replay",
					p, a.res.CheckIn.ID, a.res.Replayed, b.res.CheckIn.ID, b.res.Replayed)
			}
			cs, err := db.AuditCheckIns(ctx, ids[p])
			if err != nil || len(cs) != 1 {
				t.Errorf("audit of person %d holds %d check-ins (%v), want 1", p, len(cs), err)
			}
			commits[a.res.CheckIn.At] = true
		}
		t.Logf("%d check-ins committed in %d transactions", n, len(commits))
		if len(commits) >= n {
			t.Errorf("%d check-ins sent at once were committed in %d transactions, want fewer (group commit)", n, len(commits))
		}
	})
}

// photoOf draws a w×h scene (a gradient and blocks of colour, placed in
// proportion to the size and different for each seed) and encodes it as
// JPEG: the same seed at another size is the same photo resized.
func photoOf(t *testing.T, w, h, seed, quality int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			u, v := float64(x)/float64(w), float64(y)/float64(h)
			c := color.RGBA{uint8(255 * u), uint8(255 * v), uint8(seed * 60), 255}
			for i := range 5 {
				u0, v0 := float64((i*37*seed+11)%70)/100, float64((i*53+seed*31)%60)/100
				if u >= u0 && u < u0+0.2 && v >= v0 && v < v0+0.25 {
					c = color.RGBA{uint8(40 * i), uint8(200 - 30*i), uint8(seed * 90 % 256), 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A photo of one audit, drawn again smaller and compressed harder for
// another, is caught by its perceptual hash; another photo is not.
func TestAuditPhotoPerceptualReuse(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		db := open()
		defer db.Close()
		ids := seedAudits(t, db, 0)
		checkIn := func(p int, photo []byte) []audit.Anomaly {
			t.Helper()
			req := audit.CheckInRequest{Person: benchPerson(p), Kind: "open", Lat: 30.2501, Lng: 120.1502, AccuracyM: 15, Datum: "wgs84"}
			res, err := db.CheckIn(ctx, ids[p], "", req, [][]byte{photo})
			if err != nil {
				t.Fatal(err)
			}
			var out []audit.Anomaly
			for _, an := range res.Anomalies {
				if an.Rule == audit.PhotoReuse {
					out = append(out, an)
				}
			}
			return out
		}
		if got := checkIn(0, photoOf(t, 1024, 768, 1, 90)); len(got) != 0 {
			t.Fatalf("a first photo: %v", got)
		}
		got := checkIn(1, photoOf(t, 512, 384, 1, 50))
		if len(got) != 1 || got[0].Evidence["match"] != "perceptual" || got[0].Evidence["other_audit"] != ids[0] {
			t.Fatalf("a resized, re-compressed copy: %+v, want one perceptual photo_reuse naming audit %s", got, ids[0])
		}
		if got := checkIn(2, photoOf(t, 1024, 768, 3, 90)); len(got) != 0 {
			t.Errorf("another photo: %+v", got)
		}
	})
}

// A group read at once (CheckInBatch) decides what the check-ins read one
// by one (CheckInBatchEach, the path before) decided, on the same
// check-ins: refusals, replays and every anomaly, within a group and
// against the groups stored before it.
func TestCheckInBatchAgreesWithEach(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		photoA, photoB := photoOf(t, 320, 240, 1, 90), photoOf(t, 160, 120, 1, 60) // B: A resized
		item := func(p, a int, kind, key, device string, lat float64, photo []byte) audit.CheckInItem {
			return audit.CheckInItem{Audit: fmt.Sprint(a), RequestKey: key, Photos: [][]byte{photo},
				Request: audit.CheckInRequest{Person: benchPerson(p), Kind: kind, Lat: lat, Lng: 120.15, AccuracyM: 15, Datum: "wgs84", Device: device}}
		}
		groups := [][]audit.CheckInItem{
			{item(0, 0, "open", "a", "phone-1", 30.25, photoA), item(1, 1, "open", "b", "phone-1", 30.25, photoA),
				item(2, 2, "open", "c", "", 31.5, []byte("not an image")), item(3, 5, "open", "d", "", 30.25, []byte("x"))},
			{item(0, 0, "close", "e", "phone-1", 30.25, []byte("y")), item(4, 4, "open", "f", "phone-2", 30.25, photoB),
				item(4, 4, "open", "f", "phone-2", 30.25, photoB), item(1, 1, "open", "b", "phone-1", 30.25, photoA),
				item(5, 4, "open", "g", "", 30.25, []byte("z"))},
		}
		type answer struct {
			code     string
			replayed bool
			rules    []audit.Rule
		}
		run := func(batch func(*sqlstore.DB, []audit.CheckInItem) ([]audit.CheckInResult, []error, error)) [][]answer {
			db := open()
			defer db.Close()
			ids := seedAudits(t, db, 0)
			var out [][]answer
			for _, g := range groups {
				items := slices.Clone(g)
				for i := range items {
					n, _ := strconv.Atoi(items[i].Audit)
					items[i].Audit = ids[n]
				}
				res, errs, err := batch(db, items)
				if err != nil {
					t.Fatal(err)
				}
				var as []answer
				for i, r := range res {
					a := answer{code: trustmark.ErrorCode(errs[i]), replayed: r.Replayed}
					for _, an := range r.Anomalies {
						a.rules = append(a.rules, an.Rule)
					}
					slices.Sort(a.rules)
					as = append(as, a)
				}
				out = append(out, as)
			}
			return out
		}
		group := run(func(db *sqlstore.DB, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error) {
			return db.CheckInBatch(ctx, items)
		})
		each := run(func(db *sqlstore.DB, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error) {
			return db.CheckInBatchEach(ctx, items)
		})
		// One difference, on purpose: a retry in the group of its original
		// gets the original's anomalies, as a retry in any later group does;
		// the path before read them outside the transaction and found none.
		each[1][2].rules = each[1][1].rules
		if diff := cmp.Diff(each, group, cmp.AllowUnexported(answer{})); diff != "" {
			t.Errorf("CheckInBatch and CheckInBatchEach differ (-each +group):\n%s", diff)
		}
		var rules []audit.Rule
		for _, g := range group {
			for _, a := range g {
				rules = append(rules, a.rules...)
			}
		}
		for _, want := range []audit.Rule{audit.PhotoReuse, audit.DeviceShared, audit.FarFromSite, audit.EarlyClose} {
			if !slices.Contains(rules, want) {
				t.Errorf("the check-ins raised %v, want %s among them", rules, want)
			}
		}
	})
}
