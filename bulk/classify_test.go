package bulk_test

import (
	"strings"
	"testing"

	"trustmark"
	"trustmark/bulk"
)

// kindTests are items as clients send them, with the kind a result gives
// them. What an item is, is trustmark.Identify's decision (tested there);
// these hold the names results use for it (CONTRACT.md).
var kindTests = []struct {
	in   string
	kind bulk.Kind
}{
	{"2025010901000001", bulk.KindCertificate},
	{" 2025 0109 0100 0001 ", bulk.KindCertificate},
	{"00125q10001r0m", bulk.KindCertificate},
	{"QMS/00125Q10001R0M", bulk.KindCertificate},
	{"F12OP2500001-2", bulk.KindCertificate},
	{strings.ToLower(string(trustmark.MakeUSCC("9111010800000001"))), bulk.KindOrg},
	{"9111010800000001X0", bulk.KindOrg},
	{"有机码：12325123456789012", bulk.KindOrganicCode},
	{"91225123456789012", bulk.KindOrganicCode},
	{"240012340001/r2026-0001", bulk.KindReport},
	{"240012340001", bulk.KindLab},
	{"cnca-r-2002-001", bulk.KindBody},
	{"CNCA R 2002 001", bulk.KindBody},
	{"海尔集团", bulk.KindUnknown},
	{"", bulk.KindUnknown},
}

func TestKindOf(t *testing.T) {
	for _, tt := range kindTests {
		if got := bulk.KindOf(trustmark.Identify(tt.in)); got != tt.kind {
			t.Errorf("KindOf(Identify(%q)) = %s, want %s", tt.in, got, tt.kind)
		}
	}
}
