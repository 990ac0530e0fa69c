package trustmark

import (
	"strings"
	"testing"
)

// TestParseLabScope: the lab import's optional scope column is the
// laboratory's scope; an absurdly long one is refused naming the field.
func TestParseLabScope(t *testing.T) {
	if err := KindLabs.CheckHeader([]string{"cma_no", "uscc", "name", "region_code", "scope"}); err != nil {
		t.Fatalf("a lab header with scope: %v", err)
	}
	row := Row{"cma_no": "240011051002", "uscc": string(MakeUSCC("1233010047000001")), "name": "杭州产品质量监督检验研究院", "region_code": "330100",
		"scope": "  产品/类别：家用电冰箱、电线电缆；依据标准：GB 4706.1-2005  "}
	rec, err := ParseRecord(KindLabs, row, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.(*Lab).Scope; got != "产品/类别：家用电冰箱、电线电缆；依据标准：GB 4706.1-2005" {
		t.Errorf("scope = %q", got)
	}
	row["scope"] = strings.Repeat("范", maxLabScope+1)
	if _, err := ParseRecord(KindLabs, row, DefaultPolicy()); ErrorField(err) != "scope" {
		t.Errorf("a scope of %d characters: err = %v, want one naming scope", maxLabScope+1, err)
	}
}
