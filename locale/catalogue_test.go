package locale

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"trustmark"
	"trustmark/search"
)

// missingMessages lists the empty strings and map entries of m.
func missingMessages(m *Messages) []string {
	optional := map[string]bool{"LogNone": true, "DataNote": true}
	var out []string
	v := reflect.ValueOf(m).Elem()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			if f.String() == "" && !optional[name] {
				out = append(out, name)
			}
		}
	}
	for _, s := range trustmark.CertStatuses {
		if m.CertStatusNames[s] == "" {
			out = append(out, "CertStatusNames["+string(s)+"]")
		}
	}
	for _, s := range []trustmark.PartyStatus{trustmark.PartyActive, trustmark.PartySuspended, trustmark.PartyRevoked, trustmark.PartyBanned} {
		if m.PartyStatusNames[s] == "" {
			out = append(out, "PartyStatusNames["+string(s)+"]")
		}
	}
	for _, s := range []trustmark.PartyStatus{trustmark.PartySuspended, trustmark.PartyRevoked, ""} {
		if m.IssuerBodyNotes[s] == "" {
			out = append(out, "IssuerBodyNotes["+string(s)+"]")
		}
		if m.IssuerBodyBadges[s] == "" {
			out = append(out, "IssuerBodyBadges["+string(s)+"]")
		}
		if m.IssuerLabNotes[s] == "" {
			out = append(out, "IssuerLabNotes["+string(s)+"]")
		}
	}
	for _, ct := range trustmark.CertTypes {
		if m.CertTypeNames[ct] == "" {
			out = append(out, "CertTypeNames["+string(ct)+"]")
		}
	}
	for _, a := range []string{trustmark.ActionCreated, trustmark.ActionUpdated, trustmark.ActionIssued, trustmark.ActionStatusChanged, trustmark.ActionExpired} {
		if m.ActionNames[a] == "" {
			out = append(out, "ActionNames["+a+"]")
		}
	}
	for _, k := range []string{"uscc", "approval_no", "cma_no", "ccc", "organic_code", "organic_cert", "report", "certificate", "person", "body", "lab"} {
		if m.IDNames[k] == "" {
			out = append(out, "IDNames["+k+"]")
		}
	}
	return out
}

// badInputs rejects one input for each reason key of the identifiers, by
// the parser a page would call, so that the Chinese of real errors is
// checked, not only the catalogue's formats.
var badInputs = []struct {
	reason string
	err    func() error
}{
	{"uscc.length", func() error { _, err := trustmark.ParseUSCC("9137020016356268"); return err }},
	{"uscc.charset", func() error { _, err := trustmark.ParseUSCC("91370200I63562681X"); return err }},
	{"uscc.prefix", func() error { _, err := trustmark.ParseUSCC("00370200163562681X"); return err }},
	{"uscc.region", func() error { _, err := trustmark.ParseUSCC("9137A200163562681X"); return err }},
	{"uscc.org_checksum", func() error {
		u := string(trustmark.MakeUSCC("9137020016356268"))
		bad := "X"
		if u[16] == 'X' {
			bad = "0"
		}
		_, err := trustmark.ParseUSCC(u[:16] + bad + u[17:])
		return err
	}},
	{"uscc.checksum", func() error { _, err := trustmark.ParseUSCC("91370200163562681X"); return err }},
	{"approval_no.format", func() error { _, err := trustmark.ParseApprovalNo("CNCA-R-20-1"); return err }},
	{"approval_no.year", func() error { _, err := trustmark.ParseApprovalNo("CNCA-R-1800-001"); return err }},
	{"cma_no.format", func() error { _, err := trustmark.ParseCMANo("23001205"); return err }},
	{"ccc_code.format", func() error { _, err := trustmark.ParseCCCBodyCode("00"); return err }},
	{"ccc.body_code", func() error {
		return trustmark.CheckCCCBodyCode(&trustmark.Certificate{Type: trustmark.TypeCCC, Number: "2025070901000001"}, &trustmark.Body{ApprovalNo: "CNCA-R-2002-001", CCCCode: "01"})
	}},
	{"cma_no.authority", func() error { _, err := trustmark.ParseCMANo("239912050001"); return err }},
	{"cma_no.field", func() error { _, err := trustmark.ParseCMANo("230099050001"); return err }},
	{"cma_no.department", func() error { _, err := trustmark.ParseCMANo("230012990001"); return err }},
	{"cma_no.serial", func() error { _, err := trustmark.ParseCMANo("230012050000"); return err }},
	{"ccc_category.format", func() error { _, err := trustmark.ParseCCCCategory("09", "ccc_category"); return err }},
	{"ccc.format", func() error { return trustmark.ValidateCertNumber(trustmark.TypeCCC, "123", "") }},
	{"ccc.year", func() error { return trustmark.ValidateCertNumber(trustmark.TypeCCC, "1999010901000001", "") }},
	{"ccc.category", func() error { return trustmark.ValidateCertNumber(trustmark.TypeCCC, "2025010901000001", "0911") }},
	{"organic_cert.format", func() error { return trustmark.ValidateCertNumber(trustmark.TypeOrganic, "XYZ", "") }},
	{"cert.length", func() error { return trustmark.ValidateCertNumber(trustmark.TypeQMS, strings.Repeat("A", 65), "") }},
	{"cert.charset", func() error { return trustmark.ValidateCertNumber(trustmark.TypeQMS, "AB 123", "") }},
	{"cert.empty", func() error { _, err := trustmark.ParseCertNumber(" "); return err }},
	{"cert_key.format", func() error { _, err := trustmark.ParseCertKey("2025010901000001"); return err }},
	{"organic_code.format", func() error { _, err := trustmark.ParseOrganicCode("有机码123"); return err }},
	{"report.format", func() error { _, err := trustmark.ParseReportRef("230012050001"); return err }},
	{"report_no.empty", func() error { _, err := trustmark.ParseReportRef("230012050001/"); return err }},
	{"report_no.length", func() error { _, err := trustmark.ParseReportNumber(strings.Repeat("A", 65)); return err }},
	{"report_no.charset", func() error { _, err := trustmark.ParseReportNumber("BG 1"); return err }},
	{"report_no.slash", func() error { _, err := trustmark.ParseReportRef("230012050001/A/B"); return err }},
	{"text.empty", func() error { return trustmark.Identify(" ").Err }},
	{"text.length", func() error { return trustmark.Identify(strings.Repeat("9", 300)).Err }},
	{"text.utf8", func() error { return trustmark.Identify("\xff1").Err }},
	{"text.not_identifier", func() error { return trustmark.Explain(trustmark.Identify("海尔"), nil, nil).Err }},
	{"search.too_broad", func() error { return search.TooBroad("有限公司", 812345) }},
}

