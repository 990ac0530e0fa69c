package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

// unitLabB is a second laboratory, with a report of its own, so that the
// lists can be seen to hold each laboratory to its own.
const (
	unitLabB    = "230012050002"
	unitReportB = "BG-B-0001"
)

// addUnitListRecords registers unitLabB with one report and gives labA
// more reports, dated so that their order is known: BG2026-0002 (March)
// is newer than reportNo (February).
func addUnitListRecords(t testing.TB, s *signinFixture) {
	t.Helper()
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		var recs []trustmark.Record
		for _, row := range rows {
			rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
			if err != nil {
				t.Fatalf("%s row %v: %v", kind, row, err)
			}
			recs = append(recs, rec)
		}
		if _, err := s.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, kind, recs); err != nil {
			t.Fatalf("import %s: %v", kind, err)
		}
	}
	load(trustmark.KindLabs, trustmark.Row{"cma_no": unitLabB, "uscc": string(sqcOrg), "name": "上海检测实验室", "region_code": "310115", "valid_until": "2028-06-30"})
	load(trustmark.KindReports,
		trustmark.Row{"number": "BG2026-0002", "lab_cma_no": labA, "client_uscc": string(huawei), "product": "路由器", "conclusion": "fail", "issued_on": "2026-03-01"},
		trustmark.Row{"number": unitReportB, "lab_cma_no": unitLabB, "client_uscc": string(haier), "product": "洗衣机", "conclusion": "pass", "issued_on": "2026-02-15"},
	)
}

