package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// formRequestID reads the request id a plan form carries.
var formRequestID = regexp.MustCompile(`<input type="hidden" name="request_id" value="([^"]+)">`)

func requestIDOf(t *testing.T, page string) string {
	t.Helper()
	m := formRequestID.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the form carries no request id\n%s", page)
	}
	return m[1]
}

// TestAuditPlanFormSentTwice: the plan form carries a request id made when
// it is shown, so that sending it twice reports one audit and answers it
// both times; the same form sent with another plan is refused once, in
// the page's language, and shown with a new id that reports it as
// another audit. The change form carries none.
func TestAuditPlanFormSentTwice(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))

	id := requestIDOf(t, body.get("/work/audits/new").Body.String())
	if other := requestIDOf(t, body.get("/work/audits/new").Body.String()); other == id {
		t.Fatalf("two forms shown carry one request id %q, want one each", id)
	}
	form := planForm()
	form.Set("request_id", id)
	first := body.post("/work/audits/new", form)
	if first.Code != http.StatusSeeOther {
		t.Fatalf("the first send = %d, want 303\n%s", first.Code, first.Body)
	}
	second := body.post("/work/audits/new", form)
	wantRedirect(t, second, first.Header().Get("Location"))
	if n := len(p.bodyAudits(t)); n != before+1 {
		t.Errorf("audits of %s after the form was sent twice = %d, want %d", bodyA, n, before+1)
	}

	form.Set("auditor_days", "6")
	w := body.post("/work/audits/new", form)
	page := w.Body.String()
	if w.Code != http.StatusConflict || !strings.Contains(page, "这份表单已经报送过另一份计划") {
		t.Fatalf("the form sent again with another plan = %d, want 409 saying it reported another plan\n%s", w.Code, page)
	}
	fresh := requestIDOf(t, page)
	if fresh == id || !strings.Contains(page, `value="6"`) {
		t.Errorf("the refused form carries request id %q (was %q) and keeps 6 auditor-days: %v; want a new id and what was typed", fresh, id, strings.Contains(page, `value="6"`))
	}
	form.Set("request_id", fresh)
	if w := body.post("/work/audits/new", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") == first.Header().Get("Location") {
		t.Errorf("sent once more = %d to %q, want 303 to another audit than %q", w.Code, w.Header().Get("Location"), first.Header().Get("Location"))
	}
	if n := len(p.bodyAudits(t)); n != before+2 {
		t.Errorf("audits of %s = %d, want %d", bodyA, n, before+2)
	}

	t.Run("in English the refusal is in English", func(t *testing.T) {
		body.get("/work/audits/new?lang=en")
		form.Set("auditor_days", "7")
		w := body.post("/work/audits/new?lang=en", form)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "This form already reported a different plan") {
			t.Errorf("English = %d, want 409 saying the form reported another plan\n%s", w.Code, w.Body)
		}
	})
	t.Run("the change form carries no request id", func(t *testing.T) {
		if page := body.get(auditURL(p.hz) + "/plan").Body.String(); formRequestID.MatchString(page) {
			t.Errorf("the change form of %s carries a request id", p.hz)
		}
	})
}

