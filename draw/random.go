package draw

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"

	"trustmark"
)

// Random is the public random value a draw is seeded with, and where it came
// from. Make one with FromBeacon or FromLottery, which check the value.
type Random struct {
	Kind  SeedKind
	Chain string // drand chain hash
	Round uint64 // drand round
	Key   string // RFC 3797 key string of the lottery results
	// Sources is the number of lottery sources in Key.
	Sources int
	Value   [32]byte
}

// FromBeacon returns the random value of a drand round after verifying its
// signature offline with the chain's key: the round's randomness
// (SHA-256 of its signature).
func FromBeacon(c Chain, b Beacon) (Random, error) {
	if err := VerifyBeacon(c, b); err != nil {
		return Random{}, err
	}
	return Random{Kind: SeedDrand, Chain: c.InfoHash(), Round: b.Round, Value: [32]byte(b.Randomness)}, nil
}

// FromLottery returns the random value of lottery results: SHA-256 of their
// RFC 3797 key string. Hashing the key (rather than running RFC 3797's MD5
// selection on it) lets one seed rank a million subjects without modulo
// bias; the key string is still the RFC's, so the results are written down
// the way NomCom selections have been for twenty years.
func FromLottery(sources []Source) Random {
	key := KeyString(sources)
	return Random{Kind: SeedLottery, Key: key, Sources: len(sources), Value: sha256.Sum256([]byte(key))}
}

// matches reports whether r is the value c committed to.
func (r Random) matches(c *Commitment) error {
	bad := func(format string, args ...any) error {
		return trustmark.Errorf(trustmark.EInvalid, "random", format, args...)
	}
	switch {
	case r.Kind != c.Seed.Kind:
		return bad("a %s value, but the commitment names a %s seed", r.Kind, c.Seed.Kind)
	case r.Kind == SeedDrand && r.Chain != c.Seed.Chain:
		return bad("drand chain %s, but the commitment names chain %s", r.Chain, c.Seed.Chain)
	case r.Kind == SeedDrand && r.Round != c.Seed.Round:
		return bad("drand round %d, but the commitment names round %d", r.Round, c.Seed.Round)
	case r.Kind == SeedLottery && r.Sources != c.Seed.Sources:
		return bad("%d lottery sources, but the commitment names %d", r.Sources, c.Seed.Sources)
	}
	return nil
}

// drawSeed binds the random value to the commitment: SHA-256 of the
// algorithm, the commitment hash and the value. A value reused for another
// campaign gives another draw.
func drawSeed(commitment, value [32]byte) [32]byte {
	b := append([]byte(Algorithm+"\x00"), commitment[:]...)
	return sha256.Sum256(append(b, value[:]...))
}

// stream is a deterministic sequence of uniform 64-bit words: block b is
// SHA-256(seed || label || 0x00 || uint64be(b)), read as 4 big-endian words.
// Labels are "team" 0x00 subject id for a drawn team and "recusal" 0x00 n
// (n in decimal) for the n-th recusal's replacement.
type stream struct {
	prefix []byte // seed || label || 0x00
	block  uint64
	words  [4]uint64
	next   int
}

func newStream(seed [32]byte, label string) *stream {
	s := &stream{}
	s.reset(seed, label)
	return s
}

// reset starts the stream of seed and the label made of parts, reusing the
// buffer: the draw starts one stream per drawn subject.
func (s *stream) reset(seed [32]byte, parts ...string) {
	s.prefix = append(s.prefix[:0], seed[:]...)
	for _, p := range parts {
		s.prefix = append(s.prefix, p...)
	}
	s.prefix = append(s.prefix, 0)
	s.block, s.next = 0, 4
}

func (s *stream) uint64() uint64 {
	if s.next == 4 {
		n := len(s.prefix)
		s.prefix = binary.BigEndian.AppendUint64(s.prefix, s.block)
		sum := sha256.Sum256(s.prefix)
		s.prefix = s.prefix[:n]
		s.block++
		for i := range s.words {
			s.words[i] = binary.BigEndian.Uint64(sum[8*i:])
		}
		s.next = 0
	}
	s.next++
	return s.words[s.next-1]
}

// uniform returns an integer in [0, n), without modulo bias: words in the
// incomplete last stretch of 2^64 are rejected and another is drawn
// (Lemire's multiply-and-reject, whose rejection zone is exactly that
// stretch).
func (s *stream) uniform(n int) int {
	N := uint64(n)
	hi, lo := bits.Mul64(s.uint64(), N)
	if lo < N {
		thresh := -N % N
		for lo < thresh {
			hi, lo = bits.Mul64(s.uint64(), N)
		}
	}
	return int(hi)
}
