package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/ratelimit"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

var noContent = nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) { w.WriteHeader(nethttp.StatusNoContent) })

func getFrom(h nethttp.Handler, remote string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/api/v1/verify", nil)
	r.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func authenticateTest(ctx context.Context, token string) (trustmark.Party, error) {
	switch token {
	case "good-a", "good-a2":
		return trustmark.Party{Kind: trustmark.PartyBody, ID: "CNCA-R-2002-001"}, nil
	case "good-b":
		return trustmark.Party{Kind: trustmark.PartyLab, ID: "210012345678"}, nil
	}
	return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "bad token")
}

func TestBurstThenRefuseWithRetryAfter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 2, AnonBurst: 5, Clock: clock.now}).Wrap(noContent)
	for i := 0; i < 5; i++ {
		if w := getFrom(h, "203.0.113.7:4000"); w.Code != nethttp.StatusNoContent {
			t.Fatalf("request %d within the burst: status = %d, want 204", i+1, w.Code)
		}
	}
	w := getFrom(h, "203.0.113.7:4000")
	if w.Code != nethttp.StatusTooManyRequests {
		t.Fatalf("request beyond the burst: status = %d, want 429", w.Code)
	}
	if got, want := w.Header().Get("Retry-After"), "1"; got != want {
		t.Errorf("Retry-After = %q, want %q", got, want)
	}
	var body struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("429 body %q is not JSON: %v", w.Body, err)
	}
	if body.Error.Code != "rate_limited" || body.Error.Message == "" {
		t.Errorf("429 body = %+v, want code rate_limited and a message", body)
	}

	t.Run("a token refills after 1/rate seconds", func(t *testing.T) {
		clock.advance(400 * time.Millisecond)
		if w := getFrom(h, "203.0.113.7:4000"); w.Code != nethttp.StatusTooManyRequests {
			t.Fatalf("after 0.4 s: status = %d, want 429", w.Code)
		}
		clock.advance(100 * time.Millisecond)
		if w := getFrom(h, "203.0.113.7:4000"); w.Code != nethttp.StatusNoContent {
			t.Fatalf("after 0.5 s: status = %d, want 204", w.Code)
		}
	})
	t.Run("another address has its own bucket", func(t *testing.T) {
		if w := getFrom(h, "198.51.100.1:5000"); w.Code != nethttp.StatusNoContent {
			t.Fatalf("status = %d, want 204", w.Code)
		}
	})
	t.Run("the bucket refills to its burst and no more", func(t *testing.T) {
		clock.advance(time.Hour)
		n := 0
		for getFrom(h, "203.0.113.7:4000").Code == nethttp.StatusNoContent {
			n++
		}
		if n != 5 {
			t.Errorf("requests after an idle hour = %d, want the burst 5", n)
		}
	})
}

func TestRetryAfterRoundsUp(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 0.1, AnonBurst: 1, Clock: clock.now}).Wrap(noContent)
	getFrom(h, "192.0.2.1:1")
	w := getFrom(h, "192.0.2.1:1")
	if got, want := w.Header().Get("Retry-After"), "10"; got != want {
		t.Errorf("Retry-After at 0.1 req/s = %q, want %q", got, want)
	}
}

func TestZeroRateDisablesAnonymousLimiting(t *testing.T) {
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 0, TokenRate: 1}).Wrap(noContent)
	for i := 0; i < 1000; i++ {
		if w := getFrom(h, "192.0.2.1:1"); w.Code != nethttp.StatusNoContent {
			t.Fatalf("request %d: status = %d, want 204", i, w.Code)
		}
	}
}

