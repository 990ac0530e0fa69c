package translog

// The witness policy: which witnesses a log asks to cosign its checkpoints
// (C2SP tlog-witness, cosignatures as C2SP tlog-cosignature's
// cosignature/v1) and how many of them a verifier requires. The log's side
// of the protocol is in cosign.go; the HTTP transport is logclient's.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"
)

// DefaultWitnessTimeout is how long a round of witnessing may take when
// Options.WitnessTimeout is not set.
const DefaultWitnessTimeout = 5 * time.Second

// DefaultWitnessRefresh is Options.WitnessRefresh when not set: an idle
// log's cosignatures are renewed every 10 minutes.
const DefaultWitnessRefresh = 10 * time.Minute

// ErrWitnessPolicy is returned by (*Log).Witness when the witnesses that
// answered do not satisfy the log's witness policy.
var ErrWitnessPolicy = errors.New("the witness policy is not satisfied")

// WitnessPolicy returns the policy "n of these witnesses cosign" as
// tessera's WitnessGroup; n <= 0 means all of them.
func WitnessPolicy(n int, ws ...tessera.Witness) (tessera.WitnessGroup, error) {
	if n <= 0 {
		n = len(ws)
	}
	if n > len(ws) {
		return tessera.WitnessGroup{}, fmt.Errorf("a threshold of %d witnesses, but only %d are given", n, len(ws))
	}
	g := tessera.NewWitnessGroup(0)
	for _, w := range ws {
		g.Components = append(g.Components, w)
	}
	g.N = n
	return g, nil
}

// ParseWitness reads a witness given as VKEY=URL: the witness's
// cosignature/v1 verifier key (name+hexid+base64key) and its submission
// prefix, where /add-checkpoint is. The key's base64 may itself end in
// "=", so the URL is taken from the last "=" before its scheme.
func ParseWitness(s string) (tessera.Witness, error) {
	i := strings.Index(s, "://")
	j := strings.LastIndex(s[:max(i, 0)], "=")
	if i < 0 || j < 0 {
		return tessera.Witness{}, fmt.Errorf("witness %q: want VKEY=URL, e.g. witness.example+1234abcd+BASE64=https://witness.example/", s)
	}
	vkey, raw := s[:j], s[j+1:]
	u, err := parseHTTPURL(raw)
	if err != nil {
		return tessera.Witness{}, fmt.Errorf("witness %q: %v", s, err)
	}
	w, err := tessera.NewWitness(vkey, u)
	if err != nil {
		return tessera.Witness{}, fmt.Errorf("witness %q: %q is not a cosignature verifier key (name+hexid+base64key): %v", s, vkey, err)
	}
	return w, nil
}

// ReadWitnessPolicy reads a witness policy file, in the format tessera
// reads (Sigsum's policy format, with cosignature/v1 verifier keys):
//
//	witness NAME VKEY URL          # a witness: its key and its submission prefix
//	group NAME any|all|N MEMBER... # N of the members (witnesses or groups)
//	quorum NAME                    # what must cosign ("none": nothing)
//
// "#" starts a comment and "log" lines are ignored, so the file a log's
// operator publishes serves both `serve --witness-policy` and `verify
// --witness-policy`. Every witness URL must be http(s).
func ReadWitnessPolicy(text []byte) (tessera.WitnessGroup, error) {
	g, err := tessera.NewWitnessGroupFromPolicy(text)
	if err != nil {
		return tessera.WitnessGroup{}, fmt.Errorf("witness policy: %w", err)
	}
	// The URLs as written: tessera has already joined /add-checkpoint to
	// them, which turns "https://" into a URL of host "add-checkpoint".
	for line := range strings.Lines(string(text)) {
		line, _, _ = strings.Cut(line, "#")
		if f := strings.Fields(line); len(f) == 4 && f[0] == "witness" {
			if _, err := parseHTTPURL(f[3]); err != nil {
				return tessera.WitnessGroup{}, fmt.Errorf("witness policy: witness %s: %v", f[1], err)
			}
		}
	}
	return g, nil
}

// PolicyWitnesses returns the witnesses' keys that policy names, each once,
// in order of name: what a verifier checks cosignatures with.
func PolicyWitnesses(policy tessera.WitnessGroup) []note.Verifier {
	seen := map[string]note.Verifier{}
	var walk func(tessera.WitnessGroup)
	walk = func(g tessera.WitnessGroup) {
		for _, c := range g.Components {
			switch c := any(c).(type) {
			case tessera.Witness:
				seen[c.Key.Name()+"+"+strconv.FormatUint(uint64(c.Key.KeyHash()), 16)] = c.Key
			case tessera.WitnessGroup:
				walk(c)
			}
		}
	}
	walk(policy)
	vs := slices.Collect(maps.Values(seen))
	slices.SortFunc(vs, func(a, b note.Verifier) int {
		return cmp.Or(strings.Compare(a.Name(), b.Name()), cmp.Compare(a.KeyHash(), b.KeyHash()))
	})
	return vs
}

func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", s)
	}
	return u, nil
}

// CheckCosignatures reports whether signed carries the cosignatures policy
// requires, deciding with tessera's WitnessGroup, and returns the names of
// the policy's witnesses that cosigned and of those that did not.
func CheckCosignatures(signed []byte, policy tessera.WitnessGroup) (ok bool, by, missing []string) {
	for _, v := range PolicyWitnesses(policy) {
		if (tessera.Witness{Key: v}).Satisfied(signed) {
			by = append(by, v.Name())
		} else {
			missing = append(missing, v.Name())
		}
	}
	return policy.Satisfied(signed), by, missing
}
