package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/logclient"
	"trustmark/translog"
)

const drawUsage = `usage: trustmark draw verify --log URL --key VKEY [--api URL] [--wait D] CAMPAIGN

Recomputes an inspection campaign's draw, trusting nothing but the log's
verifier key (trustmark log key prints it):
  - the log's checkpoint is signed by the key, and the campaign's events
    (its commitment, random value, draw attempts, draw and recusals) are
    included in it: proofs checked here against the signed checkpoint;
  - the random value is recomputed from its public source (a drand quicknet
    round, verified offline with the chain's key, or the lottery results);
  - the draw is recomputed from the logged commitment and random value and
    must equal the draw in the log and the draw the API publishes, subject
    by subject and team by team, recusals included;
  - the commitment and random value the API shows must be the logged ones.
Exit status: 0 the draw matches; 2 it does not (the first difference is
said on standard error); 1 the check could not run.
`

// runDraw is the draw command.
func runDraw(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, drawUsage)
		return 1
	}
	switch args[0] {
	case "verify":
		return runDrawVerify(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, drawUsage)
		return 0
	}
	fmt.Fprintf(stderr, "trustmark draw: unknown subcommand %q\n\n%s", args[0], drawUsage)
	return 1
}

// drawFailure is a draw that does not verify: exit status 2.
type drawFailure struct{ msg string }

func (e *drawFailure) Error() string { return e.msg }

func mismatch(format string, args ...any) error {
	return &drawFailure{fmt.Sprintf(format, args...)}
}

func runDrawVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("draw verify", drawUsage, stderr)
	logURL := fs.String("log", "", "the log's URL, e.g. http://127.0.0.1:8080/log")
	api := fs.String("api", "", "the JSON API's root URL (default: --log without its /log)")
	vkey := fs.String("key", "", "the log's verifier key (name+hexid+base64key), or @FILE holding it")
	wait := fs.Duration("wait", 10*time.Second, "how long to wait for events not yet in a checkpoint")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() != 1 || *logURL == "" || *vkey == "" {
		fs.Usage()
		return fs.fail("give --log, --key and one CAMPAIGN")
	}
	v, err := readVerifier(*vkey)
	if err != nil {
		return fs.fail("%v", err)
	}
	root := strings.TrimSuffix(*api, "/")
	if root == "" {
		root = strings.TrimSuffix(strings.TrimSuffix(*logURL, "/"), "/log")
	}
	dv := drawVerifier{http: &http.Client{Timeout: 60 * time.Second}, api: root, v: v, wait: *wait, out: stdout}
	err = dv.verify(ctx, *logURL, fs.Arg(0))
	var df *drawFailure
	var cf *logclient.CheckFailure
	switch {
	case errors.As(err, &df):
		fmt.Fprintln(stderr, "FAIL "+df.msg)
		return 2
	case errors.As(err, &cf):
		fmt.Fprintln(stderr, cf.Msg)
		return 2
	case err != nil:
		return fs.fail("%v", err)
	}
	return 0
}

type drawVerifier struct {
	http *http.Client
	api  string
	v    note.Verifier
	wait time.Duration
	out  io.Writer
}

// loggedCampaign is what the log holds about a campaign.
type loggedCampaign struct {
	committed, random int64 // log indices, -1 when absent
	commitmentSHA256  string
	commitmentBytes   int64
	commitment        []byte // only in events logged before the commitment was a document apart
	rd                *campaign.RandomData
	drawn             *campaign.DrawnData
	recusals          []draw.Recusal
	attempts          int
	committedAt       time.Time
	findings          map[string]campaign.FindingData
	publications      []campaign.Publication
}

