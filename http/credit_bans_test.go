package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/storetest"
)

// TestBannedPersonNotOnAuditTeam: a person under a lifetime ban in the
// archive, or on the serious-violation list, cannot be put on an audit
// team through POST /api/v1/audits, and the refusal names the decision,
// though the registry still shows the person active.
func TestBannedPersonNotOnAuditTeam(t *testing.T) {
	t.Run("lifetime ban", func(t *testing.T) {
		f := newAuditFixture(t)
		ban, err := credit.BanEntry(credit.BanDecision{ID: "B-1", Subject: credit.Subject{Kind: credit.Person, ID: personRegNo},
			Decision: "京市监罚〔2026〕9号", Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: trustmark.DateOf(now).AddDate(0, 0, -3)},
			now.Add(-time.Hour), "regulator:110000")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.RecordCreditEntry(context.Background(), ban); err != nil {
			t.Fatal(err)
		}
		w := f.do("POST", "/api/v1/audits", f.tokenA, planBody(-24*time.Hour, 5))
		wantStatus(t, "POST /api/v1/audits with a banned leader", w, 403)
		if !strings.Contains(w.Body.String(), "京市监罚〔2026〕9号") || !strings.Contains(w.Body.String(), "registration_no") {
			t.Errorf("refusal %s does not name the ban's decision and the field", w.Body)
		}
	})
	t.Run("listed person", func(t *testing.T) {
		f := newAuditFixture(t)
		storetest.List(t, f.store, credit.Proposal{ID: "L-P", Subject: credit.Subject{Kind: credit.Person, ID: personRegNo},
			Region: "110000", Grounds: "伪造审核记录", LegalBasis: "第七条"}, "2026-02-02")
		w := f.do("POST", "/api/v1/audits", f.tokenA, planBody(-24*time.Hour, 5))
		wantStatus(t, "POST /api/v1/audits with a listed leader", w, 403)
		if !strings.Contains(w.Body.String(), "京市监信〔2026〕1号") {
			t.Errorf("refusal %s does not name the listing decision", w.Body)
		}
	})
	t.Run("a person without entries is planned", func(t *testing.T) {
		f := newAuditFixture(t)
		wantStatus(t, "POST /api/v1/audits", f.do("POST", "/api/v1/audits", f.tokenA, planBody(-24*time.Hour, 5)), 201)
	})
}
