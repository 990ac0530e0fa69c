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
	logURL := fs.String("log", "", "the log's URL, e.g. http://127.0.0.1:8080/log")
	api := fs.String("api", "", "the JSON API's root URL (default: --log without its /log)")
	vkey := fs.String("key", "", "the log's verifier key (name+hexid+base64key), or @FILE holding it")
	cert := fs.String("cert", "", "a certificate number whose events must be in the log")
	state := fs.String("state", "", "file keeping the last verified checkpoint")
	bundle := fs.String("bundle", "", "check this proof bundle offline instead")
	full := fs.Bool("full", false, "read and check every entry of the log")
	wait := fs.Duration("wait", 5*time.Second, "how long to wait for events not yet in a checkpoint")
	var witnesses []note.Verifier
	fs.Func("witness", "a witness's cosignature verifier key (name+hexid+base64key), or @FILE holding it, whose cosignature the checkpoint must carry (repeatable)", func(s string) error {
		v, err := readWitnessVerifier(s)
		if err != nil {
			return err
		}
		witnesses = append(witnesses, v)
		return nil
	})
	var policy *tessera.WitnessGroup
	fs.Func("witness-policy", "a witness policy file (witness NAME VKEY URL, group NAME any|all|N MEMBER..., quorum NAME lines) the checkpoint's cosignatures must satisfy; instead of --witness", func(file string) (err error) {
		policy, err = readWitnessPolicy(file)
		return err
	})
	threshold := fs.Int("witness-threshold", 0, "how many of the --witness witnesses must have cosigned (0: all)")
	maxAge := fs.Duration("witness-max-age", 0, "with --witness: the cosignatures must be at most this old (0: any age)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *vkey == "" || (*logURL == "") == (*bundle == "") {
		fs.Usage()
		return fail("give --key and either --log or --bundle")
	}
	if *threshold < 0 || *threshold > len(witnesses) {
		return fail("--witness-threshold %d, but %d witnesses are given with --witness", *threshold, len(witnesses))
	}
	if policy != nil && (len(witnesses) > 0 || *threshold != 0) {
		return fail("--witness-policy names the witnesses and the quorum: give it without --witness and --witness-threshold")
	}
	witnessing := len(witnesses) > 0 || policy != nil
	if *maxAge < 0 || (*maxAge > 0 && !witnessing) {
		return fail("--witness-max-age wants a positive duration and --witness or --witness-policy")
	}
	v, err := readVerifier(*vkey)
	if err != nil {
		return fail("%v", err)
	}
	if *bundle != "" {
		if witnessing {
			return fail("--witness and --witness-policy check the log's served checkpoint: use them with --log")
		}
		b, err := os.ReadFile(*bundle)
		if err != nil {
			return fail("%v", err)
		}
		res, err := translog.VerifyHistory(b, v, false)
		if err != nil {
			fmt.Fprintf(stderr, "FAIL %s: %v\n", *bundle, err)
			return 2
		}
		fmt.Fprintf(stdout, "OK %s: %d events included in the log %s of %d entries (checkpoint signed by %s)\n",
			*bundle, res.Included, res.Checkpoint.Origin, res.Checkpoint.Size, v.Name())
		return 0
	}
	res, err := logclient.CheckLog(ctx, logclient.CheckOptions{
		LogURL: *logURL, APIURL: strings.TrimSuffix(*api, "/"), Verifier: v, Cert: *cert, StateFile: *state, Wait: *wait, Progress: stdout, Full: *full,
		Witnesses: witnesses, WitnessThreshold: *threshold, WitnessPolicy: policy, WitnessMaxAge: *maxAge,
	})
	var cf *logclient.CheckFailure
	if errors.As(err, &cf) {
		fmt.Fprintln(stderr, cf.Msg)
		return 2
	}
	if err != nil {
		return fail("%v", err)
	}
	what := ""
	if *cert != "" {
		what = fmt.Sprintf(", %d events of %s included", res.Events, *cert)
	}
	if *full {
		what += fmt.Sprintf(", all %d entries checked", res.Entries)
	}
	if witnessing {
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
