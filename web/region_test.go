package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"trustmark/account"
)

// TestRegionPages holds a regulator's registry pages to its region and
// everything below it: Shandong (370000) holds Haier (Qingdao, Laoshan
// 370212), Guangdong (440000) Huawei, Zhejiang (330000) the laboratory and
// Xihu, Beijing (110000) bodyA, Shanghai bodyB.
func TestRegionPages(t *testing.T) {
	s := newMatterFixture(t)
	signIn := func(email string, r account.Role) *client {
		c := s.matterSignIn(t, email, r)
		s.advance(31 * time.Second)
		return c
	}
	shandong := signIn("sd@example.cn", role(t, account.Regulator, "370000", false))
	laoshan := signIn("ls@example.cn", role(t, account.Regulator, "370212", false))
	huangdao := signIn("hd@example.cn", role(t, account.Regulator, "370211", false))
	guangdong := signIn("gd@example.cn", role(t, account.Regulator, "440000", false))
	beijing := signIn("bj@example.cn", role(t, account.Regulator, "110000", false))
	zhejiang := signIn("zj@example.cn", role(t, account.Regulator, "330000", false))
	national := signIn("cn@example.cn", role(t, account.Regulator, "000000", false))
	body := signIn("body@example.cn", role(t, account.Body, bodyA, false))

	for _, tc := range []struct {
		name   string
		c      *client
		target string
		want   int
		has    []string
		hasNot []string
	}{
		{"a province sees its holders' certificates", shandong, "/work/region", 200,
			[]string{`id="region-certificates"`, certQMS, certCCC, "/certificates/" + certCCC, "山东省", "/bodies/" + bodyA, "/work/region/statistics/370000"},
			[]string{certSusp, certRev, certOld}},
		{"but may not change their status: their body is in Beijing", shandong, "/work/region", 200,
			[]string{`<a href="/certificates/` + certQMS + `">查看证书</a>`}, []string{`href="/work/certificates/`, "变更状态"}},
		{"the nation may change every certificate's status", national, "/work/region?lang=en", 200,
			[]string{`href="/work/certificates/` + certQMS + `?lang=en">Change status</a>`, `href="/work/certificates/` + certSusp + `?lang=en"`}, []string{"View certificate"}},
		{"and no other province's", guangdong, "/work/region", 200, []string{certSusp, certRev}, []string{certQMS, certCCC, certOld}},
		{"a county sees its own county", laoshan, "/work/region", 200, []string{certQMS, certCCC}, []string{certSusp, certRev, certOld}},
		{"and a neighbouring county nothing of it", huangdao, "/work/region", 200, []string{`id="empty"`}, []string{certQMS, certCCC}},
		{"nor may the county ask for its province", laoshan, "/work/region?region=370000", 403, nil, []string{certQMS}},
		{"nor a province for another", guangdong, "/work/region?region=370000", 403, nil, []string{certQMS}},
		{"filtered by type", shandong, "/work/region?type=CCC", 200, []string{certCCC}, []string{certQMS}},
		{"filtered by status", guangdong, "/work/region?status=revoked", 200, []string{certRev}, []string{certSusp}},
		{"filtered by body", guangdong, "/work/region?body=" + bodyB, 200, []string{certSusp}, []string{certRev}},
		{"the region's bodies", beijing, "/work/region?tab=bodies", 200, []string{`id="region-parties"`, bodyA, "/bodies/" + bodyA}, []string{bodyB}},
		{"bodies filtered by status", beijing, "/work/region?tab=bodies&status=suspended", 200, []string{`id="empty"`}, []string{"/bodies/" + bodyA}},
		{"another province's bodies", shandong, "/work/region?tab=bodies", 200, []string{`id="empty"`}, []string{bodyA, bodyB}},
		{"the region's laboratories", zhejiang, "/work/region?tab=labs", 200, []string{labA, "/labs/" + labA}, nil},
		{"laboratories filtered by status", zhejiang, "/work/region?tab=labs&status=revoked", 200, []string{`id="empty"`}, []string{"/labs/" + labA}},
		{"no laboratory of another province", shandong, "/work/region?tab=labs", 200, []string{`id="empty"`}, []string{labA}},
		{"the region's statistics", shandong, "/work/region/statistics/370000", 200, []string{"山东省", "/work/region/statistics/370000/indicators.csv"}, nil},
		{"its download", shandong, "/work/region/statistics/370000/indicators.csv", 200, nil, nil},
		{"not another region's statistics", guangdong, "/work/region/statistics/370000", 403, nil, nil},
		{"the home links a regulator here", shandong, "/work/", 200, []string{`href="/work/region"`}, nil},
		{"a body's staff is refused", body, "/work/region", 403, nil, []string{certQMS, "region-certificates"}},
		{"and its statistics", body, "/work/region/statistics/110000", 403, nil, nil},
		{"and has no link to it", body, "/work/", 200, nil, []string{`href="/work/region"`}},
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
}

// workCertLink is a region page's link to a certificate's change of status.
var workCertLink = regexp.MustCompile(`href="(/work/certificates/[^"?]+)`)

// TestRegionPageLinksOnlyChangesItsReaderMayMake follows every link of a
// regulator's region page to a certificate's change of status: each
// opens, for the province and county whose holders the certificates are
// (their bodies are elsewhere: no link) as for the nation (every row).
func TestRegionPageLinksOnlyChangesItsReaderMayMake(t *testing.T) {
	s := newMatterFixture(t)
	for i, tc := range []struct {
		region string
		links  int
	}{{"370000", 0}, {"370212", 0}, {"440000", 0}, {"000000", 5}} {
		t.Run(tc.region, func(t *testing.T) {
			s.advance(31 * time.Second)
			c := s.matterSignIn(t, "r"+string(rune('a'+i))+"@example.cn", role(t, account.Regulator, tc.region, false))
			page := c.get("/work/region").Body.String()
			links := workCertLink.FindAllStringSubmatch(page, -1)
			if len(links) != tc.links {
				t.Errorf("the region page of %s has %d links to a change of status, want %d\n%s", tc.region, len(links), tc.links, page)
			}
			for _, l := range links {
				if w := c.get(l[1]); w.Code != http.StatusOK {
					t.Errorf("GET %s from the region page of %s = %d, want 200", l[1], tc.region, w.Code)
				}
			}
		})
	}
}
