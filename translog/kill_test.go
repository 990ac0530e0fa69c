package translog_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// TestKillChild is `trustmark serve` reduced to what the kill test needs:
// imports committing events while the integrator publishes checkpoints.
// It does nothing unless started by TestKilledDuringImportAndIntegration.
func TestKillChild(t *testing.T) {
	dir := os.Getenv("TRANSLOG_KILL_DIR")
	if dir == "" {
		t.Skip("run by TestKilledDuringImportAndIntegration")
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "trustmark.db"), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := translog.LoadOrCreateKey(ctx, filepath.Join(dir, "log.key"), "trustmark.test/log", db.LogStorage())
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key,
		translog.Options{Logger: quiet, Interval: time.Millisecond, Batch: 37})
	if err != nil {
		t.Fatal(err)
	}
	go l.Run(context.Background())
	st, _ := db.Stats(ctx)
	for i := st.Orgs; ; i += 20 {
		var batch []trustmark.Record
		for j := i; j < i+20; j++ {
			batch = append(batch, &trustmark.Org{USCC: trustmark.MakeUSCC(fmt.Sprintf("91110108%08d", j)), Name: fmt.Sprintf("测试公司%d", j), RegionCode: "110108"})
		}
		if _, err := db.Import(ctx, imp, trustmark.KindOrgs, batch); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKilledDuringImportAndIntegration kills (SIGKILL) a process that
// imports records and integrates their events, at random moments, and
// checks after each kill that the database's events and the log agree: every
// event in the log is the database's (nothing lost, nothing duplicated), the
// published checkpoint verifies and extends every earlier one, and after a
// restart the log catches up with every committed event.
func TestKilledDuringImportAndIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(8, 9))
	var seen []*translog.Checkpoint
	var key *translog.Key
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
		cmd.Env = append(os.Environ(), "TRANSLOG_KILL_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+r.IntN(700)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		db, err := sqlstore.Open(ctx, filepath.Join(dir, "trustmark.db"), sqlstore.WithLogger(quiet))
		if err != nil {
			t.Fatal(err)
		}
		if key == nil {
			if key, err = translog.LoadKey(filepath.Join(dir, "log.key")); err != nil {
				db.Close()
				continue // killed before the key was written
			}
		}
		rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !rep.OK() {
			t.Fatalf("round %d: after the kill the log and the events disagree: %v", round, rep.Findings)
		}
		cp := rep.Checkpoint
		fetch := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
			b, err := db.LogStorage().ReadTile(ctx, level, index)
			if err != nil {
				return nil, err
			}
			if p > 0 {
				b = b[:int(p)*32]
			}
			return b, nil
		}
		pb, _ := client.NewProofBuilder(ctx, cp.Size, fetch)
		for _, old := range seen {
			if old.Size > cp.Size {
				t.Fatalf("round %d: the log shrank from %d to %d", round, old.Size, cp.Size)
			}
			if old.Size == 0 || old.Size == cp.Size {
				continue
			}
			p, err := pb.ConsistencyProof(ctx, old.Size, cp.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old.Size, cp.Size, p, old.Root, cp.Root); err != nil {
				t.Fatalf("round %d: checkpoint %d inconsistent with earlier %d: %v", round, cp.Size, old.Size, err)
			}
		}
		t.Logf("round %d: %d events, %d in the log", round, rep.Events, cp.Size)
		seen = append(seen, cp)
		db.Close()
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "trustmark.db"), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key, translog.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	integrate(t, l)
	rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Pending != 0 || rep.Matched != rep.Events || rep.Events == 0 {
		t.Errorf("after restart: %d events, %d matched, %d pending, findings %v", rep.Events, rep.Matched, rep.Pending, rep.Findings)
	}
}
