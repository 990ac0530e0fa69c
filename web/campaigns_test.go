package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestCampaignsList: /campaigns lists every campaign, linked to its page,
// in the page's language; its status filter narrows the list and a value
// or a parameter it does not take is refused by name; the footer of every
// page links to it.
func TestCampaignsList(t *testing.T) {
	f := newFixture(t)
	c := drawnCampaign(t, f, "CAMP-L1")

	w := f.get("/campaigns")
	page := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(page, `href="/campaigns/CAMP-L1"`) || !strings.Contains(page, c.Name) || !strings.Contains(page, "已抽取") {
		t.Fatalf("GET /campaigns = %d, want 200 listing CAMP-L1 linked, named and drawn\n%s", w.Code, page)
	}
	if !strings.Contains(page, `<a href="/campaigns">双随机抽查</a>`) {
		t.Errorf("the footer does not link to the list of campaigns")
	}
	if en := f.get("/campaigns?lang=en").Body.String(); !strings.Contains(en, "Random inspection campaigns") || !strings.Contains(en, `href="/campaigns/CAMP-L1?lang=en"`) {
		t.Errorf("GET /campaigns?lang=en is not in English with English links\n%s", en)
	}
	if drawn := f.get("/campaigns?status=drawn").Body.String(); !strings.Contains(drawn, "CAMP-L1") {
		t.Errorf("GET /campaigns?status=drawn does not list the drawn campaign")
	}
	if pub := f.get("/campaigns?status=published"); pub.Code != http.StatusOK || strings.Contains(pub.Body.String(), "CAMP-L1") || !strings.Contains(pub.Body.String(), `id="no-campaigns"`) {
		t.Errorf("GET /campaigns?status=published = %d, want 200 with no campaign listed\n%s", pub.Code, pub.Body)
	}
	for _, target := range []string{"/campaigns?status=bogus", "/campaigns?sort=name"} {
		w := f.get(target)
		name := strings.TrimPrefix(strings.SplitN(target, "?", 2)[1], "")
		name = name[:strings.Index(name, "=")]
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), name) {
			t.Errorf("GET %s = %d, want 400 naming %s\n%s", target, w.Code, name, w.Body)
		}
	}
}

// TestNotFoundIsNotABadRequest: a page of something that does not exist
// is titled as not found, not as a request with a mistake in it.
func TestNotFoundIsNotABadRequest(t *testing.T) {
	f := newFixture(t)
	w := f.get("/campaigns/NOPE")
	if page := w.Body.String(); w.Code != http.StatusNotFound || !strings.Contains(page, "<h1>没有找到</h1>") || strings.Contains(page, "请求有误") {
		t.Errorf("GET /campaigns/NOPE = %d, want 404 titled 没有找到\n%s", w.Code, page)
	}
}
