// Package draw holds the rules of "double random, one public" (双随机、一公开)
// inspections that anyone can check: the campaign's frozen inputs (the
// Commitment) published before the draw, the public random value that seeds
// it (a drand round verified offline, or the results of a named lottery draw
// combined as RFC 3797 does), and the draw itself, a deterministic function
// of the two: subjects stratified by class at the campaign's rates, ranked by
// hash, and inspector teams chosen under the exclusion rules with balanced
// workloads. Verify recomputes a published draw and names the first
// difference.
//
// Nothing here reads a clock or a hidden random generator: the same public
// inputs give the same draw on any machine.
package draw

import (
	"crypto/md5"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"trustmark"
)

// Limits of RFC 3797's reference code: a two-byte counter bounds the pool,
// and a key is made of at most 16 sources of at most 16 numbers each.
const (
	MaxRFC3797Pool    = 65535
	MaxSources        = 16
	MaxSourceNumbers  = 16
	maxNumberDigits   = 18 // fits an int64 with room; lottery numbers are short
	maxSourceTextSize = 4096
)

// Source is the result of one public randomness source (one lottery draw):
// its numbers in the order they were published.
type Source []uint64

// ParseSources reads lottery results, one source a line, its numbers
// separated by spaces or commas ("2 5 12 8 10"). Blank lines are skipped.
// Only non-negative integers are accepted: lottery results are integers, and
// RFC 3797's decimal form is not needed for them.
func ParseSources(text string) ([]Source, error) {
	if len(text) > maxSourceTextSize {
		return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "lottery results are %d bytes, want at most %d", len(text), maxSourceTextSize)
	}
	var out []Source
	for i, line := range strings.Split(text, "\n") {
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' })
		if len(fields) == 0 {
			continue
		}
		if len(fields) > MaxSourceNumbers {
			return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "line %d: %d numbers, want at most %d", i+1, len(fields), MaxSourceNumbers)
		}
		var src Source
		for _, f := range fields {
			if len(f) > maxNumberDigits || strings.TrimLeft(f, "0123456789") != "" {
				return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "line %d: %q is not a non-negative integer of at most %d digits", i+1, f, maxNumberDigits)
			}
			n, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "line %d: %q: %v", i+1, f, err)
			}
			src = append(src, n)
		}
		out = append(out, src)
	}
	if len(out) == 0 {
		return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "no lottery results")
	}
	if len(out) > MaxSources {
		return nil, trustmark.Errorf(trustmark.EInvalid, "sources", "%d sources, want at most %d", len(out), MaxSources)
	}
	return out, nil
}

// KeyString is RFC 3797's key (section 4): each source's numbers sorted
// ascending, each written in decimal followed by ".", each source ended by
// "/", the sources in their pre-announced order. Sorting makes the order in
// which a lottery publishes its balls irrelevant.
func KeyString(sources []Source) string {
	var b strings.Builder
	for _, src := range sources {
		for _, n := range slices.Sorted(slices.Values(src)) {
			b.WriteString(strconv.FormatUint(n, 10))
			b.WriteByte('.')
		}
		b.WriteByte('/')
	}
	return b.String()
}

// SelectRFC3797 picks n of a pool of size positions as RFC 3797 section 4
// does and returns the picked positions (1-based, in pick order): for the
// k-th pick, MD5 over the two-byte counter k, the key and the counter again,
// read as a 128-bit big-endian integer, modulo the number still in the pool,
// gives the zero-based index of the pick among those left. Picks after the
// n-th needed ones are the alternates, in order.
//
// The modulo has a bias below 2^-100 for pools this small; the campaign draw
// itself ranks by hash instead (see Draw).
func SelectRFC3797(key string, pool, n int) ([]int, error) {
	if pool < 1 || pool > MaxRFC3797Pool {
		return nil, trustmark.Errorf(trustmark.EInvalid, "pool", "pool of %d, want 1 to %d", pool, MaxRFC3797Pool)
	}
	if n < 0 || n > pool {
		return nil, trustmark.Errorf(trustmark.EInvalid, "n", "%d picks from a pool of %d", n, pool)
	}
	left := make([]int, pool)
	for i := range left {
		left[i] = i + 1
	}
	picks := make([]int, 0, n)
	for k := range n {
		sum := md5Row(key, k)
		hi, lo := binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:])
		// Rem64 takes hi ≥ divisor; this is the 128-bit remainder.
		r := bits.Rem64(hi, lo, uint64(len(left)))
		picks = append(picks, left[r])
		left = slices.Delete(left, int(r), int(r)+1)
	}
	return picks, nil
}

// md5Row is the digest of the k-th pick: MD5(counter, key, counter). Tests
// check it against the RFC's table row by row, not only the outcome.
func md5Row(key string, k int) [16]byte {
	buf := binary.BigEndian.AppendUint16(nil, uint16(k))
	buf = append(buf, key...)
	return md5.Sum(binary.BigEndian.AppendUint16(buf, uint16(k)))
}
