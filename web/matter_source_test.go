package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"trustmark/account"
	"trustmark/matter"
)

// TestMatterSourcesInThePagesLanguage: a matter's legal basis is worded in
// the page's language: the rule as its source words it on the Chinese
// page, with no English title; the English title and statement on the
// English page, the source's words beside them. A rule whose text was
// not seen says so in both.
func TestMatterSourcesInThePagesLanguage(t *testing.T) {
	s := newMatterFixture(t)
	opened := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	s.openMatter(t, matter.Opening{ID: "M-SRC", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: opened})
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	s.fixture.setClock(opened)

	const (
		topic     = "CNCA check-in: anomaly explanation"
		quote     = "认证机构应及时在管理端查看签到异常，并在审核结束5个工作日提交异常说明。"
		statement = "submit the anomaly explanation within 5 working days after the audit ends"
	)
	zh := c.get("/work/matters/M-SRC")
	if page := zh.Body.String(); zh.Code != http.StatusOK || !strings.Contains(page, quote) || strings.Contains(page, topic) || !strings.Contains(page, "（条文待核实）") {
		t.Errorf("the Chinese matter page = %d, want the rule in its source's words, no English title, marked unverified\n%s", zh.Code, page)
	}
	en := c.get("/work/matters/M-SRC?lang=en")
	if page := en.Body.String(); en.Code != http.StatusOK || !strings.Contains(page, topic) || !strings.Contains(page, statement) || !strings.Contains(page, quote) {
		t.Errorf("the English matter page = %d, want the title, the statement and the source's words\n%s", en.Code, page)
	}
}
