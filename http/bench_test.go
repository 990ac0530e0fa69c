package http_test

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkGetCertificate measures one certificate lookup through the whole
// server (middleware, routing, store on SQLite, JSON) without a network.
//
//	go test ./http -run '^$' -bench GetCertificate -benchmem
func BenchmarkGetCertificate(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/certificates/"+certQMS, nil))
			if w.Code != 200 {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkNotFound measures the cheapest answer: an unknown API route.
func BenchmarkNotFound(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/nothing", nil))
	}
}
