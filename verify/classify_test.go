package verify_test

import (
	"strings"
	"testing"

	"trustmark"
	"trustmark/verify"
)

// kindTests are items as clients send them, with the kind a result gives
// them. What an item is, is trustmark.Identify's decision (tested there);
// these hold the names results use for it (CONTRACT.md).
var kindTests = []struct {
	in   string
	kind verify.Kind
}{
	{"2025010901000001", verify.KindCertificate},
	{" 2025 0109 0100 0001 ", verify.KindCertificate},
	{"00125q10001r0m", verify.KindCertificate},
	{"QMS/00125Q10001R0M", verify.KindCertificate},
	{"F12OP2500001-2", verify.KindCertificate},
	{strings.ToLower(string(trustmark.MakeUSCC("9111010800000001"))), verify.KindOrg},
	{"9111010800000001X0", verify.KindOrg},
	{"有机码：12325123456789012", verify.KindOrganicCode},
	{"91225123456789012", verify.KindOrganicCode},
	{"240012340001/r2026-0001", verify.KindReport},
	{"240012340001", verify.KindLab},
	{"cnca-r-2002-001", verify.KindBody},
	{"CNCA R 2002 001", verify.KindBody},
	{"海尔集团", verify.KindUnknown},
	{"", verify.KindUnknown},
}

func TestKindOf(t *testing.T) {
	for _, tt := range kindTests {
		if got := verify.KindOf(trustmark.Identify(tt.in)); got != tt.kind {
			t.Errorf("KindOf(Identify(%q)) = %s, want %s", tt.in, got, tt.kind)
		}
	}
}
