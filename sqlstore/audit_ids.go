package sqlstore

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync/atomic"
	"time"
)

// idSeq hands out identifiers that sort in the order they were made:
// prefix, 14 hex digits of a sequence that is the store clock's
// microseconds (or one more than the last, when the clock has not moved
// on), and 10 random hex digits. Check-ins are keyed by them, in their
// table's primary key and in the log's (entity, key) index: random keys
// land on a different B-tree page each, so a group of 500 check-ins
// dirtied some 500 pages of each index for the commit to write, where
// ordered ones fill the last few (docs/BENCHMARKS.md). The random part
// keeps identifiers made by two processes, or after a restart under a
// clock that stands still (tests), apart. Safe for concurrent use.
type idSeq struct{ last atomic.Int64 }

func (s *idSeq) next(prefix string, now time.Time) string {
	n := now.UnixMicro()
	for {
		last := s.last.Load()
		v := max(n, last+1)
		if s.last.CompareAndSwap(last, v) {
			n = v
			break
		}
	}
	b := make([]byte, 0, len(prefix)+24)
	b = append(b, prefix...)
	seq := strconv.FormatInt(n, 16)
	for range 14 - len(seq) {
		b = append(b, '0')
	}
	b = append(b, seq...)
	var r [5]byte
	rand.Read(r[:])
	return string(hex.AppendEncode(b, r[:]))
}