func (dv *drawVerifier) verify(ctx context.Context, logURL, id string) error {
	cp, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: logURL, Verifier: dv.v, HTTP: dv.http})
	if err != nil {
		return err
	}
	fmt.Fprintf(dv.out, "ok   checkpoint: signed by %s, %d entries\n", dv.v.Name(), cp.Checkpoint.Size)
	lc, err := dv.logged(ctx, id)
	if err != nil {
		return err
	}
	if lc.rd == nil || lc.drawn == nil {
		return mismatch("campaign %s: the log holds no %s yet", id, map[bool]string{true: "random value", false: "draw"}[lc.rd == nil])
	}
	com, err := dv.commitment(ctx, id, lc)
	if err != nil {
		return err
	}
	if lc.random < lc.committed {
		return mismatch("campaign %s: the random value was logged before the commitment", id)
	}
	r, err := campaign.RandomOf(*lc.rd)
	if err != nil {
		return mismatch("random value of %s: %v", id, err)
	}
	if got := hex.EncodeToString(r.Value[:]); got != lc.rd.Value {
		return mismatch("random value of %s: the log records %s, its source gives %s", id, lc.rd.Value, got)
	}
	if r.Kind == draw.SeedDrand && !draw.Quicknet().TimeOf(r.Round).After(lc.committedAt) {
		return mismatch("random value of %s: drand round %d was published at %s, before the commitment was logged at %s", id, r.Round, draw.Quicknet().TimeOf(r.Round), lc.committedAt)
	}
	fmt.Fprintf(dv.out, "ok   random: %s value %s recomputed from its public source\n", r.Kind, lc.rd.Value)
	want, err := draw.Draw(com, r) // once: the log's and the API's copies are compared with it
	if err != nil {
		return mismatch("the draw in the log: %v", err)
	}
	logged, err := lc.loggedResult(want)
	if err != nil {
		return err
	}
	if err := draw.VerifyDrawn(com, want, logged); err != nil {
		return mismatch("the draw in the log: %v", err)
	}
	fmt.Fprintf(dv.out, "ok   log: the logged draw of %d subjects (%d recusals, %d draw attempts) is the draw of the logged commitment\n",
		len(logged.Picks), len(logged.Recusals), lc.attempts)
	pub, err := dv.published(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case pub.CommitmentSHA256 != lc.commitmentSHA256 || pub.Commitment != "" && fmt.Sprintf("%x", sha256.Sum256([]byte(pub.Commitment))) != lc.commitmentSHA256:
		return mismatch("commitment of %s: the API publishes another commitment than the log holds (SHA-256 %s, logged %s)", id, pub.CommitmentSHA256, lc.commitmentSHA256)
	case pub.Random == nil || pub.Random.Value != lc.rd.Value:
		return mismatch("random value of %s: the API publishes another random value than the log holds (%s)", id, lc.rd.Value)
	case pub.Result == nil:
		return mismatch("campaign %s: the API publishes no draw", id)
	}
	if err := draw.VerifyDrawn(com, want, pub.Result); err != nil {
		return mismatch("the draw the API publishes: %v", err)
	}
	if err := lc.checkResults(pub.Results); err != nil {
		return err
	}
	fmt.Fprintf(dv.out, "ok   results: %d published results match the %d findings and %d publications in the log\n", len(pub.Results), len(lc.findings), len(lc.publications))
	fmt.Fprintf(dv.out, "OK campaign %s: commitment %s, %d subjects drawn, the published draw matches\n", id, lc.commitmentSHA256, len(pub.Result.Picks))
	return nil
}

