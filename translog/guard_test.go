package translog_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"trustmark"
	"trustmark/logstore"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// watchedStorage is the registry's log storage, counting the reads of its
// checkpoint and running beforePublish just before a checked publish.
type watchedStorage struct {
	sqlstore.LogStorage
	checkpointReads int
	beforePublish   func()
}

func (s *watchedStorage) Checkpoint(ctx context.Context) ([]byte, error) {
	s.checkpointReads++
	return s.LogStorage.Checkpoint(ctx)
}

func (s *watchedStorage) PublishOver(ctx context.Context, prev []byte, size uint64, tiles []logstore.Tile, cp []byte) error {
	if s.beforePublish != nil {
		s.beforePublish()
	}
	return s.LogStorage.PublishOver(ctx, prev, size, tiles, cp)
}

// TestCheckedPublish: over the registry's database the check before each
// signature reads no checkpoint (the publish compares it in its own
// transaction), and a restore that lands after the check, just before the
// publish, still stops the log before its signature lands on other entries.
func TestCheckedPublish(t *testing.T) {
	db, dsn := openSQLite(t)
	fillRegistry(t, db)
	st := &watchedStorage{LogStorage: db.LogStorage()}
	key, _, err := translog.LoadOrCreateKey(ctx, filepath.Join(t.TempDir(), "log.key"), "trustmark.test/log", st)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: st.NextEventSeq}, st, key, translog.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	integrate(t, l)
	old := backup(t, dsn)

	change(t, db, qms2, trustmark.StatusSuspended, "监督审核不合格")
	st.checkpointReads = 0
	if n, err := l.Integrate(ctx); n != 1 || err != nil {
		t.Fatalf("Integrate = %d, %v; want 1 entry", n, err)
	}
	if st.checkpointReads != 0 {
		t.Errorf("signing a batch read the stored checkpoint %d times, want 0 (the publish compares it)", st.checkpointReads)
	}
	published := l.Latest()

	change(t, db, qms3, trustmark.StatusSuspended, "证书持有人申请暂停")
	st.beforePublish = func() { st.beforePublish = nil; restore(t, dsn, old) }
	n, err := l.Integrate(ctx)
	var rb *translog.RollbackError
	if n != 0 || !errors.Is(err, translog.ErrHalted) || !errors.As(l.Halted(), &rb) || rb.Published != published.Size {
		t.Fatalf("Integrate with a restore before the publish = %d, %v (Halted() = %v); want a halt at %d entries", n, err, l.Halted(), published.Size)
	}
	if got := l.Latest(); got.Size != published.Size || string(got.Signed) != string(published.Signed) {
		t.Errorf("the log holds a checkpoint of %d entries, want the published one of %d", got.Size, published.Size)
	}
	raw, err := db.LogStorage().Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cp, err := translog.ParseCheckpoint(raw, key.Verifier); err != nil || cp.Size >= published.Size {
		t.Errorf("the restored database holds a checkpoint of %v entries (%v), want the backup's, smaller than %d", cp, err, published.Size)
	}
}
