// Package logclient is the client side of Trustmark's traceability log:
// CheckLog, the independent verifier behind `trustmark verify`, which
// trusts nothing but the log's verifier key and reads the log over HTTP
// (C2SP tlog-tiles, the history API), and HTTPWitnesses, the transport
// that carries the log's checkpoints to its witnesses (C2SP tlog-witness).
// The log engine itself (package translog) has no network code.
package logclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"

	"trustmark"
	"trustmark/translog"
)

var (
	hasher       = rfc6962.DefaultHasher
	rangeFactory = &compact.RangeFactory{Hash: hasher.HashChildren}
)

func b64(h []byte) string { return base64.StdEncoding.EncodeToString(h) }

// CheckOptions configure CheckLog, the independent verifier behind
// `trustmark verify`.
type CheckOptions struct {
	// LogURL is the log's root, where /checkpoint and /tile/ are
	// (e.g. https://trustmark.example/log/).
	LogURL string
	// APIURL is the JSON API's root; default LogURL without its /log.
	APIURL string
	// Verifier is the log's key: the only thing trusted.
	Verifier note.Verifier
	// Cert is a certificate number whose events must be in the log.
	Cert string
	// StateFile keeps the last checkpoint verified; the new one must be
	// consistent with it. It is created or updated only when all verifies.
	StateFile string
	// Wait is how long to wait for events not yet in a checkpoint; default 5s.
	Wait time.Duration
	// HTTP is the client to use; default one with a 30s timeout.
	HTTP *http.Client
	// Progress receives one line per step verified; may be nil.
	Progress io.Writer
	// Full reads every entry of the log: their hashes must give the
	// checkpoint's root, each must be a canonical entry whose seq is its
	// index, and, with Cert, every entry about the certificate must be in
	// the history the API shows (a server hiding an event is caught).
	Full bool
	// Witnesses are the witnesses (cosignature/v1 verifier keys) whose
	// cosignatures every checkpoint used must carry, WitnessThreshold of
	// them (0: all). A log that shows this verifier a view its witnesses
	// have not checked (a split view) fails.
	Witnesses        []note.Verifier
	WitnessThreshold int
	// WitnessPolicy, instead of Witnesses, is the witness policy every
	// checkpoint used must satisfy (groups and thresholds, as
	// ReadWitnessPolicy reads them).
	WitnessPolicy *tessera.WitnessGroup
	// WitnessMaxAge, when set, wants the witness requirement met by
	// cosignatures at most this old (by their cosignature/v1 timestamps):
	// a log frozen in time, or a stale view replayed to this verifier,
	// fails. A quiet log stays fresh: it has its checkpoint cosigned again
	// every translog.Options.WitnessRefresh.
	WitnessMaxAge time.Duration
	// Now is the verifier's clock for WitnessMaxAge; default time.Now.
	Now func() time.Time
}

// CheckFailure is a verification that failed: the log, or what the server
// says about it, is not what the key signed.
type CheckFailure struct{ Msg string }

func (e *CheckFailure) Error() string { return e.Msg }

func failf(format string, args ...any) error { return &CheckFailure{fmt.Sprintf(format, args...)} }

// CheckResult is what CheckLog established.
type CheckResult struct {
	Checkpoint *translog.Checkpoint
	Previous   *translog.Checkpoint // from the state file, nil without one
	Events     int                  // certificate events proved included
	Entries    uint64               // entries read and checked with Full
	Cosigners  []string             // the trusted witnesses that cosigned Checkpoint
}

