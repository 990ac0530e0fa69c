package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
)

// creditCase takes listing id of bodyA through its steps up to the state
// steps reach, on the given days (recorded in the past of the clock).
func creditCase(t *testing.T, s *signinFixture, id string, days ...string) {
	t.Helper()
	rules := credit.DefaultRules()
	p := credit.Proposal{ID: id, Subject: credit.Subject{Kind: credit.Body, ID: bodyA}, Name: "中认检测认证集团", Region: "110105",
		Grounds: "出具虚假认证结论", LegalBasis: "《市场监督管理严重违法失信名单管理办法》第六条"}
	for i, d := range days {
		on, err := trustmark.ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		st := credit.Step{On: on, At: now.Add(-time.Duration(10-i) * time.Hour), Actor: "regulator:110105"}
		_, err = s.store.CreditStep(context.Background(), id, func(l credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			switch i {
			case 0:
				return rules.Propose(p, st)
			case 1:
				return rules.Notify(l, st)
			default:
				return rules.Decide(l, st, true, "京市监信〔2025〕1号", "")
			}
		})
		if err != nil {
			t.Fatalf("%s step %d: %v", id, i, err)
		}
	}
}

func TestCreditWorkbench(t *testing.T) {
	s := newMatterFixture(t)
	creditCase(t, s, "L-NEW", "2026-03-12", "2026-03-13")               // objection period runs to 2026-03-27
	creditCase(t, s, "L-OLD", "2025-01-02", "2025-01-03", "2025-02-10") // listed more than a year ago
	body := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	s.advance(31 * time.Second)
	other := s.matterSignIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
	s.advance(31 * time.Second)
	beijing := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	shanghai := s.matterSignIn(t, "sh@example.cn", role(t, account.Regulator, "310000", false))

	page := body.get("/work/credit").Body.String()
	for _, want := range []string{"L-NEW", "L-OLD", "/work/credit/L-NEW/objection", "/work/credit/L-OLD/repair", "2026-03-27", "列入严重违法失信名单"} {
		if !strings.Contains(page, want) {
			t.Errorf("the body's credit page lacks %q", want)
		}
	}
	if strings.Contains(page, "/decision") {
		t.Errorf("the body is offered a regulator's decision")
	}
	if p := other.get("/work/credit").Body.String(); strings.Contains(p, "L-NEW") {
		t.Errorf("another body sees bodyA's cases")
	}
	if w := other.post("/work/credit/L-NEW/objection", url.Values{"statement": {"不服"}}); w.Code != http.StatusForbidden {
		t.Errorf("another body's objection = %d, want 403", w.Code)
	}
	if w := beijing.post("/work/credit/L-NEW/objection", url.Values{"statement": {"不服"}}); w.Code != http.StatusForbidden {
		t.Errorf("a regulator's objection for the party = %d, want 403", w.Code)
	}
	body.get("/work/credit")
	if w := body.post("/work/credit/L-NEW/objection", url.Values{"statement": {""}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `id="form-error"`) {
		t.Errorf("an empty objection = %d, want 400 with the refusal by its form\n%s", w.Code, w.Body)
	}
	body.get("/work/credit")
	wantRedirect(t, body.post("/work/credit/L-NEW/objection", url.Values{"statement": {"结论有审核记录为证，申请复核"}}), "/work/credit?done=1")

	// The regulator of Beijing decides; Shanghai's may not.
	if p := beijing.get("/work/credit").Body.String(); !strings.Contains(p, "/work/credit/L-NEW/decision") || !strings.Contains(p, "结论有审核记录为证") {
		t.Errorf("Beijing's regulator is not offered the decision on the objection\n%s", p)
	}
	if p := shanghai.get("/work/credit").Body.String(); strings.Contains(p, "L-NEW") {
		t.Errorf("Shanghai's regulator sees a Beijing case")
	}
	if w := shanghai.post("/work/credit/L-NEW/decision", url.Values{"list": {"true"}, "decision": {"沪"}}); w.Code != http.StatusForbidden {
		t.Errorf("Shanghai deciding a Beijing case = %d, want 403", w.Code)
	}
	beijing.get("/work/credit")
	wantRedirect(t, beijing.post("/work/credit/L-NEW/decision", url.Values{"list": {"false"}, "reason": {"异议成立"}}), "/work/credit?done=1")
	if l, _ := s.store.CreditListing(context.Background(), "L-NEW"); l.State != credit.Dropped {
		t.Errorf("L-NEW = %s, want dropped", l.State)
	}

	// Repair with evidence: a file over the limit is refused, then one fits.
	body.get("/work/credit")
	big := make([]byte, credit.MaxEvidenceBytes+1)
	if w := body.postMultipart("/work/credit/L-OLD/repair", map[string]string{"statement": "已整改"}, "big.pdf", big); w.Code != http.StatusBadRequest {
		t.Errorf("an oversize file = %d, want 400", w.Code)
	}
	if l, _ := s.store.CreditListing(context.Background(), "L-OLD"); len(l.Repairs) != 0 {
		t.Fatalf("a refused application was recorded: %+v", l.Repairs)
	}
	body.get("/work/credit")
	wantRedirect(t, body.postMultipart("/work/credit/L-OLD/repair", map[string]string{"statement": "已缴纳罚款并完成整改", "evidence": "缴款凭证 2025-03-01"},
		"整改报告.pdf", []byte("%PDF-1.4 report")), "/work/credit?done=1")
	l, _ := s.store.CreditListing(context.Background(), "L-OLD")
	if len(l.Repairs) != 1 || len(l.Repairs[0].Evidence) != 2 {
		t.Fatalf("repairs = %+v, want one application with two items of evidence", l.Repairs)
	}
	sha, _, _ := credit.ParseRef(l.Repairs[0].Evidence[1])
	evidence := "/work/credit/L-OLD/evidence/" + sha
	if p := beijing.get("/work/credit").Body.String(); !strings.Contains(p, evidence) || !strings.Contains(p, "/work/credit/L-OLD/repair-decision") {
		t.Errorf("Beijing's regulator is not offered the evidence and the repair decision\n%s", p)
	}
	if w := beijing.get(evidence); w.Code != http.StatusOK || w.Body.String() != "%PDF-1.4 report" {
		t.Errorf("the evidence for the regulator = %d", w.Code)
	}
	if w := shanghai.get(evidence); w.Code != http.StatusNotFound {
		t.Errorf("the evidence for another region = %d, want 404", w.Code)
	}
	if w := other.get(evidence); w.Code != http.StatusNotFound {
		t.Errorf("the evidence for another body = %d, want 404", w.Code)
	}
	if w := body.post("/work/credit/L-OLD/repair-decision", url.Values{"grant": {"true"}, "reason": {"自己批准"}}); w.Code != http.StatusForbidden {
		t.Errorf("the party deciding its own repair = %d, want 403", w.Code)
	}
	beijing.get("/work/credit")
	wantRedirect(t, beijing.post("/work/credit/L-OLD/repair-decision", url.Values{"grant": {"true"}, "reason": {"整改到位"}}), "/work/credit?done=1")
	if l, _ := s.store.CreditListing(context.Background(), "L-OLD"); l.State != credit.Removed || l.RemovedOn != trustmark.DateOf(s.clock()) {
		t.Errorf("L-OLD after repair = %s removed %s", l.State, l.RemovedOn)
	}
}

func TestWorkHomeLinksCreditAndRisk(t *testing.T) {
	s := newMatterFixture(t)
	reg := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	body := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	if h := reg.get("/work/").Body.String(); !strings.Contains(h, `href="/work/risk"`) || !strings.Contains(h, `href="/work/credit"`) {
		t.Errorf("a regulator's home does not link the risk and credit pages")
	}
	if h := body.get("/work/").Body.String(); strings.Contains(h, `href="/work/risk"`) || !strings.Contains(h, `href="/work/credit"`) {
		t.Errorf("a body's home links the risk page, or not its credit page")
	}
}
