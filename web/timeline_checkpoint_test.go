package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"trustmark"
)

// checkpointView is a CheckpointHistory whose published checkpoint holds
// the log up to size; it fails the test if the page asks it for proofs.
type checkpointView struct {
	t    *testing.T
	size uint64
}

func (c checkpointView) CertificateHistory(ctx context.Context, number string) ([]HistoryEntry, error) {
	c.t.Errorf("the page asked the log for the history of %s: it computes inclusion proofs", number)
	return nil, nil
}

func (c checkpointView) PublishedSize() uint64 { return c.size }

func (c checkpointView) ProofURL(number string) string {
	return "/api/v1/certificates/" + number + "/history?bundle=1"
}

// pageReads counts the reads a page makes of the registry.
type pageReads struct {
	trustmark.Store
	certs, bodies, events, labs atomic.Int64
}

func (s *pageReads) Certificate(ctx context.Context, number string) (*trustmark.Certificate, error) {
	s.certs.Add(1)
	return s.Store.Certificate(ctx, number)
}

func (s *pageReads) Body(ctx context.Context, no string) (*trustmark.Body, error) {
	s.bodies.Add(1)
	return s.Store.Body(ctx, no)
}

func (s *pageReads) Lab(ctx context.Context, no string) (*trustmark.Lab, error) {
	s.labs.Add(1)
	return s.Store.Lab(ctx, no)
}

func (s *pageReads) Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	s.events.Add(1)
	return s.Store.Events(ctx, f)
}

// TestCertificatePageReadsOnce: a certificate page reads the certificate,
// its body and its events once each (the body's name serves every event
// the body made), and marks its events from the published checkpoint's
// size, without asking the log for proofs (issue 16).
func TestCertificatePageReadsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.store.Certificate(ctx, certSusp)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := f.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1, Limit: 100})
	if err != nil || len(evs) != 2 {
		t.Fatalf("events of %s: %d, %v; want 2", certSusp, len(evs), err)
	}
	st := &pageReads{Store: f.store}
	// The checkpoint holds the first event, not the second.
	h := NewHandler(Config{Store: st, Search: f.index, Clock: f.clock, Logger: f.quiet(), History: checkpointView{t, uint64(evs[1].Seq)}})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/certificates/"+certSusp, nil))
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if n, b, e := st.certs.Load(), st.bodies.Load(), st.events.Load(); n != 1 || b != 1 || e != 1 {
		t.Errorf("one page read %d certificates, %d bodies, %d event lists; want 1 each", n, b, e)
	}
	body := w.Body.String()
	tl := body[strings.Index(body, `<ol class="timeline">`):]
	items := strings.Split(tl[:strings.Index(tl, "</ol>")], "<li>")[1:]
	if len(items) != 2 {
		t.Fatalf("timeline has %d events, want 2", len(items))
	}
	if !strings.Contains(items[0], "✓ 已在公开日志中核验") || strings.Contains(items[0], "等待写入公开日志") {
		t.Errorf("the event in the checkpoint is not marked verified:\n%s", items[0])
	}
	if !strings.Contains(items[1], "等待写入公开日志") || strings.Contains(items[1], "✓") {
		t.Errorf("the event after the checkpoint is not marked pending:\n%s", items[1])
	}
	if n := strings.Count(body, "/history?bundle=1"); n != 1 {
		t.Errorf("page links the proof bundle %d times, want once", n)
	}
}
