package http_test

import (
	"strings"
	"testing"
)

// TestCertificateRefusalsSayWhyInChinese asks in Chinese and wants the
// refusals of the certificate routes to say what was wrong, quoting the
// field and the value, not only the general message of their code.
func TestCertificateRefusalsSayWhyInChinese(t *testing.T) {
	f := newFixture(t)
	issue := func(field, value string) string {
		return `{"number":"00126Q30998R0M","type":"QMS","holder_uscc":"` + string(holderB) + `","scope":"软件开发","expires_on":"2029-03-13","` + field + `":"` + value + `"}`
	}
	tests := []struct {
		name, method, target, body string
		quotes                     []string
	}{
		{"an impossible issue date", "POST", "/api/v1/certificates", issue("issued_on", "2026-02-30"), []string{"issued_on", "2026-02-30", "日期"}},
		{"a control character in the scope", "POST", "/api/v1/certificates", issue("scope", `软件\u0007开发`), []string{"scope", "U+0007", "控制字符"}},
		{"a transition without its status", "POST", "/api/v1/certificates/" + certCCC + "/transitions", `{"reason":"复查"}`, []string{"状态"}},
		{"a transition with a malformed effective day", "POST", "/api/v1/certificates/" + certCCC + "/transitions", `{"to":"suspended","effective_on":"明天"}`, []string{"effective_on", "明天", "日期"}},
		{"a person's registration number of 300 bytes", "GET", "/api/v1/persons/" + strings.Repeat("A", 300), "", []string{"registration_no", "300", "256"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is explained in Chinese", func(t *testing.T) {
			w := f.do(tt.method, tt.target+"?lang=zh", f.tokenA, tt.body)
			e := decodeErrorBody(t, w.Body.String())
			if w.Code != 400 || e.Code != "invalid" {
				t.Fatalf("answer = %d %+v, want 400 invalid", w.Code, e)
			}
			for _, q := range tt.quotes {
				if !strings.Contains(e.Message, q) {
					t.Errorf("message = %q, want it to say %q", e.Message, q)
				}
			}
			if words := englishWords(e.Message, tt.body); len(words) > 0 {
				t.Errorf("message = %q keeps the English words %q", e.Message, words)
			}
		})
	}
}