func TestTokensAreLimitedPerPartyNotPerAddress(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1, AnonBurst: 3, TokenRate: 1, TokenBurst: 3,
		Authenticate: authenticateTest, Clock: clock.now}).Wrap(noContent)

	for i := 0; i < 3; i++ {
		if w := getFrom(h, fmt.Sprintf("192.0.2.%d:1", i+1), "Authorization", "Bearer good-a"); w.Code != nethttp.StatusNoContent {
			t.Fatalf("token request %d: status = %d, want 204", i+1, w.Code)
		}
	}
	if w := getFrom(h, "192.0.2.9:1", "Authorization", "Bearer good-a2"); w.Code != nethttp.StatusTooManyRequests {
		t.Errorf("a second token of the same party: status = %d, want 429 (one bucket per party)", w.Code)
	}
	if w := getFrom(h, "192.0.2.1:1", "Authorization", "Bearer good-b"); w.Code != nethttp.StatusNoContent {
		t.Errorf("another party from the same address: status = %d, want 204", w.Code)
	}
	t.Run("a known token does not draw on its address's bucket", func(t *testing.T) {
		for getFrom(h, "192.0.2.1:1").Code == nethttp.StatusNoContent {
		}
		if w := getFrom(h, "192.0.2.1:1", "Authorization", "Bearer good-b"); w.Code != nethttp.StatusNoContent {
			t.Errorf("known token from an exhausted address: status = %d, want 204", w.Code)
		}
	})
	t.Run("invented tokens are paid for by the address", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if w := getFrom(h, "198.51.100.5:1", "Authorization", fmt.Sprintf("Bearer made-up-%d", i)); w.Code != nethttp.StatusNoContent {
				t.Fatalf("invented token %d within the address's burst: status = %d, want 204 (the handler answers 401)", i, w.Code)
			}
		}
		if w := getFrom(h, "198.51.100.5:1", "Authorization", "Bearer made-up-9"); w.Code != nethttp.StatusTooManyRequests {
			t.Errorf("status = %d, want 429", w.Code)
		}
	})
}

func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	tests := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no proxy configured ignores the header", nil, "10.1.2.3:80", []string{"203.0.113.9"}, "10.1.2.3"},
		{"an untrusted peer cannot forge the header", []netip.Prefix{proxy}, "198.51.100.1:80", []string{"203.0.113.9"}, "198.51.100.1"},
		{"a trusted proxy names the client", []netip.Prefix{proxy}, "10.1.2.3:80", []string{"203.0.113.9"}, "203.0.113.9"},
		{"the last untrusted hop is the client", []netip.Prefix{proxy}, "10.1.2.3:80", []string{"1.1.1.1, 203.0.113.9, 10.9.9.9"}, "203.0.113.9"},
		{"several header lines are one list", []netip.Prefix{proxy}, "10.1.2.3:80", []string{"1.1.1.1", "203.0.113.9"}, "203.0.113.9"},
		{"garbage stops the walk", []netip.Prefix{proxy}, "10.1.2.3:80", []string{"203.0.113.9, junk"}, "10.1.2.3"},
		{"IPv6 clients share their /64", nil, "[2001:db8:1:2:3:4:5:6]:80", nil, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 is IPv4", nil, "[::ffff:192.0.2.1]:80", nil, "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1, TrustedProxies: tt.trusted})
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := l.ClientAddr(r); got != tt.want {
				t.Errorf("ClientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMemoryIsBounded(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1, AnonBurst: 10, MaxClients: 640, Clock: clock.now})
	h := l.Wrap(noContent)
	for i := 0; i < 20_000; i++ {
		getFrom(h, fmt.Sprintf("10.%d.%d.%d:1", i>>16&255, i>>8&255, i&255))
		if i%1000 == 0 {
			clock.advance(time.Second)
		}
	}
	if n := l.Buckets(); n > 640+32 {
		t.Errorf("buckets held after 20,000 addresses = %d, want at most about 640", n)
	}
}

func FuzzClientAddr(f *testing.F) {
	f.Add("10.1.2.3:80", "203.0.113.9, 10.9.9.9")
	f.Add("[2001:db8::1]:443", "::ffff:1.2.3.4")
	f.Add("garbage", ",,,")
	l := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := l.ClientAddr(r)
		if got == "" && remote != "" {
			t.Fatalf("ClientAddr(%q, %q) is empty", remote, xff)
		}
		// The header is believed only when the peer is a trusted proxy.
		if peer := remoteAddrOf(remote); peer.IsValid() && !netip.MustParsePrefix("10.0.0.0/8").Contains(peer) {
			want := peer.String()
			if peer.Is6() {
				p, _ := peer.Prefix(64)
				want = p.String()
			}
			if got != want {
				t.Fatalf("ClientAddr(%q, %q) = %s, want the untrusted peer %s", remote, xff, got, want)
			}
		}
	})
}

