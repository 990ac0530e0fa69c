package web

import (
	"context"
	"html"
	"strings"
	"testing"

	"trustmark"
)

// TestLabPageShowsItsScope: a laboratory imported with a scope shows it
// under its label; one without says the registry does not hold it.
func TestLabPageShowsItsScope(t *testing.T) {
	f := newFixture(t)
	const cma, scope = "240011051002", "产品/类别：家用电冰箱、电线电缆\n依据标准：GB 4706.1-2005、GB/T 5023.1-2008"
	rec, err := trustmark.ParseRecord(trustmark.KindLabs, trustmark.Row{"cma_no": cma, "uscc": string(labOrg), "name": "杭州产品质量监督检验研究院",
		"region_code": "330106", "valid_until": "2030-12-31", "scope": scope}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, trustmark.KindLabs, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
	zh := f.get("/labs/" + cma).Body.String()
	if !strings.Contains(zh, `<dt>资质认定能力范围</dt><dd class="lab-scope" style="white-space:pre-line">`+html.EscapeString(scope)+`</dd>`) {
		t.Errorf("lab page lacks its scope under its label:\n%s", zh)
	}
	if strings.Contains(zh, "登记库尚未收录该机构的能力范围") {
		t.Errorf("lab page with a scope says the registry does not hold it")
	}
	if en := f.get("/labs/" + cma + "?lang=en").Body.String(); !strings.Contains(en, "<dt>Accredited scope</dt>") || !strings.Contains(en, "GB 4706.1-2005") {
		t.Errorf("English lab page lacks the scope or its label")
	}
	if none := f.get("/labs/" + labA).Body.String(); !strings.Contains(none, "登记库尚未收录该机构的能力范围") || strings.Contains(none, "lab-scope") {
		t.Errorf("lab page without a scope does not say the registry does not hold it")
	}
}
