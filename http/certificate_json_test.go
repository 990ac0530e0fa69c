package http

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"trustmark"
)

// TestCertificateAppendJSON holds the lookup's hand-written encoding to the
// bytes encoding/json writes through WriteJSON, for every ASCII character,
// invalid UTF-8, the JavaScript line separators, zero dates and the
// optional fields present and absent.
func TestCertificateAppendJSON(t *testing.T) {
	var all strings.Builder
	for c := 0; c < utf8.RuneSelf; c++ {
		all.WriteByte(byte(c))
	}
	d, _ := trustmark.ParseDate("2026-03-15")
	texts := []string{"", "海尔集团公司", all.String(), "a\xffb\xc3", "x\u2028y\u2029z", "<script>&amp;</script>", `"\` + "\t\n\r\b\f\x00\x1f\x7f"}
	for _, text := range texts {
		for _, dates := range []bool{true, false} {
			c := CertificateJSON{Number: "00126Q30001R0M" + text, Type: trustmark.CertType(text), Status: "valid",
				Holder: HolderJSON{USCC: "9133010600000011XX", Name: text}, Body: BodyRefJSON{ApprovalNo: "CNCA-R-2002-001", Name: text, Status: trustmark.PartyStatus(text)},
				Scope: text, Standard: "GB/T 19001" + text, Product: text, CCCCategory: text}
			if dates {
				c.IssuedOn, c.ExpiresOn, c.StatusSince, c.Body.StatusSince = d, d.AddDate(3, 0, 0), d, d
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(c); err != nil {
				t.Fatal(err)
			}
			if got := c.AppendJSON(nil); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("text %q dates %v:\n got %s\nwant %s", text, dates, got, want.Bytes())
			}
		}
	}
}
