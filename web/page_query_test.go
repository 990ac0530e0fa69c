package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
	"trustmark/risk"
)

// queryCase is one request of a page and what its answer holds.
type queryCase struct {
	name, target string
	want         int
	has, not     []string // what the answer holds, and what it must not
}

func (tc queryCase) run(t *testing.T, get func(string) (int, string)) {
	t.Run(tc.name, func(t *testing.T) {
		code, body := get(tc.target)
		if code != tc.want {
			t.Fatalf("GET %s = %d, want %d\n%s", tc.target, code, tc.want, body)
		}
		for _, h := range tc.has {
			if !strings.Contains(body, h) {
				t.Errorf("GET %s lacks %q", tc.target, h)
			}
		}
		for _, h := range tc.not {
			if strings.Contains(body, h) {
				t.Errorf("GET %s shows %q", tc.target, h)
			}
		}
	})
}

// TestPublicPagesNameAnUnknownFilter holds the search, the disclosures and
// the serious-violation list to refusing a parameter or a filter value
// they do not know, by name and in the page's language, rather than
// answering as if it had been applied.
func TestPublicPagesNameAnUnknownFilter(t *testing.T) {
	f := newFixture(t)
	get := func(target string) (int, string) {
		w := f.get(target)
		return w.Code, w.Body.String()
	}
	for _, tc := range []queryCase{
		{"the search, an unknown kind", "/search?q=海尔&kind=bogus", 400, []string{"筛选条件kind没有“bogus”这个值", "certificate"}, nil},
		{"the search in English", "/search?q=海尔&kind=bogus&lang=en", 400, []string{"filter kind has no value &#34;bogus&#34;", "org, certificate, body, lab"}, nil},
		{"an unknown certificate type", "/search?q=海尔&type=XYZ", 400, []string{"type", "XYZ", "CCC"}, nil},
		{"an unknown status", "/search?q=海尔&status=lost", 400, []string{"status", "lost", "valid"}, nil},
		{"a province that is no province", "/search?q=海尔&province=370200", 400, []string{"province", "370200", "370000"}, nil},
		{"a city that is no city", "/search?q=海尔&province=370000&city=370299", 400, []string{"city", "370299", "370200"}, nil},
		{"a county for a city", "/search?q=海尔&province=370000&city=370212", 400, []string{"city", "370212"}, nil},
		{"a city of another province, left in the form when the province changed, gives way to the province", "/search?q=海尔&province=370000&city=440300", 200,
			[]string{certQMS, `<option value="370000" selected>`, `<option value="370200">`}, nil},
		{"a page that is no number", "/search?q=海尔&page=two", 400, []string{"page", "two", "1-50"}, nil},
		{"a page beyond the last", "/search?q=海尔&page=51", 400, []string{"page", "51"}, nil},
		{"a parameter the search does not take", "/search?q=海尔&sort=name", 400, []string{"本页面没有筛选条件“sort”", "province"}, nil},
		{"a filter given twice", "/search?q=海尔&kind=org&kind=lab", 400, []string{"kind", "2"}, nil},
		{"an identifier with an unknown filter is refused, not looked up", "/search?q=" + certQMS + "&kind=bogus", 400, []string{"kind", "bogus"}, nil},
		{"the search's known filters still filter", "/search?q=海尔&kind=certificate&type=CCC&status=valid&province=370000&city=370200&page=1", 200, []string{certCCC}, nil},
		{"empty filters of the form are no filters", "/search?q=海尔&kind=&type=&status=&province=&page=&lang=zh", 200, []string{certQMS}, nil},
		{"the disclosures, a parameter they do not take", "/disclosures?from=2026-13-01", 400, []string{"本页面没有筛选条件“from”", "province, city, type, format, lang"}, nil},
		{"the disclosures in English", "/disclosures?from=2026-13-01&lang=en", 400, []string{"the page has no filter &#34;from&#34;"}, nil},
		{"the disclosures, an unknown certificate type", "/disclosures?type=XYZ", 400, []string{"type", "XYZ", "QMS"}, nil},
		{"a download in an unknown format", "/disclosures?format=pdf", 400, []string{"format", "pdf", "csv"}, nil},
		{"the disclosures, a city that is no city", "/disclosures?province=440000&city=449999", 400, []string{"city", "449999", "440300"}, nil},
		{"the disclosures' known filters still filter", "/disclosures?type=EMS", 200, []string{certRev}, nil},
		{"the download", "/disclosures?type=QMS&format=csv", 200, []string{certSusp}, nil},
		{"the serious-violation list, a day to read it on", "/credit?as_of=bad", 400, []string{"本页面没有筛选条件“as_of”", "cursor, lang"}, nil},
		{"the list in English", "/credit?as_of=2026-03-01&lang=en", 400, []string{"the page has no filter &#34;as_of&#34;"}, nil},
		{"its cursor and language", "/credit?cursor=&lang=en", 200, nil, nil},
	} {
		tc.run(t, get)
	}
}