// CheckLog verifies a log over HTTP trusting only opts.Verifier: the
// checkpoint's signature; consistency with the checkpoint in the state file
// (a rewritten, shrunk or forked log fails); and, with a certificate, that
// each of its events (from the history API) is canonical, is about that
// certificate, and is included in the tree, with proofs built here from the
// log's tiles, not taken from the server. A failure of the log is a
// *CheckFailure saying precisely what; other errors mean it could not check
// (network, usage).
func CheckLog(ctx context.Context, o CheckOptions) (*CheckResult, error) {
	c, err := newChecker(ctx, o)
	if err != nil {
		return nil, err
	}
	cp, err := c.fetchCheckpoint()
	if err != nil {
		return nil, err
	}
	c.say("ok   checkpoint: signed by %s, %d entries, root %s", c.o.Verifier.Name(), cp.Size, b64(cp.Root))
	if c.policy != nil {
		c.say("ok   witnesses: cosigned by %s (%s)", namesOrNone(c.cosigners), c.need)
	}
	res := &CheckResult{Checkpoint: cp}
	if c.o.StateFile != "" {
		if res.Previous, err = c.checkState(cp); err != nil {
			return nil, err
		}
	}
	var shown map[uint64]bool // log indices of the certificate's history
	if c.o.Cert != "" {
		if cp, res.Events, shown, err = c.checkHistory(cp); err != nil {
			return nil, err
		}
		res.Checkpoint = cp
	}
	if c.o.Full {
		if res.Entries, err = checkAllEntries(ctx, c.f, cp, c.o.Cert, shown, c.say); err != nil {
			return nil, err
		}
	}
	if c.o.StateFile != "" {
		if err := writeFileAtomic(c.o.StateFile, cp.Signed); err != nil {
			return nil, err
		}
	}
	res.Cosigners = c.cosigners
	return res, nil
}

// checker is one run of CheckLog: its options with their defaults, the
// log's tiles and entry bundles, and the witness requirement.
type checker struct {
	ctx       context.Context
	o         CheckOptions
	f         *client.HTTPFetcher
	policy    *tessera.WitnessGroup // nil: no witnesses required
	need      string                // how to say what policy requires
	cosigners []string              // the trusted witnesses that cosigned the checkpoint last fetched
}

// newChecker fills in o's defaults and refuses a log URL or witness
// requirement it cannot use, before anything is fetched.
func newChecker(ctx context.Context, o CheckOptions) (*checker, error) {
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Wait == 0 {
		o.Wait = 5 * time.Second
	}
	root, err := url.Parse(o.LogURL)
	if err != nil || root.Scheme == "" || root.Host == "" {
		return nil, fmt.Errorf("log URL %q is not an absolute URL", o.LogURL)
	}
	f, err := client.NewHTTPFetcher(root, o.HTTP)
	if err != nil {
		return nil, err
	}
	policy, need, err := o.witnessPolicy()
	if err != nil {
		return nil, err
	}
	return &checker{ctx: ctx, o: o, f: f, policy: policy, need: need}, nil
}

// say writes one line of progress, when there is somewhere to write it.
func (c *checker) say(format string, args ...any) {
	if c.o.Progress != nil {
		fmt.Fprintf(c.o.Progress, format+"\n", args...)
	}
}

// fetchCheckpoint fetches the log's checkpoint and checks its signature
// and, with a witness requirement, its cosignatures.
func (c *checker) fetchCheckpoint() (*translog.Checkpoint, error) {
	raw, err := c.f.ReadCheckpoint(c.ctx)
	if err != nil {
		return nil, fmt.Errorf("fetching the checkpoint: %w", err)
	}
	cp, err := translog.ParseCheckpoint(raw, c.o.Verifier)
	if err != nil {
		return nil, failf("FAIL checkpoint: the log's checkpoint does not verify with key %s: %v (a forged checkpoint, or the wrong key)", c.o.Verifier.Name(), err)
	}
	if c.policy != nil {
		if err := c.checkWitnesses(raw, cp); err != nil {
			return nil, err
		}
	}
	return cp, nil
}

// checkWitnesses wants the checkpoint raw cosigned as c.policy requires
// (freshly, with WitnessMaxAge), and records who cosigned it.
func (c *checker) checkWitnesses(raw []byte, cp *translog.Checkpoint) error {
	ok, by, missing := translog.CheckCosignatures(raw, *c.policy)
	if !ok {
		return failf("FAIL witness: the checkpoint of %d entries is cosigned by %d of the witnesses, %s (cosigned by: %s; not by: %s): the log may be showing this verifier a view its witnesses have not checked (a split view), or its witnesses are down",
			cp.Size, len(by), c.need, namesOrNone(by), namesOrNone(missing))
	}
	c.cosigners = by
	if c.o.WitnessMaxAge > 0 {
		now := time.Now
		if c.o.Now != nil {
			now = c.o.Now
		}
		if err := checkFreshness(raw, cp, *c.policy, c.need, c.o.WitnessMaxAge, now()); err != nil {
			return err
		}
	}
	return nil
}

