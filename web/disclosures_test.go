package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// countingStore counts the store's reads a disclosure list makes.
type countingStore struct {
	*sqlstore.DB
	events, reasons, lists atomic.Int64
}

func (c *countingStore) Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	c.events.Add(1)
	return c.DB.Events(ctx, f)
}

func (c *countingStore) StatusReasons(ctx context.Context, certs []*trustmark.Certificate) (map[string]string, error) {
	c.reasons.Add(1)
	return c.DB.StatusReasons(ctx, certs)
}

func (c *countingStore) Certificates(ctx context.Context, f trustmark.CertificateFilter) (trustmark.Page[trustmark.Certificate], error) {
	c.lists.Add(1)
	return c.DB.Certificates(ctx, f)
}

// perRowStore is a store without StatusReasons: the portal asks it for
// each certificate's events, as the disclosure list once did.
type perRowStore struct {
	trustmark.Store
	events atomic.Int64
}

func (p *perRowStore) Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	p.events.Add(1)
	return p.Store.Events(ctx, f)
}

func serveOn(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	return w
}

func TestDisclosuresReadReasonsInOneQuery(t *testing.T) {
	f := newFixture(t)
	cs := &countingStore{DB: f.store}
	h := NewHandler(Config{Store: cs, Search: f.index, Clock: f.clock, Logger: f.quiet()})
	for _, target := range []string{"/disclosures", "/disclosures?format=csv"} {
		cs.events.Store(0)
		cs.reasons.Store(0)
		cs.lists.Store(0)
		body := serveOn(h, target).Body.String()
		for _, want := range []string{"超出认证范围使用证书", "监督审核不通过"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks the reason %q", target, want)
			}
		}
		if n := cs.events.Load(); n != 0 {
			t.Errorf("GET %s read events %d times, want 0 (the reasons come from one query)", target, n)
		}
		if n := cs.reasons.Load(); n != 1 {
			t.Errorf("GET %s asked for reasons %d times, want 1", target, n)
		}
		if n := cs.lists.Load(); n != 2 {
			t.Errorf("GET %s listed certificates %d times, want 2 (suspended, revoked)", target, n)
		}
	}
}

func TestDisclosuresReasonsWithoutTheBatchQuery(t *testing.T) {
	f := newFixture(t)
	pr := &perRowStore{Store: f.store}
	h := NewHandler(Config{Store: pr, Search: f.index, Clock: f.clock, Logger: f.quiet()})
	got := serveOn(h, "/disclosures?format=csv").Body.String()
	want := f.get("/disclosures?format=csv").Body.String()
	if got != want {
		t.Errorf("CSV from a store without StatusReasons differs:\n%s\nwant:\n%s", got, want)
	}
	if pr.events.Load() != 2 {
		t.Errorf("per-row fallback read events %d times, want 2", pr.events.Load())
	}
}

// TestDisclosuresReasonOfTheLatestTransition: the reason is that of the latest
// change to the certificate's present status, not an older one, and a
// reinstated certificate's earlier suspension gives none.
func TestDisclosuresReasonOfTheLatestTransition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}
	steps := []trustmark.Transition{
		{To: trustmark.StatusValid, Reason: "整改完成"},
		{To: trustmark.StatusSuspended, Reason: "第二次监督审核不通过"},
	}
	for i, tr := range steps {
		f.setClock(time.Date(2026, 3, 11+i, 2, 0, 0, 0, time.UTC))
		if _, err := f.store.TransitionCertificate(ctx, body, certSusp, tr); err != nil {
			t.Fatalf("transition %d: %v", i, err)
		}
	}
	f.setClock(now)
	c, err := f.store.Certificate(ctx, certSusp)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := f.store.Certificate(ctx, certQMS)
	if err != nil {
		t.Fatal(err)
	}
	reasons, err := f.store.StatusReasons(ctx, []*trustmark.Certificate{c, ok})
	if err != nil {
		t.Fatal(err)
	}
	if got := reasons[c.Key()]; got != "第二次监督审核不通过" {
		t.Errorf("reason = %q, want the latest suspension's", got)
	}
	if got, has := reasons[ok.Key()]; has {
		t.Errorf("a certificate never transitioned has reason %q", got)
	}
}

// BenchmarkDisclosuresCSV measures the CSV of 20,000 suspended
// certificates, each with its reason, read in one query per 1,000
// (batch) and with one query per certificate (per_row, the former way).
// TRUSTMARK_BENCH_DISCLOSURES sets the count.
func BenchmarkDisclosuresCSV(b *testing.B) {
	n := 20000
	if v, _ := strconv.Atoi(os.Getenv("TRUSTMARK_BENCH_DISCLOSURES")); v > 0 {
		n = v
	}
	f := newFixture(b)
	ctx := context.Background()
	var recs []trustmark.Record
	for i := 0; i < n; i++ {
		rec, err := trustmark.ParseRecord(trustmark.KindCertificates, trustmark.Row{"number": fmt.Sprintf("00125Q9%05dR0M", i), "type": "QMS",
			"body_approval_no": bodyB, "holder_uscc": string(huawei), "scope": "通信设备的设计和生产", "issued_on": "2025-06-01", "expires_on": "2028-05-31"},
			trustmark.DefaultPolicy())
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if _, err := f.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "bench"}, trustmark.KindCertificates, recs); err != nil {
		b.Fatal(err)
	}
	f.setClock(time.Date(2026, 3, 12, 2, 0, 0, 0, time.UTC))
	for i := 0; i < n; i++ {
		if _, err := f.store.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, fmt.Sprintf("00125Q9%05dR0M", i),
			trustmark.Transition{To: trustmark.StatusSuspended, Reason: fmt.Sprintf("监督审核不通过 %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	f.setClock(now)
	cs := &countingStore{DB: f.store}
	for _, k := range []struct {
		name  string
		store trustmark.Store
	}{{"batch", cs}, {"per_row", &perRowStore{Store: cs}}} {
		h := NewHandler(Config{Store: k.store, Search: f.index, Clock: f.clock, Logger: f.quiet()})
		b.Run(k.name, func(b *testing.B) {
			cs.events.Store(0)
			cs.reasons.Store(0)
			cs.lists.Store(0)
			defer func() {
				b.ReportMetric(float64(cs.events.Load()+cs.reasons.Load()+cs.lists.Load())/float64(b.N), "queries/op")
			}()
			for i := 0; i < b.N; i++ {
				w := serveOn(h, "/disclosures?format=csv")
				if w.Code != 200 || !strings.Contains(w.Body.String(), "监督审核不通过 0,") {
					b.Fatalf("CSV = %d, lacks the last reason", w.Code)
				}
			}
		})
	}
}
