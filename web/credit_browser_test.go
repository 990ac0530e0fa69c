package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCreditInBrowser opens /credit in headless Chromium on a 360-pixel
// phone in both languages and on a 1280-pixel screen: the page does not
// scroll sideways and nothing sticks out past the screen's edge.
func TestCreditInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	listCredit(t, f)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
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
			b.run(t, viewport(c.width, c.height, c.mobile), chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible(chromedp.CSS("#listings")))
			if width := b.width(t); width > c.width {
				t.Errorf("page is %d px wide on a %d-px screen", width, c.width)
			}
			if wide := b.pastEdge(t); len(wide) > 0 {
				t.Errorf("elements past the screen's edge: %q", wide)
			}
			b.shot(t, c.name)
		})
	}
}
