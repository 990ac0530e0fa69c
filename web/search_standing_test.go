package web

import (
	"context"
	"strings"
	"sync"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
)

// suspendBodyB re-imports the fixture's body B as suspended, as a
// regulator's import would, on the fixture's today.
func suspendBodyB(t *testing.T, f *fixture) {
	t.Helper()
	rec, err := trustmark.ParseRecord(trustmark.KindBodies, trustmark.Row{"approval_no": bodyB, "uscc": string(sqcOrg), "name": "上海质量认证中心",
		"region_code": "310115", "scopes": "QMS", "status": "suspended"}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}, trustmark.KindBodies, []trustmark.Record{rec})
	if err != nil || out[0].Result != trustmark.Updated {
		t.Fatalf("suspend %s: %v %+v", bodyB, err, out)
	}
}

// resultOf is the line of the results page that lists certificate number,
// "" when none does.
func resultOf(page, number string) string {
	for _, li := range strings.Split(page, "<li>") {
		if strings.Contains(li, `<span class="num ident">`+number+`</span>`) {
			return li
		}
	}
	return ""
}

// TestSearchResultsSayTheIssuersStanding: a certificate of a revoked or
// suspended certification body is never listed by the search without that
// fact, in both languages; before the sanction its line is plainly good.
func TestSearchResultsSayTheIssuersStanding(t *testing.T) {
	f := newFixture(t)
	if li := resultOf(f.get("/search?q=海尔").Body.String(), certQMS); !strings.Contains(li, `<span class="badge ok">有效</span>`) || strings.Contains(li, "发证机构") {
		t.Fatalf("before the sanction, the valid certificate of an active body is not plainly good:\n%s", li)
	}
	sanction(t, f)
	suspendBodyB(t, f)
	tests := []struct {
		name, target, number string
		has                  []string
		lacks                []string
	}{
		{"a valid certificate of a revoked body is not green and says the body was revoked", "/search?q=海尔", certQMS,
			[]string{`<span class="badge warn">有效</span> <span class="badge bad">发证机构已于 2026-03-15 被撤销批准</span>`}, []string{`badge ok`}},
		{"the same in English", "/search?q=海尔&lang=en", certQMS,
			[]string{`<span class="badge warn">Valid</span> <span class="badge bad">Issuing body&#39;s approval revoked on 2026-03-15</span>`}, []string{`badge ok`}},
		{"every certificate of the body, CCC too", "/search?q=海尔", certCCC,
			[]string{`<span class="badge warn">有效</span>`, "发证机构已于 2026-03-15 被撤销批准"}, []string{`badge ok`}},
		{"a suspended certificate of a suspended body says both", "/search?q=华为", certSusp,
			[]string{`<span class="badge warn">`, `<span class="badge warn">发证机构自 2026-03-15 起被暂停批准</span>`}, []string{`badge ok`}},
		{"the same in English, suspended", "/search?q=华为&lang=en", certSusp,
			[]string{`<span class="badge warn">Issuing body&#39;s approval suspended since 2026-03-15</span>`}, nil},
		{"a revoked certificate of a revoked body stays red and says both", "/search?q=华为", certRev,
			[]string{`<span class="badge bad">撤销</span>`, "发证机构已于 2026-03-15 被撤销批准"}, []string{`badge ok`, `badge warn`}},
		{"filtered to certificates, the same", "/search?q=海尔&kind=certificate&type=QMS", certQMS,
			[]string{"发证机构已于 2026-03-15 被撤销批准"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.target)
			if w.Code != 200 {
				t.Fatalf("GET %s = %d, want 200", tt.target, w.Code)
			}
			li := resultOf(w.Body.String(), tt.number)
			if li == "" {
				t.Fatalf("GET %s does not list %s:\n%s", tt.target, tt.number, w.Body.String())
			}
			for _, s := range tt.has {
				if !strings.Contains(li, s) {
					t.Errorf("GET %s: the line of %s lacks %q:\n%s", tt.target, tt.number, s, li)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(li, s) {
					t.Errorf("GET %s: the line of %s has %q:\n%s", tt.target, tt.number, s, li)
				}
			}
		})
	}
}

// readCounter counts a store's reads of certificates and bodies.
type readCounter struct {
	mu    sync.Mutex
	reads map[string]int
}

func (c *readCounter) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reads == nil {
		c.reads = map[string]int{}
	}
	c.reads[name]++
}

func (c *readCounter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads[name]
}

// batchStore is the fixture's store, its reads of certificates and bodies
// counted; it reads many certificates at once, with their body's standing.
type batchStore struct {
	*sqlstore.DB
	readCounter
}

