package web

import (
	"context"
	"strings"
	"testing"

	"trustmark"
)

// sanction re-imports the fixture's body A as revoked and its laboratory as
// suspended, as a regulator's import would, on the fixture's today.
func sanction(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	for _, in := range []struct {
		kind trustmark.Kind
		row  trustmark.Row
	}{
		{trustmark.KindBodies, trustmark.Row{"approval_no": bodyA, "uscc": string(cqcOrg), "name": "中认检测认证集团", "name_en": "China Certification Group",
			"region_code": "110105", "scopes": "QMS;EMS;CCC;ORGANIC", "ccc_categories": "0901", "ccc_code": "01", "approved_on": "2002-05-01", "status": "revoked"}},
		{trustmark.KindLabs, trustmark.Row{"cma_no": labA, "uscc": string(labOrg), "name": "浙江方圆检测实验室", "region_code": "330106", "valid_until": "2029-12-31", "status": "suspended"}},
	} {
		rec, err := trustmark.ParseRecord(in.kind, in.row, trustmark.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		out, err := f.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}, in.kind, []trustmark.Record{rec})
		if err != nil || out[0].Result != trustmark.Updated {
			t.Fatalf("sanction %s: %v %+v", in.kind, err, out)
		}
	}
}

// TestIssuerStandingOnPages: a certificate of a revoked body and a report of
// a suspended laboratory never read as plainly good; each page says why,
// next to the record's own status.
func TestIssuerStandingOnPages(t *testing.T) {
	f := newFixture(t)
	before := f.get("/certificates/" + certQMS).Body.String()
	if !strings.Contains(before, `<div class="status ok"`) || strings.Contains(before, `class="issuer"`) {
		t.Fatalf("before the sanction the valid certificate of an active body is not plainly good:\n%s", before)
	}
	sanction(t, f)
	tests := []struct {
		name, target string
		contains     []string
		lacks        []string
	}{
		{"a valid certificate of a revoked body is not green and says why", "/certificates/" + certQMS,
			[]string{`<div class="status warn"`, "<strong>有效</strong>", "注意：发证机构的认证机构批准资格已于 2026-03-15 撤销。"},
			[]string{`<div class="status ok"`}},
		{"the same in English", "/certificates/" + certQMS + "?lang=en",
			[]string{`<div class="status warn"`, "<strong>Valid</strong>", "Caution: the issuing body&#39;s approval was revoked on 2026-03-15."},
			[]string{`<div class="status ok"`}},
		{"a revoked certificate of a revoked body stays red and says both", "/certificates/" + certRev,
			[]string{`<div class="status bad"`, "于 2026-03-10 撤销", "发证机构的认证机构批准资格已于 2026-03-15 撤销"}, nil},
		{"a passing report of a suspended laboratory is not green and says why", "/reports/" + labA + "/" + reportNo,
			[]string{`<div class="status warn"`, "<strong>合格</strong>", "注意：出具报告的检验检测机构资质认定自 2026-03-15 起暂停。"},
			[]string{`<div class="status ok"`}},
		{"the organisation page marks both rows", "/orgs/" + string(haier),
			[]string{`<span class="badge warn">有效</span>`, "发证机构的认证机构批准资格已于 2026-03-15 撤销",
				`<span class="badge warn">合格</span>`, "检验检测机构资质认定自 2026-03-15 起暂停"},
			[]string{`<span class="badge ok">`}},
		{"the body page says it once, in its status", "/bodies/" + bodyA,
			[]string{`<span class="badge warn">有效</span>`},
			[]string{`<span class="badge ok">`, "发证机构的认证机构批准资格"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.target)
			if w.Code != 200 {
				t.Fatalf("GET %s = %d, want 200", tt.target, w.Code)
			}
			body := w.Body.String()
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s: page lacks %q", tt.target, s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(body, s) {
					t.Errorf("GET %s: page has %q", tt.target, s)
				}
			}
		})
	}
}
