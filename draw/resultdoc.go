package draw

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
)

// ResultFormat names the canonical text of a draw's result (Result.Hash).
const ResultFormat = "trustmark-draw-result/1"

// WriteTo writes the draw's canonical text to w: UTF-8 lines, fields
// separated by one space, in this order (strata by class, picks in draw
// order, each team in draw order):
//
//	trustmark-draw-result/1
//	algorithm ALGORITHM
//	commitment HEX
//	random HEX
//	seed HEX
//	stratum CLASS RATE ELIGIBLE DRAWN
//	pick SUBJECT CLASS N INSPECTOR...
//
// Recusals are not part of it: each is its own event in the log. The log
// holds the SHA-256 of this text for the draw (a national draw's picks are
// far larger than a log entry), and a verifier compares it with the hash of
// the draw it recomputes.
func (r *Result) WriteTo(w io.Writer) (int64, error) {
	var n int64
	buf := make([]byte, 0, 64<<10)
	flush := func() error {
		m, err := w.Write(buf)
		n += int64(m)
		buf = buf[:0]
		return err
	}
	line := func(fields ...string) error {
		for i, f := range fields {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, f...)
		}
		buf = append(buf, '\n')
		if len(buf) > 60<<10 {
			return flush()
		}
		return nil
	}
	line(ResultFormat)
	line("algorithm", r.Algorithm)
	line("commitment", r.Commitment)
	line("random", r.Random)
	line("seed", r.Seed)
	for _, s := range r.Strata {
		line("stratum", string(s.Class), itoa(int(s.Rate)), itoa(s.Eligible), itoa(s.Drawn))
	}
	for _, p := range r.Picks {
		buf = append(buf, "pick "...)
		buf = append(buf, p.Subject...)
		buf = append(buf, ' ')
		buf = append(buf, p.Class...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(len(p.Team)), 10)
		for _, id := range p.Team {
			buf = append(buf, ' ')
			buf = append(buf, id...)
		}
		if err := line(); err != nil {
			return n, err
		}
	}
	return n, flush()
}

// Hash is the hex SHA-256 of the result's canonical text (WriteTo).
func (r *Result) Hash() string {
	h := sha256.New()
	r.WriteTo(h) // a hash never fails to write
	return hex.EncodeToString(h.Sum(nil))
}