// logged reads the campaign's events from the history route and checks
// their inclusion in a checkpoint signed by the key, waiting for events
// not yet in one.
func (dv *drawVerifier) logged(ctx context.Context, id string) (*loggedCampaign, error) {
	u := dv.api + "/api/v1/campaigns/" + url.PathEscape(id) + "/history"
	deadline := time.Now().Add(dv.wait)
	var raw []byte
	for {
		var err error
		if raw, err = dv.get(ctx, u); err != nil {
			return nil, err
		}
		_, err = translog.VerifyHistory(raw, dv.v, false)
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "not yet included") || time.Now().After(deadline) {
			return nil, mismatch("events of campaign %s: %v", id, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	var h translog.History
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, mismatch("events of campaign %s: %v", id, err)
	}
	lc := &loggedCampaign{committed: -1, random: -1, findings: map[string]campaign.FindingData{}}
	for _, he := range h.Items {
		e, err := translog.ParseEntry([]byte(he.Entry))
		if err != nil {
			return nil, mismatch("event %d of %s: %v", he.LogIndex, id, err)
		}
		if e.Entity != campaign.EntityCampaign || e.Key != id {
			return nil, mismatch("event %d is about %s %s, not campaign %s", he.LogIndex, e.Entity, e.Key, id)
		}
		if err := lc.add(int64(he.LogIndex), e); err != nil {
			return nil, mismatch("event %d of %s (%s): %v", he.LogIndex, id, e.Action, err)
		}
	}
	if lc.committed < 0 {
		return nil, mismatch("campaign %s: no commitment in the log", id)
	}
	fmt.Fprintf(dv.out, "ok   events: %d events of %s included in the signed checkpoint\n", len(h.Items), id)
	return lc, nil
}

// add takes one logged event of the campaign into account, in log order.
func (lc *loggedCampaign) add(index int64, e *translog.EntryView) error {
	if len(e.Data) == 0 {
		return fmt.Errorf("its data is not in the log entry (data_sha256 %s)", e.DataSHA256)
	}
	switch e.Action {
	case campaign.ActionCommitted:
		var d campaign.CommittedData
		if err := json.Unmarshal(e.Data, &d); err != nil || lc.committed >= 0 {
			return fmt.Errorf("a second or malformed commitment")
		}
		if h := sha256.Sum256([]byte(d.Commitment)); d.Commitment != "" && hex.EncodeToString(h[:]) != d.CommitmentSHA256 {
			return fmt.Errorf("the commitment's bytes do not hash to its SHA-256 %s", d.CommitmentSHA256)
		}
		at, err := time.Parse(time.RFC3339Nano, e.At)
		if err != nil {
			return err
		}
		lc.committed, lc.committedAt = index, at
		lc.commitmentSHA256, lc.commitmentBytes, lc.commitment = d.CommitmentSHA256, d.CommitmentBytes, []byte(d.Commitment)
	case campaign.ActionRandom:
		var d campaign.RandomData
		if err := json.Unmarshal(e.Data, &d); err != nil || lc.rd != nil {
			return fmt.Errorf("a second or malformed random value")
		}
		lc.random, lc.rd = index, &d
	case campaign.ActionDrawAttempted:
		lc.attempts++
	case campaign.ActionDrawn:
		var d campaign.DrawnData
		if err := json.Unmarshal(e.Data, &d); err != nil || lc.drawn != nil || d.ResultSHA256 == "" && d.Picks == nil {
			return fmt.Errorf("a second or malformed draw")
		}
		lc.drawn = &d
	case campaign.ActionRecused:
		var d draw.Recusal
		if err := json.Unmarshal(e.Data, &d); err != nil || lc.drawn == nil {
			return fmt.Errorf("a malformed recusal, or one before the draw")
		}
		lc.recusals = append(lc.recusals, d)
	case campaign.ActionFinding:
		var d campaign.FindingData
		if err := json.Unmarshal(e.Data, &d); err != nil || lc.drawn == nil {
			return fmt.Errorf("a malformed finding, or one before the draw")
		}
		if _, dup := lc.findings[d.Subject]; dup {
			return fmt.Errorf("a second finding for subject %s", d.Subject)
		}
		lc.findings[d.Subject] = d
	case campaign.ActionPublished:
		var d campaign.Publication
		if err := json.Unmarshal(e.Data, &d); err != nil || d.N != len(lc.publications)+1 {
			return fmt.Errorf("a malformed publication, or one out of order")
		}
		lc.publications = append(lc.publications, d)
	}
	return nil
}

// publishedCampaign is what the API publishes about a campaign.
type publishedCampaign struct {
	Commitment       string               `json:"commitment"`
	CommitmentSHA256 string               `json:"commitment_sha256"`
	Random           *campaign.RandomData `json:"random"`
	Result           *draw.Result         `json:"result"`
	Results          []campaign.Result    `json:"results"`
}

func (dv *drawVerifier) published(ctx context.Context, id string) (*publishedCampaign, error) {
	raw, err := dv.get(ctx, dv.api+"/api/v1/campaigns/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	var p publishedCampaign
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, mismatch("the API's campaign %s is not a campaign document: %v", id, err)
	}
	return &p, nil
}

// get fetches u; a 404 is a failure to verify (the server says the campaign
// does not exist), other answers but 200 mean the check could not run.
func (dv *drawVerifier) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := dv.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return raw, nil
	case http.StatusNotFound:
		return nil, mismatch("%s: not found (404)", u)
	}
	return nil, fmt.Errorf("fetching %s: %s: %s", u, resp.Status, bytes.TrimSpace(raw))
}