// consistent proves that the tree of cp extends the tree of old; what
// names the check in a failure.
func (c *checker) consistent(old, cp *translog.Checkpoint, what string) error {
	switch {
	case old.Size > cp.Size:
		return failf("FAIL %s: the log shrank: it now has %d entries, but a checkpoint of %d entries was signed before (a rollback or a fork)", what, cp.Size, old.Size)
	case old.Size == cp.Size:
		if !bytes.Equal(old.Root, cp.Root) {
			return failf("FAIL %s: fork: two signed checkpoints of %d entries with different roots (%s and %s)", what, cp.Size, b64(old.Root), b64(cp.Root))
		}
		return nil
	case old.Size == 0:
		return nil
	}
	pb, err := client.NewProofBuilder(c.ctx, cp.Size, c.f.ReadTile)
	if err != nil {
		return err
	}
	p, err := pb.ConsistencyProof(c.ctx, old.Size, cp.Size)
	if err != nil {
		return failf("FAIL %s: cannot build a consistency proof from %d to %d entries from the log's tiles: %v", what, old.Size, cp.Size, err)
	}
	if err := translog.VerifyConsistency(old.Size, cp.Size, p, old.Root, cp.Root); err != nil {
		return failf("FAIL %s: the log of %d entries is not an extension of the one of %d entries signed before: history was rewritten or the log forked (%v)", what, cp.Size, old.Size, err)
	}
	return nil
}

// checkState wants cp consistent with the checkpoint saved in the state
// file, and returns that one; nil when the file does not exist yet.
func (c *checker) checkState(cp *translog.Checkpoint) (*translog.Checkpoint, error) {
	raw, err := os.ReadFile(c.o.StateFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		c.say("ok   state: %s does not exist yet; it will hold this checkpoint", c.o.StateFile)
		return nil, nil
	case err != nil:
		return nil, err
	}
	old, err := translog.ParseCheckpoint(raw, c.o.Verifier)
	if err != nil {
		return nil, fmt.Errorf("state file %s does not hold a checkpoint signed by %s: %v", c.o.StateFile, c.o.Verifier.Name(), err)
	}
	if err := c.consistent(old, cp, "consistency"); err != nil {
		return nil, err
	}
	c.say("ok   consistency: the log of %d entries extends the one of %d entries seen before", cp.Size, old.Size)
	return old, nil
}

func namesOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// checkFreshness wants policy satisfied by the cosignatures on signed that
// are at most maxAge old at now; need says what policy requires.
func checkFreshness(signed []byte, cp *translog.Checkpoint, policy tessera.WitnessGroup, need string, maxAge time.Duration, now time.Time) error {
	if policy.Satisfied(nil) {
		return nil // a policy that needs no one
	}
	nt, err := note.Open(signed, note.VerifierList(translog.PolicyWitnesses(policy)...))
	if err != nil {
		return failf("FAIL witness: cannot read the cosignatures: %v", err)
	}
	// The policy is asked again of the note with only its fresh
	// cosignatures.
	fresh := []byte(nt.Text + "\n")
	n := 0
	newest := time.Duration(-1)
	for _, sig := range nt.Sigs {
		ts, err := fnote.CoSigV1Timestamp(sig)
		if err != nil {
			continue // not a cosignature/v1
		}
		age := now.Sub(ts)
		if newest < 0 || age < newest {
			newest = age
		}
		if age <= maxAge {
			n++
			fresh = fmt.Appendf(fresh, "— %s %s\n", sig.Name, sig.Base64)
		}
	}
	if policy.Satisfied(fresh) {
		return nil
	}
	newestSays := "none"
	if newest >= 0 {
		newestSays = newest.Round(time.Second).String() + " old"
	}
	return failf("FAIL witness: the checkpoint of %d entries has %d cosignatures at most %s old, %s (the newest is %s): the log may be frozen, or showing this verifier a stale view",
		cp.Size, n, maxAge, need, newestSays)
}

