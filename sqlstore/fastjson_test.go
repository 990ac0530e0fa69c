package sqlstore

import (
	"bytes"
	"encoding/json"
	"testing"

	"trustmark"
)

func TestCertJSONMatchesEncodingJSON(t *testing.T) {
	d := func(s string) trustmark.Date { v, _ := trustmark.ParseDate(s); return v }
	for _, c := range []trustmark.Certificate{
		{Number: "00125Q10001R0M", Type: "QMS", BodyApprovalNo: "CNCA-R-2002-001", HolderUSCC: "91330106MA27XY00X1", Scope: "精密仪器的设计和生产",
			Standard: "GB/T 19001-2016", IssuedOn: d("2025-01-10"), ExpiresOn: d("2028-01-09"), Status: "valid", StatusSince: d("2025-01-10")},
		{Number: "2025010901000001", Type: "CCC", Scope: `a "quoted" <b>&amp;</b> \ back`, Product: "tab\there\u2028", CCCCategory: "0901",
			IssuedOn: d("0999-01-01"), Status: "suspended", HolderName: "ignored"},
		{Number: "bad\xffutf8", Scope: "\x00\x1f", Standard: "日本語", ExpiresOn: d("2030-12-31")},
		{},
	} {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := certJSON(&c); !bytes.Equal(got, want) {
			t.Errorf("certJSON(%+v) =\n%s\nwant\n%s", c, got, want)
		}
		for _, dt := range []trustmark.Date{c.IssuedOn, c.ExpiresOn} {
			if got, want := dateString(dt), dt.String(); got != want {
				t.Errorf("dateString = %q, want %q", got, want)
			}
		}
	}
}

func FuzzCertJSON(f *testing.F) {
	f.Add("00125Q10001R0M", "精密仪器 <&> \"x\"", "GB/T 19001", "\u2028")
	f.Fuzz(func(t *testing.T, number, scope, standard, product string) {
		c := trustmark.Certificate{Number: number, Scope: scope, Standard: standard, Product: product, Type: "QMS"}
		want, _ := json.Marshal(c)
		if got := certJSON(&c); !bytes.Equal(got, want) {
			t.Errorf("certJSON =\n%s\nwant\n%s", got, want)
		}
	})
}
