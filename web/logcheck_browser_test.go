package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"trustmark"
)

// TestLogCheckInBrowser opens certificate pages whose events are in the
// log's checkpoint, so that they name it and give the command that checks
// it: at 360 and 1280 px in both languages the long key and root hash do
// not make the page scroll sideways, and the page still prints on one A4
// sheet with the checkpoint sentence on it.
func TestLogCheckInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	ctx := context.Background()
	var size uint64
	for _, no := range []string{certQMS, certSusp, certRev} {
		c, err := f.store.Certificate(ctx, no)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := f.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			size = max(size, uint64(e.Seq)+1)
		}
	}
	cp := LogCheckpoint{Origin: "trustmark.example/log", Size: size, Root: make([]byte, 32),
		VerifierKey: "trustmark.example/log+8a733385+Afk6D6lKvVOdQvg7UjwCo+4+6Dzb19y5ot1gEKStCpXL"}
	h := NewHandler(Config{Store: f.store, Search: f.index, Clock: f.clock, Logger: f.quiet(), History: signedView{checkpointView{t, size}, cp}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, lang := range []string{"zh", "en"} {
		for _, no := range []string{certQMS, certSusp, certRev} {
			for _, width := range []int{360, 1280} {
				t.Run(fmt.Sprintf("certificate %s with its checkpoint in %s at %d px fits", no, lang, width), func(t *testing.T) {
					b.run(t, viewport(width, 800, width < 600), chromedp.Navigate(srv.URL+"/certificates/"+no+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(".logcheck")))
					if w := b.width(t); w > width {
						t.Errorf("page is %d px wide on a %d-px screen", w, width)
					}
					if got := b.strings(t, pastEdgeJS); len(got) > 0 {
						t.Errorf("elements past the screen's edge: %q", got)
					}
					if got := b.strings(t, brokenJS); len(got) > 0 {
						t.Errorf("split over lines: %q", got)
					}
					b.shot(t, fmt.Sprintf("page-certificate-logged-%s-%s-%dpx", no, lang, width))
				})
			}
			t.Run(fmt.Sprintf("certificate %s with its checkpoint in %s prints on one A4 sheet", no, lang), func(t *testing.T) {
				b.printsOnOneSheet(t, srv.URL+"/certificates/"+no+"?lang="+lang, "print-certificate-logged-"+no+"-"+lang+".pdf")
			})
		}
	}
}
