package trustmark

import (
	"strings"
	"testing"
)

func TestCheckHeader(t *testing.T) {
	tests := []struct {
		name   string
		kind   Kind
		header []string
		want   string // "" for accepted, else a fragment of the error
	}{
		{"all required columns in any order", KindOrgs, []string{"region_code", "name", "uscc"}, ""},
		{"a BOM and upper case are folded", KindOrgs, []string{"\ufeffUSCC", " Name ", "REGION_CODE", "lat", "lng"}, ""},
		{"a missing column is named", KindOrgs, []string{"uscc", "name"}, `missing required column(s) "region_code"`},
		{"an unknown column is named", KindOrgs, []string{"uscc", "name", "region_code", "phone"}, `unknown column(s) "phone"`},
		{"a repeated column is refused", KindOrgs, []string{"uscc", "name", "region_code", "name"}, `"name" appears twice`},
		{"certificates need dates", KindCertificates, []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on"}, `"expires_on"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.kind.CheckHeader(tt.header)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckHeader(%q) = %v, want nil", tt.header, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckHeader(%q) = %v, want error containing %q", tt.header, err, tt.want)
			}
		})
	}
}

func TestParseRecord(t *testing.T) {
	p := DefaultPolicy()
	okCert := Row{"number": "2024010901000123", "type": "ccc", "body_approval_no": "CNCA-R-2002-001",
		"holder_uscc": "91350100M000100Y43", "scope": "微型计算机", "issued_on": "2024-03-01", "expires_on": "2029-02-28"}
	with := func(r Row, k, v string) Row {
		out := Row{}
		for a, b := range r {
			out[a] = b
		}
		out[k] = v
		return out
	}
	tests := []struct {
		name      string
		kind      Kind
		row       Row
		wantField string // "" for accepted
		wantMsg   string
	}{
		{"a good CCC certificate, category taken from the number", KindCertificates, okCert, "", ""},
		{"a missing scope", KindCertificates, with(okCert, "scope", " "), "scope", "scope is required"},
		{"a bad holder code names the character", KindCertificates, with(okCert, "holder_uscc", "91350100M000100Y4Z"), "holder_uscc", "check character Z, want 3"},
		{"an impossible date", KindCertificates, with(okCert, "issued_on", "2024-02-30"), "issued_on", "not a real date"},
		{"an unknown status", KindCertificates, with(okCert, "status", "paused"), "status", `"paused"`},
		{"a category on a non-CCC certificate", KindCertificates, with(with(with(okCert, "type", "QMS"), "number", "Q1"), "ccc_category", "0901"), "ccc_category", "QMS"},
		{"a huge cell", KindCertificates, with(okCert, "scope", strings.Repeat("很", 2000)), "scope", "longer than"},
		{"invalid UTF-8", KindCertificates, with(okCert, "scope", "\xff\xfe"), "scope", "UTF-8"},
		{"a good org", KindOrgs, Row{"uscc": "91350100M000100Y43", "name": "福州某某电器有限公司", "region_code": "350102", "lat": "26.08", "lng": "119.30", "employees": "120"}, "", ""},
		{"an org with an unknown region", KindOrgs, Row{"uscc": "91350100M000100Y43", "name": "x", "region_code": "359999"}, "region_code", "GB/T 2260"},
		{"an org with lat but no lng", KindOrgs, Row{"uscc": "91350100M000100Y43", "name": "x", "region_code": "35", "lat": "26"}, "lat", "together"},
		{"an org with negative employees", KindOrgs, Row{"uscc": "91350100M000100Y43", "name": "x", "region_code": "35", "employees": "-3"}, "employees", "whole number"},
		{"a body with CCC categories", KindBodies, Row{"approval_no": "CNCA-R-2002-001", "uscc": "91350100M000100Y43", "name": "中国质量认证中心", "region_code": "110000", "scopes": "CCC;QMS；EMS", "ccc_categories": "0901;0701;0901"}, "", ""},
		{"a body with categories but no CCC scope", KindBodies, Row{"approval_no": "CNCA-R-2002-001", "uscc": "91350100M000100Y43", "name": "x", "region_code": "110000", "scopes": "QMS", "ccc_categories": "0901"}, "ccc_categories", "not among the scopes"},
		{"a body with a bad scope", KindBodies, Row{"approval_no": "CNCA-R-2002-001", "uscc": "91350100M000100Y43", "name": "x", "region_code": "110000", "scopes": "QMS;ABC"}, "scopes", `"ABC"`},
		{"a banned body is not a thing", KindBodies, Row{"approval_no": "CNCA-R-2002-001", "uscc": "91350100M000100Y43", "name": "x", "region_code": "110000", "scopes": "QMS", "status": "banned"}, "status", "banned"},
		{"a banned person is", KindPersons, Row{"registration_no": "2021-N1QMS-1234567", "name": "张伟", "body_approval_no": "CNCA-R-2002-001", "qualifications": "QMS", "status": "banned"}, "", ""},
		{"a lab with a bad CMA number", KindLabs, Row{"cma_no": "12345", "uscc": "91350100M000100Y43", "name": "x", "region_code": "35"}, "cma_no", "12 digits"},
		{"a report with an unknown conclusion", KindReports, Row{"number": "R1", "lab_cma_no": "240009200001", "product": "x", "conclusion": "ok", "issued_on": "2025-01-01"}, "conclusion", "pass or fail"},
		{"a report number with a slash", KindReports, Row{"number": "R/1", "lab_cma_no": "240009200001", "product": "x", "conclusion": "pass", "issued_on": "2025-01-01"}, "number", "slashes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := ParseRecord(tt.kind, tt.row, p)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("ParseRecord error %v, want accepted", err)
				}
				if rec.RecordKey() == "" {
					t.Errorf("RecordKey() is empty")
				}
				return
			}
			if ErrorCode(err) != EInvalid || ErrorField(err) != tt.wantField || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParseRecord error = %v (field %q), want invalid %s containing %q", err, ErrorField(err), tt.wantField, tt.wantMsg)
			}
		})
	}
	rec, _ := ParseRecord(KindCertificates, with(okCert, "type", "CCC"), p)
	if c := rec.(*Certificate); c.CCCCategory != "0901" || c.Status != StatusValid {
		t.Errorf("CCC record = category %q status %q, want 0901 valid", c.CCCCategory, c.Status)
	}
	rec, _ = ParseRecord(KindBodies, Row{"approval_no": "CNCA-R-2002-001", "uscc": "91350100M000100Y43", "name": "x", "region_code": "110000", "scopes": "CCC;QMS；EMS", "ccc_categories": "0901;0701;0901"}, p)
	if b := rec.(*Body); strings.Join(b.CCCCategories, ",") != "0701,0901" || len(b.Scopes) != 3 {
		t.Errorf("body = categories %v scopes %v, want [0701 0901] and 3 scopes", b.CCCCategories, b.Scopes)
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add("certificates", "2024010901000123", "CCC", "2024-03-01", "91350100M000100Y43", "0901")
	f.Add("orgs", "x", "y", "2024-13-01", "", "")
	f.Fuzz(func(t *testing.T, kind, a, b, c, d, e string) {
		k, err := ParseKind(kind)
		if err != nil {
			k = Kinds[len(kind)%len(Kinds)]
		}
		req, opt := k.Columns()
		cols := append(append([]string{}, req...), opt...)
		vals := []string{a, b, c, d, e}
		row := Row{}
		for i, col := range cols {
			row[col] = vals[i%len(vals)]
		}
		rec, err := ParseRecord(k, row, DefaultPolicy())
		if err != nil {
			if ErrorCode(err) != EInvalid || ErrorField(err) == "" {
				t.Fatalf("ParseRecord error %v: want invalid with a field", err)
			}
			return
		}
		if rec.RecordKey() == "" {
			t.Fatal("accepted record has an empty key")
		}
	})
}
