package audit

import (
	"slices"
	"testing"
)

// rulesOf returns the rules of the anomalies, in order.
func rulesOf(as []Anomaly) []Rule {
	var out []Rule
	for _, a := range as {
		out = append(out, a.Rule)
	}
	return out
}

// A check-in later in a group sees the group's earlier ones as if they
// were stored: the audit the person checked in to (overlap), where and
// when (travel), its photos (reuse) and its phone (shared device); and
// the record loaded for the group.
func TestBatchSeesEarlierCheckIns(t *testing.T) {
	a1 := testAudit(t)
	a2 := testAudit(t)
	a2.ID, a2.Body = "A2", "CNCA-R-2002-002" // the same day, another body
	other := north(site, 200_000)            // 200 km away

	b := NewBatch(rules, 50, 20)
	b.LoadSpans("P1", []Span{
		{Audit: a1.ID, Body: a1.Body, Start: a1.Start(), End: a1.End()},
		{Audit: a2.ID, Body: a2.Body, Start: a2.Start(), End: a2.End()},
	})
	b.LoadSpans("P2", []Span{{Audit: a2.ID, Body: a2.Body, Start: a2.Start(), End: a2.End()}})
	evaluate := func(a *Audit, c CheckIn) []Rule {
		t.Helper()
		earlier, cx := b.Context(a, c)
		as := rules.EvaluateCheckIn(a, earlier, c, cx)
		b.Add(a, c)
		return rulesOf(as)
	}

	first := checkIn(t, "c1", Open, "2026-03-02 09:05", site)
	first.Device = "phone"
	if got := evaluate(a1, first); slices.Contains(got, Overlap) || slices.Contains(got, ImpossibleTravel) {
		t.Fatalf("the group's first check-in raised %v", got)
	}
	second := checkIn(t, "c2", Open, "2026-03-02 09:35", other)
	second.Audit = a2.ID
	got := evaluate(a2, second)
	for _, want := range []Rule{Overlap, ImpossibleTravel, LentOut, PhotoReuse} {
		if !slices.Contains(got, want) {
			t.Errorf("a check-in to an overlapping audit 200 km away, 30 minutes later, with the first's photo: %v, want %s", got, want)
		}
	}
	third := checkIn(t, "c3", Open, "2026-03-02 09:40", other)
	third.Audit, third.Person, third.Device = a2.ID, "P2", "phone"
	third.Photos = []Photo{{SHA256: "sha-c3", PHash: 0x0F0F0F0F0F0F0F0F}}
	if got := evaluate(a2, third); !slices.Contains(got, DeviceShared) || slices.Contains(got, PhotoReuse) {
		t.Errorf("another person from the first's phone, with a photo of their own: %v, want device_shared and no photo_reuse", got)
	}
}

// A perceptual near copy in the group is found by a shared band, and the
// loaded candidates are bounded as the adapter bounds its reads.
func TestBatchNearPhotos(t *testing.T) {
	a1, a2 := testAudit(t), testAudit(t)
	a2.ID = "A2"
	b := NewBatch(rules, 1, 20)
	b.LoadNear("sha-x", a2.ID, []PhotoUse{{Audit: "A9", CheckIn: "c9", Photo: Photo{SHA256: "sha-9", PHash: 1}},
		{Audit: "A8", CheckIn: "c8", Photo: Photo{SHA256: "sha-8", PHash: 1}}})
	c1 := checkIn(t, "c1", Open, "2026-03-02 09:05", site)
	b.Add(a1, c1)
	near := c1.Photos[0].PHash ^ 0b101 // 2 bits away: three bands the same
	_, cx := b.Context(a2, CheckIn{ID: "c2", Audit: a2.ID, Person: "P2", Photos: []Photo{{SHA256: "sha-x", PHash: near}}})
	if len(cx.Photos) != 1 || cx.Photos[0].CheckIn != "c9" {
		t.Errorf("near photos with a bound of 1: %+v, want the first loaded only", cx.Photos)
	}
	b = NewBatch(rules, 50, 20)
	b.Add(a1, c1)
	_, cx = b.Context(a2, CheckIn{ID: "c2", Audit: a2.ID, Person: "P2", Photos: []Photo{{SHA256: "sha-x", PHash: near}}})
	if len(cx.Photos) == 0 || cx.Photos[0].CheckIn != "c1" {
		t.Errorf("near photos of the group: %+v, want c1's", cx.Photos)
	}
}

// Of the person's check-ins, a check-in sees the last at or before its
// time and the first after it, whether loaded or of the group.
func TestBatchNeighbours(t *testing.T) {
	a := testAudit(t)
	b := NewBatch(rules, 50, 20)
	b.LoadFixes("P1", []Fix{
		{CheckIn: "old", Audit: "A0", At: cst(t, "2026-03-01 09:00"), Position: site},
		{CheckIn: "later", Audit: "A5", At: cst(t, "2026-03-03 09:00"), Position: site},
	})
	b.Add(a, checkIn(t, "c1", Open, "2026-03-02 09:05", site))
	_, cx := b.Context(a, checkIn(t, "c2", Close, "2026-03-02 16:10", site))
	prev, next := cx.History.Neighbours(cst(t, "2026-03-02 16:10"), "c2")
	if prev == nil || prev.CheckIn != "c1" || next == nil || next.CheckIn != "later" {
		t.Errorf("neighbours = %v, %v, want c1 and later", prev, next)
	}
	earlier, _ := b.Context(a, checkIn(t, "c2", Close, "2026-03-02 16:10", site))
	if len(earlier) != 1 || earlier[0].ID != "c1" {
		t.Errorf("a closing check-in's earlier check-ins: %v, want c1", earlier)
	}
}
