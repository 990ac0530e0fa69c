package web

import (
	"net/http"
	"strings"
	"testing"

	"trustmark/account"
)

// TestWorkHomeLinksTheAuditList holds the workbench's home to linking the
// audit list for every role that has audits to see (a body's staff, an
// auditor, a regulator), and for no other: the list would be empty.
func TestWorkHomeLinksTheAuditList(t *testing.T) {
	p := newAuditPages(t)
	for _, tc := range []struct {
		who  string
		role account.Role
		link bool
		sees string // an audit the linked list shows
	}{
		{"a body's staff", role(t, account.Body, bodyA, false), true, p.hz},
		{"another body's staff", role(t, account.Body, bodyB, false), true, ""},
		{"an auditor", role(t, account.Auditor, personNo, false), true, p.qd},
		{"a province's regulator", role(t, account.Regulator, "370000", false), true, p.qd},
		{"a county's regulator", role(t, account.Regulator, "370212", false), true, p.qd},
		{"the national regulator", role(t, account.Regulator, "000000", false), true, p.hz},
		{"a laboratory's staff", role(t, account.Lab, labA, false), false, ""},
		{"an organisation's staff", role(t, account.Org, string(haier), false), false, ""},
	} {
		t.Run(tc.who, func(t *testing.T) {
			c := p.signIn(t, strings.ReplaceAll(tc.who, " ", "")+"@example.cn", tc.role)
			home := c.get("/work/").Body.String()
			if got := strings.Contains(home, `href="/work/audits"`); got != tc.link {
				t.Fatalf("the home of %s links /work/audits: %v, want %v\n%s", tc.role, got, tc.link, home)
			}
			if !tc.link {
				return
			}
			w := c.get("/work/audits")
			if w.Code != http.StatusOK {
				t.Fatalf("GET /work/audits = %d, want 200", w.Code)
			}
			if tc.sees != "" && !strings.Contains(w.Body.String(), auditURL(tc.sees)) {
				t.Errorf("the list does not show audit %s\n%s", tc.sees, w.Body)
			}
			if en := c.get("/work/?lang=en").Body.String(); !strings.Contains(en, `href="/work/audits?lang=en">On-site audits</a>`) {
				t.Errorf("the English home does not link the list in English\n%s", en)
			}
		})
	}
}

// TestAuditListRefusesAFilterByName holds /work/audits to refusing a
// filter it cannot apply, naming it in the page's language, rather than
// showing the whole list as if it were filtered.
func TestAuditListRefusesAFilterByName(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	shandong := p.signIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
	auditor := p.signIn(t, auditSignInEmail, role(t, account.Auditor, personNo, false))
	for _, tc := range []struct {
		name     string
		c        *client
		target   string
		want     int
		has, not []string
	}{
		{"a month that is none", body, "/work/audits?from=2026-13-01", 400, []string{"from", "2026-13-01"}, []string{auditURL(p.qd), auditURL(p.hz)}},
		{"a day that is none", body, "/work/audits?to=2026-02-30", 400, []string{"to", "2026-02-30"}, []string{auditURL(p.qd)}},
		{"in Chinese", shandong, "/work/audits?from=2026-13-01&lang=zh", 400, []string{"参数from的值", "不是YYYY-MM-DD格式的日期"}, []string{auditURL(p.qd)}},
		{"in English", shandong, "/work/audits?to=15.03.2026&lang=en", 400, []string{"to &#34;15.03.2026&#34; is not a date of the form YYYY-MM-DD"}, []string{auditURL(p.qd)}},
		{"a body that is no approval number", shandong, "/work/audits?body=nobody", 400, []string{"body", "nobody", "CNCA-R-YYYY-NNN"}, []string{auditURL(p.qd)}},
		{"anomalous other than the box's value", body, "/work/audits?anomalous=no", 400, []string{"anomalous", "no"}, []string{auditURL(p.hz)}},
		{"a misspelt filter", body, "/work/audits?form=2026-03-16", 400, []string{"form", "from"}, []string{auditURL(p.hz)}},
		{"a filter given twice", body, "/work/audits?from=2026-03-16&from=2026-03-17", 400, []string{"from", "2"}, []string{auditURL(p.hz)}},
		{"a filter to an auditor, whose list takes none", auditor, "/work/audits?anomalous=1&lang=en", 400, []string{"anomalous", "yours take no filter"}, []string{auditURL(p.qd)}},
		{"and in Chinese", auditor, "/work/audits?from=2026-03-15", 400, []string{"from", "您的审核列表不按条件筛选"}, []string{auditURL(p.qd)}},
		{"an auditor's list in a language", auditor, "/work/audits?lang=en", 200, []string{auditURL(p.qd)}, nil},
		{"the form's empty fields", body, "/work/audits?lang=zh&from=&to=&body=", 200, []string{auditURL(p.qd), auditURL(p.hz)}, nil},
		{"a known filter still filters", body, "/work/audits?from=2026-03-16&to=2026-03-16&anomalous=", 200, []string{auditURL(p.hz)}, []string{auditURL(p.qd)}},
		{"a body in lower case", shandong, "/work/audits?body=" + strings.ToLower(bodyA), 200, []string{auditURL(p.qd), `value="` + bodyA + `"`}, nil},
		{"another body's number narrows a body's own list to none", body, "/work/audits?body=" + bodyB, 200, []string{`value="` + bodyB + `"`}, []string{auditURL(p.qd), auditURL(p.hz)}},
		{"its own number keeps it", body, "/work/audits?body=" + bodyA, 200, []string{auditURL(p.qd), auditURL(p.hz)}, nil},
	} {
		c := tc.c
		queryCase{tc.name, tc.target, tc.want, tc.has, tc.not}.run(t, func(target string) (int, string) {
			w := c.get(target)
			return w.Code, w.Body.String()
		})
	}
}