func (s *batchStore) CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error) {
	s.count("CertificatesByNumber")
	return s.DB.CertificatesByNumber(ctx, numbers)
}

func (s *batchStore) Certificate(ctx context.Context, number string) (*trustmark.Certificate, error) {
	s.count("Certificate")
	return s.DB.Certificate(ctx, number)
}

func (s *batchStore) CertificateByKey(ctx context.Context, k trustmark.CertKey) (*trustmark.Certificate, error) {
	s.count("CertificateByKey")
	return s.DB.CertificateByKey(ctx, k)
}

func (s *batchStore) Body(ctx context.Context, approvalNo string) (*trustmark.Body, error) {
	s.count("Body")
	return s.DB.Body(ctx, approvalNo)
}

// plainStore is the fixture's store as a trustmark.Store and nothing
// more: it reads one certificate at a time, without its body's standing
// (which the interface allows), its reads counted.
type plainStore struct {
	trustmark.Store
	readCounter
}

func (s *plainStore) CertificateByKey(ctx context.Context, k trustmark.CertKey) (*trustmark.Certificate, error) {
	s.count("CertificateByKey")
	c, err := s.Store.CertificateByKey(ctx, k)
	if c != nil {
		c.BodyStatus, c.BodyStatusSince = "", trustmark.Date{}
	}
	return c, err
}

func (s *plainStore) Body(ctx context.Context, approvalNo string) (*trustmark.Body, error) {
	s.count("Body")
	return s.Store.Body(ctx, approvalNo)
}

// TestSearchReadsEachBodyOnce: the body's standing costs a page of results
// one read of its certificates, or, from a store that reads them without
// it, one read of each body however many of its certificates are listed.
func TestSearchReadsEachBodyOnce(t *testing.T) {
	f := newFixture(t)
	sanction(t, f)
	serve := func(st trustmark.Store) string {
		h := NewHandler(Config{Store: st, Search: f.index, Clock: f.clock, Logger: f.quiet(), BaseURL: "https://trustmark.example.cn"})
		f.handler = h
		w := f.get("/search?q=海尔")
		if w.Code != 200 {
			t.Fatalf("GET /search?q=海尔 = %d, want 200", w.Code)
		}
		return w.Body.String()
	}
	t.Run("a store that reads many certificates at once is asked once", func(t *testing.T) {
		st := &batchStore{DB: f.store}
		page := serve(st)
		for _, n := range []string{certQMS, certCCC} {
			if !strings.Contains(resultOf(page, n), "发证机构已于 2026-03-15 被撤销批准") {
				t.Errorf("the line of %s does not say that its body was revoked", n)
			}
		}
		for name, want := range map[string]int{"CertificatesByNumber": 1, "Certificate": 0, "CertificateByKey": 0, "Body": 0} {
			if got := st.get(name); got != want {
				t.Errorf("%s reads = %d, want %d", name, got, want)
			}
		}
	})
	t.Run("a store that reads certificates without their body reads the body once", func(t *testing.T) {
		st := &plainStore{Store: f.store}
		page := serve(st)
		for _, n := range []string{certQMS, certCCC} {
			if !strings.Contains(resultOf(page, n), "发证机构已于 2026-03-15 被撤销批准") {
				t.Errorf("the line of %s does not say that its body was revoked", n)
			}
		}
		if got := st.get("CertificateByKey"); got != 2 {
			t.Errorf("CertificateByKey reads = %d, want 2 (one per certificate listed)", got)
		}
		if got := st.get("Body"); got != 1 {
			t.Errorf("Body reads = %d, want 1 (both certificates are body A's)", got)
		}
	})
}

// TestDisclosuresSayTheIssuersStanding: the list of suspended and revoked
// certificates says, beside each status, when the issuing body itself is
// suspended or revoked.
func TestDisclosuresSayTheIssuersStanding(t *testing.T) {
	f := newFixture(t)
	sanction(t, f)
	suspendBodyB(t, f)
	for target, want := range map[string][]string{
		"/disclosures":         {"注意：发证机构的认证机构批准资格已于 2026-03-15 撤销。", "注意：发证机构的认证机构批准资格自 2026-03-15 起暂停。"},
		"/disclosures?lang=en": {"Caution: the issuing body&#39;s approval was revoked on 2026-03-15.", "Caution: the issuing body&#39;s approval has been suspended since 2026-03-15."},
	} {
		w := f.get(target)
		if w.Code != 200 {
			t.Fatalf("GET %s = %d, want 200", target, w.Code)
		}
		for _, s := range want {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("GET %s lacks %q", target, s)
			}
		}
	}
}
