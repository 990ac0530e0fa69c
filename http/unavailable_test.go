package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestErrorTableAnswersUnavailable checks the one table: unavailable is 503
// with Retry-After, internal (the product's own bugs) 500 without.
func TestErrorTableAnswersUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{"an unreachable database is 503 with Retry-After", &trustmark.Error{Code: trustmark.EUnavailable, Message: "the registry database does not answer", Err: errors.New("dial tcp: connection refused")},
			nethttp.StatusServiceUnavailable, trustmark.EUnavailable, "5"},
		{"a bug is 500 without Retry-After", errors.New("nil map"), nethttp.StatusInternalServerError, trustmark.EInternal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			tmhttp.Error(w, httptest.NewRequest("GET", "/api/v1/certificates/x", nil), tc.err)
			var body tmhttp.ErrorBody
			json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != tc.status || body.Error.Code != tc.code || w.Header().Get("Retry-After") != tc.retryAfter {
				t.Errorf("status %d code %q Retry-After %q, want %d %q %q", w.Code, body.Error.Code, w.Header().Get("Retry-After"), tc.status, tc.code, tc.retryAfter)
			}
			if strings.Contains(w.Body.String(), "dial tcp") {
				t.Errorf("the answer shows the internal cause: %s", w.Body)
			}
		})
	}
}

// TestPostgreSQLOutageIsUnavailable serves the API over a PostgreSQL store
// whose server then goes away (its listener stops): lookups, token checks
// and the health check answer 503 unavailable with Retry-After, never 500.
func TestPostgreSQLOutageIsUnavailable(t *testing.T) {
	dsn := storetest.PostgresDSN(t, "outage")
	u, _ := url.Parse(dsn)
	proxy := storetest.NewProxy(t, u.Host)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, proxy.DSN(t, dsn), sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token, err := st.CreateToken(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"})
	if err != nil {
		t.Fatal(err)
	}
	srv := tmhttp.NewServer(tmhttp.Config{Store: st, Logger: quiet, Clock: clock})
	get := func(path, token string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	if w := get("/api/v1/certificates/00126Q30001R0M", ""); w.Code != nethttp.StatusNotFound {
		t.Fatalf("before the outage: status %d, want 404", w.Code)
	}
	proxy.Stop()
	for _, tc := range []struct{ name, path, token string }{
		{"a certificate lookup", "/api/v1/certificates/00126Q30001R0M", ""},
		{"a listing with a token", "/api/v1/certificates?body_approval_no=CNCA-R-2002-001", token},
		{"the health check", "/healthz", ""},
	} {
		t.Run(tc.name+" is unavailable", func(t *testing.T) {
			w := get(tc.path, tc.token)
			var body tmhttp.ErrorBody
			json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != nethttp.StatusServiceUnavailable || body.Error.Code != trustmark.EUnavailable || w.Header().Get("Retry-After") == "" {
				t.Errorf("status %d code %q Retry-After %q, want 503 unavailable with Retry-After; body %s", w.Code, body.Error.Code, w.Header().Get("Retry-After"), w.Body)
			}
		})
	}
}
