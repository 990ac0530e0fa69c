package web

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"trustmark"
	"trustmark/bulk"
	"trustmark/locale"
)

// containsCJK reports whether s has a Chinese character.
func containsCJK(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// Outcomes a text can have at every entry point: the record it names is
// found, the entry is words to search, or it matched nothing for one of
// trustmark.Explain's reasons.
const (
	outFound     = "found"
	outText      = "text"
	outMalformed = string(trustmark.VerdictMalformed)
	outNoIssuer  = string(trustmark.VerdictNoIssuer)
	outUnknown   = string(trustmark.VerdictUnknown)
)

// agreementTests are texts as people type them into the search box or a
// bulk verification list, with the outcome every entry point must give.
var agreementTests = []struct {
	in, want string
}{
	{"CNCA R 2002 001", outFound},
	{"cnca-r-2002-001", outFound},
	{"ＣＮＣＡ－Ｒ－２００２－００１", outFound},
	{"CNCA-R-2021-1012", outUnknown},
	{"CNCA-R-02-001", outMalformed},
	{"有机码:12345678901234567", outNoIssuer},
	{"有机码：00126123456789012", outUnknown},
	{"00126123456789012", outUnknown},
	{"２０２５０１０９０１０００００１", outFound},
	{"2025 0109 0100 0001", outFound},
	{"2025010901999999", outUnknown},
	{"2025020901000001", outNoIssuer}, // body code 02 is nobody's designated for 0901
	{"2025010701000001", outNoIssuer}, // nobody is designated for 0701
	{"1999010901000001", outMalformed},
	{strings.ToLower(certQMS), outFound},
	{"QMS/" + strings.ToLower(certQMS), outFound},
	{"EMS/" + certQMS, outUnknown},
	{"001OP2612345", outUnknown},
	{"777op2612345", outNoIssuer},
	{"ZZ-9999", outUnknown},
	{labA, outFound},
	{"239912050001", outMalformed},
	{labA + "/" + reportNo, outFound},
	{labA + "/" + strings.ToLower(reportNo), outFound},
	{labA + " / " + strings.ToLower(reportNo), outFound},
	{labA + "/BG404", outUnknown},
	{"230012059999/R1", outNoIssuer},
	{"239912050001/R1", outMalformed},
	{labA + "/", outMalformed},
	{string(haier), outFound},
	{strings.ToLower(string(haier)), outFound},
	{string(haier[:17]) + badCheck(haier), outMalformed},
	{"9137 0200 1635 6268 " + string(haier[16:]), outFound},
	{string(trustmark.MakeUSCC("9111010800000009")), outUnknown},
	{"海尔", outText},
	{"华为 技术", outText},
}

// badCheck is a check character u does not have.
func badCheck(u trustmark.USCC) string {
	if u[17] == '0' {
		return "1"
	}
	return "0"
}

// TestEntryPointsAgree runs each text through the search box, bulk
// verification and the not-found explanation, and wants one answer from
// all three: the search box finds the record (a redirect), searches words
// (results), or shows the not-found page that trustmark.Explain's verdict
// makes; bulk verification finds it or gives the same verdict, quoting the
// same rule when it is malformed.
func TestEntryPointsAgree(t *testing.T) {
	f := newFixture(t)
	h := f.handler.(*Handler)
	svc := bulk.New(bulk.Config{Store: f.store, Clock: f.clock})
	items := make([]string, len(agreementTests))
	for i, tt := range agreementTests {
		items[i] = tt.in
	}
	results, err := svc.Verify(context.Background(), items, locale.Must(locale.English))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	for i, tt := range agreementTests {
		t.Run(tt.in, func(t *testing.T) {
			page := f.get("/search?lang=en&q=" + url.QueryEscape(tt.in))
			var search string
			switch page.Code {
			case http.StatusSeeOther:
				search = outFound
			case http.StatusOK:
				search = outText
			case http.StatusNotFound:
				search = "not found"
			default:
				t.Fatalf("search status %d", page.Code)
			}

			r := httptest.NewRequest("GET", "/search?lang=en", nil)
			nf, err := h.explain(r.Context(), r, trustmark.Identify(tt.in))
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			explained := outUnknown
			switch {
			case nf.Malformed != "":
				explained = outMalformed
			case nf.NoIssuer != "":
				explained = outNoIssuer
			}

			res := results[i]
			bulk := string(res.Verdict)
			if res.Found {
				bulk = outFound
			}

			if search == "not found" {
				search = explained
				for _, say := range []string{nf.Malformed, nf.NoIssuer} {
					if say != "" && !strings.Contains(page.Body.String(), template.HTMLEscapeString(say)) {
						t.Errorf("the search page does not say %q", say)
					}
				}
			}
			if search != tt.want || bulk != tt.want {
				t.Errorf("search box %s, bulk verification %s (%q), want %s from both", search, bulk, res.Reason, tt.want)
			}
			if tt.want != outFound && tt.want != outText && explained != tt.want {
				t.Errorf("not-found explanation %s, want %s", explained, tt.want)
			}
			if tt.want == outMalformed && !strings.Contains(res.Reason, nf.Malformed) {
				t.Errorf("bulk verification says %q, the not-found page %q: want the same rule", res.Reason, nf.Malformed)
			}
		})
	}
}

// TestReportNumbersIgnoreCase checks the one rule for report numbers on the
// report page and the report form: any case finds the report, at its one
// address.
func TestReportNumbersIgnoreCase(t *testing.T) {
	f := newFixture(t)
	lower := strings.ToLower(reportNo)
	for _, target := range []string{
		"/reports/" + labA + "/" + lower,
		"/reports?lab=" + labA + "&number=" + lower,
		"/reports?lab=" + url.QueryEscape("浙江方圆") + "&number=" + lower,
	} {
		w := f.get(target)
		if got, want := w.Header().Get("Location"), reportURL(labA, reportNo); w.Code != http.StatusSeeOther || got != want {
			t.Errorf("GET %s = %d to %q, want %d to %q", target, w.Code, got, http.StatusSeeOther, want)
		}
	}
	if w := f.get("/reports/" + labA + "/" + reportNo); w.Code != http.StatusOK {
		t.Errorf("GET the report's address = %d, want 200", w.Code)
	}
}
