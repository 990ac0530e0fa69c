// Package logtest is the conformance suite of translog.Storage: every
// implementation (translog.DirStorage, sqlstore.LogStorage) runs Run.
package logtest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"trustmark/translog"
)

func hashes(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n*translog.HashSize) }

// Run runs the suite; open must return a new, empty storage.
func Run(t *testing.T, open func(t *testing.T) translog.Storage) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, s translog.Storage)
	}{
		{"an empty storage has no tile, checkpoint or setting", testEmpty},
		{"published tiles and checkpoint read back", testReadBack},
		{"a partial tile grows", testPartialTileGrows},
		{"a checkpoint of a smaller tree is refused as stale", testStaleRefused},
		{"a setting is set once", testSettingOnce},
		{"concurrent publishers leave the largest checkpoint", testConcurrentPublishers},
		{"a checked publish writes only over the checkpoint named", testCheckedPublish},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, open(t)) })
	}
}

// testEmpty checks that a new storage holds nothing, and says so with
// ErrNotFound.
func testEmpty(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	if _, err := s.ReadTile(ctx, 0, 0); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadTile = %v, want ErrNotFound", err)
	}
	if _, err := s.Checkpoint(ctx); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("Checkpoint = %v, want ErrNotFound", err)
	}
	if _, err := s.Setting(ctx, "origin"); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("Setting = %v, want ErrNotFound", err)
	}
}

// testReadBack checks that what one Publish writes reads back unchanged.
func testReadBack(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	tiles := []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(256, 1)}, {Level: 0, Index: 1, Hashes: hashes(3, 2)}, {Level: 1, Index: 0, Hashes: hashes(1, 3)}}
	if err := s.Publish(ctx, 259, tiles, []byte("checkpoint 259\n")); err != nil {
		t.Fatal(err)
	}
	for _, want := range tiles {
		got, err := s.ReadTile(ctx, want.Level, want.Index)
		if err != nil || !bytes.Equal(got, want.Hashes) {
			t.Errorf("ReadTile(%d, %d) = %d bytes, %v; want %d bytes", want.Level, want.Index, len(got), err, len(want.Hashes))
		}
	}
	if got, err := s.Checkpoint(ctx); err != nil || string(got) != "checkpoint 259\n" {
		t.Errorf("Checkpoint = %q, %v", got, err)
	}
}

// testPartialTileGrows checks that a tile published again with more hashes
// is replaced by the longer one.
func testPartialTileGrows(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	s.Publish(ctx, 3, []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(3, 1)}}, []byte("3"))
	s.Publish(ctx, 9, []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(9, 1)}}, []byte("9"))
	if got, _ := s.ReadTile(ctx, 0, 0); len(got) != 9*translog.HashSize {
		t.Errorf("tile holds %d hashes, want 9", len(got)/translog.HashSize)
	}
}

// testStaleRefused checks that Publish accepts a checkpoint of the same
// size again but refuses, with ErrStale, one of a smaller tree.
func testStaleRefused(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	if err := s.Publish(ctx, 10, nil, []byte("10")); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, 10, nil, []byte("10 again")); err != nil {
		t.Errorf("Publish of the same size = %v, want success", err)
	}
	if err := s.Publish(ctx, 5, []translog.Tile{{Level: 0, Index: 7, Hashes: hashes(1, 9)}}, []byte("5")); !errors.Is(err, translog.ErrStale) {
		t.Errorf("Publish(5) after 10 = %v, want ErrStale", err)
	}
	if got, _ := s.Checkpoint(ctx); string(got) != "10 again" {
		t.Errorf("Checkpoint = %q, want the size-10 one", got)
	}
}

// testSettingOnce checks that a setting, once set, never changes: the
// log's origin and verifier key are its identity.
func testSettingOnce(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	if err := s.SetSetting(ctx, "origin", "a.example/log"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "origin", "a.example/log"); err != nil {
		t.Errorf("setting the same value again = %v, want success", err)
	}
	if err := s.SetSetting(ctx, "origin", "b.example/log"); err == nil {
		t.Errorf("changing a setting succeeded")
	}
	if got, err := s.Setting(ctx, "origin"); err != nil || got != "a.example/log" {
		t.Errorf("Setting = %q, %v", got, err)
	}
}

// testConcurrentPublishers checks that of publishers racing, the largest
// checkpoint is the one left.
func testConcurrentPublishers(t *testing.T, s translog.Storage) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 1; i <= 8; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			err := s.Publish(ctx, uint64(n), []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(n, 1)}}, []byte{byte('0' + n)})
			if err != nil && !errors.Is(err, translog.ErrStale) {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if got, _ := s.Checkpoint(ctx); string(got) != "8" {
		t.Errorf("Checkpoint = %q, want 8", got)
	}
}

// testCheckedPublish checks, of a storage that is a CheckedPublisher, that
// PublishOver writes nothing, neither checkpoint nor tiles, unless the
// stored checkpoint is the one named.
func testCheckedPublish(t *testing.T, st translog.Storage) {
	ctx := context.Background()
	s, ok := st.(translog.CheckedPublisher)
	if !ok {
		t.Skip("not a CheckedPublisher")
	}
	if err := s.PublishOver(ctx, []byte("0"), 1, nil, []byte("1")); !errors.Is(err, translog.ErrChanged) {
		t.Errorf("PublishOver a checkpoint when none is stored = %v, want ErrChanged", err)
	}
	if err := s.PublishOver(ctx, nil, 2, []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(2, 1)}}, []byte("2")); err != nil {
		t.Fatalf("PublishOver nothing when none is stored = %v", err)
	}
	if err := s.PublishOver(ctx, nil, 3, nil, []byte("3")); !errors.Is(err, translog.ErrChanged) {
		t.Errorf("PublishOver nothing when one is stored = %v, want ErrChanged", err)
	}
	if err := s.PublishOver(ctx, []byte("2"), 4, []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(4, 1)}}, []byte("4")); err != nil {
		t.Fatalf("PublishOver the stored checkpoint = %v", err)
	}
	// Another writer's view ("2" is no longer stored): nothing is
	// written, neither the checkpoint nor the tiles.
	err := s.PublishOver(ctx, []byte("2"), 9, []translog.Tile{{Level: 0, Index: 0, Hashes: hashes(9, 1)}, {Level: 0, Index: 5, Hashes: hashes(1, 2)}}, []byte("9"))
	if !errors.Is(err, translog.ErrChanged) {
		t.Errorf("PublishOver a checkpoint no longer stored = %v, want ErrChanged", err)
	}
	if got, _ := st.Checkpoint(ctx); string(got) != "4" {
		t.Errorf("Checkpoint = %q, want 4", got)
	}
	if got, _ := st.ReadTile(ctx, 0, 0); len(got) != 4*translog.HashSize {
		t.Errorf("tile 0/0 holds %d hashes, want 4: a refused publish wrote its tiles", len(got)/translog.HashSize)
	}
	if _, err := st.ReadTile(ctx, 0, 5); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadTile(0, 5) = %v, want ErrNotFound: a refused publish wrote its tiles", err)
	}
}