// TestRiskPageNamesAnUnknownFilter: the regulators' risk page refuses a
// class or kind it does not offer, by name, rather than ranking every
// subject as if filtered.
func TestRiskPageNamesAnUnknownFilter(t *testing.T) {
	s := newMatterFixture(t)
	scoreBodyA(t, s)
	beijing := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	get := func(target string) (int, string) {
		w := beijing.get(target)
		return w.Code, w.Body.String()
	}
	for _, tc := range []queryCase{
		{"an unknown class", "/work/risk?class=Z", 400, []string{"筛选条件class没有“Z”这个值", "D, C, B, A"}, nil},
		{"in English", "/work/risk?class=Z&lang=en", 400, []string{"filter class has no value &#34;Z&#34;"}, nil},
		{"an unknown kind", "/work/risk?kind=ship", 400, []string{"kind", "ship", "body"}, nil},
		{"a parameter the page does not take", "/work/risk?sort=total", 400, []string{"sort", "region, kind, class, cursor, lang"}, nil},
		{"known filters still filter", "/work/risk?kind=body&class=C&region=110000", 200, []string{"/work/risk/body/" + bodyA}, nil},
		{"the form's empty filters", "/work/risk?region=110000&kind=&class=&cursor=", 200, []string{"/work/risk/body/" + bodyA}, nil},
	} {
		tc.run(t, get)
	}
}

// pageCheck is the check of one page's query, with the parameters it
// takes and whether a value of one of them is one the page can apply.
type pageCheck struct {
	name   string
	params []string
	check  func(url.Values) error
	valid  func(name, value string) bool
}

// pageChecks are the checks of the search, the disclosures, the
// serious-violation list and the risk page, each on the page's options as
// its handler builds them in the language of m.
func pageChecks(m *Messages) []pageCheck {
	return []pageCheck{
		{"/search", searchParams, func(q url.Values) error {
			p := &SearchPage{Page: Page{T: m}}
			p.readFilters(q)
			(&Handler{}).fillFilterOptions(p)
			return p.checkQuery(q)
		}, func(name, v string) bool { return searchApplies(name, v, "") }},
		{"/disclosures", disclosuresParams, func(q url.Values) error {
			p := &DisclosuresPage{Page: Page{T: m}, Province: q.Get("province"), City: q.Get("city"), Type: q.Get("type")}
			p.offerFilters()
			return p.checkQuery(q)
		}, func(name, v string) bool { return name != "kind" && name != "status" && searchApplies(name, v, "csv") }},
		{"/credit", creditParams, func(q url.Values) error { return checkPageQuery(q, creditParams, nil) },
			func(string, string) bool { return true }},
		{"/work/risk", riskParams, func(q url.Values) error {
			p := &RiskPage{WorkPage: WorkPage{Page: Page{T: m}}}
			p.offerFilters()
			return p.checkQuery(q)
		}, func(name, v string) bool {
			switch name {
			case "kind":
				return credit.SubjectKind(v).Valid()
			case "class":
				return risk.Class(v).Valid()
			}
			return true
		}},
	}
}

// FuzzPageQueries: whatever query the search, the disclosures, the
// serious-violation list or the risk page is asked with, its check answers
// without panicking; a query it accepts holds only parameters the page
// takes, once each, with values the page can apply (so nothing is
// dropped), and a refusal is a client's mistake naming the parameter.
func FuzzPageQueries(f *testing.F) {
	for _, q := range []string{"", "kind=certificate&type=CCC", "kind=bogus", "province=370000&city=370200", "city=370200", "province=370000&city=440300",
		"city=370212", "page=2", "page=51", "page=-1", "format=csv", "format=pdf", "as_of=2026-01-01", "class=D&kind=body", "class=Z", "cursor=abc&lang=en", "type=qms", "%zz", "=x"} {
		f.Add(q)
	}
	m, _ := pickLangParam("zh")
	pages := pageChecks(m)
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, pg := range pages {
			if err := pg.check(q); err != nil {
				_, nameless := q[""]
				if trustmark.ErrorCode(err) != trustmark.EInvalid || (trustmark.ErrorField(err) == "" && !nameless) {
					t.Fatalf("%s: check(%q) = %v, want invalid naming a parameter", pg.name, raw, err)
				}
				continue
			}
			for name, vs := range q {
				if !slices.Contains(pg.params, name) || len(vs) != 1 {
					t.Fatalf("%s: check(%q) accepted parameter %q = %q", pg.name, raw, name, vs)
				}
				if vs[0] != "" && !pg.valid(name, vs[0]) {
					t.Fatalf("%s: check(%q) accepted %s=%q", pg.name, raw, name, vs[0])
				}
			}
		}
	})
}

// searchApplies reports whether the search's filter name can apply value
// v, read by the domain rather than by the page's options; format is the
// one download a page offers ("" none).
func searchApplies(name, v, format string) bool {
	switch name {
	case "kind":
		return slices.Contains([]trustmark.SearchKind{trustmark.SearchOrg, trustmark.SearchCertificate, trustmark.SearchBody, trustmark.SearchLab}, trustmark.SearchKind(v))
	case "type":
		return slices.Contains(trustmark.CertTypes, trustmark.CertType(v))
	case "status":
		return slices.Contains(trustmark.CertStatuses, trustmark.CertStatus(v))
	case "province":
		reg, ok := trustmark.DefaultRegions().Lookup(v)
		return ok && len(v) == 6 && reg.Level == trustmark.LevelProvince
	case "city":
		return slices.ContainsFunc(trustmark.DefaultRegions().All(), func(reg trustmark.Region) bool {
			return reg.Code == v && reg.Level == trustmark.LevelPrefecture
		})
	case "page":
		n, err := strconv.Atoi(v)
		return err == nil && n >= 1 && n <= maxResultPages
	case "format":
		return v == format
	}
	return true
}