func remoteAddrOf(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(s)
	return a.Unmap()
}

func BenchmarkRateLimit(b *testing.B) {
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1e9, AnonBurst: 1e9}).Wrap(noContent)
	b.RunParallel(func(pb *testing.PB) {
		r := httptest.NewRequest("GET", "/", nil)
		w := httptest.NewRecorder()
		i := 0
		for pb.Next() {
			r.RemoteAddr = fmt.Sprintf("192.0.2.%d:1", i%200)
			h.ServeHTTP(w, r)
			i++
		}
	})
}

func TestChargeTakesMoreForCostlyRequests(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	costly := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		ratelimit.Charge(r.Context(), 19) // twenty requests' worth in all
		w.WriteHeader(nethttp.StatusNoContent)
	})
	h := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 10, AnonBurst: 20, Clock: clock.now}).Wrap(costly)
	if w := getFrom(h, "192.0.2.1:1"); w.Code != nethttp.StatusNoContent {
		t.Fatalf("first costly request: %d, want 204", w.Code)
	}
	w := getFrom(h, "192.0.2.1:1")
	if w.Code != nethttp.StatusTooManyRequests {
		t.Fatalf("second costly request at once: %d, want 429", w.Code)
	}
	if got := w.Header().Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1 (one token at 10/s)", got)
	}
	ratelimit.Charge(httptest.NewRequest("GET", "/", nil).Context(), 5) // no limiter: nothing happens
}

// pages stands in for the portal: it serves "page" and answers refusals
// with a page that names the error code.
type pages struct{}

func (pages) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) { w.Write([]byte("page")) }
func (pages) ServeError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(tmhttp.StatusCode(trustmark.ErrorCode(err)))
	w.Write([]byte("<p>refused: " + trustmark.ErrorCode(err) + "</p>"))
}

// TestRateLimitedPagesGetAPage: a person refused by the rate limit gets
// the portal's page, a program calling the API the JSON error.
func TestRateLimitedPagesGetAPage(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	limit := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1, AnonBurst: 1, Clock: clock.now})
	s := tmhttp.NewServer(tmhttp.Config{RateLimit: limit.Wrap, Clock: clock.now})
	s.MountPages(pages{})
	for _, tt := range []struct {
		path, contentType, body string
	}{
		{"/verify", "text/html", "<p>refused: rate_limited</p>"},
		{"/api/v1/stats", "application/json", `"code":"rate_limited"`},
	} {
		t.Run(tt.path+" is refused as "+tt.contentType, func(t *testing.T) {
			getFrom(s, "192.0.2.7:1")
			w := getFromPath(s, tt.path, "192.0.2.7:1")
			if w.Code != nethttp.StatusTooManyRequests || w.Header().Get("Retry-After") == "" ||
				!strings.HasPrefix(w.Header().Get("Content-Type"), tt.contentType) || !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("GET %s = %d %q %q, want 429 with Retry-After and %s holding %s", tt.path, w.Code, w.Header().Get("Content-Type"), w.Body, tt.contentType, tt.body)
			}
			clock.advance(time.Second)
		})
	}
}

func getFromPath(h nethttp.Handler, path, remote string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
