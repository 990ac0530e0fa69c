package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"

	"trustmark/logclient"
	"trustmark/translog"
)

const verifyUsage = `usage: trustmark verify --log URL --key VKEY [--cert NUMBER] [--state FILE] [--full]
                        [--witness VKEY]... [--witness-threshold N] | [--witness-policy FILE]
                        [--witness-max-age D]
       trustmark verify --bundle FILE --key VKEY

Verifies Trustmark's traceability log independently, trusting nothing but
the log's verifier key (trustmark log key prints it):
  - the checkpoint at URL/checkpoint is signed by the key;
  - with --state, the log extends the checkpoint saved in FILE by the last
    run (a rewritten, shrunk or forked log fails), and FILE is updated;
  - with --cert, each event of the certificate (from the history API) is a
    canonical entry about it, included in the log: proofs are built here
    from the log's tiles;
  - with --full, every entry is read from the log's entry bundles: they
    must hash to the checkpoint's root, each must be canonical and in
    order, and with --cert every entry about the certificate must be in
    the history the API shows (a server hiding an event fails). This reads
    the whole log: minutes at national scale;
  - with --witness, the checkpoint carries cosignatures from the witnesses
    given (--witness-threshold of them, default all): witnesses cosign only
    a checkpoint that extends the last one they saw, so a log showing this
    verifier a history others do not see (a split view) fails; with
    --witness-max-age, that many cosignatures must also be at most D old
    (a quiet log has its checkpoint cosigned again every 10 minutes), so a
    frozen log or a stale view fails;
  - with --witness-policy, the cosignatures must satisfy the policy file
    (witness, group and quorum lines, as serve --witness-policy reads).
With --bundle, checks a downloaded proof bundle offline.
Exit status: 0 everything verifies; 2 something failed to verify (said on
standard error); 1 the check could not run.

Flags:
`

// runVerify is the verify command.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("verify", verifyUsage, stderr)
	o := verifyFlags(fs)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if code, ok := o.check(fs); !ok {
		return code
	}
	v, err := readVerifier(o.vkey)
	if err != nil {
		return fs.fail("%v", err)
	}
	if o.bundle != "" {
		if o.witnessing() {
			return fs.fail("--witness and --witness-policy check the log's served checkpoint: use them with --log")
		}
		return verifyBundle(fs, o.bundle, v, stdout)
	}
	return verifyLog(ctx, fs, o, v, stdout)
}

// verifyOptions are the verify command's flags.
type verifyOptions struct {
	logURL, api, vkey, cert, state, bundle string
	full                                   bool
	wait                                   time.Duration
	witnesses                              []note.Verifier
	policy                                 *tessera.WitnessGroup
	threshold                              int
	maxAge                                 time.Duration
}

// verifyFlags adds the verify command's flags to fs; their values are read
// once fs is parsed.
func verifyFlags(fs *subcommand) *verifyOptions {
	o := &verifyOptions{}
	fs.StringVar(&o.logURL, "log", "", "the log's URL, e.g. http://127.0.0.1:8080/log")
	fs.StringVar(&o.api, "api", "", "the JSON API's root URL (default: --log without its /log)")
	fs.StringVar(&o.vkey, "key", "", "the log's verifier key (name+hexid+base64key), or @FILE holding it")
	fs.StringVar(&o.cert, "cert", "", "a certificate number whose events must be in the log")
	fs.StringVar(&o.state, "state", "", "file keeping the last verified checkpoint")
	fs.StringVar(&o.bundle, "bundle", "", "check this proof bundle offline instead")
	fs.BoolVar(&o.full, "full", false, "read and check every entry of the log")
	fs.DurationVar(&o.wait, "wait", 5*time.Second, "how long to wait for events not yet in a checkpoint")
	fs.Func("witness", "a witness's cosignature verifier key (name+hexid+base64key), or @FILE holding it, whose cosignature the checkpoint must carry (repeatable)", appendParsed(&o.witnesses, readWitnessVerifier))
	fs.Func("witness-policy", "a witness policy file (witness NAME VKEY URL, group NAME any|all|N MEMBER..., quorum NAME lines) the checkpoint's cosignatures must satisfy; instead of --witness", func(file string) (err error) {
		o.policy, err = readWitnessPolicy(file)
		return err
	})
	fs.IntVar(&o.threshold, "witness-threshold", 0, "how many of the --witness witnesses must have cosigned (0: all)")
	fs.DurationVar(&o.maxAge, "witness-max-age", 0, "with --witness: the cosignatures must be at most this old (0: any age)")
	return o
}

// witnessing reports whether the checkpoint's cosignatures are checked.
func (o *verifyOptions) witnessing() bool { return len(o.witnesses) > 0 || o.policy != nil }

