package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// TestUnitListsInBrowser, in a real headless Chromium at 1280 and 360
// pixels: a laboratory's staff opens its reports and accreditation from
// the home, searches by client name, and sees only its own; a body's staff
// filters its certificates by status and follows one to the form that
// changes it. Every page fits the screen (the lists are cards on a phone).
func TestUnitListsInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newMatterFixture(t)
	addUnitListRecords(t, s)
	s.person(t, "lab@example.cn", role(t, account.Lab, labA, false), "")
	s.person(t, "body@example.cn", role(t, account.Body, bodyA, false), "")
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	fits := func(t *testing.T, page string, width int) {
		t.Helper()
		if w := b.width(t); w > width {
			t.Errorf("%s is %d px wide on a %d-px screen: %v", page, w, width, b.pastEdge(t))
		}
	}
	// stale marks the page shown, so that waiting for fresh+selector waits
	// for the next page rather than finding the old one.
	stale := chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = "1"`)
	const fresh = "body:not([data-stale]) "
	signIn := func(t *testing.T, email string) {
		b.run(t, chromedp.Navigate(srv.URL+"/work/"),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
			chromedp.WaitVisible(chromedp.ID("work-tools")))
	}
	for _, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", 1280, 900, false},
		{"360px", 360, 740, true},
	} {
		t.Run("at "+screen.name+" a laboratory sees its reports and accreditation", func(t *testing.T) {
			b.run(t, viewport(screen.width, screen.height, screen.mobile))
			signIn(t, "lab@example.cn")
			b.run(t, chromedp.Click(chromedp.CSS(`#work-tools a[href="/work/reports"]`)), chromedp.WaitVisible(chromedp.ID("unit-reports")))
			fits(t, "/work/reports", screen.width)
			if got := b.text(t, "#accreditation"); !strings.Contains(got, labA) || !strings.Contains(got, "2029-12-31") || !strings.Contains(got, "阻燃性能") {
				t.Errorf("the accreditation reads %q, want the CMA number, validity and scope", got)
			}
			if got := b.text(t, "#unit-reports"); !strings.Contains(got, reportNo) || !strings.Contains(got, "BG2026-0002") || strings.Contains(got, unitReportB) {
				t.Errorf("the reports read %q, want labA's two and not labB's", got)
			}
			b.shot(t, "work-reports-"+screen.name)
			b.run(t, stale, chromedp.SendKeys(chromedp.ID("reports-q"), "华为"), chromedp.Submit(chromedp.ID("reports-q")),
				chromedp.WaitVisible(chromedp.CSS(fresh+"#unit-reports")))
			if got := b.text(t, "#unit-reports"); !strings.Contains(got, "BG2026-0002") || strings.Contains(got, reportNo) {
				t.Errorf("searched for 华为, the reports read %q", got)
			}
			fits(t, "/work/reports?q=华为", screen.width)
			b.run(t, chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})

		t.Run("at "+screen.name+" a body filters its certificates", func(t *testing.T) {
			b.run(t, viewport(screen.width, screen.height, screen.mobile))
			signIn(t, "body@example.cn")
			b.run(t, chromedp.Click(chromedp.CSS(`#work-tools a[href="/work/certificates"]`)), chromedp.WaitVisible(chromedp.ID("unit-certificates")))
			fits(t, "/work/certificates", screen.width)
			if got := b.text(t, "#unit-certificates"); !strings.Contains(got, certQMS) || !strings.Contains(got, certCCC) || strings.Contains(got, certSusp) {
				t.Errorf("the certificates read %q, want bodyA's and not bodyB's", got)
			}
			b.shot(t, "work-certificates-"+screen.name)
			b.run(t, stale, chromedp.SetValue(chromedp.ID("certs-status"), "revoked"), chromedp.Submit(chromedp.ID("certs-status")),
				chromedp.WaitVisible(chromedp.CSS(fresh+"#unit-certificates")))
			if got := b.text(t, "#unit-certificates"); !strings.Contains(got, certRev) || strings.Contains(got, certQMS) {
				t.Errorf("filtered to revoked, the certificates read %q", got)
			}
			fits(t, "/work/certificates?status=revoked", screen.width)
			b.run(t, stale, chromedp.Click(chromedp.CSS(`#unit-certificates a.ident`)), chromedp.WaitVisible(chromedp.CSS(fresh+"h1")))
			if got := b.location(t); !strings.HasSuffix(got, "/work/certificates/"+certRev) {
				t.Errorf("the certificate's link went to %s, want its transition form", got)
			}
			b.run(t, chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})
	}
}
