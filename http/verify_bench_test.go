package http_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"testing"

	"trustmark"
	"trustmark/bulk"
)

// BenchmarkVerifyHTTP measures POST /api/v1/verify with 1,000 items per
// call over real HTTP on loopback, through the production server stack,
// on the fixture plus 2,000 organisations and 40,000 CCC certificates.
// Each call is 70% known certificates, 15% unknown well-formed CCC
// numbers, 10% USCCs (with certificate counts) and 5% junk.
//
//	go test ./http -run '^$' -bench VerifyHTTP -benchtime 200x
func BenchmarkVerifyHTTP(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "bench.csv"}
	var orgs []trustmark.Record
	var usccs []trustmark.USCC
	for i := range 2000 {
		u := trustmark.MakeUSCC(fmt.Sprintf("91110108%08d", 100000+i))
		usccs = append(usccs, u)
		orgs = append(orgs, &trustmark.Org{USCC: u, Name: fmt.Sprintf("基准测试公司%d", i), RegionCode: "110108"})
	}
	if _, err := f.store.Import(ctx, imp, trustmark.KindOrgs, orgs); err != nil {
		b.Fatal(err)
	}
	expires, _ := trustmark.ParseDate("2029-01-31")
	issued, _ := trustmark.ParseDate("2024-02-01")
	var numbers []string
	for start := 0; start < 40_000; start += 1000 {
		var certs []trustmark.Record
		for i := start; i < start+1000; i++ {
			no := fmt.Sprintf("2024010901%06d", i)
			numbers = append(numbers, no)
			certs = append(certs, &trustmark.Certificate{Number: no, Type: trustmark.TypeCCC, BodyApprovalNo: bodyA, HolderUSCC: usccs[i%len(usccs)],
				Scope: "电子玩具", CCCCategory: "0901", IssuedOn: issued, ExpiresOn: expires, Status: trustmark.StatusValid})
		}
		if out, err := f.store.Import(ctx, imp, trustmark.KindCertificates, certs); err != nil || out[0].Err != nil {
			b.Fatalf("import: %v %v", err, out[0].Err)
		}
	}
	bodies := make([][]byte, 64)
	for call := range bodies {
		items := make([]string, bulk.MaxItems)
		for i := range items {
			k := call*bulk.MaxItems + i
			switch i % 20 {
			case 0, 1, 2:
				items[i] = fmt.Sprintf("2025010901%06d", k%1_000_000)
			case 3, 4:
				items[i] = string(usccs[k%len(usccs)])
			case 5:
				items[i] = "ZZ-" + fmt.Sprint(k)
			default:
				items[i] = numbers[(k*7919)%len(numbers)]
			}
		}
		bodies[call] = []byte(itemsBody(items))
	}
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	client := ts.Client()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			resp, err := client.Post(ts.URL+"/api/v1/verify", "application/json", bytes.NewReader(bodies[i%len(bodies)]))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != nethttp.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N*bulk.MaxItems)/b.Elapsed().Seconds(), "items/s")
}
