package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStatisticsInBrowser opens /statistics in headless Chromium on a
// 360-pixel phone and a 1280-pixel screen, in both languages: the page
// does not scroll sideways, no headline number breaks across lines, and the
// charts fit the screen. Screenshots go to the artifacts.
func TestStatisticsInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	for _, c := range []struct {
		name          string
		width, height int
		mobile        bool
		path          string
	}{
		{"statistics-360px", 360, 740, true, "/statistics"},
		{"statistics-en-360px", 360, 740, true, "/statistics?lang=en"},
		{"statistics-1280px", 1280, 900, false, "/statistics"},
	} {
		t.Run("at "+c.name+" the page fits and numbers stay on one line", func(t *testing.T) {
			b.run(t, viewport(c.width, c.height, c.mobile), chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible(chromedp.CSS("svg")),
				chromedp.Click(chromedp.CSS("#trend-valid_certificates summary")))
			if width := b.width(t); width > c.width {
				t.Errorf("page is %d px wide on a %d-px screen", width, c.width)
			}
			// A number, a month or a day split over two lines has more than
			// one line box.
			broken, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.figure-value .value, .fig-num')]
				.filter(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length > 1 })
				.map(e => e.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			if wide := b.pastEdge(t); len(wide) > 0 {
				t.Errorf("elements past the screen's edge: %q", wide)
			}
			if len(broken) > 0 {
				t.Errorf("numbers broken across lines: %q", broken)
			}
			svgWidth, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector('#trend-valid_certificates svg').getBoundingClientRect().right`))
			if err != nil {
				t.Fatal(err)
			}
			if svgWidth > float64(c.width) {
				t.Errorf("chart ends at %.0f px on a %d-px screen", svgWidth, c.width)
			}
			b.shot(t, c.name)
		})
	}
}
