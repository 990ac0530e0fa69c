package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"trustmark"
	"trustmark/campaign"
	"trustmark/demo"
	"trustmark/draw"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// nationalCommitment is a campaign over n subjects in 16 regions and four
// classes, with 100 inspectors per region.
func nationalCommitment(id string, n int) (*campaign.Campaign, *draw.Commitment) {
	rates := map[draw.Class]draw.Permyriad{"A": 100, "B": 200, "C": 500, "D": 1000}
	c := &campaign.Campaign{ID: id, Name: "全国认证机构获证组织双随机抽查 " + id, Region: "000000", SubjectKind: "org",
		Rates: rates, Checklist: []string{"证书使用是否规范"}, Method: "file", TeamSize: 2, Deadline: trustmark.NewDate(2026, 12, 31)}
	com := &draw.Commitment{Campaign: id, Seed: draw.SeedSpec{Kind: draw.SeedLottery, Lottery: "双色球2026031+大乐透26031", Sources: 2},
		TeamSize: 2, RepeatDays: 365, DrawnOn: trustmark.NewDate(2026, 3, 20), Rates: rates}
	com.Subjects = make([]draw.Subject, n)
	for i := range n {
		com.Subjects[i] = draw.Subject{ID: fmt.Sprintf("91%016d", i), Class: draw.Class("ABCDDCBAAD"[i%10 : i%10+1]),
			Region: fmt.Sprintf("%02d0000", 11+i%16), Unit: "-"}
	}
	for i := range 1600 {
		com.Inspectors = append(com.Inspectors, draw.Inspector{ID: fmt.Sprintf("I%05d", i), Region: fmt.Sprintf("%02d0000", 11+i%16), Unit: fmt.Sprintf("U%03d", i%300)})
	}
	com.Sort()
	return c, com
}

// TestDrawVerifyNationalCampaign verifies a campaign of a million subjects
// end to end: its commitment (about 38 MB) is far over a log entry's 64 KiB,
// so the log holds its hash and `draw verify` streams the document from the
// API, checks the hash and draws again.
func TestDrawVerifyNationalCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("a million subjects: not with -short")
	}
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	fill(t, dsn)
	_, vkey, _ := logCmd(runLog, "key", "--db", dsn)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	c, com := nationalCommitment("CAMP-NATIONAL", 1_000_000)
	reg := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"}
	start := time.Now()
	if err := db.CreateCampaign(ctx, c, com, reg); err != nil {
		t.Fatal(err)
	}
	com = nil
	if _, err := db.RecordRandom(ctx, c.ID, campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DrawCampaign(ctx, c.ID, reg); err != nil {
		t.Fatal(err)
	}
	db.Close()
	t.Logf("created, seeded and drawn in %v; commitment %d bytes", time.Since(start).Round(time.Millisecond), c.CommitmentBytes)
	if c.CommitmentBytes < 30<<20 {
		t.Fatalf("commitment of %d bytes: the test wants one far over a log entry", c.CommitmentBytes)
	}
	m, stop := startWithLog(t, dsn)
	defer stop()

	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() { // samples the heap while the verifier runs
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	start = time.Now()
	code, stdout, stderr := logCmd(runDraw, "verify", "--log", m.URL()+"/log", "--key", strings.TrimSpace(vkey), "--wait", "30s", c.ID)
	close(done)
	t.Logf("draw verify in %v, heap in use at most %d MiB (server and verifier in one process)\n%s", time.Since(start).Round(time.Millisecond), peak.Load()>>20, stdout)
	if code != 0 || !strings.Contains(stdout, "ok   commitment: 1000000 subjects") {
		t.Fatalf("draw verify of a national campaign = %d\n%s%s", code, stdout, stderr)
	}
	// The document is streamed: server and verifier together hold the parsed
	// list (about 200 bytes a subject) and the draw, never the document
	// itself a second or third time.
	if limit := uint64(600 << 20); peak.Load() > limit {
		t.Errorf("heap in use peaked at %d MiB, want at most %d MiB", peak.Load()>>20, limit>>20)
	}
}

// TestDrawVerifyDemoCampaigns loads the demo data set and verifies its two
// campaigns: the finished one, drawn on a recorded drand round with its
// results published, and the one in progress.
func TestDrawVerifyDemoCampaigns(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	done, err := db.Campaign(ctx, demo.DemoCampaignDone)
	if err != nil || done.Status != campaign.Published || len(done.Result.Picks) == 0 {
		t.Fatalf("demo campaign %s: %v; want published with drawn subjects", demo.DemoCampaignDone, err)
	}
	db.Close()
	_, vkey, _ := logCmd(runLog, "key", "--db", dsn)
	m, stop := startWithLog(t, dsn)
	defer stop()
	for _, id := range []string{demo.DemoCampaignDone, demo.DemoCampaignOpen} {
		code, stdout, stderr := logCmd(runDraw, "verify", "--log", m.URL()+"/log", "--key", strings.TrimSpace(vkey), "--wait", "30s", id)
		if code != 0 {
			t.Errorf("draw verify %s = %d\n%s%s", id, code, stdout, stderr)
		}
		t.Logf("draw verify %s:\n%s", id, stdout)
	}
	if code, stdout, stderr := logCmd(runAudit, "--db", dsn); code != 0 {
		t.Errorf("trustmark audit of the demo = %d\n%s%s", code, stdout, stderr)
	}
}
