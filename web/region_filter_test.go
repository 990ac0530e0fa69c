package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

// TestRegionPagesNameAnUnknownFilter holds the region pages to refusing a
// filter value they do not know, by name and in the page's language,
// rather than listing everything as if the filter had been applied.
func TestRegionPagesNameAnUnknownFilter(t *testing.T) {
	s := newMatterFixture(t)
	shandong := s.matterSignIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
	s.advance(31 * time.Second)
	for _, tc := range []struct {
		name, target string
		want         int
		has          []string
	}{
		{"an unknown certificate type", "/work/region?type=XYZ", 400, []string{"type", "XYZ", "CCC"}},
		{"an unknown status", "/work/region?status=lost", 400, []string{"status", "lost"}},
		{"a party status on the certificates tab", "/work/region?status=active", 400, []string{"status", "active", "valid"}},
		{"a certificate status on the bodies tab", "/work/region?tab=bodies&status=valid", 400, []string{"status", "valid", "active"}},
		{"an unknown tab", "/work/region?tab=people", 400, []string{"tab", "people", "bodies"}},
		{"a body that is no approval number", "/work/region?body=nobody", 400, []string{"body", "nobody"}},
		{"a region that is no division", "/work/region?region=379999", 400, []string{"379999"}},
		{"in English", "/work/region?type=XYZ&lang=en", 400, []string{"filter type has no value", "XYZ"}},
		{"in Chinese", "/work/region?type=XYZ&lang=zh", 400, []string{"筛选条件", "XYZ"}},
		{"a misspelt filter", "/work/region?typ=CCC", 400, []string{"typ", "type"}},
		{"a filter given twice", "/work/region?type=CCC&type=QMS", 400, []string{"type", "2"}},
		{"a certificate type on the bodies tab", "/work/region?tab=bodies&type=CCC", 400, []string{"type", "CCC", "证书"}},
		{"a body on the laboratories tab", "/work/region?tab=labs&body=" + bodyA + "&lang=en", 400, []string{"body", bodyA, "certificates only"}},
		{"empty filters of the certificates' form on the bodies tab", "/work/region?tab=bodies&type=&body=&status=", 200, nil},
		{"the next page's cursor and the language", "/work/region?type=CCC&cursor=&lang=zh", 200, []string{certCCC}},
		{"a known filter still filters", "/work/region?type=CCC", 200, []string{certCCC}},
		{"the statistics of a region that is no division", "/work/region/statistics/379999", 400, []string{"379999"}},
		{"the statistics with a filter they do not take", "/work/region/statistics/370000?year=2025&lang=en", 400, []string{"year"}},
		{"the statistics in a language", "/work/region/statistics/370000?lang=en", 200, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := shandong.get(tc.target)
			got := w.Body.String()
			if w.Code != tc.want {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.target, w.Code, tc.want, got)
			}
			for _, h := range tc.has {
				if !strings.Contains(got, h) {
					t.Errorf("GET %s lacks %q", tc.target, h)
				}
			}
		})
	}
}

// FuzzRegionFilters: whatever query string a region page is asked with,
// checkRegionFilters answers without panicking; a query it accepts holds
// only parameters the page takes, once each, with values the page knows
// (so nothing is dropped), and a refusal is a client's mistake naming the
// parameter.
func FuzzRegionFilters(f *testing.F) {
	for _, q := range []string{"", "type=CCC", "tab=bodies&status=active", "type=XYZ", "typ=CCC", "type=CCC&type=QMS",
		"tab=labs&body=CNCA-R-2002-001", "body=CNCA-R-2002-001&cursor=abc&lang=en", "%zz", "status=valid&tab=certificates&region=370000"} {
		f.Add(q)
	}
	known := regionFilters()
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		err = checkRegionFilters(q)
		if err != nil {
			_, nameless := q[""]
			if trustmark.ErrorCode(err) != trustmark.EInvalid || (trustmark.ErrorField(err) == "" && !nameless) {
				t.Fatalf("checkRegionFilters(%q) = %v, want invalid naming a parameter", raw, err)
			}
			return
		}
		for name, vs := range q {
			if !slices.Contains(regionParams, name) || len(vs) != 1 {
				t.Fatalf("checkRegionFilters(%q) accepted parameter %q = %q", raw, name, vs)
			}
			if allowed, ok := known[name]; ok && vs[0] != "" && !slices.Contains(allowed, vs[0]) {
				t.Fatalf("checkRegionFilters(%q) accepted %s=%q", raw, name, vs[0])
			}
		}
	})
}
