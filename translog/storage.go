package translog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"trustmark/logstore"
)

// The storage contract is package logstore's, so that a storage adapter
// implements it without importing the engine; these are its names here.

// ErrNotFound is returned by Storage for a tile, checkpoint or setting that
// is not stored.
var ErrNotFound = logstore.ErrNotFound

// ErrStale is returned by Storage.Publish when the stored checkpoint is
// already larger than the one being published: another integrator got there
// first. The caller reloads and carries on.
var ErrStale = logstore.ErrStale

// ErrChanged is returned by CheckedPublisher.PublishOver when the stored
// checkpoint is not the one the caller published last.
var ErrChanged = logstore.ErrChanged

// CheckedPublisher is a Storage that publishes only over the checkpoint
// the log published last, in the write's transaction (logstore's
// comments state the contract).
type CheckedPublisher = logstore.CheckedPublisher

// Tile is one tlog-tiles hash tile (logstore.Tile).
type Tile = logstore.Tile

// Storage keeps the log's derived state: hash tiles, the latest signed
// checkpoint and the log's settings (logstore.Storage, whose comments
// state the contract). Implementations run the conformance suite in
// translog/logtest.
type Storage = logstore.Storage

// HashSize is the size of every hash in the log (SHA-256).
const HashSize = 32

// DirStorage is Storage in a directory of files, laid out like a static
// tlog-tiles log (tile/L/N, checkpoint), so the directory can also be served
// as is. Writes go to a temporary file that is synced and renamed, and the
// checkpoint is renamed last, so a crash leaves the previous state.
type DirStorage struct {
	dir  string
	mu   sync.Mutex
	sync bool

	// SyncFS, when set, makes everything written under dir durable in one
	// call (syncfs(2) on Linux, which the bench's file engine passes); tiles
	// are then not synced one by one before the checkpoint that refers to
	// them.
	SyncFS func(dir string) error
}

// NewDirStorage returns a DirStorage in dir, creating it. With sync false
// it skips fsync (tests only).
func NewDirStorage(dir string, sync bool) (*DirStorage, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tile"), 0o755); err != nil {
		return nil, err
	}
	return &DirStorage{dir: dir, sync: sync}, nil
}

func (s *DirStorage) tilePath(level, index uint64) string {
	return filepath.Join(s.dir, "tile", strconv.FormatUint(level, 10), strconv.FormatUint(index, 10))
}

// ReadTile implements Storage.
func (s *DirStorage) ReadTile(ctx context.Context, level, index uint64) ([]byte, error) {
	b, err := os.ReadFile(s.tilePath(level, index))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("tile %d/%d: %w", level, index, ErrNotFound)
	}
	return b, err
}

// Checkpoint implements Storage.
func (s *DirStorage) Checkpoint(ctx context.Context) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "checkpoint"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("checkpoint: %w", ErrNotFound)
	}
	return b, err
}

// Publish implements Storage.
func (s *DirStorage) Publish(ctx context.Context, size uint64, tiles []Tile, checkpoint []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.publishedSize(); ok && n > size {
		return ErrStale
	}
	dirs := map[string]bool{}
	for _, t := range tiles {
		p := s.tilePath(t.Level, t.Index)
		if !dirs[filepath.Dir(p)] {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			dirs[filepath.Dir(p)] = true
		}
		// With SyncFS, tiles are not synced one by one: one call below
		// makes them all durable before the checkpoint that refers to them.
		if err := writeFile(p, t.Hashes, s.sync && s.SyncFS == nil); err != nil {
			return err
		}
	}
	if s.sync && s.SyncFS != nil && len(tiles) > 0 {
		if err := s.SyncFS(s.dir); err != nil {
			return err
		}
	} else if s.sync {
		for d := range dirs {
			if err := syncDir(d); err != nil {
				return err
			}
		}
	}
	if err := s.writeFile(filepath.Join(s.dir, "checkpoint"), checkpoint); err != nil {
		return err
	}
	// The size is written after the checkpoint: after a crash between the
	// two, the checkpoint's own size line is the larger and is used.
	// It needs no sync of its own: publishedSize also reads the checkpoint.
	return writeFile(filepath.Join(s.dir, "checkpoint.size"), []byte(strconv.FormatUint(size, 10)), false)
}

// publishedSize is the size of the published tree.
func (s *DirStorage) publishedSize() (uint64, bool) {
	var n uint64
	ok := false
	if b, err := os.ReadFile(filepath.Join(s.dir, "checkpoint.size")); err == nil {
		if v, err := strconv.ParseUint(string(b), 10, 64); err == nil {
			n, ok = v, true
		}
	}
	if b, err := os.ReadFile(filepath.Join(s.dir, "checkpoint")); err == nil {
		if v, err := checkpointSize(b); err == nil && v > n {
			n, ok = v, true
		}
	}
	return n, ok
}

// Setting implements Storage.
func (s *DirStorage) Setting(ctx context.Context, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "setting."+name))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("setting %s: %w", name, ErrNotFound)
	}
	return string(b), err
}

// SetSetting implements Storage.
func (s *DirStorage) SetSetting(ctx context.Context, name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, err := s.Setting(ctx, name); err == nil {
		if old != value {
			return fmt.Errorf("setting %s is already %q, cannot change it to %q", name, old, value)
		}
		return nil
	}
	return s.writeFile(filepath.Join(s.dir, "setting."+name), []byte(value))
}

func (s *DirStorage) writeFile(path string, data []byte) error {
	if err := writeFile(path, data, s.sync); err != nil {
		return err
	}
	if s.sync {
		return syncDir(filepath.Dir(path))
	}
	return nil
}

// writeFile replaces path by data through a temporary file and a rename,
// so that readers see the old or the new content, never a torn one.
func writeFile(path string, data []byte, sync bool) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
