package trustmark

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var goodUSCC = MakeUSCC("9137020016356268")

// identifyTests are texts as people type them, with what Identify must
// make of them: the kind, the canonical value (Norm) and the reason key of
// the rule broken ("" when well formed).
var identifyTests = []struct {
	in     string
	kind   IDKind
	norm   string
	reason string
	cert   CertNumber // CertNumber, when the text may be a certificate number
}{
	{"2025010901000001", IDCertificate, "2025010901000001", "", "2025010901000001"},
	{" 2025 0109 0100 0001 ", IDCertificate, "2025010901000001", "", "2025010901000001"},
	{"２０２５０１０９０１０００００１", IDCertificate, "2025010901000001", "", "2025010901000001"},
	{"1999010901000001", IDCertificate, "1999010901000001", "ccc.year", "1999010901000001"},
	{"00125q10001r0m", IDCertificate, "00125Q10001R0M", "", "00125Q10001R0M"},
	{"123OP2500001", IDCertificate, "123OP2500001", "", "123OP2500001"},
	{"f12op2500001-2", IDCertificate, "F12OP2500001-2", "", "F12OP2500001-2"},
	{"2026-NQA-0001", IDCertificate, "2026-NQA-0001", "", "2026-NQA-0001"},
	{"abc\x01def1", IDCertificate, "ABC\x01DEF1", "cert.charset", ""},
	{"QMS/00125q10001r0m", IDCertKey, "QMS/00125Q10001R0M", "", ""},
	{"CCC/123", IDCertKey, "CCC/123", "ccc.format", ""},
	{string(goodUSCC), IDUSCC, string(goodUSCC), "", CertNumber(goodUSCC)},
	{" " + strings.ToLower(string(goodUSCC)) + " ", IDUSCC, string(goodUSCC), "", CertNumber(goodUSCC)},
	{"９１３７０２００１６３５６２６８" + string(goodUSCC[16:]), IDUSCC, string(goodUSCC), "", CertNumber(goodUSCC)},
	{"9137 0200 1635 6268 " + string(goodUSCC[16:]), IDUSCC, string(goodUSCC), "", CertNumber(goodUSCC)},
	{string(goodUSCC[:17]) + "0", IDUSCC, string(goodUSCC[:17]) + "0", "uscc.checksum", CertNumber(goodUSCC[:17]) + "0"},
	{"CNCA-R-2002-001", IDApprovalNo, "CNCA-R-2002-001", "", ""},
	{"cnca-r-2002-001", IDApprovalNo, "CNCA-R-2002-001", "", ""},
	{"CNCA R 2002 001", IDApprovalNo, "CNCA-R-2002-001", "", ""},
	{"CNCA-R-2021-1012", IDApprovalNo, "CNCA-R-2021-1012", "", ""},
	{"CNCA-R-02-001", IDApprovalNo, "CNCA-R-02-001", "approval_no.format", ""},
	{"CNCA-R-1980-001", IDApprovalNo, "CNCA-R-1980-001", "approval_no.year", ""},
	{"230012050001", IDCMANo, "230012050001", "", "230012050001"},
	{"239912050001", IDCMANo, "239912050001", "cma_no.authority", "239912050001"},
	{"12325123456789012", IDOrganicCode, "12325123456789012", "", "12325123456789012"},
	{"有机码:12345678901234567", IDOrganicCode, "12345678901234567", "", ""},
	{"有机码：１２３４５６７８９０１２３４５６７", IDOrganicCode, "12345678901234567", "", ""},
	{"有机码123", IDOrganicCode, "123", "organic_code.format", ""},
	{"230012050001/BG2026-0001", IDReport, "230012050001/BG2026-0001", "", "230012050001/BG2026-0001"},
	{"230012050001/bg2026-0001", IDReport, "230012050001/BG2026-0001", "", "230012050001/BG2026-0001"},
	{"230012050001 / bg2026-0001", IDReport, "230012050001/BG2026-0001", "", "230012050001/BG2026-0001"},
	{"230012050001/", IDReport, "230012050001/", "report_no.empty", "230012050001/"},
	{"239912050001/R1", IDReport, "239912050001/R1", "cma_no.authority", "239912050001/R1"},
	{"海尔", IDText, "海尔", "", ""},
	{"华为 技术", IDText, "华为技术", "", ""},
	{"Haier", IDText, "HAIER", "", ""},
	{"Haier 2020", IDText, "HAIER2020", "", ""},
	{"海尔2020", IDText, "海尔2020", "", ""},
	{"CNCA", IDText, "CNCA", "", ""},
	{"", IDText, "", "text.empty", ""},
	{"  ", IDText, "", "text.empty", ""},
	{strings.Repeat("1", 300), IDText, strings.Repeat("1", 300), "text.length", ""},
}

