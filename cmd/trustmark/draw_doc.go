package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"trustmark/campaign"
	"trustmark/draw"
)

// commitment returns the campaign's logged commitment: the bytes in the
// event itself (campaigns logged before the commitment became a document
// apart), or the document downloaded from the API, streamed through the
// parser and its hash, which must be the logged SHA-256.
func (dv *drawVerifier) commitment(ctx context.Context, id string, lc *loggedCampaign) (*draw.Commitment, error) {
	if len(lc.commitment) > 0 {
		com, err := draw.ParseCommitment(lc.commitment)
		if err != nil {
			return nil, mismatch("commitment of %s in the log: %v", id, err)
		}
		return com, nil
	}
	u := dv.api + campaign.CommitmentPath(id)
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := dv.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusNotFound {
			return nil, mismatch("%s: not found (404)", u)
		}
		return nil, fmt.Errorf("fetching %s: %s", u, resp.Status)
	}
	// One byte more than logged is read, so that a longer document fails on
	// its hash instead of being cut to fit.
	com, sum, err := draw.ReadCommitment(io.LimitReader(resp.Body, lc.commitmentBytes+1))
	if err != nil {
		return nil, mismatch("the commitment of %s at %s: %v", id, u, err)
	}
	if got := hex.EncodeToString(sum[:]); got != lc.commitmentSHA256 {
		return nil, mismatch("commitment of %s: the document at %s has SHA-256 %s, the log holds %s", id, u, got, lc.commitmentSHA256)
	}
	fmt.Fprintf(dv.out, "ok   commitment: %d subjects, %d inspectors; the document's SHA-256 is the logged %s\n",
		len(com.Subjects), len(com.Inspectors), lc.commitmentSHA256)
	return com, nil
}

// loggedResult is the draw the log holds, with its recusals: the picks
// themselves in events logged before the draw was logged by its hash;
// otherwise want, the draw of the logged commitment and random value,
// whose hash must be the logged one.
func (lc *loggedCampaign) loggedResult(want *draw.Result) (*draw.Result, error) {
	d := lc.drawn
	res := &draw.Result{Algorithm: d.Algorithm, Commitment: d.Commitment, Random: d.Random, Seed: d.Seed,
		Strata: d.Strata, Picks: d.Picks, Recusals: slices.Clone(lc.recusals)}
	if res.Recusals == nil {
		res.Recusals = []draw.Recusal{}
	}
	if d.ResultSHA256 == "" {
		return res, nil
	}
	if h := want.Hash(); h != d.ResultSHA256 {
		return nil, mismatch("the draw in the log: its SHA-256 is %s, the recomputed draw's %s", d.ResultSHA256, h)
	}
	if d.Drawn != len(want.Picks) {
		return nil, mismatch("the draw in the log: %d subjects drawn, recomputed %d", d.Drawn, len(want.Picks))
	}
	res.Picks = want.Picks
	return res, nil
}

// checkResults compares the published results with the log: each result
// is the one its finding's event committed to, and each publication's
// results hash to what the publication logged.
func (lc *loggedCampaign) checkResults(rs []campaign.Result) error {
	byPub := map[int][]campaign.Result{}
	for _, r := range rs {
		d, ok := lc.findings[r.Subject]
		if !ok {
			return mismatch("result of %s: published, but no finding for it is in the log", r.Subject)
		}
		f := campaign.Finding{Subject: r.Subject, Class: r.Class, Region: r.Region, Method: r.Method, Outcome: r.Outcome,
			Items: r.Items, Attachments: r.Attachments, Certificates: r.Certificates, ConcludedOn: r.ConcludedOn, DueOn: r.DueOn}
		if h := campaign.FindingEvent(&f).ResultSHA256; h != d.ResultSHA256 {
			return mismatch("result of %s: the published result hashes to %s, its finding logged %s", r.Subject, h, d.ResultSHA256)
		}
		byPub[r.Publication] = append(byPub[r.Publication], r)
	}
	total := 0
	for _, p := range lc.publications {
		got := byPub[p.N]
		slices.SortFunc(got, func(a, b campaign.Result) int { return strings.Compare(a.Subject, b.Subject) })
		if h := campaign.ResultsSHA256(got); h != p.ResultsSHA256 || len(got) != p.Subjects {
			return mismatch("publication %d: the API's %d results hash to %s, the log holds %d results hashing to %s", p.N, len(got), h, p.Subjects, p.ResultsSHA256)
		}
		total += len(got)
	}
	if total != len(rs) {
		return mismatch("results: %d published, %d in the log's publications", len(rs), total)
	}
	return nil
}
