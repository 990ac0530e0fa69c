package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// TestAuditPlanFormInBrowser, in a real headless Chromium at 1280 and 360
// pixels: a body's staff open the plan form from the audit list, report a
// plan with a person of another body on the team, see the refusal next to
// that row with what they typed kept, fix the row and land on the new
// audit's page. The form fits the screen.
func TestAuditPlanFormInBrowser(t *testing.T) {
	b, srv, day := planFormInBrowser(t)
	for i, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", 1280, 900, false},
		{"360px", 360, 740, true},
	} {
		t.Run("at "+screen.name+" a body reports a plan, is refused a member and fixes the row", func(t *testing.T) {
			b.run(t, viewport(screen.width, screen.height, screen.mobile),
				chromedp.Navigate(srv.URL+"/work/audits"))
			if i == 0 {
				b.run(t, chromedp.WaitVisible(chromedp.ID("email")),
					chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
					chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"))
			}
			b.run(t, chromedp.WaitVisible(chromedp.ID("plan-new")),
				chromedp.Click(chromedp.ID("plan-new")),
				chromedp.WaitVisible(chromedp.ID("audit-plan")),
				chromedp.SendKeys(field("certificate"), certQMS),
				chromedp.SendKeys(field("site.address"), "青岛市崂山区海尔路1号"),
				chromedp.SendKeys(field("site.lat"), "36.0671"),
				chromedp.SendKeys(field("site.lng"), "120.3826"),
				chromedp.SetValue(field("opening_at"), day+"T09:00"),
				chromedp.SetValue(field("closing_at"), day+"T16:00"),
				chromedp.SendKeys(field("team[0].registration_no"), personNo),
				chromedp.SendKeys(field("team[1].registration_no"), "2026-XYZ-0999"),
				chromedp.SetValue(field("team[1].role"), "auditor"),
				chromedp.SendKeys(field("auditor_days"), "5"),
				chromedp.SendKeys(field("effective_personnel"), "230"))
			if w := b.width(t); w > screen.width {
				t.Errorf("the plan form is %d px wide on a %d-px screen: %v", w, screen.width, b.pastEdge(t))
			}
			b.run(t, chromedp.Click(chromedp.CSS(`#audit-plan button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[id="err-team[1].registration_no"]`)))
			if got := b.text(t, `[id="err-team[1].registration_no"]`); !strings.Contains(got, "2026-XYZ-0999") || !strings.Contains(got, "注册的人员") {
				t.Errorf("refusal next to row 2 = %q, want the person not registered with the body", got)
			}
			if w := b.width(t); w > screen.width {
				t.Errorf("the refused form is %d px wide on a %d-px screen: %v", w, screen.width, b.pastEdge(t))
			}
			b.shot(t, "work-audit-plan-refused-"+screen.name)
			address, err := chromedp.Run(b.ctx, chromedp.Value(field("site.address")))
			if err != nil {
				t.Fatal(err)
			}
			if address != "青岛市崂山区海尔路1号" {
				t.Errorf("the address after the refusal = %q, want it kept", address)
			}
			b.run(t, chromedp.SetValue(field("team[1].registration_no"), auditPeer),
				chromedp.Click(chromedp.CSS(`#audit-plan button[type="submit"]`)),
				chromedp.WaitNotPresent(chromedp.ID("audit-plan")),
				chromedp.WaitVisible(chromedp.CSS("h1")))
			if loc := b.location(t); !strings.Contains(loc, "/work/audits/A") {
				t.Errorf("after the plan the browser is at %s, want the audit's page", loc)
			}
			if got := b.text(t, "main"); !strings.Contains(got, "海尔路1号") {
				t.Errorf("the audit's page does not show the site: %q", got)
			}
		})
	}
}

// TestAuditPlanOfTwoSitesInBrowser, in a real headless Chromium at 360
// pixels: a body's staff add a second site with the add-site button (no
// script), the new group has the focus, and the plan of two sites opens
// the audit's page listing both.
func TestAuditPlanOfTwoSitesInBrowser(t *testing.T) {
	b, srv, day := planFormInBrowser(t)
	b.run(t, viewport(360, 740, true), chromedp.Navigate(srv.URL+"/work/audits/new"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("audit-plan")),
		chromedp.SendKeys(field("certificate"), certQMS),
		chromedp.SendKeys(field("site.address"), "青岛市崂山区海尔路1号"),
		chromedp.SendKeys(field("site.lat"), "36.0671"),
		chromedp.SendKeys(field("site.lng"), "120.3826"),
		chromedp.Click(chromedp.ID("add-site")),
		chromedp.WaitVisible(field("sites[1].address")))
	focused, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.name`))
	if err != nil || focused != "sites[1].address" {
		t.Errorf("after adding a site the focus is on %q (%v), want the new group's address", focused, err)
	}
	if w := b.width(t); w > 360 {
		t.Errorf("the form of two sites is %d px wide on a 360-px screen: %v", w, b.pastEdge(t))
	}
	b.run(t, chromedp.SendKeys(field("sites[1].address"), "青岛市黄岛区工厂路2号"),
		chromedp.SendKeys(field("sites[1].lat"), "35.9601"),
		chromedp.SendKeys(field("sites[1].lng"), "120.1880"),
		chromedp.SetValue(field("sites[1].datum"), "gcj02"),
		chromedp.SetValue(field("opening_at"), day+"T09:00"),
		chromedp.SetValue(field("closing_at"), day+"T16:00"),
		chromedp.SendKeys(field("team[0].registration_no"), personNo),
		chromedp.SendKeys(field("team[1].registration_no"), auditPeer),
		chromedp.SetValue(field("team[1].role"), "auditor"),
		chromedp.SendKeys(field("auditor_days"), "5"),
		chromedp.SendKeys(field("effective_personnel"), "230"))
	b.shot(t, "work-audit-plan-two-sites-360px")
	b.run(t, chromedp.Click(chromedp.CSS(`#audit-plan button[type="submit"]:not([name])`)),
		chromedp.WaitNotPresent(chromedp.ID("audit-plan")),
		chromedp.WaitVisible(chromedp.ID("audit-site")))
	if got := b.text(t, "#audit-site"); !strings.Contains(got, "海尔路1号") || !strings.Contains(got, "工厂路2号") {
		t.Errorf("the audit's page lists the sites as %q, want both", got)
	}
}

// planFormInBrowser starts a headless Chromium and the audit pages with a
// body's staff account (body@example.cn): the browser, the server (closed
// when t ends) and tomorrow's date in China, the day of the plans the
// tests report.
func planFormInBrowser(t *testing.T) (*headless, *httptest.Server, string) {
	b := startChromium(t)
	p := newAuditPages(t)
	p.person(t, "body@example.cn", role(t, account.Body, bodyA, false), "")
	srv := httptest.NewServer(p.handler)
	t.Cleanup(srv.Close)
	return b, srv, now.In(chinaTime).Add(24 * time.Hour).Format("2006-01-02")
}

// field selects a form field by its name.
func field(n string) chromedp.CSS { return chromedp.CSS(`[name="` + n + `"]`) }