func TestIdentify(t *testing.T) {
	for _, tt := range identifyTests {
		t.Run(tt.in, func(t *testing.T) {
			id := Identify(tt.in)
			var reason string
			if e, ok := id.Err.(*Error); ok {
				reason = e.Reason
			} else if id.Err != nil {
				t.Fatalf("Identify(%q).Err = %T %v, want an *Error", tt.in, id.Err, id.Err)
			}
			got := []any{id.Kind, id.Norm, reason, id.CertNumber}
			want := []any{tt.kind, tt.norm, tt.reason, tt.cert}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Identify(%q) kind, norm, reason, cert number: (-want +got)\n%s", tt.in, diff)
			}
		})
	}
}

func TestIdentifyValues(t *testing.T) {
	tests := []struct {
		in   string
		want Identity
	}{
		{"CNCA R 2002 001", Identity{Kind: IDApprovalNo, ApprovalNo: "CNCA-R-2002-001"}},
		{"230012050001/bg1", Identity{Kind: IDReport, CMANo: "230012050001", Report: ReportRef{"230012050001", "BG1"}, CertNumber: "230012050001/BG1"}},
		{"有机码 91225123456789012", Identity{Kind: IDOrganicCode, OrganicCode: "91225123456789012"}},
		{"ccc/2025010901000001", Identity{Kind: IDCertKey, Key: CertKey{TypeCCC, "2025010901000001"}, CertType: TypeCCC}},
		{"123op2500001", Identity{Kind: IDCertificate, CertNumber: "123OP2500001", CertType: TypeOrganic}},
		{string(goodUSCC), Identity{Kind: IDUSCC, USCC: goodUSCC, CertNumber: CertNumber(goodUSCC)}},
	}
	ignore := func(id Identity) Identity { id.Input, id.Text, id.Norm = "", "", ""; return id }
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ignore(Identify(tt.in))); diff != "" {
			t.Errorf("Identify(%q) (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestIdentityCertTypes(t *testing.T) {
	if got := Identify("2025010901000001").CertTypes(); !cmp.Equal(got, []CertType{TypeCCC}) {
		t.Errorf("CertTypes of a CCC number = %v, want [CCC]", got)
	}
	got := Identify("00125Q10001R0M").CertTypes()
	if len(got) != len(CertTypes)-2 || cmp.Equal(got[0], TypeCCC) {
		t.Errorf("CertTypes of a body-defined number = %v, want every type but CCC and ORGANIC", got)
	}
	if got := Identify("CNCA-R-2002-001").CertTypes(); got != nil {
		t.Errorf("CertTypes of an approval number = %v, want none", got)
	}
}

func TestExplain(t *testing.T) {
	cqc := &Body{ApprovalNo: "CNCA-R-2002-001", Scopes: []CertType{TypeQMS, TypeCCC}, CCCCategories: []string{"0901"}, CCCCode: "01"}
	organic := &Body{ApprovalNo: "CNCA-R-2005-123", Scopes: []CertType{TypeOrganic}}
	other123 := &Body{ApprovalNo: "CNCA-R-2009-123", Scopes: []CertType{TypeQMS}}
	foreign := &Body{ApprovalNo: "CNCA-RF-2002-12", Scopes: []CertType{TypeOrganic}}
	bodies := []*Body{cqc, organic, other123, foreign}
	lab := &Lab{CMANo: "230012050001"}
	tests := []struct {
		in      string
		lab     *Lab
		verdict Verdict
		reason  string
		bodies  []*Body
	}{
		{"海尔", nil, VerdictText, "text.not_identifier", nil},
		{"", nil, VerdictText, "text.empty", nil},
		{"1999010901000001", nil, VerdictMalformed, "ccc.year", nil},
		{"2025010901000001", nil, VerdictUnknown, "", []*Body{cqc}},
		{"2025020901000001", nil, VerdictNoIssuer, "", nil}, // body code 02 is not CQC's
		{"2025010701000001", nil, VerdictNoIssuer, "", nil}, // nobody is designated for 0701
		{"CCC/2025010901000001", nil, VerdictUnknown, "", []*Body{cqc}},
		{"123OP2500001", nil, VerdictUnknown, "", []*Body{organic}},
		{"456OP2500001", nil, VerdictNoIssuer, "", nil},
		{"12325123456789012", nil, VerdictUnknown, "", []*Body{organic}},
		{"有机码:91225123456789012", nil, VerdictUnknown, "", []*Body{foreign}},
		{"00125Q10001R0M", nil, VerdictUnknown, "", nil},
		{"230012050001/R1", lab, VerdictUnknown, "", nil},
		{"230012050001/R1", nil, VerdictNoIssuer, "", nil},
		{"CNCA-R-2002-999", nil, VerdictUnknown, "", nil},
		{string(goodUSCC), nil, VerdictUnknown, "", nil},
	}
	for _, tt := range tests {
		e := Explain(Identify(tt.in), bodies, tt.lab)
		var reason string
		if x, ok := e.Err.(*Error); ok {
			reason = x.Reason
		}
		if e.Verdict != tt.verdict || reason != tt.reason || !slices.Equal(e.Bodies, tt.bodies) {
			t.Errorf("Explain(%q) = %s %q bodies %d, want %s %q bodies %d", tt.in, e.Verdict, reason, len(e.Bodies), tt.verdict, tt.reason, len(tt.bodies))
		}
	}
	if e := Explain(Identify("230012050001/R1"), bodies, lab); e.Lab != lab {
		t.Errorf("Explain(report).Lab = %v, want the laboratory", e.Lab)
	}
	if e := Explain(Identify("12325123456789012"), bodies, nil); !e.NotHeld || e.BodyCode != "123" {
		t.Errorf("Explain(organic code) NotHeld %v BodyCode %q, want true 123", e.NotHeld, e.BodyCode)
	}
}

// FuzzIdentify checks that any text is identified without panicking, that
// every error is an *Error, that a well-formed identifier's canonical form
// is identified the same again, and that Explain always gives a verdict.
func FuzzIdentify(f *testing.F) {
	for _, tt := range identifyTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := Identify(s)
		if id.Input != s || id.Kind == "" {
			t.Fatalf("Identify(%q) = input %q kind %q", s, id.Input, id.Kind)
		}
		if id.Err != nil {
			if _, ok := id.Err.(*Error); !ok || ErrorCode(id.Err) != EInvalid {
				t.Fatalf("Identify(%q).Err = %T %v, want an invalid *Error", s, id.Err, id.Err)
			}
		}
		if len(id.Norm) > 4*MaxIdentifyBytes*utf8.UTFMax {
			t.Fatalf("Identify(%q).Norm is %d bytes, unbounded", s, len(id.Norm))
		}
		if id.CertNumber != "" {
			if n, err := ParseCertNumber(string(id.CertNumber)); err != nil || n != id.CertNumber {
				t.Fatalf("Identify(%q).CertNumber = %q, not canonical: %q, %v", s, id.CertNumber, n, err)
			}
		}
		if id.Kind != IDText && id.Err == nil {
			again := Identify(id.Norm)
			if again.Kind != id.Kind || again.Norm != id.Norm || again.Err != nil {
				t.Fatalf("Identify(%q) = %s %q, but Identify of that = %s %q %v", s, id.Kind, id.Norm, again.Kind, again.Norm, again.Err)
			}
		}
		e := Explain(id, nil, nil)
		if e.Verdict == "" || (e.Verdict == VerdictMalformed || e.Verdict == VerdictText) != (e.Err != nil) {
			t.Fatalf("Explain(Identify(%q)) = verdict %q err %v", s, e.Verdict, e.Err)
		}
	})
}
