package web

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSiteNeverLinksToAnUnknownHost checks where absolute links point for
// each Host a client may send: the configured base or hosts, never another.
func TestSiteNeverLinksToAnUnknownHost(t *testing.T) {
	tests := []struct {
		name        string
		base        string
		hosts       []string
		host, proto string
		want        string
	}{
		{"an unknown host gets the base URL", "https://trustmark.example.cn", nil, "evil.example", "", "https://trustmark.example.cn/x"},
		{"an unknown host claiming https still gets the base URL", "https://trustmark.example.cn", nil, "evil.example", "https", "https://trustmark.example.cn/x"},
		{"the base's own host keeps the base's scheme", "https://trustmark.example.cn", nil, "TRUSTMARK.example.cn", "", "https://trustmark.example.cn/x"},
		{"a configured host gets links to itself", "https://trustmark.example.cn", []string{"registry.example.cn"}, "registry.example.cn", "", "http://registry.example.cn/x"},
		{"a configured host behind TLS termination keeps https", "", []string{"registry.example.cn"}, "registry.example.cn.", "https", "https://registry.example.cn/x"},
		{"a configured host on another port is unknown", "", []string{"registry.example.cn"}, "registry.example.cn:6666", "", "http://registry.example.cn/x"},
		{"without a base the first host is the base", "", []string{"registry.example.cn", "10.0.0.5:8080"}, "evil.example", "", "http://registry.example.cn/x"},
		{"without base or hosts links go to localhost", "", nil, "evil.example", "", "http://localhost/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Host = tt.host
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if got := newSite(tt.base, tt.hosts).absolute(r, "/x"); got != tt.want {
				t.Errorf("absolute(Host %q) = %q, want %q", tt.host, got, tt.want)
			}
		})
	}
}

// TestCertificatePageIgnoresTheHostHeader requests a certificate page with
// Host: evil.example, as a cache-poisoning client would: neither the page
// nor the QR code it draws (nor any QR code cached) holds evil.example.
func TestCertificatePageIgnoresTheHostHeader(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		h    *Handler
		want string // the address the QR code must hold
	}{
		{"with a base URL", f.handler.(*Handler), "https://trustmark.example.cn/certificates/" + certQMS},
		{"with host names only", NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet(), Hosts: []string{"registry.example.cn"}}),
			"http://registry.example.cn/certificates/" + certQMS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/certificates/"+certQMS, nil)
			r.Host = "evil.example"
			r.Header.Set("X-Forwarded-Host", "evil.example")
			w := httptest.NewRecorder()
			tc.h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			body := w.Body.String()
			if strings.Contains(body, "evil.example") {
				t.Errorf("the page names evil.example")
			}
			png, err := qrPNG(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if got := html.UnescapeString(body); !strings.Contains(got, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png)) || !strings.Contains(got, tc.want) {
				t.Errorf("the page's link and QR code are not those of %s", tc.want)
			}
			for _, u := range tc.h.cache.qr.Keys() {
				if strings.Contains(u, "evil.example") {
					t.Errorf("a QR code for %s was drawn and cached", u)
				}
			}
		})
	}
}
