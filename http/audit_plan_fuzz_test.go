package http_test

import (
	"testing"

	"trustmark"
	"trustmark/audit"
	tmhttp "trustmark/http"
)

// FuzzDecodeAuditPlan: a line of a plan file decodes to a plan and its
// request id or fails as the API's body does, with a client error
// (invalid), never a panic or an internal error; a plan decoded once
// decodes the same again, with the same request id and the same digest
// (audit.PlanDigest, what a repeated request id is compared by); and the
// plan written back as a line (PlanFileLine) decodes to the same plan,
// without a request id.
func FuzzDecodeAuditPlan(f *testing.F) {
	f.Add([]byte(`{"certificate":"00126Q30001R0M","kind":"surveillance","site":{"address":"杭州","lat":30.25,"lng":120.15,"datum":"wgs84"},"opening_at":"2026-03-20T01:00:00Z","closing_at":"2026-03-20T08:00:00Z","team":[{"registration_no":"P-1","role":"leader"}],"auditor_days":5}`))
	f.Add([]byte(`{"sites":[{"lat":1e999}],"opening_at":"tomorrow"}`))
	f.Add([]byte(`{"certificate":"X"} {"certificate":"Y"}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"kind":"initial","holder_uscc":"91110108000000011X","request_id":"plan-2026-0001","opening_at":"2026-03-20T09:00:00+08:00"}`))
	f.Add([]byte(`{"request_id":7}`))
	f.Add([]byte(`{"request_id":"a","request_id":"b"}`))
	f.Add([]byte(`{"opening_at":"9999-12-31T23:00:00Z","sites":[{"address":"a","datum":"gcj02"},{"lat":1}],"complexity":"high"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, key, err := tmhttp.DecodeAuditPlan(data)
		if err != nil {
			if code := trustmark.ErrorCode(err); code != trustmark.EInvalid {
				t.Fatalf("DecodeAuditPlan(%q): %v (code %q), want invalid", data, err, code)
			}
			return
		}
		q, key2, err := tmhttp.DecodeAuditPlan(data)
		if err != nil || q.Certificate != p.Certificate || len(q.Team) != len(p.Team) || key2 != key {
			t.Fatalf("a second decoding differs: %+v %q, %v", q, key2, err)
		}
		d1, err1 := audit.PlanDigest(p)
		d2, err2 := audit.PlanDigest(q)
		if err1 != nil || err2 != nil || d1 != d2 {
			t.Fatalf("PlanDigest of two decodings of %q = %s (%v), %s (%v); want one digest", data, d1, err1, d2, err2)
		}
		line, err := tmhttp.PlanFileLine(p)
		if err != nil {
			t.Fatalf("PlanFileLine(DecodeAuditPlan(%q)): %v", data, err)
		}
		r, key3, err := tmhttp.DecodeAuditPlan(line)
		if err != nil || key3 != "" {
			t.Fatalf("DecodeAuditPlan(PlanFileLine(…)) of %q = %s: request id %q, %v; want the plan, no request id", data, line, key3, err)
		}
		if d3, err := audit.PlanDigest(r); err != nil || d3 != d1 {
			t.Fatalf("the plan of %q written as %s reads back as another plan (digest %s, %v; want %s)", data, line, d3, err, d1)
		}
	})
}
