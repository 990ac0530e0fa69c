package trustmark

import "testing"

func TestParseCCCBodyCode(t *testing.T) {
	good := []string{"", "01", "09", "10", "99"}
	bad := []string{"0", "00", "1", "001", "1A", "０１", " 01"}
	for _, s := range good {
		if got, err := ParseCCCBodyCode(s); err != nil || got != s {
			t.Errorf("ParseCCCBodyCode(%q) = %q, %v; want %q, nil", s, got, err, s)
		}
	}
	for _, s := range bad {
		if _, err := ParseCCCBodyCode(s); ErrorCode(err) != EInvalid || ErrorField(err) != "ccc_code" {
			t.Errorf("ParseCCCBodyCode(%q) error = %v, want invalid on ccc_code", s, err)
		}
	}
}

func TestCheckCCCBodyCode(t *testing.T) {
	tests := []struct {
		name      string
		typ       CertType
		number    string
		code      string // the body's
		wantCode  string
		wantField string
	}{
		{"a CCC number with the body's code passes", TypeCCC, "2022010701000123", "01", "", ""},
		{"a CCC number with another body's code is refused", TypeCCC, "2022070701000123", "01", EInvalid, "number"},
		{"a body without a code issues no CCC certificate", TypeCCC, "2022010701000123", "", EConflict, "body_approval_no"},
		{"other types are not concerned", TypeQMS, "00122Q30001R0M", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCCCBodyCode(&Certificate{Type: tt.typ, Number: tt.number}, &Body{ApprovalNo: "CNCA-R-2002-001", CCCCode: tt.code})
			if ErrorCode(err) != tt.wantCode || ErrorField(err) != tt.wantField {
				t.Errorf("CheckCCCBodyCode(%s %s, body code %q) = %v, want code %q field %q", tt.typ, tt.number, tt.code, err, tt.wantCode, tt.wantField)
			}
		})
	}
}

// FuzzCCCBodyCode: a ccc_code cell is either refused on its column or kept
// as two digits 01-99, and the check of a CCC number against a body's code
// never panics, whatever the number.
func FuzzCCCBodyCode(f *testing.F) {
	for _, s := range []string{"01", "99", "00", "", "1", "０１", "2022010701000123", "20"} {
		f.Add(s, "2022010701000123")
	}
	f.Fuzz(func(t *testing.T, cell, number string) {
		code, err := ParseCCCBodyCode(cell)
		switch {
		case err != nil:
			if ErrorCode(err) != EInvalid || ErrorField(err) != "ccc_code" {
				t.Fatalf("ParseCCCBodyCode(%q) error %v, want invalid on ccc_code", cell, err)
			}
			return
		case code != cell || cell != "" && (len(cell) != 2 || cell < "01" || cell > "99"):
			t.Fatalf("ParseCCCBodyCode(%q) = %q, want two digits 01-99 kept as given", cell, code)
		}
		err = CheckCCCBodyCode(&Certificate{Type: TypeCCC, Number: number}, &Body{ApprovalNo: "CNCA-R-2002-001", CCCCode: code})
		if err == nil && (code == "" || CCCNumberBodyCode(number) != code) {
			t.Fatalf("CheckCCCBodyCode(%q, body code %q) passed", number, code)
		}
	})
}
