package web

import (
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	if p := os.Getenv("TRUSTMARK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where screenshots go: $TRUSTMARK_ARTIFACTS/screenshots, or
// artifacts/screenshots at the repository root (ignored by git).
func artifactsDir(t *testing.T) string {
	dir := filepath.Join("..", "artifacts", "screenshots")
	if d := os.Getenv("TRUSTMARK_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestInBrowser drives the portal in a real headless Chromium: search,
// certificate page, language switch and a 360-pixel phone screen, saving
// screenshots as artifacts.
func TestInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	ctx, run, text, shot, location := b.ctx, b.run, b.text, b.shot, b.location

	t.Run("searching a two-character name from the home page lists the company", func(t *testing.T) {
		run(t, chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), "海尔\n"),
			chromedp.WaitVisible(chromedp.CSS("ul.results")))
		if got := text(t, "ul.results"); !strings.Contains(got, "海尔智家股份有限公司") {
			t.Errorf("results = %q, want 海尔智家股份有限公司", got)
		}
		shot(t, "search-results")
	})
	t.Run("typing a certificate number lands on the certificate with its status first", func(t *testing.T) {
		run(t, chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), certSusp+"\n"),
			chromedp.WaitVisible(chromedp.CSS("div.status")))
		if loc := location(t); !strings.HasSuffix(loc, "/certificates/"+certSusp) {
			t.Errorf("location = %s, want the certificate page", loc)
		}
		if got := text(t, "div.status strong"); got != "暂停" {
			t.Errorf("status headline = %q, want 暂停", got)
		}
		shot(t, "certificate-suspended-desktop")
	})
	t.Run("the language switch turns the page into English and links stay English", func(t *testing.T) {
		run(t, chromedp.Navigate(srv.URL+"/certificates/"+certQMS),
			chromedp.WaitVisible(chromedp.CSS("div.status")),
			chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
			chromedp.WaitVisible(chromedp.CSS(`a[hreflang="zh"]`)))
		if got := text(t, "div.status strong"); got != "Valid" {
			t.Errorf("status headline after switch = %q, want Valid", got)
		}
		run(t, chromedp.Click(chromedp.CSS(`dl.facts dd a`)), chromedp.WaitVisible(chromedp.CSS("h1")))
		loc, _ := url.Parse(location(t))
		if loc.Query().Get("lang") != "en" || !strings.HasPrefix(loc.Path, "/orgs/") {
			t.Errorf("holder link went to %s, want /orgs/...?lang=en", loc)
		}
		shot(t, "org-english")
	})
	t.Run("on a 360-pixel phone the certificate page does not scroll sideways", func(t *testing.T) {
		run(t, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
			chromedp.Navigate(srv.URL+"/certificates/"+certRev),
			chromedp.WaitVisible(chromedp.CSS("div.status")))
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if width > 360 {
			t.Errorf("page is %d px wide on a 360-px screen", width)
		}
		shot(t, "certificate-revoked-360px")
		run(t, chromedp.Navigate(srv.URL+"/search?q=华为"), chromedp.WaitVisible(chromedp.CSS("ul.results")))
		if width, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); width > 360 {
			t.Errorf("search page is %d px wide on a 360-px screen", width)
		}
		shot(t, "search-360px")
		run(t, chromedp.Navigate(srv.URL+"/disclosures"), chromedp.WaitVisible(chromedp.CSS("h1")))
		shot(t, "disclosures-360px")
		run(t, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
		if width, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); width > 360 {
			t.Errorf("home page is %d px wide on a 360-px screen", width)
		}
		shot(t, "home-360px")
		run(t, chromedp.Navigate(srv.URL+"/search?q=2025010901999999"), chromedp.WaitVisible(chromedp.CSS("h1")))
		shot(t, "notfound-360px")
	})
	t.Run("the keyboard reaches the search box and submits", func(t *testing.T) {
		run(t, chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.KeyEvent("\t"))
		active, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
		if err != nil {
			t.Fatal(err)
		}
		if active != "skip" {
			t.Errorf("first Tab focuses %q, want the skip link", active)
		}
	})
}
