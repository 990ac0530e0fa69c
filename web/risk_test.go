package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
)

// scoreBodyA records a penalty against bodyA (Beijing, Chaoyang) and lets
// the risk follower score it: class C, 25 points, one warning.
func scoreBodyA(t *testing.T, s *signinFixture) {
	t.Helper()
	ctx := context.Background()
	e := credit.Entry{ID: "P-1", Subject: credit.Subject{Kind: credit.Body, ID: bodyA}, Kind: credit.Penalty, Summary: "超范围认证",
		Decision: "京市监罚〔2026〕1号", Source: "penalty:京市监罚〔2026〕1号", LegalBasis: "《认证认可条例》第六十一条",
		RecordedBy: "regulator:110000", On: trustmark.DateOf(now), ValidFrom: trustmark.DateOf(now), RecordedAt: now.Add(-time.Hour)}
	if err := s.store.RecordCreditEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	if _, err := trustmark.NewFeed(s.store, trustmark.FeedOptions{}).CatchUp(ctx, s.store.RiskFollower()); err != nil {
		t.Fatal(err)
	}
}

func TestRiskPages(t *testing.T) {
	s := newMatterFixture(t)
	scoreBodyA(t, s)
	beijing := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	guangdong := s.matterSignIn(t, "gd@example.cn", role(t, account.Regulator, "440000", false))
	s.advance(31 * time.Second)
	body := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))

	for _, tc := range []struct {
		name   string
		c      *client
		target string
		want   int
		has    []string
		hasNot []string
	}{
		{"Beijing's regulator ranks its region", beijing, "/work/risk", 200, []string{bodyA, "C 较高风险", "行政处罚", "风险等级上升", "/work/matters/RW"}, nil},
		{"filtered by class D shows none", beijing, "/work/risk?class=D", 200, []string{`id="empty"`}, []string{"/work/risk/body/" + bodyA}},
		{"the explanation", beijing, "/work/risk/body/" + bodyA, 200, []string{"penalty:京市监罚〔2026〕1号", "25.00", "1.000", "规则版本 1", `id="risk-history"`}, nil},
		{"Guangdong's regulator does not see Beijing's subjects", guangdong, "/work/risk", 200, []string{`id="empty"`}, []string{bodyA}},
		{"nor their explanation", guangdong, "/work/risk/body/" + bodyA, 403, nil, []string{"penalty:"}},
		{"nor may it ask for Beijing", guangdong, "/work/risk?region=110000", 403, nil, []string{bodyA}},
		{"a body has no risk page", body, "/work/risk", 403, nil, []string{"risk-subjects"}},
		{"nor its own score", body, "/work/risk/body/" + bodyA, 403, nil, []string{"penalty:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.c.get(tc.target)
			got := w.Body.String()
			if w.Code != tc.want {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.target, w.Code, tc.want, got)
			}
			for _, h := range tc.has {
				if !strings.Contains(got, h) {
					t.Errorf("GET %s lacks %q", tc.target, h)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(got, h) {
					t.Errorf("GET %s shows %q", tc.target, h)
				}
			}
		})
	}
	if w := beijing.get("/work/risk/ship/1"); w.Code != http.StatusNotFound {
		t.Errorf("an unknown kind = %d, want 404", w.Code)
	}
}
