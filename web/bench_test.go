package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/search"
	"trustmark/sqlstore"
)

// BenchmarkPages measures the server time of each kind of page, reporting
// p50 and p99. By default it runs on the test fixture; with
// TRUSTMARK_BENCH_DB=path/to/trustmark.db it runs on that database (e.g. the
// national demo) and its search index beside it:
//
//	TRUSTMARK_BENCH_DB=bench/out/national.db go test ./web -run '^$' -bench Pages -benchtime 2000x
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	var h http.Handler
	var certs, orgs []string
	indexed := true
	names := []string{"海尔", "华为", "技术", "電器"}
	if path := os.Getenv("TRUSTMARK_BENCH_DB"); path != "" {
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		st, err := sqlstore.Open(ctx, path, sqlstore.WithLogger(quiet))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		var ix *search.Index
		if _, err := os.Stat(path + ".search"); err == nil {
			if ix, err = search.Open(path + ".search"); err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
		}
		indexed = ix != nil
		h = NewHandler(Config{Store: st, Search: ix, Logger: quiet})
		// Sample records spread over the registry by walking a few pages.
		page, err := st.Certificates(ctx, trustmark.CertificateFilter{Limit: 1000})
		if err != nil {
			b.Fatal(err)
		}
		for i, c := range page.Items {
			if i%5 == 0 {
				certs = append(certs, c.Number)
				orgs = append(orgs, string(c.HolderUSCC))
			}
		}
	} else {
		f := newFixture(b)
		h = f.handler
		certs = []string{certQMS, certSusp, certRev, certCCC}
		orgs = []string{string(haier), string(huawei)}
	}
	if len(certs) == 0 {
		b.Skip("no certificates in the database")
	}
	kinds := []struct {
		name   string
		target func(i int) string
	}{
		{"certificate", func(i int) string { return "/certificates/" + certs[i%len(certs)] }},
		{"org", func(i int) string { return "/orgs/" + orgs[i%len(orgs)] }},
		{"search_redirect", func(i int) string { return "/search?q=" + certs[i%len(certs)] }},
		{"search_name", func(i int) string { return "/search?q=" + url.QueryEscape(names[i%len(names)]) }},
		{"home", func(int) string { return "/" }},
		{"disclosures", func(int) string { return "/disclosures" }},
		{"body", func(int) string { return "/bodies/CNCA-R-2002-001" }},
		{"not_found", func(i int) string { return "/certificates/2025010901" + string(rune('0'+i%10)) + "99999" }},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			if k.name == "search_name" && !indexed {
				b.Skip("no search index beside the database")
			}
			lat := make([]time.Duration, 0, b.N)
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				r := httptest.NewRequest("GET", k.target(i), nil)
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, r)
				lat = append(lat, time.Since(start))
				if w.Code >= 500 {
					b.Fatalf("GET %s = %d", r.URL, w.Code)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used so far,
// a figure the neighbours on a shared machine do not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
