package trustmark

import (
	"strings"
	"testing"
)

func TestValidateCertNumber(t *testing.T) {
	tests := []struct {
		typ      CertType
		number   string
		category string
		ok       bool
	}{
		{TypeCCC, "2016010901123456", "0901", true},
		{TypeCCC, "2016010901123456", "", true},
		{TypeCCC, "2016010901123456", "0701", false}, // positions 7-10 disagree with the row
		{TypeCCC, "201601090112345", "", false},
		{TypeCCC, "1999010901123456", "", false},
		{TypeOrganic, "001OP2400123", "", true},
		{TypeOrganic, "F01OP2400123-1", "", true},
		{TypeOrganic, "001OP24001", "", false},
		{TypeQMS, "00124Q31234R0M", "", true},
		{TypeQMS, "has space", "", false},
		{TypeQMS, strings.Repeat("A", 65), "", false},
	}
	for _, tt := range tests {
		err := ValidateCertNumber(tt.typ, tt.number, tt.category)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateCertNumber(%s, %q, %q) = %v, want ok=%v", tt.typ, tt.number, tt.category, err, tt.ok)
		}
	}
}

func TestRegions(t *testing.T) {
	r := DefaultRegions()
	for code, want := range map[string]string{"33": "浙江省", "330100": "杭州市", "330106": "西湖区", "110101": "东城区"} {
		reg, ok := r.Lookup(code)
		if !ok || reg.Name != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", code, reg.Name, ok, want)
		}
	}
	if got := r.FullName("330106"); got != "浙江省 杭州市 西湖区" {
		t.Errorf("FullName(330106) = %q", got)
	}
	if _, err := ParseRegionCode("999999"); ErrorField(err) != "region_code" {
		t.Errorf("ParseRegionCode(999999) = %v, want invalid region_code", err)
	}
	if n := len(r.All()); n < 3000 {
		t.Errorf("len(All()) = %d, want all provinces, cities and counties (> 3000)", n)
	}
}

func TestDateJSON(t *testing.T) {
	var d Date
	if err := d.UnmarshalJSON([]byte(`"2025-02-29"`)); ErrorCode(err) != EInvalid {
		t.Errorf("UnmarshalJSON(2025-02-29) = %v, want invalid", err)
	}
	if err := d.UnmarshalJSON([]byte(`"2024-02-29"`)); err != nil || d.String() != "2024-02-29" {
		t.Errorf("UnmarshalJSON(2024-02-29) = %s, %v", d, err)
	}
	if b, _ := (Date{}).MarshalJSON(); string(b) != "null" {
		t.Errorf("zero Date marshals as %s, want null", b)
	}
}
