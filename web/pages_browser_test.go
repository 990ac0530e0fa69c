package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageKind is one kind of portal page for the browser tests: where it is,
// and for /verify the numbers to check so that it shows a result table.
type pageKind struct {
	name, path string
	verify     string
	list       bool // shows a list of records (a table that is cards on a phone)
}

// pageKinds are the portal's pages a person reaches, one or more of each kind.
func pageKinds() []pageKind {
	return []pageKind{
		{name: "home", path: "/"},
		{name: "search", path: "/search?q=华为"},
		{name: "certificate-valid", path: "/certificates/" + certQMS},
		{name: "certificate-suspended", path: "/certificates/" + certSusp},
		{name: "certificate-revoked", path: "/certificates/" + certRev},
		{name: "certificate-expired", path: "/certificates/" + certOld},
		{name: "certificate-ccc", path: "/certificates/" + certCCC},
		{name: "org", path: "/orgs/" + string(haier), list: true},
		{name: "org-huawei", path: "/orgs/" + string(huawei), list: true},
		{name: "body", path: "/bodies/" + bodyA, list: true},
		{name: "lab", path: "/labs/" + labA},
		{name: "labs-scope", path: "/labs?scope=电线", list: true},
		{name: "reportform", path: "/reports"},
		{name: "person", path: "/persons/" + personNo},
		{name: "report", path: "/reports/" + labA + "/" + reportNo},
		{name: "disclosures", path: "/disclosures", list: true},
		{name: "verify", path: "/verify", verify: strings.Join([]string{certQMS, certSusp, certRev, certOld, "2025010901999999", string(haier)}, `\n`), list: true},
		{name: "statistics", path: "/statistics"},
		{name: "notfound", path: "/search?q=2025010901999999"},
		{name: "notfound-report", path: "/reports/" + labA + "/BG2026-9999"},
	}
}

// brokenJS lists the identifiers, dates and statuses a person sees on more
// than one line: an inline box split over lines has several client
// rectangles, a block or inline-block one is taller than one line.
const brokenJS = `[...document.querySelectorAll('.ident, .date, .badge, .status strong')]
	.filter(e => e.getClientRects().length > 0)
	.filter(e => {
		const s = getComputedStyle(e);
		const line = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
		const pad = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom) + parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth);
		return e.getClientRects().length > 1 || e.getBoundingClientRect().height - pad > 1.5 * line;
	})
	.map(e => e.className + ' ' + JSON.stringify(e.textContent))`

// pastEdgeJS lists elements of the page's content that reach past the
// screen's right edge, also those inside a scrolling box (which a person
// would have to scroll sideways to read).
const pastEdgeJS = `[...document.querySelectorAll('main *')]
	.filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
	.map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`

// listsJS gives how each list of records (table.cards) is laid out: on a
// narrow screen each is a column of cards ("block"), not a table. Data
// tables of a few figures (the statistics page's) are not lists.
const listsJS = `[...document.querySelectorAll('main table.cards')].map(e => getComputedStyle(e).display)`

// TestPagesInBrowser opens every kind of page in headless Chromium at 360
// and 1280 px, in Chinese and English, and measures what a person sees: the
// page does not scroll sideways, no identifier, date or status is split over
// lines, and on a phone lists are cards. Screenshots go to the artifacts.
func TestPagesInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	drawnCampaign(t, f, "CAMP-B1")
	kinds := append(pageKinds(), pageKind{name: "campaigns", path: "/campaigns", list: true}, pageKind{name: "campaign", path: "/campaigns/CAMP-B1"})
	srv := httptest.NewServer(f.handler)
	defer srv.Close()

	screens := []struct {
		width, height int
		mobile        bool
	}{{360, 740, true}, {1280, 900, false}}
	for _, lang := range []string{"zh", "en"} {
		for _, sc := range screens {
			for _, pk := range kinds {
				name := fmt.Sprintf("page-%s-%s-%dpx", pk.name, lang, sc.width)
				t.Run(fmt.Sprintf("the %s page in %s at %d px fits and keeps numbers whole", pk.name, lang, sc.width), func(t *testing.T) {
					sep := "?"
					if strings.Contains(pk.path, "?") {
						sep = "&"
					}
					b.run(t, viewport(sc.width, sc.height, sc.mobile), chromedp.Navigate(srv.URL+pk.path+sep+"lang="+lang),
						chromedp.WaitVisible(chromedp.CSS("main h1")))
					if pk.verify != "" {
						b.run(t, chromedp.Evaluate[chromedp.Void](`document.getElementById('items').value = "`+pk.verify+`"; document.querySelector('form.card').submit()`),
							chromedp.WaitVisible(chromedp.ID("results")))
					}
					if w := b.width(t); w > sc.width {
						t.Errorf("page is %d px wide on a %d-px screen", w, sc.width)
					}
					if got := b.strings(t, pastEdgeJS); len(got) > 0 {
						t.Errorf("elements past the screen's edge: %q", got)
					}
					if got := b.strings(t, brokenJS); len(got) > 0 {
						t.Errorf("split over lines: %q", got)
					}
					lists := b.strings(t, listsJS)
					if pk.list && len(lists) == 0 {
						t.Errorf("no list of records (table.cards) on the page")
					}
					for _, display := range lists {
						if want := map[bool]string{true: "block", false: "table"}[sc.width <= 600]; display != want {
							t.Errorf("a list is laid out as %q on a %d-px screen, want %q", display, sc.width, want)
						}
					}
					b.shot(t, name)
				})
			}
		}
	}
}

// strings evaluates js, which yields a list of strings.
func (b *headless) strings(t *testing.T, js string) []string {
	t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatal(err)
	}
	return got
}
