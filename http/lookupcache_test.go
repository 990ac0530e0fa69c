package http_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// cacheRig is a server with the lookup cache over a store of its own on
// SQLite or PostgreSQL, with a clock the test moves, and a second handle
// on the same database: another server's writes.
type cacheRig struct {
	t       *testing.T
	store   *sqlstore.DB
	other   func() *sqlstore.DB // opens the second handle
	srv     *tmhttp.Server
	nowNano atomic.Int64
}

// Numbers of the rig's certificates.
const (
	rigCert    = "00126Q30001R0M" // valid through 2029-01-09
	rigExpires = "00126Q30009R0M" // valid through 2026-03-20
)

func (g *cacheRig) clock() time.Time { return time.Unix(0, g.nowNano.Load()).UTC() }
func (g *cacheRig) set(t time.Time)  { g.nowNano.Store(t.UnixNano()) }

// newCacheRig opens the store (dialect "sqlite" or "postgres"; the latter
// skips without TRUSTMARK_TEST_PG), loads a body, a holder and two
// certificates, and serves it with cfg's cache settings.
func newCacheRig(t *testing.T, dialect string, cfg tmhttp.Config) *cacheRig {
	t.Helper()
	g := &cacheRig{t: t}
	g.set(now)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	if dialect == "postgres" {
		dsn = storetest.PostgresDSN(t, "lookupcache")
	}
	open := func() *sqlstore.DB {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithClock(g.clock), sqlstore.WithLogger(quiet))
		if err != nil {
			t.Fatalf("sqlstore.Open: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	g.store, g.other = open(), open
	issued, _ := trustmark.ParseDate("2025-01-10")
	exp1, _ := trustmark.ParseDate("2029-01-09")
	exp2, _ := trustmark.ParseDate("2026-03-20")
	g.load(trustmark.KindOrgs, &trustmark.Org{USCC: holderA, Name: "杭州西湖精密机械有限公司", RegionCode: "330106"},
		&trustmark.Org{USCC: trustmark.MakeUSCC("9111010500000033"), Name: "中认检测认证集团有限公司", RegionCode: "110105"})
	g.load(trustmark.KindBodies, &trustmark.Body{ApprovalNo: bodyA, USCC: trustmark.MakeUSCC("9111010500000033"), Name: "中认检测认证集团",
		RegionCode: "110105", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive})
	for _, c := range []struct {
		number  string
		expires trustmark.Date
	}{{rigCert, exp1}, {rigExpires, exp2}} {
		g.load(trustmark.KindCertificates, &trustmark.Certificate{Number: c.number, Type: trustmark.TypeQMS, BodyApprovalNo: bodyA,
			HolderUSCC: holderA, Scope: "精密机械零部件的设计和生产", Standard: "GB/T 19001-2016", IssuedOn: issued, ExpiresOn: c.expires,
			Status: trustmark.StatusValid})
	}
	cfg.Store, cfg.Logger, cfg.Clock = g.store, quiet, g.clock
	g.srv = tmhttp.NewServer(cfg)
	return g
}

func (g *cacheRig) load(kind trustmark.Kind, recs ...trustmark.Record) {
	g.t.Helper()
	g.loadInto(g.store, kind, recs...)
}

func (g *cacheRig) loadInto(st *sqlstore.DB, kind trustmark.Kind, recs ...trustmark.Record) {
	g.t.Helper()
	out, err := st.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, kind, recs)
	if err != nil {
		g.t.Fatalf("import %s: %v", kind, err)
	}
	for i, o := range out {
		if o.Result == trustmark.Rejected {
			g.t.Fatalf("import %s %d rejected: %v", kind, i, o.Err)
		}
	}
}

// lookup is the part of a lookup's answer the tests look at.
type lookup struct {
	Status      string `json:"status"`
	StatusSince string `json:"status_since"`
	Body        struct {
		Status string `json:"status"`
	} `json:"body"`
	raw string
}

func (g *cacheRig) get(number string) lookup {
	g.t.Helper()
	w := httptest.NewRecorder()
	g.srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/certificates/"+number, nil))
	if w.Code != 200 {
		g.t.Fatalf("GET %s = %d %s", number, w.Code, w.Body)
	}
	var l lookup
	if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil {
		g.t.Fatal(err)
	}
	l.raw = w.Body.String()
	return l
}

// metric returns the value of a counter or gauge of the server's registry.
func (g *cacheRig) metric(name string) float64 {
	g.t.Helper()
	mfs, err := g.srv.Registry().Gather()
	if err != nil {
		g.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		m := mf.GetMetric()[0]
		if c := m.GetCounter(); c != nil {
			return c.GetValue()
		}
		return m.GetGauge().GetValue()
	}
	g.t.Fatalf("no metric %s", name)
	return 0
}

// cached looks number up twice and checks that the second answer came
// from the cache, so that what follows tests a cached answer.
func (g *cacheRig) cached(number string) lookup {
	g.t.Helper()
	g.get(number)
	hits := g.metric("trustmark_lookup_cache_hits_total")
	l := g.get(number)
	if got := g.metric("trustmark_lookup_cache_hits_total"); got != hits+1 {
		g.t.Fatalf("hits after a second lookup of %s = %v, want %v", number, got, hits+1)
	}
	return l
}

func (g *cacheRig) transition(st *sqlstore.DB, number string, to trustmark.CertStatus) {
	g.t.Helper()
	actor := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	if _, err := st.TransitionCertificate(context.Background(), actor, number, trustmark.Transition{To: to, Reason: "test"}); err != nil {
		g.t.Fatalf("transition %s to %s: %v", number, to, err)
	}
}

func dialects(t *testing.T, f func(t *testing.T, dialect string)) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) { f(t, d) })
	}
}

