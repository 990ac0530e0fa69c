package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	thttp "trustmark/http"
)

// TestRateLimitedPersonGetsAPage: a person past the rate limit is told so
// by a page in the page's language, with Retry-After; the API keeps its
// JSON (issue 11).
func TestRateLimitedPersonGetsAPage(t *testing.T) {
	f := newFixture(t)
	limit := thttp.NewRateLimit(thttp.RateLimitConfig{AnonRate: 0.001, AnonBurst: 1, Clock: f.clock})
	srv := thttp.NewServer(thttp.Config{Store: f.store, Clock: f.clock, Logger: f.quiet(), RateLimit: limit.Wrap})
	srv.MountPages(NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet()}))
	tests := []struct {
		name, target, accept, contentType string
		want                              []string
	}{
		{"a Chinese page", "/disclosures", "", "text/html", []string{`<html lang="zh-Hans">`, "<h1>请求过于频繁</h1>", "秒后再试"}},
		{"an English page", "/verify?lang=en", "", "text/html", []string{`<html lang="en">`, "<h1>Too many requests</h1>", "too many requests from this address"}},
		{"the API", "/api/v1/stats", "", "application/json", []string{`"code":"rate_limited"`}},
	}
	for i, tt := range tests {
		t.Run(tt.name+" answers in "+tt.contentType, func(t *testing.T) {
			remote := "192.0.2." + string(rune('1'+i)) + ":1"
			for n := range 2 {
				r := httptest.NewRequest("GET", tt.target, nil)
				r.RemoteAddr = remote
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, r)
				if n == 0 {
					continue
				}
				if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.contentType) {
					t.Fatalf("second request: %d %q Retry-After %q, want 429 %s with Retry-After", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Retry-After"), tt.contentType)
				}
				for _, want := range tt.want {
					if !strings.Contains(w.Body.String(), want) {
						t.Errorf("answer lacks %q:\n%s", want, w.Body)
					}
				}
			}
		})
	}
}
