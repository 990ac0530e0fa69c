package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCreditInBrowser opens /credit in headless Chromium on a 360-pixel
// phone in both languages and on a 1280-pixel screen: the page does not
// scroll sideways and nothing sticks out past the screen's edge.
func TestCreditInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" && os.Getenv("TRUSTMARK_REQUIRE_BROWSER") != "" {
		t.Fatal("TRUSTMARK_REQUIRE_BROWSER is set but no Chromium binary was found")
	}
	if bin == "" || testing.Short() {
		t.Skip("no Chromium binary, or -short; skipping browser tests")
	}
	f := newFixture(t)
	listCredit(t, f)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	shots := artifactsDir(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	for _, c := range []struct {
		name          string
		width, height int
		mobile        bool
		path          string
	}{
		{"credit-360px", 360, 740, true, "/credit"},
		{"credit-en-360px", 360, 740, true, "/credit?lang=en"},
		{"credit-1280px", 1280, 900, false, "/credit"},
	} {
		t.Run("at "+c.name+" the list fits the screen", func(t *testing.T) {
			tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
			defer tcancel()
			viewport := chromedp.EmulateViewport(int64(c.width), int64(c.height))
			if c.mobile {
				viewport = chromedp.EmulateViewport(int64(c.width), int64(c.height), chromedp.EmulateMobile, chromedp.EmulateScale(2))
			}
			if err := chromedp.Do(tctx, viewport, chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible(chromedp.CSS("#listings"))); err != nil {
				t.Fatal(err)
			}
			width, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if width > c.width {
				t.Errorf("page is %d px wide on a %d-px screen", width, c.width)
			}
			wide, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main *')]
				.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
				.map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`))
			if err != nil {
				t.Fatal(err)
			}
			if len(wide) > 0 {
				t.Errorf("elements past the screen's edge: %q", wide)
			}
			buf, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			if err := os.WriteFile(filepath.Join(shots, c.name+".png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
