// Command proofbench measures cold inclusion-proof latency over HTTP for
// any tlog-tiles log: for random entries of the latest checkpoint, a
// client with no tile cache builds the inclusion proof from the log's
// tiles (tessera's client.ProofBuilder) and verifies it. It prints
// percentiles in milliseconds. Used by bench/tessera.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"time"

	tlog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	logURL := flag.String("log", "", "the log's root URL")
	vkey := flag.String("key", "", "the log's verifier key")
	n := flag.Int("n", 2000, "number of proofs")
	flag.Parse()
	ctx := context.Background()
	v, err := note.NewVerifier(*vkey)
	if err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(*logURL)
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}
	f, err := client.NewHTTPFetcher(u, hc)
	if err != nil {
		log.Fatal(err)
	}
	raw, err := f.ReadCheckpoint(ctx)
	if err != nil {
		log.Fatal(err)
	}
	cp, _, _, err := tlog.ParseCheckpoint(raw, v.Name(), v)
	if err != nil {
		log.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, *n)
	for i := 0; i < *n; i++ {
		index := r.Uint64N(cp.Size)
		t0 := time.Now()
		pb, err := client.NewProofBuilder(ctx, cp.Size, f.ReadTile) // a fresh tile cache: cold
		if err != nil {
			log.Fatal(err)
		}
		p, err := pb.InclusionProof(ctx, index)
		if err != nil {
			log.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		leaves, err := client.FetchLeafHashes(ctx, f.ReadTile, index, 1, cp.Size)
		if err != nil {
			log.Fatal(err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, index, cp.Size, leaves[0], p, cp.Hash); err != nil {
			log.Fatalf("entry %d: %v", index, err)
		}
	}
	slices.Sort(lat)
	pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("cold inclusion proofs: n=%d tree=%d p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", len(lat), cp.Size, pct(.5), pct(.9), pct(.99), pct(1))
}
