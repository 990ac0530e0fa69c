package sqlstore_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

const killBatch = 2000

// TestKillDuringImport runs an import in a child process, kills it with
// SIGKILL while it is writing, and checks that the database stopped at a
// batch boundary: every batch is all there or not at all, and the events
// match the state exactly.
func TestKillDuringImport(t *testing.T) {
	if dsn := os.Getenv("TRUSTMARK_KILL_CHILD"); dsn != "" {
		killChild(dsn)
		return
	}
	t.Run("on SQLite", func(t *testing.T) { testKill(t, filepath.Join(t.TempDir(), "kill.db")) })
	t.Run("on PostgreSQL", func(t *testing.T) { testKill(t, pgDSN(t)) })
}

// killChild imports batches until it is killed.
func killChild(dsn string) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch(fmt.Sprintf("K%s%04d", os.Getenv("TRUSTMARK_KILL_ROUND"), i), killBatch)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("batch %d\n", i)
	}
}

func testKill(t *testing.T, dsn string) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	seedParties(t, db)
	seeded, err := db.Events(ctx, trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	childDSN, waitChild := storetest.ChildDSN(t, dsn)
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringImport$")
		cmd.Env = append(os.Environ(), "TRUSTMARK_KILL_CHILD="+childDSN, fmt.Sprintf("TRUSTMARK_KILL_ROUND=%d", round))
		var errOut strings.Builder
		cmd.Stderr = &errOut
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Once the child has committed a batch, kill it a little later, at a
		// point that varies by round: mostly inside the next batch's
		// transaction.
		committed := make(chan int, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			n := 0
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "batch ") {
					if n++; n == 1 {
						committed <- n
					}
				}
			}
			close(committed)
		}()
		select {
		case _, ok := <-committed:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited before committing a batch:\n%s", errOut.String())
			}
		case <-time.After(2 * time.Minute):
			t.Log("child committed no batch in 2 minutes; killing it anyway")
		}
		time.Sleep(time.Duration(40+round*130) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		waitChild() // its last COMMIT may still be running on the server
		if strings.Contains(errOut.String(), "FAIL") {
			t.Fatalf("child failed before the kill:\n%s", errOut.String())
		}
	}

	db, err = sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.Events(ctx, trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range evs {
		if e.Seq != int64(i) {
			t.Fatalf("event %d has Seq %d, want gapless", i, e.Seq)
		}
	}
	// Every certificate has exactly one created event and every batch is whole.
	events := map[string]int{}
	batches := map[string]int{}
	for _, e := range evs[len(seeded):] {
		events[e.Key]++
		if e.Action != trustmark.ActionCreated || e.Entity != trustmark.EntityCertificate {
			t.Fatalf("unexpected event %+v", e)
		}
		batches[strings.SplitN(strings.TrimPrefix(e.Key, "QMS/"), "-", 2)[0]]++
	}
	var all []*trustmark.Certificate
	for f := (trustmark.CertificateFilter{Limit: 1000}); ; {
		p, err := db.Certificates(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			break
		}
		f.Cursor = p.NextCursor
	}
	for _, c := range all {
		if events[c.Key()] != 1 {
			t.Errorf("certificate %s has %d created events, want 1", c.Key(), events[c.Key()])
		}
	}
	if len(all) != len(evs)-len(seeded) {
		t.Errorf("%d certificates but %d certificate events", len(all), len(evs)-len(seeded))
	}
	for b, n := range batches {
		if n != killBatch {
			t.Errorf("batch %s has %d certificates, want all %d or none", b, n, killBatch)
		}
	}
	if len(batches) == 0 {
		t.Error("no batch was committed before the kills; the test proved nothing")
	}
	t.Logf("%d whole batches survived", len(batches))
}
