package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"trustmark"
)

// importLab adds a laboratory with this scope to the fixture's registry.
func importLab(t *testing.T, f *fixture, cma, name, scope string) {
	t.Helper()
	rec, err := trustmark.ParseRecord(trustmark.KindLabs, trustmark.Row{"cma_no": cma, "uscc": string(labOrg), "name": name,
		"region_code": "330106", "valid_until": "2030-12-31", "scope": scope}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, trustmark.KindLabs, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
}

// TestLabPageShowsItsScope: a laboratory imported with a scope shows it
// under its label, its items gathered by field, in the old labelled form
// as in the structured one; one without says the registry does not hold
// it.
func TestLabPageShowsItsScope(t *testing.T) {
	f := newFixture(t)
	const cma = "240011051002"
	importLab(t, f, cma, "杭州产品质量监督检验研究院", "产品/类别：家用电冰箱、电线电缆\n依据标准：GB 4706.1-2005、GB/T 5023.1-2008\n电线电缆 / 阻燃性能、绝缘电阻")
	zh := f.get("/labs/" + cma).Body.String()
	want := `<dt>资质认定能力范围</dt><dd class="lab-scope"><ul style="list-style:none;padding:0;margin:0">` +
		`<li><strong>产品/类别</strong>：家用电冰箱、电线电缆</li><li><strong>依据标准</strong>：GB 4706.1-2005、GB/T 5023.1-2008</li>` +
		`<li><strong>电线电缆</strong>：阻燃性能、绝缘电阻</li></ul></dd>`
	if !strings.Contains(zh, want) {
		t.Errorf("lab page lacks its scope by field under its label:\n%s", zh)
	}
	if strings.Contains(zh, "登记库尚未收录该机构的能力范围") {
		t.Errorf("lab page with a scope says the registry does not hold it")
	}
	if en := f.get("/labs/" + cma + "?lang=en").Body.String(); !strings.Contains(en, "<dt>Accredited scope</dt>") ||
		!strings.Contains(en, "<li><strong>电线电缆</strong>: 阻燃性能, 绝缘电阻</li>") {
		t.Errorf("English lab page lacks the scope or its label")
	}
	importLab(t, f, "240011051009", "杭州未报范围实验室", "")
	if none := f.get("/labs/240011051009").Body.String(); !strings.Contains(none, "登记库尚未收录该机构的能力范围") || strings.Contains(none, "lab-scope") {
		t.Errorf("lab page without a scope does not say the registry does not hold it")
	}
}

// TestLabsListByScope: /labs?scope= lists the laboratories whose scope has
// a matching item, with those items, in both languages; a scope nobody
// has lists none and says so.
func TestLabsListByScope(t *testing.T) {
	f := newFixture(t)
	importLab(t, f, "240011051002", "杭州产品质量监督检验研究院", "电线电缆 / 阻燃性能、绝缘电阻\n家用电器 / 能效")
	importLab(t, f, "240011051003", "宁波食品检验检测研究院", "产品/类别：食品\n检验检测项目/参数：微生物、农药残留")
	zh := f.get("/labs?scope=" + url.QueryEscape("电线")).Body.String()
	for _, want := range []string{"<h1>检验检测机构</h1>", "杭州产品质量监督检验研究院", "<li>电线电缆：阻燃性能</li><li>电线电缆：绝缘电阻</li>",
		`value="电线"`, "本页列出 2 家机构", `<meta name="robots" content="noindex">`} {
		if !strings.Contains(zh, want) {
			t.Errorf("/labs?scope=电线 lacks %q", want)
		}
	}
	if strings.Contains(zh, "宁波食品检验检测研究院") || strings.Contains(zh, "能效") {
		t.Errorf("/labs?scope=电线 lists a laboratory or an item that does not match")
	}
	en := f.get("/labs?lang=en&scope=" + url.QueryEscape("农药")).Body.String()
	for _, want := range []string{"<h1>Laboratories</h1>", "宁波食品检验检测研究院", "<li>检验检测项目/参数: 农药残留</li>", "Matching scope items"} {
		if !strings.Contains(en, want) {
			t.Errorf("/labs?lang=en&scope=农药 lacks %q", want)
		}
	}
	if none := f.get("/labs?scope=" + url.QueryEscape("核辐射")).Body.String(); !strings.Contains(none, "没有符合条件的检验检测机构。") {
		t.Errorf("/labs with an unmatched scope does not say none matches")
	}
	if got := f.get("/labs?scope=" + url.QueryEscape("电线")).Body.String(); !strings.Contains(got, "浙江方圆检测实验室") {
		t.Errorf("/labs?scope=电线 lacks the fixture's laboratory, whose scope has 电线电缆")
	}
	all := f.get("/labs").Body.String()
	for _, name := range []string{"浙江方圆检测实验室", "杭州产品质量监督检验研究院", "宁波食品检验检测研究院"} {
		if !strings.Contains(all, name) {
			t.Errorf("/labs without a filter lacks %s", name)
		}
	}
}

// TestCCCNamesOfSharedCodes: a product the catalogue lists under several
// codes (熔断体 0205、0207; 低压元器件 0302 to 0309) names each of them.
func TestCCCNamesOfSharedCodes(t *testing.T) {
	for code, want := range map[string]string{"0205": "熔断体", "0207": "熔断体", "0302": "低压元器件", "0309": "低压元器件", "0201": "插头插座"} {
		if got := cccNames()[code]; got != want {
			t.Errorf("cccNames()[%s] = %q, want %q", code, got, want)
		}
	}
}