// TestAuditPlanFileSentTwice: a plan file whose lines carry request ids
// uploaded again reports none of them twice: each line answers its audit,
// marked already reported, in the page's language; a line without one is
// reported again.
func TestAuditPlanFileSentTwice(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))
	keyed := func(id, days string) string {
		return strings.Replace(planLine(days), "{", `{"request_id": "`+id+`", `, 1)
	}
	file := planFile(keyed("q2-001", "5"), keyed("q2-002", "6"), planLine("7"))

	body.get("/work/audits/import")
	w := body.postMultipart("/work/audits/import", nil, "q2.jsonl", file)
	first := reportedRow.FindAllStringSubmatch(w.Body.String(), -1)
	if w.Code != http.StatusOK || len(first) != 3 || strings.Contains(w.Body.String(), "plan-again") {
		t.Fatalf("the first upload = %d with %d lines reported, want 200 with 3 new\n%s", w.Code, len(first), w.Body)
	}
	body.get("/work/audits/import")
	w = body.postMultipart("/work/audits/import", nil, "q2.jsonl", file)
	page := w.Body.String()
	again := reportedRow.FindAllStringSubmatch(page, -1)
	if w.Code != http.StatusOK || len(again) != 3 {
		t.Fatalf("the second upload = %d with %d lines reported, want 200 with 3\n%s", w.Code, len(again), page)
	}
	for i, want := range []bool{true, true, false} {
		if same := again[i][2] == first[i][2]; same != want {
			t.Errorf("line %d links %s the second time, %s the first: same audit %v, want %v", i+1, again[i][2], first[i][2], same, want)
		}
	}
	if n := strings.Count(page, `<span class="badge lapsed plan-again"`); n != 2 || !strings.Contains(page, ">此前已报送</span>") {
		t.Errorf("the page marks %d lines already reported, want 2 marked 此前已报送", n)
	}
	if !strings.Contains(page, "共 3 行：报送 3 份计划，0 行未通过。 其中 2 份计划此前已报送") {
		t.Errorf("the summary does not count the 2 lines reported before\n%s", page)
	}
	if n := len(p.bodyAudits(t)); n != before+4 {
		t.Errorf("audits of %s after two uploads = %d, want %d (two keyed lines once, the third twice)", bodyA, n, before+4)
	}

	body.get("/work/audits/import?lang=en")
	page = body.postMultipart("/work/audits/import?lang=en", nil, "q2.jsonl", file).Body.String()
	if !strings.Contains(page, ">already reported</span>") || !strings.Contains(page, "2 of them had been reported before") {
		t.Errorf("the English page does not mark the lines already reported\n%s", page)
	}
}

// TestAuditPlanFormDoubleSubmitInBrowser, in a real headless Chromium: the
// plan form as the browser holds it is sent twice at once (as a double
// click or a retry after a timeout would send it; here each into a tab
// of its own, so that neither send is cancelled) and reports one audit;
// sent once more by its button, it lands on that same audit's page.
func TestAuditPlanFormDoubleSubmitInBrowser(t *testing.T) {
	b := startChromium(t)
	p := newAuditPages(t)
	p.person(t, "body@example.cn", role(t, account.Body, bodyA, false), "")
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/work/audits/new" {
			defer posts.Add(1)
		}
		p.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	before := p.bodyAudits(t)
	form := planForm()
	b.run(t, chromedp.Navigate(srv.URL+"/work/audits/new"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("audit-plan")),
		chromedp.SendKeys(field("certificate"), certQMS),
		chromedp.SendKeys(field("site.address"), form.Get("site.address")),
		chromedp.SendKeys(field("site.lat"), form.Get("site.lat")),
		chromedp.SendKeys(field("site.lng"), form.Get("site.lng")),
		chromedp.SetValue(field("opening_at"), form.Get("opening_at")),
		chromedp.SetValue(field("closing_at"), form.Get("closing_at")),
		chromedp.SendKeys(field("team[0].registration_no"), personNo),
		chromedp.SendKeys(field("auditor_days"), "5"),
		chromedp.SendKeys(field("effective_personnel"), "230"),
		chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.getElementById('audit-plan');
			f.target = '_blank';
			f.requestSubmit();
			f.requestSubmit();
			f.target = '';
		})()`))
	for deadline := time.Now().Add(20 * time.Second); posts.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if n := posts.Load(); n != 2 {
		t.Fatalf("the form was sent %d times, want 2", n)
	}
	after := p.bodyAudits(t)
	if len(after) != len(before)+1 {
		t.Fatalf("audits of %s after the form was sent twice at once = %d, want %d", bodyA, len(after), len(before)+1)
	}
	var made string
	for _, a := range after {
		if a.ID != p.qd && a.ID != p.hz {
			made = a.ID
		}
	}
	b.run(t, chromedp.Click(chromedp.CSS(`#audit-plan button[type="submit"]:not([name])`)),
		chromedp.WaitNotPresent(chromedp.ID("audit-plan")),
		chromedp.WaitVisible(chromedp.CSS("h1")))
	if loc := b.location(t); !strings.HasSuffix(loc, auditURL(made)) {
		t.Errorf("the form sent once more lands on %s, want %s", loc, auditURL(made))
	}
	if n := len(p.bodyAudits(t)); n != len(before)+1 || posts.Load() != 3 {
		t.Errorf("audits of %s = %d after %d sends, want still %d after 3", bodyA, n, posts.Load(), len(before)+1)
	}
}