// TestLookupCacheSeesThisServersWrites: a write this server committed
// before a lookup began is in the lookup's answer, even when the answer
// before the write was cached.
func TestLookupCacheSeesThisServersWrites(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		g := newCacheRig(t, dialect, tmhttp.Config{LookupCacheTTL: time.Hour})
		if l := g.cached(rigCert); l.Status != "valid" || l.Body.Status != "active" {
			t.Fatalf("before: %s, body %s; want valid, body active", l.Status, l.Body.Status)
		}

		g.transition(g.store, rigCert, trustmark.StatusSuspended)
		if l := g.get(rigCert); l.Status != "suspended" {
			t.Errorf("after suspension: status %s, want suspended", l.Status)
		}
		g.cached(rigCert)

		b, err := g.store.Body(context.Background(), bodyA)
		if err != nil {
			t.Fatal(err)
		}
		b.Status = trustmark.PartySuspended
		g.load(trustmark.KindBodies, b)
		if l := g.get(rigCert); l.Body.Status != "suspended" {
			t.Errorf("after the body's suspension: body status %s, want suspended", l.Body.Status)
		}
		g.cached(rigCert)

		g.transition(g.store, rigCert, trustmark.StatusRevoked)
		if l := g.get(rigCert); l.Status != "revoked" || l.Body.Status != "suspended" {
			t.Errorf("after revocation: %s, body %s; want revoked, body suspended", l.Status, l.Body.Status)
		}
	})
}

// TestLookupCacheExpiryAtChinaMidnight: a certificate is valid through its
// expiry date and expired from the next day in China, cached or not.
func TestLookupCacheExpiryAtChinaMidnight(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		g := newCacheRig(t, dialect, tmhttp.Config{LookupCacheTTL: time.Hour})
		g.set(time.Date(2026, 3, 20, 15, 59, 59, 999e6, time.UTC)) // 23:59:59.999 on 2026-03-20 in China
		if l := g.cached(rigExpires); l.Status != "valid" {
			t.Fatalf("on the expiry date: %s, want valid", l.Status)
		}
		g.set(time.Date(2026, 3, 20, 16, 0, 0, 0, time.UTC)) // 00:00 on 2026-03-21 in China
		if l := g.get(rigExpires); l.Status != "expired" || l.StatusSince != "2026-03-21" {
			t.Errorf("the day after: %s since %s, want expired since 2026-03-21", l.Status, l.StatusSince)
		}
		if l := g.cached(rigExpires); l.Status != "expired" {
			t.Errorf("the day after, cached: %s, want expired", l.Status)
		}
	})
}

