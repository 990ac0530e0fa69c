package verify_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"trustmark"
	"trustmark/verify"
)

var goodClassifyTests = []struct {
	in       string
	kind     verify.Kind
	norm     string
	certNo   bool
	certType trustmark.CertType
	serial   string
}{
	{"2025010901000001", verify.KindCertificate, "2025010901000001", true, trustmark.TypeCCC, ""},
	{" 2025 0109 0100 0001 ", verify.KindCertificate, "2025010901000001", true, trustmark.TypeCCC, ""},
	{"２０２５０１０９０１０００００１", verify.KindCertificate, "2025010901000001", true, trustmark.TypeCCC, ""},
	{"00125q10001r0m", verify.KindCertificate, "00125Q10001R0M", true, "", ""},
	{"123OP2500001", verify.KindCertificate, "123OP2500001", true, trustmark.TypeOrganic, "123"},
	{"F12OP2500001-2", verify.KindCertificate, "F12OP2500001-2", true, trustmark.TypeOrganic, "F12"},
	{string(trustmark.MakeUSCC("9111010800000001")), verify.KindOrg, string(trustmark.MakeUSCC("9111010800000001")), true, "", ""},
	{strings.ToLower(string(trustmark.MakeUSCC("9111010800000001"))), verify.KindOrg, string(trustmark.MakeUSCC("9111010800000001")), true, "", ""},
	{"12325123456789012", verify.KindOrganicCode, "12325123456789012", true, "", "123"},
	{"有机码：12325123456789012", verify.KindOrganicCode, "12325123456789012", false, "", "123"},
	{"91225123456789012", verify.KindOrganicCode, "91225123456789012", true, "", "F12"},
	{"240012340001/R2026-0001", verify.KindReport, "240012340001/R2026-0001", true, "", ""},
	{"240012340001/r2026-0001", verify.KindReport, "240012340001/R2026-0001", true, "", ""},
	{"240012340001", verify.KindLab, "240012340001", true, "", ""},
	{"cnca-r-2002-001", verify.KindBody, "CNCA-R-2002-001", false, "", ""},
}

func TestClassifyWellFormed(t *testing.T) {
	for _, tt := range goodClassifyTests {
		t.Run(tt.in, func(t *testing.T) {
			it := verify.Classify(tt.in)
			if it.Err != nil {
				t.Fatalf("Classify(%q).Err = %v, want nil", tt.in, it.Err)
			}
			if it.Kind != tt.kind || it.Norm != tt.norm || it.CertNumber != tt.certNo || it.CertType != tt.certType || it.BodySerial != tt.serial {
				t.Errorf("Classify(%q) = kind %s norm %q certNo %v type %q serial %q, want %s %q %v %q %q",
					tt.in, it.Kind, it.Norm, it.CertNumber, it.CertType, it.BodySerial, tt.kind, tt.norm, tt.certNo, tt.certType, tt.serial)
			}
		})
	}
}

var badClassifyTests = []struct {
	in   string
	kind verify.Kind
	want string // in the error message
}{
	{"", verify.KindUnknown, "empty"},
	{"   ", verify.KindUnknown, "empty"},
	{strings.Repeat("1", 300), verify.KindUnknown, "300 bytes"},
	{"1999010901000001", verify.KindCertificate, "year 1999"},
	{"9111010800000001X0", verify.KindOrg, "check character"},
	{"9111010800000001" + "I0", verify.KindOrg, "position 17"},
	{"2211010800000001A0", verify.KindOrg, "registration-authority"},
	{"243312340001", verify.KindLab, "issuing-authority code 33"},
	{"240012340000", verify.KindLab, "serial 0000"},
	{"243312340001/R1", verify.KindReport, "issuing-authority"},
	{"240012340001/", verify.KindReport, "no report number"},
	{"240012340001/A/B", verify.KindReport, "without spaces or slashes"},
	{"CNCA-R-1980-001", verify.KindBody, "year 1980"},
	{"CNCA-X-2002-001", verify.KindBody, "CNCA-R-YYYY-NNN"},
	{"有机码123", verify.KindOrganicCode, "not 17 digits"},
	{"海尔集团", verify.KindUnknown, "no digits"},
	{"abc\x01def1", verify.KindCertificate, "control character"},
}

func TestClassifyMalformed(t *testing.T) {
	for _, tt := range badClassifyTests {
		t.Run(tt.in, func(t *testing.T) {
			it := verify.Classify(tt.in)
			if it.Err == nil {
				t.Fatalf("Classify(%q).Err = nil (kind %s), want an error containing %q", tt.in, it.Kind, tt.want)
			}
			if it.Kind != tt.kind {
				t.Errorf("Classify(%q).Kind = %s, want %s", tt.in, it.Kind, tt.kind)
			}
			if msg := trustmark.ErrorMessage(it.Err); !strings.Contains(msg, tt.want) {
				t.Errorf("Classify(%q).Err = %q, want it to contain %q", tt.in, msg, tt.want)
			}
		})
	}
}

func FuzzClassify(f *testing.F) {
	for _, tt := range goodClassifyTests {
		f.Add(tt.in)
	}
	for _, tt := range badClassifyTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		it := verify.Classify(s)
		if it.Raw != s {
			t.Fatalf("Raw = %q, want the input %q", it.Raw, s)
		}
		if it.Kind == "" {
			t.Fatalf("Classify(%q) has no kind", s)
		}
		if it.Err == nil && it.Kind == verify.KindUnknown {
			t.Fatalf("Classify(%q) is unknown without a reason", s)
		}
		if it.Err != nil {
			if _, ok := it.Err.(*trustmark.Error); !ok {
				t.Fatalf("Classify(%q).Err is %T, want *trustmark.Error", s, it.Err)
			}
		}
		if utf8.ValidString(s) && len(it.Norm) > 4*verify.MaxItemBytes*utf8.UTFMax {
			t.Fatalf("Norm of %d bytes is unbounded", len(it.Norm))
		}
		if it.Kind == verify.KindOrg && it.Err == nil {
			if _, err := trustmark.ParseUSCC(string(it.USCC)); err != nil {
				t.Fatalf("well-formed org %q has an invalid USCC: %v", s, err)
			}
		}
		// Classifying the normal form gives the same answer.
		if it.Err == nil && it.Kind != verify.KindOrganicCode {
			again := verify.Classify(it.Norm)
			if again.Kind != it.Kind || again.Norm != it.Norm {
				t.Fatalf("Classify(Norm %q) = %s %q, want %s %q", it.Norm, again.Kind, again.Norm, it.Kind, it.Norm)
			}
		}
	})
}
