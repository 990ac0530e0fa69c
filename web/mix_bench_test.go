package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkMixRoutes serves each route of issue 16's mix on its own, in
// process through the whole server (middleware, rate limiter, request log
// to /dev/null, the portal as serve mounts it), so that old and new trees
// can be compared route by route with benchstat:
//
//	go test ./web -run '^$' -bench MixRoutes -benchtime 2000x -count 6 -benchmem | tee new.txt
//	benchstat old.txt new.txt
func BenchmarkMixRoutes(b *testing.B) {
	p := newPageServer(b)
	verify := verifyBody(p)
	routes := []struct {
		name string
		req  func(k int) *http.Request
	}{
		{"lookup", func(k int) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/certificates/"+p.numbers[k%len(p.numbers)], nil)
		}},
		{"certificate", func(k int) *http.Request {
			return httptest.NewRequest("GET", "/certificates/"+p.numbers[k%len(p.numbers)], nil)
		}},
		{"org", func(k int) *http.Request {
			return httptest.NewRequest("GET", "/orgs/"+p.orgs[k%len(p.orgs)], nil)
		}},
		{"search", func(k int) *http.Request {
			return httptest.NewRequest("GET", "/search?q="+url.QueryEscape(p.words[k%len(p.words)]), nil)
		}},
		{"verify100", func(int) *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(verify))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
	}
	for _, rt := range routes {
		b.Run(rt.name, func(b *testing.B) {
			// Warm the caches a served route keeps (QR codes, bounds).
			for k := range len(p.numbers) {
				p.srv.ServeHTTP(httptest.NewRecorder(), rt.req(k))
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			defer func() { reportCPU(b, cpu0) }()
			for i := 0; b.Loop(); i++ {
				r := rt.req(i * 7919)
				w := httptest.NewRecorder()
				p.srv.ServeHTTP(w, r)
				if w.Code >= 400 {
					b.Fatalf("%s %s: %d %s", r.Method, r.URL, w.Code, w.Body)
				}
			}
		})
	}
}

// verifyBody is a bulk verification of 100 items as the mix sends: mostly
// certificate numbers, a tenth holders' USCCs.
func verifyBody(p *pageServer) string {
	var body strings.Builder
	body.WriteString(`{"items":[`)
	for i := range 100 {
		if i > 0 {
			body.WriteString(",")
		}
		if i%10 == 1 {
			fmt.Fprintf(&body, "%q", p.orgs[i%len(p.orgs)])
		} else {
			fmt.Fprintf(&body, "%q", p.numbers[(i*7)%len(p.numbers)])
		}
	}
	body.WriteString("]}")
	return body.String()
}
