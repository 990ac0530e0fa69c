package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// TestRiskReportFormInBrowser is Beijing's regulator on a 360-pixel phone:
// the form fits the screen, a number that is no certificate's is refused
// next to its field, and a failed sampling of the body's certificate is
// recorded with links to the scores it bears on.
func TestRiskReportFormInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newMatterFixture(t)
	s.person(t, "bj@example.cn", role(t, account.Regulator, "110000", false), testSecret)
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	b.run(t, viewport(360, 740, true),
		chromedp.Navigate(srv.URL+"/work/risk/reports/new"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "bj@example.cn"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("code")))
	b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, s.clock())+"\n"),
		chromedp.WaitVisible(chromedp.ID("risk-report")))
	fits := func(step string) {
		if w := b.width(t); w > 360 {
			t.Errorf("%s: the form is %d px wide on a 360-px screen: %v", step, w, b.pastEdge(t))
		}
	}
	fits("empty")
	b.run(t, chromedp.SetValue(chromedp.ID("f-kind"), "sampling_failed"),
		chromedp.SendKeys(chromedp.ID("f-subject_id"), "NO-SUCH-CERT"),
		chromedp.SendKeys(chromedp.ID("f-source"), "京市监抽〔2026〕3号"),
		chromedp.Click(chromedp.CSS("#risk-report button")),
		chromedp.WaitVisible(chromedp.ID("err-subject_id")))
	fits("refused")
	if got := b.text(t, "#err-subject_id"); !strings.Contains(got, "NO-SUCH-CERT") {
		t.Errorf("the refusal next to the number says %q", got)
	}
	b.shot(t, "riskreport-refused-360px")
	b.run(t, chromedp.SetValue(chromedp.ID("f-subject_id"), certQMS),
		chromedp.Click(chromedp.CSS("#risk-report button")),
		chromedp.WaitVisible(chromedp.ID("report-done")))
	fits("recorded")
	if got := b.text(t, "main"); !strings.Contains(got, "org:"+string(haier)) || !strings.Contains(got, "body:"+bodyA) {
		t.Errorf("after recording the page says %q, want links to the organisation's and the body's scores", got)
	}
	b.shot(t, "riskreport-recorded-360px")
}
