package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// headless is a headless Chromium for the page tests, in Chinese, with the
// steps they share. Each step has 30 seconds.
type headless struct {
	ctx   context.Context
	shots string
}

// startChromium starts Chromium for t, closed when t ends. Without a
// Chromium binary it skips t, or fails it when TRUSTMARK_REQUIRE_BROWSER
// is set (as in .ci/run); -short skips it too.
func startChromium(t *testing.T) *headless {
	t.Helper()
	bin := chromium()
	if bin == "" && os.Getenv("TRUSTMARK_REQUIRE_BROWSER") != "" {
		t.Fatal("TRUSTMARK_REQUIRE_BROWSER is set (as in .ci/run) but no Chromium binary was found")
	}
	if bin == "" {
		t.Skip("no Chromium binary found (install Debian's chromium, or set TRUSTMARK_CHROMIUM); skipping browser tests")
	}
	if testing.Short() {
		t.Skip("browser tests skipped with -short")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return &headless{ctx: ctx, shots: artifactsDir(t)}
}

// run takes steps, failing t on the first that fails.
func (b *headless) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// text returns the text of the first element sel selects.
func (b *headless) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// shot saves a screenshot of the whole page as an artifact, name.png.
func (b *headless) shot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// location returns the address of the page shown.
func (b *headless) location(t *testing.T) string {
	t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// width returns how wide the page is, to compare with the screen's.
func (b *headless) width(t *testing.T) int {
	t.Helper()
	w, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// viewport emulates a screen: a phone's (mobile, scaled 2×) or a desktop's.
func viewport(width, height int, mobile bool) chromedp.Action[chromedp.Void] {
	if mobile {
		return chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(int64(width), int64(height))
}

// pastEdge returns up to eight elements of main whose right edge lies past
// the screen's, each as "TAG.class RIGHT".
func (b *headless) pastEdge(t *testing.T) []string {
	t.Helper()
	wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main *')]
		.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
		.map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`))
	if err != nil {
		t.Fatal(err)
	}
	return wide
}
