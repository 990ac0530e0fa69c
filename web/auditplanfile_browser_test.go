package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuditPlanFileInBrowser, in a real headless Chromium at 360 pixels:
// a body's staff open the plan file page from the audit list, upload a
// file of two plans of which one is below the IAF MD 5 minimum, and see
// the one reported, linked, and the other refused with its line, field
// and reason; the page fits the phone's screen, and the link opens the
// new audit.
func TestAuditPlanFileInBrowser(t *testing.T) {
	b, srv, _ := planFormInBrowser(t)
	file := filepath.Join(t.TempDir(), "plans.jsonl")
	if err := os.WriteFile(file, planFile(planLine("5"), planLine("0.5")), 0o600); err != nil {
		t.Fatal(err)
	}
	b.run(t, viewport(360, 740, true), chromedp.Navigate(srv.URL+"/work/audits"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("plan-file-link")),
		chromedp.Click(chromedp.ID("plan-file-link")),
		chromedp.WaitVisible(chromedp.ID("plan-file")))
	if w := b.width(t); w > 360 {
		t.Errorf("the plan file form is %d px wide on a 360-px screen: %v", w, b.pastEdge(t))
	}
	b.run(t, chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`#plan-file button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("plan-file-result")))
	if got := b.text(t, "#plan-file-summary"); !strings.Contains(got, "共 2 行：报送 1 份计划，1 行未通过。") {
		t.Errorf("summary = %q, want 1 plan reported and 1 line refused", got)
	}
	refused := b.text(t, "#plan-file-refused tbody")
	for _, want := range []string{"2", "auditor_days", "低于IAF MD 5规定的最低值"} {
		if !strings.Contains(refused, want) {
			t.Errorf("the refused line reads %q, want %q in it", refused, want)
		}
	}
	if w := b.width(t); w > 360 {
		t.Errorf("the result is %d px wide on a 360-px screen: %v", w, b.pastEdge(t))
	}
	b.shot(t, "work-audit-plan-file-360px")
	b.run(t, chromedp.Click(chromedp.CSS(`#plan-file-reported a`)),
		chromedp.WaitNotPresent(chromedp.ID("plan-file")),
		chromedp.WaitVisible(chromedp.ID("audit-site")))
	if loc := b.location(t); !strings.Contains(loc, "/work/audits/A") {
		t.Errorf("the link opened %s, want the audit's page", loc)
	}
	if got := b.text(t, "#audit-site"); !strings.Contains(got, "海尔路1号") {
		t.Errorf("the audit's page shows the site as %q", got)
	}
}
