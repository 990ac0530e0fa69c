package main

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// The authorization walk (issue 12): every route the serve command
// registers, the API's and the pages' (workbench included), is in
// walkRoutes with what guards it. Every route that writes or shows what is
// not public is then tried with no credentials and with every kind of role
// (regulators of the nation, a province, a city, a county and of another
// province; two bodies, two laboratories, two auditors, two organisations),
// each by its party's API token, its account's API token and its account's
// session, on a target inside and one outside the role's scope. The answer
// must be what access.Decide (the matrix) says: allowed is never 401, 403,
// 404 or a redirect to sign-in; refused is 401, 403 or 404 (or, for a page,
// the redirect to sign-in) and changes nothing in the registry.
//
// A route the table does not know fails the walk: add it to walkRoutes with
// its access action and a target inside and outside a role's scope.

func TestAuthorizationWalk(t *testing.T) {
	f := newWalkFixture(t)
	pages := f.m.HTTPServer.PagePatterns()
	if len(pages) == 0 {
		t.Fatal("the pages list no patterns: the walk cannot see the workbench")
	}
	patterns := append(f.m.HTTPServer.Patterns(), pages...)
	checkClassified(t, patterns)
	// Deleting and signing out come last: they end what the others use.
	last := func(p string) int {
		switch {
		case p == "POST /signout":
			return 2
		case strings.HasPrefix(p, "DELETE "):
			return 1
		}
		return 0
	}
	sort.Slice(patterns, func(i, j int) bool {
		if a, b := last(patterns[i]), last(patterns[j]); a != b {
			return a < b
		}
		return patterns[i] < patterns[j]
	})
	seenGaps := map[string]bool{}
	n := 0
	for _, pattern := range patterns {
		key, ok := lookupRoute(pattern)
		rt := walkRoutes[key]
		if !ok || rt.class == public || rt.class == exempt {
			continue
		}
		method, path, found := strings.Cut(pattern, " ")
		if !found {
			method, path = "GET", pattern
		}
		page := strings.HasPrefix(path, "/work/") || path == "/signout"
		for _, tg := range rt.targets(f) {
			for _, p := range f.principals {
				n++
				want := rt.allows(p, tg) && (!page || p.session)
				target, body := tg.req(n)
				before := f.fingerprint(t)
				w := f.serve(method, target, body, p)
				after := f.fingerprint(t)
				got := !refused(w, rt.notFound && want)
				what := fmt.Sprintf("%s (%s) by %s", pattern, tg.name, p.name)
				if got != want {
					if gap := knownGap(pattern, p, want); gap != "" {
						seenGaps[gap] = true
						t.Logf("known gap: %s: %d; %s", what, w.Code, gap)
						continue
					}
					t.Errorf("%s: %d %s; the matrix says allowed=%v", what, w.Code, summary(w), want)
				}
				if !got && before != after {
					t.Errorf("%s was refused (%d) but changed the registry:\n before %s\n after  %s", what, w.Code, before, after)
				}
			}
		}
	}
	for _, g := range knownGaps {
		if !seenGaps[g.why] {
			t.Errorf("known gap %q no longer occurs: remove it from knownGaps", g.why)
		}
	}
	t.Logf("%d requests over %d patterns", n, len(patterns))
}

// checkClassified fails the test for each pattern walkRoutes does not
// know, and for each entry of walkRoutes no pattern has.
func checkClassified(t *testing.T, patterns []string) {
	t.Helper()
	var unknown []string
	known := map[string]bool{}
	for _, p := range patterns {
		key, ok := lookupRoute(p)
		if !ok {
			unknown = append(unknown, p)
		}
		known[key] = true
	}
	if len(unknown) > 0 {
		t.Errorf("routes the authorization walk does not know; add each to walkRoutes in cmd/trustmark/authwalk_routes_test.go with its access action "+
			"(or why it is public) and a target inside and one outside a role's scope:\n  %s", strings.Join(unknown, "\n  "))
	}
	for p := range walkRoutes {
		if !known[p] {
			t.Errorf("walkRoutes lists %q, which the server no longer registers: remove it", p)
		}
	}
}

// lookupRoute finds pattern in walkRoutes: by itself, or by an entry
// ending in "*" that it starts with (addresses with a content hash).
func lookupRoute(pattern string) (string, bool) {
	if _, ok := walkRoutes[pattern]; ok {
		return pattern, true
	}
	for k := range walkRoutes {
		if prefix, ok := strings.CutSuffix(k, "*"); ok && strings.HasPrefix(pattern, prefix) {
			return k, true
		}
	}
	return "", false
}

// allows is what the route's guard lets p do to tg.
func (rt walkRoute) allows(p principal, tg walkTarget) bool {
	switch rt.class {
	case session:
		return p.session
	case caller:
		return p.token != "" || p.session
	case owner:
		return p.name == tg.owner
	}
	if tg.decide != nil {
		return len(p.roles) > 0 && tg.decide(p.roles)
	}
	return decides(p.roles, rt.actions, tg.target)
}

// refused reports whether an answer is a refusal: 401, 403, 404 (unless
// found404 says 404 is what an allowed caller gets), or a page's redirect
// to sign-in.
func refused(w *httptest.ResponseRecorder, found404 bool) bool {
	switch w.Code {
	case 401, 403:
		return true
	case 404:
		return !found404
	case 303:
		// To sign in (with the page to come back to), not the page
		// after signing out.
		u, err := url.Parse(w.Header().Get("Location"))
		return err == nil && u.Path == "/signin" && !u.Query().Has("signedout")
	}
	return false
}

// summary is the gist of an answer: a JSON error's message, a page's
// title and first paragraph.
func summary(w *httptest.ResponseRecorder) string {
	body := w.Body.String()
	if strings.HasPrefix(body, "<!doctype") || strings.HasPrefix(body, "<!DOCTYPE") {
		var parts []string
		for _, tag := range []string{"title", "p"} {
			if _, rest, ok := strings.Cut(body, "<"+tag); ok {
				if _, rest, ok = strings.Cut(rest, ">"); ok {
					text, _, _ := strings.Cut(rest, "</"+tag+">")
					parts = append(parts, strings.TrimSpace(text))
				}
			}
		}
		return "page: " + strings.Join(parts, " | ")
	}
	if loc := w.Header().Get("Location"); loc != "" {
		return "to " + loc
	}
	if len(body) > 300 {
		body = body[:300] + "..."
	}
	return strings.TrimSpace(body)
}

// knownGaps are the places where the server and the matrix disagree today,
// each named; the walk logs them instead of failing, and fails once one no
// longer occurs, so that the list only shrinks. It is empty: keep it so.
var knownGaps = []struct {
	pattern string
	match   func(p principal, matrixAllows bool) bool
	why     string
}{}

func knownGap(pattern string, p principal, matrixAllows bool) string {
	for _, g := range knownGaps {
		if g.pattern == pattern && g.match(p, matrixAllows) {
			return g.why
		}
	}
	return ""
}
