package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	tmhttp "trustmark/http"
)

// riskFixture records a penalty against bodyA (Beijing) and lets the risk
// follower score it.
func riskFixture(t *testing.T) *fixture {
	f := newFixture(t)
	ctx := context.Background()
	e := credit.Entry{ID: "P-1", Subject: credit.Subject{Kind: credit.Body, ID: bodyA}, Kind: credit.Penalty, Summary: "超范围认证",
		Decision: "京市监罚〔2026〕1号", Source: "penalty:京市监罚〔2026〕1号", LegalBasis: "《认证认可条例》第六十一条",
		RecordedBy: "regulator:110000", On: trustmark.DateOf(now), ValidFrom: trustmark.DateOf(now), RecordedAt: now.Add(-time.Hour)}
	if err := f.store.RecordCreditEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	if _, err := trustmark.NewFeed(f.store, trustmark.FeedOptions{}).CatchUp(ctx, f.store.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRiskRoutes(t *testing.T) {
	f := riskFixture(t)
	for _, c := range []struct {
		name, target, token string
		want                int
		has                 string
	}{
		{"a token is needed", "/api/v1/risk/subjects", "", 401, ""},
		{"a body may not see risk scores", "/api/v1/risk/subjects", f.tokenA, 403, ""},
		{"Beijing's regulator sees its region's subjects", "/api/v1/risk/subjects", f.tokenR, 200, `"class":"C"`},
		{"filtered by class", "/api/v1/risk/subjects?class=D", f.tokenR, 200, `"items":[]`},
		{"filtered by kind", "/api/v1/risk/subjects?kind=body&class=C", f.tokenR, 200, bodyA},
		{"a district within the region", "/api/v1/risk/subjects?region=110108", f.tokenR, 200, `"items":[]`},
		{"Shanghai's regulator sees none of Beijing's", "/api/v1/risk/subjects", f.tokenS, 200, `"items":[]`},
		{"Shanghai's regulator may not ask for Beijing", "/api/v1/risk/subjects?region=110000", f.tokenS, 403, ""},
		{"an unknown class is invalid", "/api/v1/risk/subjects?class=E", f.tokenR, 400, ""},
		{"the subject with its explanation", "/api/v1/risk/subjects/body/" + bodyA, f.tokenR, 200, `"contribution":25`},
		{"another region's subject is refused", "/api/v1/risk/subjects/body/" + bodyA, f.tokenS, 403, ""},
		{"a subject without a score is class A", "/api/v1/risk/subjects/body/" + bodyB, f.tokenS, 200, `"class":"A"`},
		{"a subject the registry does not hold", "/api/v1/risk/subjects/body/CNCA-R-2099-999", f.tokenR, 404, ""},
		{"an unknown kind", "/api/v1/risk/subjects/ship/1", f.tokenR, 400, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.do("GET", c.target, c.token, "")
			if w.Code != c.want || !strings.Contains(w.Body.String(), c.has) {
				t.Errorf("GET %s = %d %s, want %d with %s", c.target, w.Code, w.Body, c.want, c.has)
			}
		})
	}
	t.Run("the explanation lists the signal, its weight, decay and warning", func(t *testing.T) {
		var got tmhttp.RiskSubjectJSON
		w := f.do("GET", "/api/v1/risk/subjects/body/"+bodyA, f.tokenR, "")
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		p := got.Score.Parts
		if len(p) != 1 || p[0].Weight != 25 || p[0].Decay != 1 || p[0].Signal.Source != "penalty:京市监罚〔2026〕1号" {
			t.Errorf("parts = %+v", p)
		}
		if len(got.History) != 1 || len(got.Warnings) != 1 || got.Warnings[0].Matter == "" {
			t.Errorf("history %+v warnings %+v", got.History, got.Warnings)
		}
	})
}

// TestCreditPartySteps: only the listed party objects and applies for
// repair; the regulator decides.
func TestCreditPartySteps(t *testing.T) {
	f := newFixture(t)
	steps := []struct {
		name, target, token, body string
		want                      int
	}{
		{"propose", "/api/v1/credit/listings", f.tokenR, `{"id":"L-9","subject_kind":"body","subject_id":"` + bodyA + `","name":"中认检测认证集团","region":"110000","grounds":"出具虚假认证结论","legal_basis":"第六条","on":"2026-03-02"}`, 201},
		{"notice", "/api/v1/credit/listings/L-9/notice", f.tokenR, `{"on":"2026-03-13"}`, 200},
		{"another body may not object", "/api/v1/credit/listings/L-9/objection", f.tokenB, `{"statement":"不服"}`, 403},
		{"a regulator may not object for the party", "/api/v1/credit/listings/L-9/objection", f.tokenR, `{"statement":"不服"}`, 403},
		{"an objection needs a statement", "/api/v1/credit/listings/L-9/objection", f.tokenA, `{}`, 400},
		{"the listed body objects within the period", "/api/v1/credit/listings/L-9/objection", f.tokenA, `{"statement":"结论有据，申请复核"}`, 200},
		{"a second objection is a conflict", "/api/v1/credit/listings/L-9/objection", f.tokenA, `{"statement":"再次"}`, 409},
		{"the regulator lists after the objection", "/api/v1/credit/listings/L-9/decision", f.tokenR, `{"list":true,"decision":"京市监信〔2026〕3号","reason":"异议不成立"}`, 200},
		{"repair within the first year is too early", "/api/v1/credit/listings/L-9/repair", f.tokenA, `{"statement":"已整改","evidence":["file:abc"]}`, 409},
	}
	for _, c := range steps {
		t.Run(c.name, func(t *testing.T) {
			if w := f.do("POST", c.target, c.token, c.body); w.Code != c.want {
				t.Errorf("POST %s = %d %s, want %d", c.target, w.Code, w.Body, c.want)
			}
		})
	}
}