// TestUnitListPages holds the workbench's own lists to the unit's staff: a
// laboratory sees its accreditation and its reports, newest first, and not
// another's; a body its certificates; another unit's staff and a
// regulator are refused; unknown filters are refused by name.
func TestUnitListPages(t *testing.T) {
	s := newMatterFixture(t)
	addUnitListRecords(t, s)
	signIn := func(email string, r account.Role) *client {
		c := s.matterSignIn(t, email, r)
		s.advance(31 * time.Second)
		return c
	}
	lab := signIn("lab@example.cn", role(t, account.Lab, labA, false))
	labB := signIn("labb@example.cn", role(t, account.Lab, unitLabB, false))
	body := signIn("body@example.cn", role(t, account.Body, bodyA, false))
	bodyB := signIn("bodyb@example.cn", role(t, account.Body, bodyB, false))
	regulator := signIn("sd@example.cn", role(t, account.Regulator, "370000", false))

	for _, tc := range []struct {
		name   string
		c      *client
		target string
		want   int
		has    []string
		hasNot []string
	}{
		{"a laboratory sees its accreditation and reports", lab, "/work/reports", 200,
			[]string{`id="accreditation"`, labA, "2029-12-31", "电冰箱", "阻燃性能", `href="/labs/` + labA + `"`, `id="unit-reports"`,
				`href="/reports/` + labA + `/` + reportNo + `"`, `href="/reports/` + labA + `/BG2026-0002"`, "海尔智家股份有限公司", `data-label="`},
			[]string{unitReportB}},
		{"and not another laboratory's", labB, "/work/reports", 200, []string{unitReportB, unitLabB}, []string{reportNo, "BG2026-0002"}},
		{"searched by report number", lab, "/work/reports?q=bg2026-0002", 200, []string{"BG2026-0002"}, []string{"/" + reportNo + `"`}},
		{"searched by client name", lab, "/work/reports?q=" + url.QueryEscape("海尔"), 200, []string{reportNo}, []string{"BG2026-0002"}},
		{"searched by client code", lab, "/work/reports?q=" + string(huawei), 200, []string{"BG2026-0002"}, []string{"/" + reportNo + `"`}},
		{"a search that finds nothing", lab, "/work/reports?q=nothing", 200, []string{`id="empty"`}, nil},
		{"in English", lab, "/work/reports?lang=en", 200, []string{"Our reports and accreditation", "Accreditation (CMA)"}, nil},
		{"another laboratory's asked for by name", labB, "/work/reports?lab=" + labA, 403, nil, []string{reportNo}},
		{"an unknown filter is refused by name", lab, "/work/reports?sort=old", 400, []string{"sort"}, []string{reportNo}},
		{"a foreign cursor is refused", lab, "/work/reports?cursor=nonsense", 400, nil, []string{reportNo}},
		{"a body's staff has no reports here", body, "/work/reports", 403, nil, []string{reportNo}},
		{"nor has a regulator", regulator, "/work/reports", 403, nil, []string{reportNo}},

		{"a body sees its certificates", body, "/work/certificates", 200,
			[]string{`id="unit-certificates"`, certQMS, certCCC, certRev, certOld, "/work/certificates/" + certQMS, `href="/bodies/` + bodyA + `"`},
			[]string{certSusp}},
		{"and another body only its own", bodyB, "/work/certificates", 200, []string{certSusp}, []string{certQMS, certCCC, certRev}},
		{"filtered by type", body, "/work/certificates?type=CCC", 200, []string{certCCC}, []string{certQMS, certRev}},
		{"filtered by status", body, "/work/certificates?status=revoked", 200, []string{certRev}, []string{certQMS, certCCC}},
		{"searched by number", body, "/work/certificates?q=" + certCCC[:8], 200, []string{certCCC}, []string{certQMS}},
		{"searched by holder", body, "/work/certificates?q=" + url.QueryEscape("华为"), 200, []string{certRev}, []string{certQMS, certCCC}},
		{"in English", body, "/work/certificates?lang=en", 200, []string{"Our certificates", "Change status"}, nil},
		{"an unknown status is refused by name", body, "/work/certificates?status=lost", 400, []string{"status", "lost"}, []string{certQMS}},
		{"an unknown type is refused by name", body, "/work/certificates?type=XYZ", 400, []string{"type"}, []string{certQMS}},
		{"a filter given twice is refused", body, "/work/certificates?type=QMS&type=CCC", 400, []string{"type"}, []string{certQMS}},
		{"another body's asked for by name", bodyB, "/work/certificates?body=" + bodyA, 403, nil, []string{certQMS}},
		{"a laboratory has no certificates here", lab, "/work/certificates", 403, nil, []string{certQMS}},
		{"nor has a regulator", regulator, "/work/certificates", 403, nil, []string{certQMS}},

		{"the laboratory's home links its list", lab, "/work/", 200, []string{`href="/work/reports"`}, []string{`href="/work/certificates"`}},
		{"the body's home links its list", body, "/work/", 200, []string{`href="/work/certificates"`}, []string{`href="/work/reports"`}},
		{"the regulator's home links neither", regulator, "/work/", 200, nil, []string{`href="/work/certificates"`, `href="/work/reports"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.c.get(tc.target)
			got := w.Body.String()
			if w.Code != tc.want {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.target, w.Code, tc.want, got)
			}
			for _, h := range tc.has {
				if !strings.Contains(got, h) {
					t.Errorf("GET %s lacks %q", tc.target, h)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(got, h) {
					t.Errorf("GET %s shows %q", tc.target, h)
				}
			}
		})
	}

	t.Run("reports come newest first", func(t *testing.T) {
		got := lab.get("/work/reports").Body.String()
		if i, j := strings.Index(got, "BG2026-0002"), strings.Index(got, reportNo); i < 0 || j < 0 || i > j {
			t.Errorf("BG2026-0002 (March) at %d, %s (February) at %d: want the newer first", i, reportNo, j)
		}
	})
}

// TestUnitReportsPaging pages through a laboratory's reports by the
// cursor the page gives, each report once.
func TestUnitReportsPaging(t *testing.T) {
	s := newMatterFixture(t)
	var rows []trustmark.Record
	for i := range unitListPageSize + 5 {
		rec, err := trustmark.ParseRecord(trustmark.KindReports, trustmark.Row{"number": fmt.Sprintf("PG-%03d", i), "lab_cma_no": labA,
			"client_uscc": string(haier), "product": "电冰箱", "conclusion": "pass", "issued_on": "2026-01-10"}, trustmark.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rec)
	}
	if _, err := s.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, trustmark.KindReports, rows); err != nil {
		t.Fatal(err)
	}
	lab := s.matterSignIn(t, "lab@example.cn", role(t, account.Lab, labA, false))
	first := lab.get("/work/reports?q=PG").Body.String()
	i := strings.Index(first, `rel="next"`)
	if i < 0 {
		t.Fatalf("the first page of %d reports has no next page", unitListPageSize+5)
	}
	href := first[strings.LastIndex(first[:i], `href="`)+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.Index(href, `"`)], "&amp;", "&")
	second := lab.get(href).Body.String()
	for n := range unitListPageSize + 5 {
		num := fmt.Sprintf("PG-%03d", n)
		if c := strings.Count(first, num+`"`) + strings.Count(second, num+`"`); c != 1 {
			t.Errorf("%s appears %d times over two pages, want once", num, c)
		}
	}
	if strings.Contains(second, `rel="next"`) {
		t.Errorf("the second page has a next page")
	}
}

// FuzzCheckUnitFilters: any query is accepted or refused as invalid,
// never with a panic, and an accepted one names only the page's filters
// with known values.
func FuzzCheckUnitFilters(f *testing.F) {
	for _, s := range []string{"", "type=QMS&status=valid", "q=%E6%B5%B7&cursor=x", "sort=1", "type=QMS&type=CCC", "status=lost", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		err = checkPageQuery(q, unitCertParams, unitCertFilters())
		if err != nil {
			if trustmark.ErrorCode(err) != trustmark.EInvalid {
				t.Fatalf("checkPageQuery(%q) = %v, want invalid", raw, err)
			}
			return
		}
		for name, vs := range q {
			if len(vs) != 1 {
				t.Fatalf("checkPageQuery(%q) accepted %s given %d times", raw, name, len(vs))
			}
		}
		for name, known := range unitCertFilters() {
			if v := q.Get(name); v != "" && !strings.Contains(","+strings.Join(known, ",")+",", ","+v+",") {
				t.Fatalf("checkPageQuery(%q) accepted %s=%q", raw, name, v)
			}
		}
	})
}

func TestBodyTypeOptions(t *testing.T) {
	approved := &trustmark.Body{Scopes: []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS}}
	tests := []struct {
		name  string
		body  *trustmark.Body
		asked trustmark.CertType
		want  []trustmark.CertType
	}{
		{"the types the body is approved for", approved, "", []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS}},
		{"and one asked for beyond them", approved, trustmark.TypeCCC, []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS, trustmark.TypeCCC}},
		{"every type when none is recorded", &trustmark.Body{}, "", trustmark.CertTypes},
	}
	for _, tt := range tests {
		if got := bodyTypeOptions(tt.body, tt.asked); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if len(approved.Scopes) != 2 {
		t.Errorf("the body's scopes were changed: %v", approved.Scopes)
	}
}