// witnessPolicy returns the witness requirement of o, nil for none, and
// how to say it ("2 required").
func (o *CheckOptions) witnessPolicy() (*tessera.WitnessGroup, string, error) {
	switch {
	case o.WitnessPolicy != nil && len(o.Witnesses) > 0:
		return nil, "", errors.New("give either witnesses or a witness policy, not both")
	case o.WitnessPolicy != nil:
		return o.WitnessPolicy, "not enough for the witness policy", nil
	case len(o.Witnesses) == 0:
		if o.WitnessMaxAge > 0 {
			return nil, "", errors.New("a maximum cosignature age, but no witnesses")
		}
		return nil, "", nil
	}
	ws := make([]tessera.Witness, len(o.Witnesses))
	for i, v := range o.Witnesses {
		ws[i] = tessera.Witness{Key: v}
	}
	g, err := translog.WitnessPolicy(o.WitnessThreshold, ws...)
	if err != nil {
		return nil, "", err
	}
	return &g, fmt.Sprintf("%d required", g.N), nil
}

// checkAllEntries reads the log's entries 0..cp.Size from its entry
// bundles and checks that they hash to cp's root, that each is a canonical
// entry whose seq is its index, and, with cert, that every entry about that
// certificate is one of the shown indices.
func checkAllEntries(ctx context.Context, f *client.HTTPFetcher, cp *translog.Checkpoint, cert string, shown map[uint64]bool, say func(string, ...any)) (uint64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	size := func(context.Context) (uint64, error) { return cp.Size, nil }
	bundles := client.EntryBundles(ctx, 4, size, f.ReadEntryBundle, 0, cp.Size)
	unbundle := func(b []byte) ([][]byte, error) {
		var eb api.EntryBundle
		if err := eb.UnmarshalText(b); err != nil {
			return nil, err
		}
		return eb.Entries, nil
	}
	rng := rangeFactory.NewEmptyRange(0)
	const every = 1 << 20
	var n uint64
	for e, err := range client.Entries(bundles, unbundle) {
		if err != nil {
			return n, failf("FAIL full: cannot read entry %d from the log's entry bundles: %v", n, err)
		}
		if e.Index != n {
			return n, failf("FAIL full: entry bundles give entry %d where entry %d was expected", e.Index, n)
		}
		v, err := translog.ParseEntry(e.Entry)
		if err != nil {
			return n, failf("FAIL full: entry %d is not a canonical entry: %v", n, err)
		}
		if v.Seq != int64(n) {
			return n, failf("FAIL full: entry %d says it is event %d", n, v.Seq)
		}
		if cert != "" && v.Entity == trustmark.EntityCertificate && strings.HasSuffix(v.Key, "/"+cert) && !shown[n] {
			return n, failf("FAIL history of %s: the log's entry %d (%s at %s) is about %s but the history API does not show it: the server hides an event", cert, n, v.Action, v.At, cert)
		}
		if err := rng.Append(translog.LeafHash(e.Entry), nil); err != nil {
			return n, err
		}
		n++
		if n%every == 0 {
			say("...  full: %d of %d entries read", n, cp.Size)
		}
	}
	if n != cp.Size {
		return n, failf("FAIL full: the entry bundles hold %d entries, the checkpoint says %d", n, cp.Size)
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		return n, err
	}
	if cp.Size > 0 && !bytes.Equal(root, cp.Root) {
		return n, failf("FAIL full: the log's %d entries hash to root %s, but the checkpoint signs %s: the entry bundles are not the signed log", n, b64(root), b64(cp.Root))
	}
	say("ok   full: all %d entries read, canonical, in order, and hashing to the checkpoint's root", n)
	return n, nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// trimLogPath strips a trailing "/log" or "/log/" from a URL, giving the
// server's root, where the JSON API lives.
func trimLogPath(u string) string {
	u = strings.TrimSuffix(u, "/")
	return strings.TrimSuffix(u, "/log")
}
