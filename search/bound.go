package search

import (
	"context"
	"sync"
)

// maxBounds bounds the remembered match bounds; past it they are dropped
// and computed again.
const maxBounds = 4096

// bounds remembers matchBound's estimates until the index next changes.
// Each estimate opens a term reader per term in three fields, which builds
// every segment's postings iterator (with its deleted documents taken out)
// only to count them: on the search page that was as much work as the
// query itself, and the same words are asked for again and again. Any
// batch (put) starts a new generation, so a remembered bound is always the
// one matchBound would compute now.
type bounds struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]uint64
}

// changed forgets every bound: the index has changed.
func (b *bounds) changed() {
	b.mu.Lock()
	b.gen++
	b.m = nil
	b.mu.Unlock()
}

func (b *bounds) get(text string) (n uint64, gen uint64, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, ok = b.m[text]
	return n, b.gen, ok
}

// set keeps n for text if the index has not changed since gen.
func (b *bounds) set(text string, gen, n uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen != b.gen {
		return
	}
	if b.m == nil || len(b.m) >= maxBounds {
		b.m = make(map[string]uint64)
	}
	b.m[text] = n
}

// cachedBound is matchBound, remembered until the index changes.
func (ix *Index) cachedBound(ctx context.Context, text string) (uint64, error) {
	n, gen, ok := ix.bounds.get(text)
	if ok {
		return n, nil
	}
	n, err := ix.matchBound(ctx, text)
	if err != nil {
		return 0, err
	}
	ix.bounds.set(text, gen, n)
	return n, nil
}
