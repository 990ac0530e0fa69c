package bulk

import (
	"bytes"
	"encoding/json"
	"testing"

	"trustmark"
)

// encodingJSON is the answer as http.WriteJSON writes it.
func encodingJSON(t testing.TB, results []Result) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Results []Result `json:"results"`
	}{results}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAppendResultsJSONIsEncodingJSON(t *testing.T) {
	tests := []struct {
		name    string
		results []Result
	}{
		{"no results at all", nil},
		{"an empty list", []Result{}},
		{"a certificate found", []Result{{Item: "00126Q30001R0M", Found: true, Kind: KindCertificate, Status: "valid", Reason: "有效",
			Type: "ccc", Name: "杭州某某电器有限公司", ExpiresOn: "2027-03-01", URL: "/certificates/00126Q30001R0M"}}},
		{"an organisation with its counts", []Result{{Item: "91330100MA2B3C4D5E", Found: true, Kind: KindOrg, Reason: "ok",
			Name: "A & B <Ltd>", Certificates: map[string]int{"valid": 3, "expired": 1, "suspended": 0, "revoked": 12}}}},
		{"not found, with characters JSON escapes", []Result{
			{Item: "a\"b\\c\x00\x1f\u2028\u2029 <>&", Kind: "unknown", Reason: "no such number\n"},
			{Item: "\xff\xfeinvalid UTF-8", Found: false, Kind: KindCertificate, Status: "", Reason: ""},
		}},
		{"an empty map is left out", []Result{{Item: "x", Certificates: map[string]int{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := AppendResultsJSON(nil, tt.results), encodingJSON(t, tt.results)
			if !bytes.Equal(got, want) {
				t.Errorf("AppendResultsJSON = %s, want %s", got, want)
			}
		})
	}
}

func FuzzAppendResultsJSON(f *testing.F) {
	f.Add("00126Q30001R0M", true, "certificate", "valid", "有效", "ccc", "名称", "2027-03-01", "/certificates/x", "valid", 3)
	f.Add("a\"<\u2028\xff", false, "", "", "", "", "", "", "", "", 0)
	f.Fuzz(func(t *testing.T, item string, found bool, kind, status, reason, typ, name, expires, url, key string, n int) {
		r := Result{Item: item, Found: found, Kind: Kind(kind), Status: status, Reason: reason,
			Name: name, ExpiresOn: expires, URL: url}
		r.Type = trustmark.CertType(typ)
		if key != "" {
			r.Certificates = map[string]int{key: n, key + "x": -n}
		}
		results := []Result{r, {Item: key}}
		if got, want := AppendResultsJSON(nil, results), encodingJSON(t, results); !bytes.Equal(got, want) {
			t.Errorf("AppendResultsJSON = %s, want %s", got, want)
		}
	})
}
