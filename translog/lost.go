package translog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// ErrLost is returned for entries the log published but its storage lost
// (a database restored from a backup, the loss recorded by Recover): their
// hashes stay in the tree, their content is gone.
var ErrLost = fmt.Errorf("lost in a database restore (docs/LOG.md, \"After a restore\"): %w", ErrNotFound)

// Range is the entries from From up to, not including, To.
type Range struct{ From, To uint64 }

// lostRanges are the ranges of published entries the storage lost, in
// order.
type lostRanges []Range

func (rs lostRanges) contains(i uint64) bool {
	for _, r := range rs {
		if r.From <= i && i < r.To {
			return true
		}
	}
	return false
}

// overlaps reports whether any lost entry is in [from, to).
func (rs lostRanges) overlaps(from, to uint64) bool {
	for _, r := range rs {
		if r.From < to && from < r.To {
			return true
		}
	}
	return false
}

// lostSetting is the storage setting that holds the signed record of lost
// entries. Its value is replaced by each recovery (SetSetting's
// write-once rule is for the log's identity), so it is signed by the log's
// key: whoever can write the database cannot pass a deletion off as a loss.
const lostSetting = "lost"

// The record is a signed note whose text is the origin, the word "lost"
// (never a size: the note can't pass for a checkpoint) and one line
// "FROM TO" per range.
func signLost(k *Key, rs lostRanges) ([]byte, error) {
	text := k.Signer.Name() + "\nlost\n"
	for _, r := range rs {
		text += fmt.Sprintf("%d %d\n", r.From, r.To)
	}
	return note.Sign(&note.Note{Text: text}, k.Signer)
}

// loadLost reads the record of lost entries from st, checked with k.
func loadLost(ctx context.Context, st Storage, k *Key) (lostRanges, error) {
	raw, err := st.Setting(ctx, lostSetting)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parseLost([]byte(raw), k.Verifier)
}

func parseLost(signed []byte, v note.Verifier) (lostRanges, error) {
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("the record of lost entries does not verify with the log's key: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 2 || lines[0] != v.Name() || lines[1] != "lost" {
		return nil, errors.New("the record of lost entries is malformed")
	}
	var rs lostRanges
	for _, line := range lines[2:] {
		a, b, ok := strings.Cut(line, " ")
		from, err1 := strconv.ParseUint(a, 10, 64)
		to, err2 := strconv.ParseUint(b, 10, 64)
		if !ok || err1 != nil || err2 != nil || from >= to || (len(rs) > 0 && from < rs[len(rs)-1].To) {
			return nil, fmt.Errorf("the record of lost entries has a bad range %q", line)
		}
		rs = append(rs, Range{from, to})
	}
	return rs, nil
}

// Lost returns the ranges of entries the log published but its storage
// lost, as recorded by Recover.
func (l *Log) Lost() []Range { return slices.Clone(l.lostRanges()) }

func (l *Log) lostRanges() lostRanges {
	if p := l.lost.Load(); p != nil {
		return *p
	}
	return nil
}
