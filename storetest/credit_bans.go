package storetest

import (
	"strings"
	"testing"

	"trustmark"
	"trustmark/credit"
)

// testCreditBans checks that the registry's workflows ask credit.Standing:
// a banned person cannot be registered by any body, a listed body cannot
// issue, a listed laboratory cannot report; each refusal names the
// decision that causes it, and what the refused party did before stays.
func testCreditBans(t *testing.T, s CreditStore) {
	seed(t, s)
	ban, err := credit.BanEntry(credit.BanDecision{ID: "B-1", Subject: credit.Subject{Kind: credit.Person, ID: "P-0009"},
		Decision: "京市监罚〔2026〕9号", Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: d("2026-01-10")}, creditAt(1), "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordCreditEntry(ctx, ban); err != nil {
		t.Fatal(err)
	}
	List(t, s, credit.Proposal{ID: "L-B", Subject: credit.Subject{Kind: credit.Body, ID: bodyB}, Name: "上海质量体系审核中心", Region: "310000",
		Grounds: "出具虚假认证结论", LegalBasis: "第六条"}, "2026-02-02")
	List(t, s, credit.Proposal{ID: "L-L", Subject: credit.Subject{Kind: credit.Lab, ID: lab2}, Name: "上海食品检测有限公司", Region: "310000",
		Grounds: "出具虚假报告", LegalBasis: "第六条"}, "2026-02-02")

	refused := func(t *testing.T, what string, err error, decision string) {
		t.Helper()
		if trustmark.ErrorCode(err) != trustmark.EForbidden || !strings.Contains(err.Error(), decision) {
			t.Errorf("%s: err = %v, want forbidden naming %s", what, err, decision)
		}
	}
	t.Run("a person banned in the archive cannot be registered by any body", func(t *testing.T) {
		for _, body := range []string{bodyA, bodyB} {
			out := importAll(t, s, trustmark.KindPersons, person("P-0009", "李四", body, trustmark.PartyActive))
			wantResults(t, out, trustmark.Rejected)
			refused(t, "import P-0009 at "+body, out[0].Err, "京市监罚〔2026〕9号")
		}
	})
	t.Run("a body may still record the ban in the register", func(t *testing.T) {
		wantResults(t, importAll(t, s, trustmark.KindPersons, person("P-0009", "李四", bodyA, trustmark.PartyBanned)), trustmark.Created)
	})
	t.Run("a person banned in the register and the archive is refused naming the decision", func(t *testing.T) {
		out := importAll(t, s, trustmark.KindPersons, person("P-0009", "李四", bodyB, trustmark.PartyActive))
		wantResults(t, out, trustmark.Rejected)
		refused(t, "import banned P-0009 at "+bodyB, out[0].Err, "京市监罚〔2026〕9号")
	})
	t.Run("a person the register bans cannot move to another body", func(t *testing.T) {
		wantResults(t, importAll(t, s, trustmark.KindPersons, person("P-0010", "王五", bodyA, trustmark.PartyBanned)), trustmark.Created)
		out := importAll(t, s, trustmark.KindPersons, person("P-0010", "王五", bodyB, trustmark.PartyBanned))
		wantResults(t, out, trustmark.Rejected)
		refused(t, "moving banned P-0010 to "+bodyB, out[0].Err, "banned since")
	})
	t.Run("an unbanned person is registered as before", func(t *testing.T) {
		wantResults(t, importAll(t, s, trustmark.KindPersons, person("P-0011", "赵六", bodyA, trustmark.PartyActive)), trustmark.Created)
	})
	t.Run("a listed body cannot issue through the API", func(t *testing.T) {
		c := qms("00126Q00901R0M", bodyB, org2)
		c.IssuedOn, c.ExpiresOn = Today, Today.AddDate(3, 0, -1)
		_, err := s.IssueCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, IssueRequestOf(c))
		refused(t, "IssueCertificate by listed "+bodyB, err, "京市监信〔2026〕1号")
	})
	t.Run("a listed body cannot register a new certificate by import", func(t *testing.T) {
		out := importAll(t, s, trustmark.KindCertificates, qms("00126Q00902R0M", bodyB, org2))
		wantResults(t, out, trustmark.Rejected)
		refused(t, "import by listed "+bodyB, out[0].Err, "京市监信〔2026〕1号")
	})
	t.Run("a body not listed still issues", func(t *testing.T) {
		wantResults(t, importAll(t, s, trustmark.KindCertificates, qms("00126Q00903R0M", bodyA, org2)), trustmark.Created)
	})
	t.Run("a listed laboratory cannot report", func(t *testing.T) {
		out := importAll(t, s, trustmark.KindReports, report(lab2, "R2026-0901", org2), report(lab1, "R2026-0902", org2))
		wantResults(t, out, trustmark.Rejected, trustmark.Created)
		refused(t, "report by listed "+lab2, out[0].Err, "京市监信〔2026〕1号")
	})
}
