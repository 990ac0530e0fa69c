package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/demo"
	"trustmark/search"
	"trustmark/sqlstore"
)

// exampleRE finds the front page's examples: a link, and the badge of the
// status the page states, if any.
var exampleRE = regexp.MustCompile(`<dd><a class="ident" href="([^"]+)">([^<]+)</a>(?: <span class="badge [a-z]+">([^<]+)</span>)?</dd>`)

// checkExamples follows every example of the front page: each must lead to
// its record's page (200, not a not-found page), a certificate's page
// stating the status the example states.
func checkExamples(t *testing.T, get func(string) (int, string), lang string, atLeast int) {
	t.Helper()
	code, home := get("/?lang=" + lang)
	if code != 200 {
		t.Fatalf("GET /: %d", code)
	}
	sec := home[strings.Index(home, `<h2 id="ex">`):]
	sec = sec[:strings.Index(sec, "</section>")]
	found := exampleRE.FindAllStringSubmatch(sec, -1)
	if len(found) < atLeast || strings.Count(sec, "<dt>") != len(found) {
		t.Fatalf("%d linked examples of %d, want every one linked and at least %d:\n%s", len(found), strings.Count(sec, "<dt>"), atLeast, sec)
	}
	statuses := 0
	for _, m := range found {
		link, query, status := strings.ReplaceAll(m[1], "&amp;", "&"), m[2], m[3]
		code, page := get(link)
		if code != 200 {
			t.Errorf("example %s: GET %s = %d", query, link, code)
			continue
		}
		if status != "" {
			statuses++
			if !strings.Contains(page, "<strong>"+status+"</strong>") {
				t.Errorf("example %s is shown as %q, its page does not say so", query, status)
			}
		}
	}
	if statuses < 3 {
		t.Errorf("%d examples state a status, want a valid, a suspended and a revoked certificate", statuses)
	}
}

func TestHomeExamplesExist(t *testing.T) {
	f := newFixture(t)
	get := func(u string) (int, string) { w := f.get(u); return w.Code, w.Body.String() }
	checkExamples(t, get, "zh", 5)
	checkExamples(t, get, "en", 5)
}

// TestHomeExamplesExistInTheDemo serves the demo data set and follows each
// example of the front page.
func TestHomeExamplesExistInTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo data set")
	}
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := func() time.Time { return time.Date(2026, 3, 16, 4, 0, 0, 0, time.UTC) }
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: trustmark.DateOf(clock())}); err != nil {
		t.Fatalf("demo.Generate: %v", err)
	}
	h := NewHandler(Config{Store: db, Search: search.Fragments(db), Clock: clock, Logger: quiet})
	get := func(u string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		return w.Code, w.Body.String()
	}
	checkExamples(t, get, "zh", 6)
	checkLabsExamples(t, get)
}

// checkLabsExamples follows the scope examples of the laboratories list:
// each lists at least one laboratory with a matching scope item.
func checkLabsExamples(t *testing.T, get func(string) (int, string)) {
	t.Helper()
	_, page := get("/labs")
	hint := page[strings.Index(page, `id="l-scope-hint"`):]
	hint = hint[:strings.Index(hint, "</p>")]
	links := regexp.MustCompile(`href="([^"]+)">([^<]+)</a>`).FindAllStringSubmatch(hint, -1)
	if len(links) < 2 {
		t.Fatalf("the laboratories list's hint links %d scope examples, want at least 2:\n%s", len(links), hint)
	}
	for _, l := range links {
		code, list := get(strings.ReplaceAll(l[1], "&amp;", "&"))
		if code != 200 || !strings.Contains(list, `<ul class="scope-items"`) || !strings.Contains(list, l[2]) {
			t.Errorf("scope example %s: GET %s = %d, lists no laboratory with a matching item", l[2], l[1], code)
		}
	}
}

// TestVerifyPageExamplesExist: the /verify page's examples are records of
// the registry, each linked to its page.
func TestVerifyPageExamplesExist(t *testing.T) {
	f := newFixture(t)
	body := f.get("/verify").Body.String()
	hint := body[strings.Index(body, `id="items-hint"`):]
	hint = hint[:strings.Index(hint, "</p>")]
	links := regexp.MustCompile(`href="([^"]+)">([^<]+)</a>`).FindAllStringSubmatch(hint, -1)
	if len(links) < 4 {
		t.Fatalf("the hint links %d examples, want at least 4:\n%s", len(links), hint)
	}
	for _, l := range links {
		if w := f.get(strings.ReplaceAll(l[1], "&amp;", "&")); w.Code != 200 {
			t.Errorf("example %s: GET %s = %d", l[2], l[1], w.Code)
		}
		if strings.HasPrefix(l[1], "/search") {
			t.Errorf("example %s is a name; bulk verification takes identifiers", l[2])
		}
	}
}
