package audit

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEvaluateCheckIns evaluates 20,000 check-ins with every rule a
// check-in triggers, for 20 auditors with 5,000 audits and 10,000 check-ins
// of history each (a career of audits), so that the overlap, travel and
// lent-out rules run against thousands of neighbours. One op is the
// 20,000 check-ins; checkins/s is the figure to compare with issue 13's
// target (storage is measured with the adapter).
func BenchmarkEvaluateCheckIns(b *testing.B) {
	const persons, perPerson, checkins = 20, 5000, 20000
	rng := rand.New(rand.NewPCG(13, 13))
	base := cst(b, "2020-01-06 09:00")
	histories := make([]*History, persons)
	for p := range persons {
		spans := make([]Span, perPerson)
		fixes := make([]Fix, 0, 2*perPerson)
		for i := range spans {
			start := base.Add(time.Duration(i*48+rng.IntN(10)) * time.Hour)
			id := strconv.Itoa(p) + "-" + strconv.Itoa(i)
			spans[i] = Span{Audit: id, Body: bodyNo, Start: start, End: start.Add(8 * time.Hour), CheckedIn: true}
			pos := north(site, float64(rng.IntN(100_000)))
			fixes = append(fixes, Fix{id + "o", id, start, pos}, Fix{id + "c", id, start.Add(8 * time.Hour), pos})
		}
		histories[p] = NewHistory(spans, fixes)
	}
	audits := make([]*Audit, checkins)
	cs := make([]CheckIn, checkins)
	ctxs := make([]Context, checkins)
	for i := range cs {
		a := testAudit(b)
		a.ID = "N" + strconv.Itoa(i)
		a.Plan.OpeningAt = base.Add(time.Duration(rng.IntN(perPerson)*48+24) * time.Hour) // between two past audits
		a.Plan.ClosingAt = a.Plan.OpeningAt.Add(7 * time.Hour)
		a.Plan.ClosingEndsAt = a.Plan.ClosingAt.Add(time.Hour)
		audits[i] = a
		kind, at := Open, a.Plan.OpeningAt.Add(time.Duration(rng.IntN(125))*time.Minute)
		if i%2 == 1 {
			kind, at = Close, a.Plan.ClosingAt.Add(time.Duration(rng.IntN(185))*time.Minute)
		}
		cs[i] = CheckIn{ID: "c" + strconv.Itoa(i), Audit: a.ID, Person: "P1", Kind: kind, At: at, DeviceTime: at,
			Position: north(site, float64(rng.IntN(5200))), AccuracyM: 30, Device: "d" + strconv.Itoa(i%500),
			Photos: []Photo{{SHA256: "s" + strconv.Itoa(i), PHash: rng.Uint64()}}}
		ctxs[i] = Context{History: histories[i%persons]}
		if i%33 == 0 { // a few percent reuse a photo, or share a phone
			ctxs[i].Photos = []PhotoUse{{"B", "x", Photo{SHA256: "s" + strconv.Itoa(i), PHash: rng.Uint64()}}}
			ctxs[i].Devices = []DeviceUse{{"P9", "B", "y", at.Add(-time.Hour)}}
		}
	}
	earlier := [][]CheckIn{nil, {{Kind: Open}}}
	b.ResetTimer()
	anomalies := 0
	for b.Loop() {
		anomalies = 0
		for i := range cs {
			anomalies += len(rules.EvaluateCheckIn(audits[i], earlier[i%2], cs[i], ctxs[i]))
		}
	}
	b.ReportMetric(float64(checkins)*float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
	b.ReportMetric(float64(anomalies)/checkins, "anomalies/checkin")
}

// BenchmarkCheckHistory shows the cost of the overlap, travel and lent-out
// rules against a person's record staying flat as the record grows from a
// hundred audits to ten thousand: a binary search and a few neighbours.
func BenchmarkCheckHistory(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run("audits="+strconv.Itoa(n), func(b *testing.B) {
			base := cst(b, "2020-01-06 09:00")
			spans := make([]Span, n)
			fixes := make([]Fix, n)
			for i := range spans {
				start := base.Add(time.Duration(i*48) * time.Hour)
				id := strconv.Itoa(i)
				spans[i] = Span{Audit: id, Body: bodyNo, Start: start, End: start.Add(8 * time.Hour), CheckedIn: true}
				fixes[i] = Fix{id, id, start, site}
			}
			h := NewHistory(spans, fixes)
			a := testAudit(b)
			a.Plan.OpeningAt = base.Add(time.Duration(n/2*48+24) * time.Hour)
			a.Plan.ClosingEndsAt = a.Plan.OpeningAt.Add(8 * time.Hour)
			c := CheckIn{ID: "c", Person: "P1", Kind: Open, At: a.Plan.OpeningAt, Position: site}
			for b.Loop() {
				if len(rules.CheckHistory(a, c, h)) != 0 {
					b.Fatal("unexpected anomaly")
				}
			}
		})
	}
}

// BenchmarkPhotoHash measures the perceptual hash of one photo (decode,
// scale to 64×64, DCT), which CheckIn computes on the submitting goroutine
// before the group commit: a small photo (48×48 pixels, about 2 KiB) and
// a phone's photo resized for upload (640×480). The photos are noise,
// which JPEG compresses worst, so decoding is at its dearest.
func BenchmarkPhotoHash(b *testing.B) {
	for _, size := range []struct{ w, h int }{{48, 48}, {640, 480}} {
		img := image.NewGray(image.Rect(0, 0, size.w, size.h))
		r := rand.New(rand.NewPCG(1, 2))
		for p := range img.Pix {
			img.Pix[p] = uint8(r.Uint32())
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(strconv.Itoa(size.w)+"x"+strconv.Itoa(size.h), func(b *testing.B) {
			for b.Loop() {
				if _, ok, err := PhotoHash(data); !ok || err != nil {
					b.Fatalf("no hash: %v", err)
				}
			}
			b.ReportMetric(float64(len(data)), "photo-bytes")
		})
	}
}
