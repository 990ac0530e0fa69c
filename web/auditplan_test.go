package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/audit"
)

// planForm is a surveillance plan of certQMS, led by personNo, as the
// form posts it: opening tomorrow at 09:00 in China, 5 auditor-days.
func planForm() url.Values {
	day := now.In(chinaTime).Add(24 * time.Hour).Format("2006-01-02")
	return url.Values{"body": {bodyA}, "kind": {"surveillance"}, "certificate": {certQMS}, "effective_personnel": {"230"},
		"site.address": {"青岛市崂山区海尔路1号"}, "site.lat": {"36.0671"}, "site.lng": {"120.3826"}, "site.datum": {"wgs84"},
		"opening_at": {day + "T09:00"}, "closing_at": {day + "T16:00"},
		"team[0].registration_no": {personNo}, "team[0].role": {"leader"}, "team[1].role": {"auditor"},
		"auditor_days": {"5"}}
}

// bodyAudits are the audits bodyA has reported.
func (p *auditPages) bodyAudits(t *testing.T) []audit.Audit {
	t.Helper()
	as, err := p.store.FindAudits(context.Background(), audit.Query{Body: bodyA, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// errorOf returns the text of the refusal shown next to field, "" when
// none.
func errorOf(page, field string) string {
	re := regexp.MustCompile(`id="err-` + regexp.QuoteMeta(field) + `"><strong[^>]*>([^<]*)</strong>`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// TestAuditPlanForm: a body's staff report a plan on the form without
// scripts, and it is the audit the API would have made; a refused team
// member is named next to the row it was typed in, in the page's
// language, with what was typed kept; a regulator and another body's
// staff are refused.
func TestAuditPlanForm(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))

	t.Run("the audit list links the form for a body's staff", func(t *testing.T) {
		if w := body.get("/work/audits"); !strings.Contains(w.Body.String(), `href="/work/audits/new"`) {
			t.Errorf("/work/audits has no link to the form\n%s", w.Body)
		}
	})
	t.Run("a plan is reported and the page goes to the audit", func(t *testing.T) {
		if w := body.get("/work/audits/new"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="team[5].registration_no"`) {
			t.Fatalf("GET /work/audits/new = %d, want 200 with six team rows\n%s", w.Code, w.Body)
		}
		form := planForm()
		form.Set("team[2].registration_no", auditPeer)
		form.Set("team[2].role", "auditor")
		w := body.post("/work/audits/new", form)
		as := p.bodyAudits(t)
		if len(as) != before+1 {
			t.Fatalf("audits of %s = %d, want %d\n%s", bodyA, len(as), before+1, w.Body)
		}
		var a *audit.Audit
		for i := range as {
			if as[i].ID != p.qd && as[i].ID != p.hz {
				a = &as[i]
			}
		}
		wantRedirect(t, w, auditURL(a.ID))
		open := time.Date(2026, 3, 16, 1, 0, 0, 0, time.UTC) // 09:00 in China
		if !a.Plan.OpeningAt.Equal(open) || a.Plan.Kind != audit.Surveillance || a.Plan.Certificate != certQMS || a.Plan.AuditorDays != 5 {
			t.Errorf("plan = %+v, want a surveillance of %s opening at %s with 5 auditor-days", a.Plan, certQMS, open)
		}
		want := []audit.Member{{RegistrationNo: personNo, Role: audit.Leader}, {RegistrationNo: auditPeer, Role: audit.Auditor}}
		if len(a.Plan.Team) != 2 || a.Plan.Team[0] != want[0] || a.Plan.Team[1] != want[1] {
			t.Errorf("team = %+v, want %+v (the blank row left out)", a.Plan.Team, want)
		}
		if a.Plan.Site.Datum != audit.WGS84 || a.Plan.Site.WGS84.Lat != 36.0671 {
			t.Errorf("site = %+v, want the typed position in WGS-84", a.Plan.Site)
		}
		if w := body.get(auditURL(a.ID)); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "海尔路1号") {
			t.Errorf("GET %s = %d, want the audit's page", auditURL(a.ID), w.Code)
		}
	})
	t.Run("an initial audit names the holder and the type", func(t *testing.T) {
		body.get("/work/audits/new")
		form := planForm()
		form.Del("certificate")
		form.Set("kind", "initial")
		form.Set("holder_uscc", string(xihu))
		form.Set("type", "QMS")
		form.Set("site.address", "杭州市西湖区文三路1号")
		form.Set("site.lat", "30.2717")
		form.Set("site.lng", "120.1602")
		form.Set("site.datum", "gcj02")
		form.Set("team[0].registration_no", auditPeer)
		form.Set("auditor_days", "20")
		w := body.post("/work/audits/new", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST = %d, want 303\n%s", w.Code, w.Body)
		}
		a, err := p.store.Audit(context.Background(), strings.TrimPrefix(w.Header().Get("Location"), "/work/audits/"))
		if err != nil {
			t.Fatal(err)
		}
		if a.Plan.HolderUSCC != xihu || a.Plan.Type != trustmark.TypeQMS || a.Plan.Site.Datum != audit.GCJ02 || a.Plan.Site.WGS84.Lat == 30.2717 {
			t.Errorf("plan = %+v, want Xihu's QMS initial audit with the GCJ-02 site converted to WGS-84", a.Plan)
		}
		before++
	})
	t.Run("a post without the session's CSRF token is refused", func(t *testing.T) {
		body.get("/work/audits/new")
		form := planForm()
		form.Set("csrf", "forged")
		if w := body.do("POST", "/work/audits/new", form); w.Code != http.StatusForbidden {
			t.Errorf("POST with a forged token = %d, want 403", w.Code)
		}
		if n := len(p.bodyAudits(t)); n != before+1 {
			t.Errorf("audits = %d after a forged post, want %d", n, before+1)
		}
	})
	t.Run("a member not registered with the body is refused next to the row", func(t *testing.T) {
		body.get("/work/audits/new")
		form := planForm()
		form.Set("team[3].registration_no", "2026-XYZ-0999") // rows 1 and 2 blank
		form.Set("team[3].role", "auditor")
		w := body.post("/work/audits/new", form)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("POST = %d, want 400\n%s", w.Code, w.Body)
		}
		page := w.Body.String()
		if got := errorOf(page, "team[3].registration_no"); !strings.Contains(got, "2026-XYZ-0999") || !strings.Contains(got, "不是在"+bodyA+"注册的人员") {
			t.Errorf("refusal next to row 4 = %q, want the zh reason naming the person and the body\n%s", got, page)
		}
		if got := errorOf(page, "team[1].registration_no"); got != "" {
			t.Errorf("refusal next to row 2 = %q, want none", got)
		}
		for _, kept := range []string{`value="2026-XYZ-0999"`, `value="青岛市崂山区海尔路1号"`, `value="36.0671"`, `value="` + certQMS + `"`} {
			if !strings.Contains(page, kept) {
				t.Errorf("the form lost %s", kept)
			}
		}
		if n := len(p.bodyAudits(t)); n != before+1 {
			t.Errorf("audits = %d after a refusal, want %d", n, before+1)
		}
	})
	t.Run("the refusal speaks English with ?lang=en", func(t *testing.T) {
		body.get("/work/audits/new?lang=en")
		form := planForm()
		form.Set("auditor_days", "0.5")
		w := body.post("/work/audits/new?lang=en", form)
		if got := errorOf(w.Body.String(), "auditor_days"); !strings.Contains(got, "below the IAF MD 5 minimum") {
			t.Errorf("refusal of 0.5 auditor-days = %q, want the MD 5 minimum\n%s", got, w.Body)
		}
		if !strings.Contains(w.Body.String(), "Planned auditor-days") {
			t.Error("the form is not in English")
		}
	})
	t.Run("a time that is not one is refused next to its field", func(t *testing.T) {
		body.get("/work/audits/new")
		form := planForm()
		form.Set("opening_at", "明天上午")
		w := body.post("/work/audits/new", form)
		if got := errorOf(w.Body.String(), "opening_at"); !strings.Contains(got, "明天上午") || !strings.Contains(got, "北京时间") {
			t.Errorf("refusal = %q, want the zh reason quoting the input", got)
		}
	})
	t.Run("a team without a leader is refused next to the team", func(t *testing.T) {
		body.get("/work/audits/new")
		form := planForm()
		form.Set("team[0].role", "auditor")
		w := body.post("/work/audits/new", form)
		if got := errorOf(w.Body.String(), "team"); !strings.Contains(got, "组长") {
			t.Errorf("refusal next to the team = %q, want the leader rule", got)
		}
	})

	t.Run("a regulator is refused", func(t *testing.T) {
		reg := p.signIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
		if w := reg.get("/work/audits/new"); w.Code != http.StatusForbidden {
			t.Errorf("GET = %d, want 403", w.Code)
		}
		if w := reg.get("/work/audits"); strings.Contains(w.Body.String(), `href="/work/audits/new"`) {
			t.Error("a regulator's list links the form")
		}
		reg.get("/work/")
		if w := reg.post("/work/audits/new", planForm()); w.Code != http.StatusForbidden {
			t.Errorf("POST = %d, want 403", w.Code)
		}
	})
	t.Run("another body's staff are refused", func(t *testing.T) {
		other := p.signIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
		other.get("/work/audits/new")
		w := other.post("/work/audits/new", planForm()) // in bodyA's name
		if w.Code != http.StatusForbidden || errorOf(w.Body.String(), "body") == "" {
			t.Errorf("POST in another body's name = %d with body refusal %q, want 403 next to the body", w.Code, errorOf(w.Body.String(), "body"))
		}
		form := planForm()
		form.Set("body", bodyB) // bodyA's certificate
		w = other.post("/work/audits/new", form)
		if got := errorOf(w.Body.String(), "certificate"); w.Code != http.StatusForbidden || !strings.Contains(got, bodyA) {
			t.Errorf("POST for bodyA's certificate = %d, refusal %q, want 403 next to the certificate", w.Code, got)
		}
		if n := len(p.bodyAudits(t)); n != before+1 {
			t.Errorf("audits of %s = %d, want %d", bodyA, n, before+1)
		}
	})
}

// FuzzAuditPlanForm feeds the plan form's decoder any values: it never
// panics, refuses only naming a field of the form or its request id, and
// every team member it reads comes from a row of the form; the request id
// it reads is the one sent, within the field's bound.
func FuzzAuditPlanForm(f *testing.F) {
	ok := planForm()
	f.Add(ok.Encode())
	f.Add("site.lat=NaN&auditor_days=Inf&opening_at=2026-02-30T09:00")
	f.Add("team[0].registration_no=%00&effective_personnel=-1e9&closing_ends_at=2026-03-15 25:00")
	f.Add("opening_at=2026-03-15T09:00:00&closing_at=2026-03-15T09:00&team[5].registration_no=x&team[5].role=%E2%80%AE")
	f.Add(strings.Repeat("a", 3000))
	f.Add(ok.Encode() + "&site_rows=3&sites[2].address=b&sites[2].lat=91&sites[2].lng=1&sites[2].datum=gcj02")
	f.Add("site_rows=99999999999999999999&sites[49].lat=x&add_site=1")
	f.Add(ok.Encode() + "&request_id=web-0123456789abcdef")
	f.Add("request_id=%00&request_id=second&" + strings.Repeat("request_id=", 1))
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		form, err := readAuditPlanForm(v)
		if err != nil {
			if trustmark.ErrorCode(err) == trustmark.EInternal {
				t.Fatalf("readAuditPlanForm(%q) = internal error %v", query, err)
			}
			if f := trustmark.ErrorField(err); !planFormField(f) && f != "request_id" {
				t.Fatalf("readAuditPlanForm(%q) refused naming %q, not a field of the form: %v", query, f, err)
			}
			return
		}
		if id := form.RequestID; id != strings.TrimSpace(v.Get("request_id")) || len(id) > maxPlanField || id != form.Values["request_id"] {
			t.Fatalf("readAuditPlanForm(%q) read request id %q, want the one sent", query, id)
		}
		if len(form.Plan.Team) != len(form.rows) || len(form.rows) > auditPlanTeamRows {
			t.Fatalf("readAuditPlanForm(%q) = %d members from %d rows", query, len(form.Plan.Team), len(form.rows))
		}
		for i, m := range form.Plan.Team {
			if m.RegistrationNo == "" || m.RegistrationNo != form.Values[teamField(form.rows[i], "registration_no")] {
				t.Fatalf("member %d = %+v, not the typed row %d", i, m, form.rows[i])
			}
		}
		if n := len(form.Plan.Sites); n != 0 && (n != len(form.sites) || n < 2 || form.sites[0] != 0) || form.SiteRows > audit.MaxSites {
			t.Fatalf("readAuditPlanForm(%q) = %d sites from groups %v of %d", query, n, form.sites, form.SiteRows)
		}
		if n := len(form.sites); n > 1 {
			last := form.formError(trustmark.Invalidf("audit.lat", fmt.Sprintf("sites[%d].lat", n-1), "x"))
			if f := trustmark.ErrorField(last); f != siteField(form.sites[n-1], "lat") || !planFormField(f) {
				t.Fatalf("formError of the last site named %q, want group %d", f, form.sites[n-1])
			}
		}
		wrapped := form.formError(trustmark.Invalidf("audit.person_status", "team[0].registration_no", "x"))
		if len(form.rows) > 0 && trustmark.ErrorField(wrapped) != teamField(form.rows[0], "registration_no") {
			t.Fatalf("formError named %q, want row %d", trustmark.ErrorField(wrapped), form.rows[0])
		}
	})
}
