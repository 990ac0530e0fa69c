package web

import (
	"net/http"
	"strings"
	"testing"

	"trustmark"
)

// TestNotFoundSpeaksOfItsKind: the not-found page of an organisation, a
// body, a laboratory or a person the registry does not hold says where
// such entries come from and whom to ask, in the page's language, and
// nothing of certificates and their issuing bodies (issue 11).
func TestNotFoundSpeaksOfItsKind(t *testing.T) {
	f := newFixture(t)
	unknownOrg := string(trustmark.MakeUSCC("9137021256378099"))
	for _, tc := range []struct{ path, kind string }{
		{"/orgs/" + unknownOrg, "uscc"},
		{"/bodies/CNCA-R-2002-999", "approval_no"},
		{"/labs/210003100299", "cma_no"},
		{"/persons/2024-N-QMS-999999", "person"},
		{"/search?q=CNCA-R-2002-999", "approval_no"},
	} {
		for _, lang := range []string{"zh", "en"} {
			t.Run(tc.path+" in "+lang, func(t *testing.T) {
				w := f.get(tc.path + sepFor(tc.path) + "lang=" + lang)
				body := w.Body.String()
				msgs := mustLang(lang)
				if w.Code != http.StatusNotFound {
					t.Fatalf("GET %s = %d, want 404", tc.path, w.Code)
				}
				if want := msgs.Portal.NotFoundHints[tc.kind]; !strings.Contains(body, want) {
					t.Errorf("GET %s lacks the %s hint %q", tc.path, tc.kind, want)
				}
				for _, not := range []string{msgs.NotFoundUnknownHint, msgs.NotFoundIssuers} {
					if strings.Contains(body, not) {
						t.Errorf("GET %s speaks of certificates: %q", tc.path, not)
					}
				}
			})
		}
	}
}

func sepFor(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
