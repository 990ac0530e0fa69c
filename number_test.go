package trustmark

import (
	"strings"
	"testing"
)

func TestParseApprovalNo(t *testing.T) {
	for _, s := range []string{"CNCA-R-2002-001", "cnca-r-2017-120", " CNCA-R-1990-999 "} {
		if _, err := ParseApprovalNo(s); err != nil {
			t.Errorf("ParseApprovalNo(%q) error %v, want nil", s, err)
		}
	}
	for _, s := range []string{"CNCA-R-02-001", "CNCA-R-2002-01", "CNCA-C-2002-001", "CNCA-R-1800-001", "", "CNCA-R-2002-0011"} {
		_, err := ParseApprovalNo(s)
		if ErrorCode(err) != EInvalid || ErrorField(err) != "approval_no" {
			t.Errorf("ParseApprovalNo(%q) = %v, want invalid approval_no", s, err)
		}
	}
}

func TestParseCMANo(t *testing.T) {
	goodParseTests := []string{"240009200001", "161100000123", "003121340001"}
	for _, s := range goodParseTests {
		if _, err := ParseCMANo(s); err != nil {
			t.Errorf("ParseCMANo(%q) error %v, want nil", s, err)
		}
	}
	badParseTests := []struct{ in, want string }{
		{"24000920000", "not 12 digits"},
		{"24000920000A", "not 12 digits"},
		{"243209200001", "issuing-authority code 32"},
		{"240022200001", "professional-field code 22"},
		{"240009350001", "department code 35"},
		{"240009200000", "serial 0000"},
	}
	for _, tt := range badParseTests {
		_, err := ParseCMANo(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) || ErrorField(err) != "cma_no" {
			t.Errorf("ParseCMANo(%q) = %v, want invalid cma_no containing %q", tt.in, err, tt.want)
		}
	}
}

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

func FuzzParseCMANo(f *testing.F) {
	f.Add("240009200001")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseCMANo(s)
		if err == nil && len(got) != 12 {
			t.Fatalf("ParseCMANo(%q) = %q, want 12 digits", s, got)
		}
		if err != nil && ErrorCode(err) != EInvalid {
			t.Fatalf("ParseCMANo(%q) error code %s", s, ErrorCode(err))
		}
	})
}
