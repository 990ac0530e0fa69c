package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"trustmark"
)

func TestClassify(t *testing.T) {
	good := trustmark.MakeUSCC("9137020016356268")
	tests := []struct {
		in      string
		kind    QueryKind
		value   string
		wantErr bool
	}{
		{string(good), QueryUSCC, string(good), false},
		{" " + strings.ToLower(string(good)) + " ", QueryUSCC, string(good), false},
		{"９１３７０２００１６３５６２６８" + string(good[16:]), QueryUSCC, string(good), false}, // full-width digits
		{string(good[:17]) + "0", QueryUSCC, string(good[:17]) + "0", true},
		{"CNCA-R-2002-001", QueryApprovalNo, "CNCA-R-2002-001", false},
		{"cnca-r-2002-001", QueryApprovalNo, "CNCA-R-2002-001", false},
		{"CNCA-R-02-001", QueryApprovalNo, "CNCA-R-02-001", true},
		{"230012050001", QueryCMANo, "230012050001", false},
		{"239912050001", QueryCMANo, "239912050001", true},
		{"2025010901000001", QueryCCC, "2025010901000001", false},
		{"2025 0109 0100 0001", QueryCCC, "2025010901000001", false},
		{"1999010901000001", QueryCCC, "1999010901000001", true},
		{"00126123456789012", QueryOrganicCode, "00126123456789012", false},
		{"001OP2612345", QueryOrganicCert, "001OP2612345", false},
		{"001op2612345-2", QueryOrganicCert, "001OP2612345-2", false},
		{"230012050001/BG2026-0001", QueryReport, "230012050001", false},
		{"230012050001/", QueryReport, "230012050001", true},
		{"00126Q30001R0M", QueryNumber, "00126Q30001R0M", false},
		{"2026-NQA-0001", QueryNumber, "2026-NQA-0001", false},
		{"海尔", QueryText, "海尔", false},
		{"华为 技术", QueryText, "华为 技术", false},
		{"Haier", QueryText, "Haier", false},
		{"", QueryText, "", false},
	}
	for _, tt := range tests {
		got := Classify(tt.in)
		if got.Kind != tt.kind || got.Value != tt.value || (got.Err != nil) != tt.wantErr {
			t.Errorf("Classify(%q) = {%v %q err=%v}, want {%v %q err=%v}", tt.in, got.Kind, got.Value, got.Err, tt.kind, tt.value, tt.wantErr)
		}
	}
}

// FuzzClassify checks that any entry is classified without panicking, that
// a valid USCC or approval number really parses, and that classifying the
// normalised value again gives the same answer.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"91370200163562681G", "CNCA-R-2002-001", "230012050001", "2025010901000001", "00126123456789012",
		"001OP2612345-1", "230012050001/BG-1", "海尔", "華為 技術", "ＣＮＣＡ－Ｒ－２００２－００１", "a/b/c", "\x00", "9137 0200 1635 6268 1G"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Classify(s)
		if c.Err != nil {
			return
		}
		switch c.Kind {
		case QueryUSCC:
			if _, err := trustmark.ParseUSCC(c.Value); err != nil {
				t.Fatalf("Classify(%q) = valid USCC %q, but ParseUSCC says %v", s, c.Value, err)
			}
		case QueryApprovalNo:
			if _, err := trustmark.ParseApprovalNo(c.Value); err != nil {
				t.Fatalf("Classify(%q) = valid approval number %q, but ParseApprovalNo says %v", s, c.Value, err)
			}
		case QueryText:
			return
		}
		if !utf8.ValidString(s) {
			return
		}
		again := Classify(c.Value)
		if c.Kind == QueryReport {
			again = Classify(c.Value + "/" + c.Report)
		}
		if again.Kind != c.Kind || again.Value != c.Value {
			t.Fatalf("Classify(%q) = {%v %q}, but Classify of that value = {%v %q}", s, c.Kind, c.Value, again.Kind, again.Value)
		}
	})
}