func TestReasonsSpeakThePageLanguage(t *testing.T) {
	for _, in := range badInputs {
		t.Run(in.reason+" is explained in Chinese and English", func(t *testing.T) {
			err := in.err()
			var e *trustmark.Error
			if !errors.As(err, &e) || e.Reason != in.reason {
				t.Fatalf("error = %v, want reason %q", err, in.reason)
			}
			if got, want := en.Reason(err), trustmark.ErrorMessage(err); got != want {
				t.Errorf("en.Reason = %q, want the domain's message %q", got, want)
			}
			got := zh.Reason(err)
			if strings.Contains(got, "%!") || !containsCJK(got) {
				t.Errorf("zh.Reason = %q, want a well-formed Chinese sentence", got)
			}
			if len(e.Args) == 0 {
				return // nothing to quote: "the text is empty"
			}
			if s, ok := e.Args[0].(string); ok && !strings.Contains(got, s) {
				t.Errorf("zh.Reason = %q, does not quote the input %q", got, s)
			}
		})
	}
	t.Run("an error without a reason key is said by its code in Chinese, by its message in English", func(t *testing.T) {
		err := trustmark.Errorf(trustmark.EInvalid, "q", "query is too long")
		if got, want := zh.Reason(err), zh.ErrorCodes[trustmark.EInvalid]; got != want {
			t.Errorf("zh.Reason = %q, want %q", got, want)
		}
		if got := en.Reason(err); got != "query is too long" {
			t.Errorf("en.Reason = %q, want the message", got)
		}
	})
	t.Run("an entry without verbs leaves out the English detail", func(t *testing.T) {
		err := trustmark.Invalidf("audit.md5_csv", "", "the audit-time table is not the expected CSV: %v", errors.New("record on line 2: wrong number of fields"))
		if got, want := zh.Reason(err), zh.Reasons["audit.md5_csv"]; got != want {
			t.Errorf("zh.Reason = %q, want the entry as it is, %q", got, want)
		}
	})
	t.Run("an unknown reason key is said by the code too", func(t *testing.T) {
		err := trustmark.Invalidf("nobody.knows", "q", "odd %s", "input")
		if got, want := zh.Reason(err), zh.ErrorCodes[trustmark.EInvalid]; got != want {
			t.Errorf("zh.Reason = %q, want %q", got, want)
		}
	})
}

func TestCataloguesAreComplete(t *testing.T) {
	for _, m := range []*Messages{zh, en} {
		for _, miss := range missingMessages(m) {
			t.Errorf("catalogue %s: %s is empty", m.Lang, miss)
		}
	}
}

// containsCJK reports whether s has a Chinese character.
func containsCJK(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
