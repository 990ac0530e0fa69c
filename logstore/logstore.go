// Package logstore is the contract between the traceability log (package
// translog, the engine) and the storage that keeps its derived state: hash
// tiles, the signed checkpoint, the log's settings, and the recovery of a
// published tree after a restore. It holds types and sentinel errors only,
// so that a storage adapter (sqlstore) implements the contract without
// importing the engine, the way each of tessera's storage drivers depends
// on its contract and not on the others. translog re-exports every name
// here; the conformance suite is translog/logtest.
package logstore

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Storage for a tile, checkpoint or setting that
// is not stored.
var ErrNotFound = errors.New("not found")

// ErrStale is returned by Storage.Publish when the stored checkpoint is
// already larger than the one being published: another integrator got there
// first. The caller reloads and carries on.
var ErrStale = errors.New("a larger checkpoint is already published")

// Tile is one tlog-tiles hash tile: the hashes at tree level 8*Level with
// indexes 256*Index up to 256*Index+len(Hashes)/32-1. A tile with fewer
// than 256 hashes is partial; it only ever grows, by appending.
type Tile struct {
	Level, Index uint64
	Hashes       []byte // concatenated 32-byte hashes
}

// Storage keeps the log's derived state: hash tiles, the latest signed
// checkpoint and the log's settings. The entries themselves are not here:
// they come from a source (the registry's events). Everything in Storage can
// be recomputed from the entries, except the checkpoint's signature.
//
// Implementations must be safe for concurrent use. The conformance suite in
// translog/logtest checks the contract; every implementation runs it.
type Storage interface {
	// ReadTile returns the hashes of the tile at level, index as stored
	// (full or partial), or an error wrapping ErrNotFound when none is.
	ReadTile(ctx context.Context, level, index uint64) ([]byte, error)

	// Checkpoint returns the latest published signed checkpoint, or an
	// error wrapping ErrNotFound before the first one.
	Checkpoint(ctx context.Context) ([]byte, error)

	// Publish stores the tiles and then the checkpoint of a tree of the
	// given size, atomically: after a crash either all of it or the previous
	// checkpoint is visible (tiles written for a tree that was never
	// published are harmless, their content being determined by the
	// entries). It fails with ErrStale, storing nothing, when the stored
	// checkpoint is for a larger tree.
	Publish(ctx context.Context, size uint64, tiles []Tile, checkpoint []byte) error

	// Setting returns a stored setting ("origin", "verifier_key"), or an
	// error wrapping ErrNotFound.
	Setting(ctx context.Context, name string) (string, error)
	// SetSetting stores a setting once; setting it again to a different
	// value is an error (the log's identity never changes).
	SetSetting(ctx context.Context, name, value string) error
}

// Recovery is what a Recoverer stores, in one transaction, to take back a
// published tree whose end it lost (translog.Recover prepares it).
type Recovery struct {
	// Stored is the checkpoint the storage held when the recovery was
	// prepared; if it holds another one now, the recovery must be refused.
	Stored []byte
	// Checkpoint is the published checkpoint, with the log's own signature,
	// and Tiles the published tiles the storage lacks: both are stored, so
	// that the storage holds the published tree again.
	Checkpoint []byte
	Tiles      []Tile
	// The storage lost the published entries From..To-1: its entries
	// numbered From and above (written after the restore) are renumbered
	// to start at To, so that they follow the published tree, and the
	// source's counter moves with them. From == To: nothing was lost.
	From, To uint64
	// Lost is the new signed record of every lost range, this one included,
	// to store as the setting "lost".
	Lost []byte
}

// Recoverer is a Storage that can take back a published tree whose end it
// lost. sqlstore's LogStorage is one.
type Recoverer interface {
	// Recover stores r in one transaction (see Recovery), or nothing.
	Recover(ctx context.Context, r Recovery) error
}

// ErrChanged is returned by CheckedPublisher.PublishOver when the stored
// checkpoint is not the one the caller published last: another writer
// changed it (a second integrator, or a restore of the database).
var ErrChanged = errors.New("the stored checkpoint is not the one published last")

// CheckedPublisher is a Storage that publishes only over the checkpoint the
// caller published last, in the same transaction as the write: the
// integrator then need not read the checkpoint back before each signature
// to know that nobody changed it (see translog's guard.go). sqlstore's
// LogStorage is one.
type CheckedPublisher interface {
	// PublishOver is Publish (the tiles, then the checkpoint of a tree of
	// size, atomically) on the condition that the stored checkpoint is
	// prev, byte for byte (prev nil: that none is stored). Otherwise it
	// stores nothing and returns an error wrapping ErrChanged.
	PublishOver(ctx context.Context, prev []byte, size uint64, tiles []Tile, checkpoint []byte) error
}
