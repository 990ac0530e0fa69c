package web

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark/account"
	"trustmark/matter"
)

// TestWorkbenchInBrowser, in a real headless Chromium at 1280 and 360
// pixels: a body uploads a file with a bad row, sees the row and its
// reason, fixes it and uploads it again; a regulator of Shandong opens a
// Shandong matter but not a Guangdong one; both sign out.
func TestWorkbenchInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newMatterFixture(t)
	s.openMatter(t, matter.Opening{ID: "M-SD", Kind: "anomaly_explanation", Party: bodyUnit, Region: "370212", At: now.Add(-48 * time.Hour)})
	s.openMatter(t, matter.Opening{ID: "M-GD", Kind: "anomaly_explanation", Party: bodyUnit, Region: "440307", At: now.Add(-48 * time.Hour)})
	s.person(t, "body@example.cn", role(t, account.Body, bodyA, false), "")
	s.person(t, "sd@example.cn", role(t, account.Regulator, "370000", false), testSecret)
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	dir := t.TempDir()
	head := []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "standard", "issued_on", "expires_on"}
	for i, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", 1280, 900, false},
		{"360px", 360, 740, true},
	} {
		good, bad := "00126Q3020"+string(rune('1'+2*i))+"R0M", "00126Q3020"+string(rune('2'+2*i))+"R0M"
		file := filepath.Join(dir, "certs-"+screen.name+".xlsx")
		os.WriteFile(file, xlsxOf(t, [][]string{head,
			{good, "QMS", bodyA, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
			{bad, "QMS", bodyA, "91370200163562681X", "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
		}), 0o644)
		fixed := filepath.Join(dir, "fixed-"+screen.name+".xlsx")
		os.WriteFile(fixed, xlsxOf(t, [][]string{append(head, "reason"),
			{bad, "QMS", bodyA, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28", "holder_uscc: 已改正"},
		}), 0o644)

		t.Run("at "+screen.name+" a body uploads a file with a bad row and fixes it", func(t *testing.T) {
			b.run(t, viewport(screen.width, screen.height, screen.mobile),
				chromedp.Navigate(srv.URL+"/work/import"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
				chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
				chromedp.WaitVisible(chromedp.ID("f-file")),
				chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
				chromedp.Click(chromedp.CSS(`button[value="import"]`)),
				chromedp.WaitVisible(chromedp.ID("import-summary")))
			if got := b.text(t, "#import-summary"); !strings.Contains(got, "导入 1 行") || !strings.Contains(got, "未通过 1 行") {
				t.Errorf("summary = %q", got)
			}
			if got := b.text(t, "#refused"); !strings.Contains(got, "holder_uscc") {
				t.Errorf("refused rows = %q, want the holder's code", got)
			}
			if w := b.width(t); w > screen.width {
				t.Errorf("the import page is %d px wide on a %d-px screen: %v", w, screen.width, b.pastEdge(t))
			}
			b.shot(t, "work-import-refused-"+screen.name)
			b.run(t, chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{fixed}),
				chromedp.Click(chromedp.CSS(`button[value="import"]`)),
				chromedp.WaitNotPresent(chromedp.ID("refused")), // the new page, without refusals
				chromedp.WaitVisible(chromedp.ID("import-summary")))
			if got := b.text(t, "#import-summary"); !strings.Contains(got, "导入 1 行") || !strings.Contains(got, "未通过 0 行") {
				t.Errorf("summary after the fix = %q", got)
			}
			b.run(t, chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})

		t.Run("at "+screen.name+" a regulator of Shandong cannot open Guangdong's matter", func(t *testing.T) {
			s.advance(time.Minute) // a code works once
			b.run(t, chromedp.Navigate(srv.URL+"/work/"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), "sd@example.cn"),
				chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
				chromedp.WaitVisible(chromedp.ID("code")))
			b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, s.clock())+"\n"),
				chromedp.WaitVisible(chromedp.ID("signed-in")),
				chromedp.Navigate(srv.URL+"/work/matters/M-SD"),
				chromedp.WaitVisible(chromedp.ID("matter-subject")))
			if w := b.width(t); w > screen.width {
				t.Errorf("the matter page is %d px wide on a %d-px screen: %v", w, screen.width, b.pastEdge(t))
			}
			b.shot(t, "work-matter-"+screen.name)
			// Every page a regulator's workbench links to fits the screen.
			for _, page := range []string{"/work/", "/work/staff", "/work/region", "/work/region?tab=bodies", "/work/region?tab=labs",
				"/work/access-log", "/work/risk", "/work/credit", "/work/audits"} {
				b.run(t, chromedp.Navigate(srv.URL+page), chromedp.WaitVisible(chromedp.CSS("h1")))
				t.Logf("%s: %s", page, b.text(t, "h1"))
				if w := b.width(t); w > screen.width {
					t.Errorf("%s is %d px wide on a %d-px screen: %v", page, w, screen.width, b.pastEdge(t))
				}
			}
			b.run(t, chromedp.Navigate(srv.URL+"/work/matters/M-GD"), chromedp.WaitVisible(chromedp.CSS("h1")))
			if got := b.text(t, "main"); strings.Contains(got, "test:M-GD") {
				t.Errorf("Shandong's regulator sees Guangdong's matter: %q", got)
			}
			b.run(t, chromedp.Navigate(srv.URL+"/work/"), chromedp.WaitVisible(chromedp.ID("signed-in")),
				chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})
	}
}