// check refuses arguments, and flags that are missing, out of their range
// or exclude each other. When ok is false the command must return code
// (the reason is said).
func (o *verifyOptions) check(fs *subcommand) (code int, ok bool) {
	if fs.NArg() > 0 {
		return fs.fail("unexpected argument %q", fs.Arg(0)), false
	}
	if o.vkey == "" || (o.logURL == "") == (o.bundle == "") {
		fs.Usage()
		return fs.fail("give --key and either --log or --bundle"), false
	}
	if o.threshold < 0 || o.threshold > len(o.witnesses) {
		return fs.fail("--witness-threshold %d, but %d witnesses are given with --witness", o.threshold, len(o.witnesses)), false
	}
	if o.policy != nil && (len(o.witnesses) > 0 || o.threshold != 0) {
		return fs.fail("--witness-policy names the witnesses and the quorum: give it without --witness and --witness-threshold"), false
	}
	if o.maxAge < 0 || (o.maxAge > 0 && !o.witnessing()) {
		return fs.fail("--witness-max-age wants a positive duration and --witness or --witness-policy"), false
	}
	return 0, true
}

// verifyBundle checks the proof bundle in file offline against the log's
// key v, and returns the exit status.
func verifyBundle(fs *subcommand, file string, v note.Verifier, stdout io.Writer) int {
	b, err := os.ReadFile(file)
	if err != nil {
		return fs.fail("%v", err)
	}
	res, err := translog.VerifyHistory(b, v, false)
	if err != nil {
		fmt.Fprintf(fs.stderr, "FAIL %s: %v\n", file, err)
		return 2
	}
	fmt.Fprintf(stdout, "OK %s: %d events included in the log %s of %d entries (checkpoint signed by %s)\n",
		file, res.Included, res.Checkpoint.Origin, res.Checkpoint.Size, v.Name())
	return 0
}

// verifyLog checks the log served at --log against its key v, as the flags
// ask, and returns the exit status: a check that fails is said on standard
// error and is 2; one that could not run is 1.
func verifyLog(ctx context.Context, fs *subcommand, o *verifyOptions, v note.Verifier, stdout io.Writer) int {
	res, err := logclient.CheckLog(ctx, logclient.CheckOptions{
		LogURL: o.logURL, APIURL: strings.TrimSuffix(o.api, "/"), Verifier: v, Cert: o.cert, StateFile: o.state, Wait: o.wait, Progress: stdout, Full: o.full,
		Witnesses: o.witnesses, WitnessThreshold: o.threshold, WitnessPolicy: o.policy, WitnessMaxAge: o.maxAge,
	})
	var cf *logclient.CheckFailure
	if errors.As(err, &cf) {
		fmt.Fprintln(fs.stderr, cf.Msg)
		return 2
	}
	if err != nil {
		return fs.fail("%v", err)
	}
	what := ""
	if o.cert != "" {
		what = fmt.Sprintf(", %d events of %s included", res.Events, o.cert)
	}
	if o.full {
		what += fmt.Sprintf(", all %d entries checked", res.Entries)
	}
	if o.witnessing() {
		what += fmt.Sprintf(", cosigned by %s", strings.Join(res.Cosigners, ", "))
	}
	fmt.Fprintf(stdout, "OK log %s: %d entries%s\n", res.Checkpoint.Origin, res.Checkpoint.Size, what)
	return 0
}

// readWitnessPolicy reads a --witness-policy file.
func readWitnessPolicy(file string) (*tessera.WitnessGroup, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	g, err := translog.ReadWitnessPolicy(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &g, nil
}

// readVerifier reads a verifier key given inline or as @FILE.
func readVerifier(s string) (note.Verifier, error) {
	s, err := readKeyArg(s)
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(s)
	if err != nil {
		return nil, fmt.Errorf("--key: not a note verifier key (name+hexid+base64key): %v", err)
	}
	return v, nil
}

// readWitnessVerifier reads a witness's cosignature/v1 verifier key (key
// type 0x04, or a plain Ed25519 key, taken as a cosignature key) given
// inline or as @FILE.
func readWitnessVerifier(s string) (note.Verifier, error) {
	s, err := readKeyArg(s)
	if err != nil {
		return nil, err
	}
	v, err := fnote.NewVerifierForCosignatureV1(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a cosignature verifier key (name+hexid+base64key): %v", s, err)
	}
	return v, nil
}

// readKeyArg returns a key given inline, or read from FILE given as @FILE.
func readKeyArg(s string) (string, error) {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return "", err
		}
		s = string(b)
	}
	return strings.TrimSpace(s), nil
}
