package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTimelineLeadsWithTheEffectiveDate: an imported certificate starts
// with its issue by its body, the import as the recorded time; a status
// change leads with the date it took effect; actors are named, their
// numbers secondary.
func TestTimelineLeadsWithTheEffectiveDate(t *testing.T) {
	f := newFixture(t)
	body := f.get("/certificates/" + certSusp).Body.String()
	tl := body[strings.Index(body, `<ol class="timeline">`):]
	tl = tl[:strings.Index(tl, "</ol>")]
	items := strings.Split(tl, "<li>")[1:]
	if len(items) != 2 {
		t.Fatalf("timeline has %d events, want 2:\n%s", len(items), tl)
	}
	for i, want := range [][]string{
		{`<time class="date">2025-06-01</time> · 颁发`, `上海质量认证中心 <span class="ident">CNCA-R-2003-002</span>`, "录入登记库 2026-03-01 10:00"},
		{`<time class="date">2026-03-05</time> · 状态变更：有效 → 暂停`, `上海质量认证中心 <span class="ident">CNCA-R-2003-002</span>`, "原因：监督审核不通过", "登记于 2026-03-05 10:00"},
	} {
		for _, w := range want {
			if !strings.Contains(items[i], w) {
				t.Errorf("event %d lacks %q:\n%s", i, w, items[i])
			}
		}
	}
	if strings.Contains(tl, "数据导入") {
		t.Errorf("the import is named as the first actor:\n%s", tl)
	}

	en := f.get("/certificates/" + certRev + "?lang=en").Body.String()
	for _, w := range []string{`<time class="date">2025-06-01</time> · issued`, `By: China Certification Group <span class="ident">CNCA-R-2002-001</span>`,
		`<time class="date">2026-03-10</time> · status changed: valid → revoked`, "recorded 2026-03-10 10:00"} {
		if !strings.Contains(en, w) {
			t.Errorf("English timeline lacks %q", w)
		}
	}
}

// TestTimelineHasOneProofLink: when every event's proof is the same
// bundle, the page links it once, not once an event.
func TestTimelineHasOneProofLink(t *testing.T) {
	f := newFixture(t)
	h := NewHandler(Config{Store: f.store, Search: f.index, Clock: f.clock, Logger: f.quiet(), History: logView{f}})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/certificates/"+certSusp, nil))
	body := w.Body.String()
	if n := strings.Count(body, "/history?bundle=1"); n != 1 {
		t.Errorf("page links the proof bundle %d times, want once", n)
	}
	if !strings.Contains(body, "下载全部记录的证明") {
		t.Errorf("page lacks the one proof link's text")
	}
}