// TestLookupCacheOtherServersWrites: a write by another server on the same
// database is seen once the TTL has passed since the cached read.
func TestLookupCacheOtherServersWrites(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		const ttl = 100 * time.Millisecond
		g := newCacheRig(t, dialect, tmhttp.Config{LookupCacheTTL: ttl})
		other := g.other()
		g.cached(rigCert)
		g.transition(other, rigCert, trustmark.StatusSuspended)
		time.Sleep(ttl + 10*time.Millisecond)
		if l := g.get(rigCert); l.Status != "suspended" {
			t.Errorf("%v after another server's suspension: %s, want suspended", ttl, l.Status)
		}
	})
}

// TestLookupCacheAnswersAsTheStore: cached answers are byte for byte the
// uncached ones, and the cache holds at most its bound.
func TestLookupCacheAnswersAsTheStore(t *testing.T) {
	g := newCacheRig(t, "sqlite", tmhttp.Config{LookupCache: 1})
	plain := tmhttp.NewServer(tmhttp.Config{Store: g.store, Clock: g.clock, LookupCache: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, n := range []string{rigCert, rigExpires, "00126q30001r0m", rigCert} {
		w := httptest.NewRecorder()
		plain.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/certificates/"+n, nil))
		for range 2 {
			if got := g.get(n).raw; got != w.Body.String() {
				t.Errorf("GET %s = %s, want %s", n, got, w.Body)
			}
		}
	}
	if n := g.metric("trustmark_lookup_cache_entries"); n != 1 {
		t.Errorf("entries = %v, want the bound 1", n)
	}
}

// TestLookupCacheConcurrentWrites: with readers hammering the cache, every
// lookup that begins after a write returned shows it (run with -race).
func TestLookupCacheConcurrentWrites(t *testing.T) {
	g := newCacheRig(t, "sqlite", tmhttp.Config{LookupCacheTTL: time.Hour})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					g.get(rigCert)
					g.get(rigExpires)
				}
			}
		}()
	}
	for i := range 20 {
		want := trustmark.StatusSuspended
		if i%2 == 1 {
			want = trustmark.StatusValid
		}
		g.transition(g.store, rigCert, want)
		if l := g.get(rigCert); l.Status != string(want) {
			t.Errorf("write %d: lookup after it answers %s, want %s", i, l.Status, want)
		}
	}
	close(stop)
	wg.Wait()
}

// TestLookupCacheForgetsOnlyWhatChanged: a certificate's change forgets
// that certificate's answer and no other, and a write of something the
// answers do not show (a laboratory) forgets none, so that a server taking
// other writes all day keeps its answers.
func TestLookupCacheForgetsOnlyWhatChanged(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		g := newCacheRig(t, dialect, tmhttp.Config{LookupCacheTTL: time.Hour})
		g.cached(rigCert)
		g.cached(rigExpires)
		g.transition(g.store, rigCert, trustmark.StatusSuspended)
		hits := g.metric("trustmark_lookup_cache_hits_total")
		if l := g.get(rigExpires); l.Status != "valid" {
			t.Fatalf("the other certificate: %s, want valid", l.Status)
		}
		if got := g.metric("trustmark_lookup_cache_hits_total"); got != hits+1 {
			t.Errorf("the other certificate's answer was forgotten by this one's suspension (hits %v, want %v)", got, hits+1)
		}
		if l := g.get(rigCert); l.Status != "suspended" {
			t.Errorf("the suspended certificate: %s, want suspended", l.Status)
		}

		g.cached(rigCert)
		expires, _ := trustmark.ParseDate("2030-01-01")
		g.load(trustmark.KindLabs, &trustmark.Lab{CMANo: "240012340001", USCC: holderA, Name: "杭州检测实验室", RegionCode: "330106",
			Status: trustmark.PartyActive, ValidUntil: expires})
		hits = g.metric("trustmark_lookup_cache_hits_total")
		g.get(rigCert)
		g.get(rigExpires)
		if got := g.metric("trustmark_lookup_cache_hits_total"); got != hits+2 {
			t.Errorf("a laboratory's import forgot cached certificates (hits %v, want %v)", got, hits+2)
		}
	})
}
