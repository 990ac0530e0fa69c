package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"trustmark/account"
	"trustmark/audit"
)

// TestAuditPlanFormOfSeveralSites: without scripts, the add-site button
// sends the form back with what was typed and one more group of site
// fields; a plan of two sites is reported as such, a blank group left
// out; a refusal of a site is shown next to the group it was typed in;
// the change form holds every site.
func TestAuditPlanFormOfSeveralSites(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))

	t.Run("the add-site button adds a group and keeps what was typed", func(t *testing.T) {
		page := body.get("/work/audits/new").Body.String()
		if !strings.Contains(page, `name="site_rows" value="1"`) || strings.Contains(page, `name="sites[1].address"`) || !strings.Contains(page, `id="add-site"`) {
			t.Fatalf("the new form = one site group and the add-site button? %s", page)
		}
		form := planForm()
		form.Set("add_site", "1")
		w := body.post("/work/audits/new", form)
		page = w.Body.String()
		for _, want := range []string{`name="site_rows" value="2"`, `id="f-sites[1].address" name="sites[1].address" value="" aria-describedby="err-sites[1].address" autofocus`,
			`name="sites[1].datum"`, `value="青岛市崂山区海尔路1号"`, "现场 2"} {
			if w.Code != http.StatusOK || !strings.Contains(page, want) {
				t.Errorf("POST with add_site = %d, want 200 with %s\n%s", w.Code, want, page)
			}
		}
		if n := len(p.bodyAudits(t)); n != before {
			t.Errorf("audits = %d after adding a site group, want %d: nothing is reported", n, before)
		}
	})
	var id string
	t.Run("a plan of two sites, a blank group between them", func(t *testing.T) {
		form := planForm()
		form.Set("site_rows", "3")
		form.Set("sites[1].datum", "wgs84") // the select's value of a blank group
		form.Set("sites[2].address", "青岛市黄岛区工厂路2号")
		form.Set("sites[2].lat", "35.9601")
		form.Set("sites[2].lng", "120.1880")
		form.Set("sites[2].datum", "gcj02")
		w := body.post("/work/audits/new", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST = %d, want 303\n%s", w.Code, w.Body)
		}
		id = strings.TrimPrefix(w.Header().Get("Location"), "/work/audits/")
		a, err := p.store.Audit(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if s := a.Plan.Sites; len(s) != 2 || s[0] != a.Plan.Site || s[1].Address != "青岛市黄岛区工厂路2号" || s[1].Datum != audit.GCJ02 || s[1].WGS84.Lat == 35.9601 {
			t.Errorf("sites = %+v, want the head office, then the factory converted from GCJ-02", s)
		}
		page := body.get(auditURL(id)).Body.String()
		if !strings.Contains(page, "海尔路1号<br>青岛市黄岛区工厂路2号") {
			t.Errorf("the audit's page does not list both sites\n%s", page)
		}
		if list := body.get("/work/audits").Body.String(); !strings.Contains(list, "（另有 1 处现场）") {
			t.Errorf("the audit list does not say there is another site")
		}
	})
	t.Run("a refused site is named next to its group", func(t *testing.T) {
		form := planForm()
		form.Set("site_rows", "3")
		form.Set("sites[2].address", "青岛市黄岛区工厂路2号")
		form.Set("sites[2].lat", "95")
		form.Set("sites[2].lng", "120.1880")
		form.Set("sites[2].datum", "wgs84")
		w := body.post("/work/audits/new", form)
		page := w.Body.String()
		if got := errorOf(page, "sites[2].lat"); w.Code != http.StatusBadRequest || !strings.Contains(got, "纬度95") {
			t.Errorf("POST = %d, refusal next to group 3 = %q, want 400 and the latitude\n%s", w.Code, got, page)
		}
		if !strings.Contains(page, `name="site_rows" value="3"`) || !strings.Contains(page, `value="青岛市黄岛区工厂路2号"`) {
			t.Errorf("the refused form lost its site groups")
		}
	})
	t.Run("the change form holds both sites", func(t *testing.T) {
		page := body.get(planPath(id)).Body.String()
		for _, want := range []string{`name="site_rows" value="2"`, `name="sites[1].address" value="青岛市黄岛区工厂路2号"`, `value="35.9601"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the change form lacks %s\n%s", want, page)
			}
		}
	})
}
