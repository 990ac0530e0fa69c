package web

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

var exampleLine = regexp.MustCompile(`(?s)<pre class="mono" id="plan-file-example-line"[^>]*>(.*?)</pre>`)

// TestAuditPlanFileExample: the plan file page shows a body's latest plan
// written as a line of a file, which reads back as that plan and, sent as
// a file, is reported as another audit of the same plan; a body that has
// reported none is told how to start.
func TestAuditPlanFileExample(t *testing.T) {
	p := newAuditPages(t)
	ctx := context.Background()

	other := p.signIn(t, "other-body@example.cn", role(t, account.Body, bodyB, false))
	if w := other.get("/work/audits/import"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "本机构尚未报送计划") || exampleLine.MatchString(w.Body.String()) {
		t.Errorf("GET /work/audits/import for %s, which reported no plan = %d, want 200 saying so with no line\n%s", bodyB, w.Code, w.Body)
	}

	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	w := body.get("/work/audits/import")
	page := w.Body.String()
	m := exampleLine.FindStringSubmatch(page)
	if w.Code != http.StatusOK || m == nil || !strings.Contains(page, `href="/work/audits/`+p.hz+`"`) {
		t.Fatalf("GET /work/audits/import = %d, want 200 with the latest plan (%s) as a line, linked\n%s", w.Code, p.hz, page)
	}
	line := html.UnescapeString(m[1])
	latest, err := p.store.Audit(ctx, p.hz)
	if err != nil {
		t.Fatal(err)
	}
	want := planDigest(latest.Plan)
	got, key, err := thttp.DecodeAuditPlan([]byte(line))
	if err != nil || key != "" || planDigest(got) != want {
		t.Fatalf("the example %s reads back as %+v, request id %q, %v; want the plan of %s, %+v, with no request id", line, got, key, err, p.hz, latest.Plan)
	}
	if !strings.Contains(line, `"opening_at":"`+latest.Plan.OpeningAt.In(chinaTime).Format("2006-01-02T15:04:05")+`+08:00"`) {
		t.Errorf("the example %s does not give the opening meeting in China time", line)
	}

	before := len(p.bodyAudits(t))
	w = body.postMultipart("/work/audits/import", map[string]string{"body": bodyA}, "example.jsonl", planFile(line))
	links := reportedRow.FindAllStringSubmatch(w.Body.String(), -1)
	if w.Code != http.StatusOK || len(links) != 1 {
		t.Fatalf("uploading the example = %d, want 200 with one plan reported\n%s", w.Code, w.Body)
	}
	a, err := p.store.Audit(ctx, strings.TrimPrefix(links[0][2], "/work/audits/"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == p.hz || planDigest(a.Plan) != want || len(p.bodyAudits(t)) != before+1 {
		t.Errorf("the example uploaded became %s with plan %+v; want another audit of %s's plan", a.ID, a.Plan, p.hz)
	}
}

// planDigest is audit.PlanDigest of p as a body sends it: without the
// WGS-84 positions of its sites, which deciding it adds.
func planDigest(p audit.Plan) string {
	p.Site.WGS84 = audit.Point{}
	p.Sites = append([]audit.Site(nil), p.Sites...)
	for i := range p.Sites {
		p.Sites[i].WGS84 = audit.Point{}
	}
	d, _ := audit.PlanDigest(p)
	return d
}
