package translog

import (
	"context"
	"fmt"

	"github.com/transparency-dev/tessera/client"
)

// Proofs builds inclusion and consistency proofs against one checkpoint from
// the log's tiles. Not safe for concurrent use; make one per request.
type Proofs struct {
	cp *Checkpoint
	pb *client.ProofBuilder
}

// NewProofs returns a proof builder for the latest checkpoint.
func (l *Log) NewProofs(ctx context.Context) (*Proofs, error) {
	return l.newProofs(ctx, l.cur.Load())
}

// NewPublishedProofs returns a proof builder for the published checkpoint:
// with witnesses, the one carrying their cosignatures (it can lag the
// latest by a round), so that what a reader is given to check is what the
// witnesses vouched for.
func (l *Log) NewPublishedProofs(ctx context.Context) (*Proofs, error) {
	return l.newProofs(ctx, l.published())
}

func (l *Log) newProofs(ctx context.Context, cp *Checkpoint) (*Proofs, error) {
	pb, err := client.NewProofBuilder(ctx, cp.Size, l.storedTile)
	if err != nil {
		return nil, err
	}
	return &Proofs{cp: cp, pb: pb}, nil
}

// Checkpoint returns the checkpoint the proofs are for.
func (p *Proofs) Checkpoint() *Checkpoint { return p.cp }

// Inclusion returns the inclusion proof of the entry at index.
func (p *Proofs) Inclusion(ctx context.Context, index uint64) ([][]byte, error) {
	if index >= p.cp.Size {
		return nil, fmt.Errorf("entry %d is not yet in the checkpoint of size %d: %w", index, p.cp.Size, ErrNotFound)
	}
	return p.pb.InclusionProof(ctx, index)
}

// Consistency returns the consistency proof from the tree of size old.
func (p *Proofs) Consistency(ctx context.Context, old uint64) ([][]byte, error) {
	return p.pb.ConsistencyProof(ctx, old, p.cp.Size)
}
