package http_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

// TestIssuerStandingInAnswers: the certificate's body and the report's
// laboratory carry their status and its start (CONTRACT.md version 2), so a
// sanctioned issuer is never left out of an answer.
func TestIssuerStandingInAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	regulator := trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}
	body, err := f.store.Body(ctx, bodyA)
	if err != nil {
		t.Fatal(err)
	}
	body.Status = trustmark.PartyRevoked
	lab, err := f.store.Lab(ctx, labA)
	if err != nil {
		t.Fatal(err)
	}
	lab.Status = trustmark.PartySuspended
	for kind, rec := range map[trustmark.Kind]trustmark.Record{trustmark.KindBodies: body, trustmark.KindLabs: lab} {
		if out, err := f.store.Import(ctx, regulator, kind, []trustmark.Record{rec}); err != nil || out[0].Result != trustmark.Updated {
			t.Fatalf("sanction %s: %v %+v", kind, err, out)
		}
	}
	tests := []struct {
		name, target, field string
		want                map[string]any
	}{
		{"a certificate of a revoked body says so", "/api/v1/certificates/" + certQMS, "body",
			map[string]any{"approval_no": bodyA, "name": "中认检测认证集团", "status": "revoked", "status_since": "2026-03-15"}},
		{"a listed certificate of a revoked body says so", "/api/v1/certificates?holder_uscc=" + string(holderA) + "&type=CCC", "items.0.body",
			map[string]any{"approval_no": bodyA, "name": "中认检测认证集团", "status": "revoked", "status_since": "2026-03-15"}},
		{"a certificate of an active body says so", "/api/v1/certificates/" + certOfB, "body",
			map[string]any{"approval_no": bodyB, "name": "上海质量认证中心", "status": "active", "status_since": "2026-03-15"}},
		{"a report of a suspended laboratory says so", "/api/v1/reports/" + labA + "/" + reportNo, "lab",
			map[string]any{"cma_no": labA, "name": "浙江方圆检测实验室", "status": "suspended", "status_since": "2026-03-15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do("GET", tt.target, "", "")
			if w.Code != 200 {
				t.Fatalf("GET %s = %d %s", tt.target, w.Code, w.Body)
			}
			var got any = decodeAnswer(t, w.Body.String())
			switch tt.field {
			case "items.0.body":
				items, _ := got.(map[string]any)["items"].([]any)
				if len(items) == 0 {
					t.Fatalf("GET %s listed nothing", tt.target)
				}
				got = items[0].(map[string]any)["body"]
			default:
				got = got.(map[string]any)[tt.field]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s %s mismatch (-want +got):\n%s", tt.target, tt.field, diff)
			}
		})
	}
}
