package draw

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"strconv"
	"strings"

	"trustmark"
)

// ParseCommitment reads a commitment's canonical bytes, as fetched from the
// log. Only the canonical form is accepted, byte for byte (sorted lists,
// single spaces, final newline): two different byte strings must never parse
// to the same commitment, or a hash would not pin down what was drawn.
func ParseCommitment(b []byte) (*Commitment, error) {
	c, _, err := ReadCommitment(bytes.NewReader(b))
	return c, err
}

// maxLine bounds one line of a commitment (five tokens of maxToken bytes
// need far less) and is the size of the reader's buffer.
const maxLine = 16 << 10

// ReadCommitment reads a commitment's canonical bytes from r as they
// arrive, never holding the document itself (a national campaign's is tens
// of megabytes), and returns it with the SHA-256 of the bytes read. The
// bytes must be the canonical form: the commitment parsed from them is
// encoded again, streamed into a second hash, and the two hashes must be
// equal.
func ReadCommitment(r io.Reader) (*Commitment, [32]byte, error) {
	c := &Commitment{Rates: map[Class]Permyriad{}}
	bad := func(n int, format string, args ...any) error {
		return trustmark.Errorf(trustmark.EInvalid, "commitment", "line %d: "+format, append([]any{n}, args...)...)
	}
	h := sha256.New()
	sc := bufio.NewScanner(io.TeeReader(r, h))
	sc.Buffer(make([]byte, 0, maxLine), maxLine)
	sc.Split(scanFullLines)
	// header is the fixed sequence of single lines before the lists.
	header := []string{Algorithm, "campaign", "seed", "team", "repeat-days", "drawn-on"}
	n := 0
	var fields [8]string // reused: parseLine keeps the strings, not the slice
	for sc.Scan() {
		n++
		line := sc.Bytes()
		f := splitSpaces(fields[:0], string(line[:len(line)-1]))
		if n <= len(header) && f[0] != header[n-1] {
			return nil, [32]byte{}, bad(n, "%q, want %q", f[0], header[n-1])
		}
		if err := c.parseLine(f); err != nil {
			return nil, [32]byte{}, bad(n, "%v", err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) || errors.Is(err, errNoFinalNewline) {
			return nil, [32]byte{}, bad(n+1, "%v", err)
		}
		return nil, [32]byte{}, err // the reader's own failure: a broken download
	}
	if n < len(header) {
		return nil, [32]byte{}, trustmark.Errorf(trustmark.EInvalid, "commitment", "%d lines, want at least %d", n, len(header))
	}
	read := [32]byte(h.Sum(nil))
	canon, err := c.Hash()
	if err != nil {
		return nil, [32]byte{}, err
	}
	if canon != read {
		return nil, [32]byte{}, trustmark.Errorf(trustmark.EInvalid, "commitment", "not in canonical form (order of lines or of lists, or a number written otherwise)")
	}
	return c, read, nil
}

// splitSpaces appends the fields of s separated by single spaces to f, as
// strings.Split(s, " ") would return them, without allocating a slice a
// line.
func splitSpaces(f []string, s string) []string {
	for {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			return append(f, s)
		}
		f, s = append(f, s[:i]), s[i+1:]
	}
}

var errNoFinalNewline = errors.New("the last line has no final newline")

// scanFullLines splits lines keeping their newline, and refuses a last line
// without one.
func scanFullLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return 0, nil, errNoFinalNewline
	}
	return 0, nil, nil
}

// fieldCounts is how many fields each kind of line has, its keyword included.
var fieldCounts = map[string]int{
	Algorithm: 1, "campaign": 2, "team": 2, "repeat-days": 2, "drawn-on": 2, "rate": 3,
	"subject": 5, "inspector": 5, "conflict": 3, "past": 4, "seed": 4,
}

func (c *Commitment) parseLine(f []string) error {
	want, ok := fieldCounts[f[0]]
	if !ok {
		return trustmark.Errorf(trustmark.EInvalid, "commitment", "unknown line %q", f[0])
	}
	if len(f) != want {
		return trustmark.Errorf(trustmark.EInvalid, "commitment", "%s has %d fields, want %d", f[0], len(f), want)
	}
	var err error
	switch f[0] {
	case "campaign":
		c.Campaign = f[1]
	case "seed":
		c.Seed.Kind = SeedKind(f[1])
		switch c.Seed.Kind {
		case SeedDrand:
			c.Seed.Chain = f[2]
			c.Seed.Round, err = strconv.ParseUint(f[3], 10, 64)
		case SeedLottery:
			c.Seed.Lottery = f[2]
			c.Seed.Sources, err = strconv.Atoi(f[3])
		}
	case "team":
		c.TeamSize, err = strconv.Atoi(f[1])
	case "repeat-days":
		c.RepeatDays, err = strconv.Atoi(f[1])
	case "drawn-on":
		c.DrawnOn, err = trustmark.ParseDate(f[1])
	case "rate":
		if _, dup := c.Rates[Class(f[1])]; dup {
			return trustmark.Errorf(trustmark.EInvalid, "rate", "class %s has two rates", f[1])
		}
		var r int
		r, err = strconv.Atoi(f[2])
		c.Rates[Class(f[1])] = Permyriad(r)
	case "subject":
		c.Subjects = append(c.Subjects, Subject{ID: f[1], Class: Class(f[2]), Region: f[3], Unit: f[4]})
	case "inspector":
		if f[4] != "active" && f[4] != "banned" {
			return trustmark.Errorf(trustmark.EInvalid, "inspector", "status %q, want active or banned", f[4])
		}
		c.Inspectors = append(c.Inspectors, Inspector{ID: f[1], Region: f[2], Unit: f[3], Banned: f[4] == "banned"})
	case "conflict":
		c.Conflicts = append(c.Conflicts, Pair{Inspector: f[1], Subject: f[2]})
	case "past":
		var d trustmark.Date
		d, err = trustmark.ParseDate(f[3])
		c.Past = append(c.Past, Past{Inspector: f[1], Subject: f[2], On: d})
	}
	if err != nil {
		return trustmark.Errorf(trustmark.EInvalid, f[0], "%q: %v", strings.Join(f[1:], " "), err)
	}
	return nil
}
