package http_test

import (
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
)

// FuzzDecodeAuditPlan: a line of a plan file decodes to a plan or fails
// as the API's body does, with a client error (invalid), never a panic
// or an internal error; a plan decoded once decodes the same again.
func FuzzDecodeAuditPlan(f *testing.F) {
	f.Add([]byte(`{"certificate":"00126Q30001R0M","kind":"surveillance","site":{"address":"杭州","lat":30.25,"lng":120.15,"datum":"wgs84"},"opening_at":"2026-03-20T01:00:00Z","closing_at":"2026-03-20T08:00:00Z","team":[{"registration_no":"P-1","role":"leader"}],"auditor_days":5}`))
	f.Add([]byte(`{"sites":[{"lat":1e999}],"opening_at":"tomorrow"}`))
	f.Add([]byte(`{"certificate":"X"} {"certificate":"Y"}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := tmhttp.DecodeAuditPlan(data)
		if err != nil {
			if code := trustmark.ErrorCode(err); code != trustmark.EInvalid {
				t.Fatalf("DecodeAuditPlan(%q): %v (code %q), want invalid", data, err, code)
			}
			return
		}
		q, err := tmhttp.DecodeAuditPlan(data)
		if err != nil || q.Certificate != p.Certificate || len(q.Team) != len(p.Team) {
			t.Fatalf("a second decoding differs: %+v, %v", q, err)
		}
	})
}
