package web

import (
	"context"
	"slices"
	"testing"

	"trustmark"
)

// TestBodyCertificatesInForceFirst: a body's certificates come valid first,
// then suspended, revoked, withdrawn and expired, page after page, each
// once; a chosen status lists that status only.
func TestBodyCertificatesInForceFirst(t *testing.T) {
	f := newFixture(t)
	h := NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet()})
	ctx := context.Background()
	today := trustmark.DateOf(f.clock())
	for _, limit := range []int{1, 2, 50} {
		var got []trustmark.CertStatus
		seen := map[string]bool{}
		for cursor, pages := "", 0; ; pages++ {
			if pages > 20 {
				t.Fatalf("limit %d: more than 20 pages", limit)
			}
			certs, next, err := h.certsByStatus(ctx, trustmark.CertificateFilter{BodyApprovalNo: bodyA, Limit: limit, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if len(certs) > limit {
				t.Errorf("limit %d: a page of %d", limit, len(certs))
			}
			for _, c := range certs {
				if seen[c.Key()] {
					t.Errorf("limit %d: %s listed twice", limit, c.Number)
				}
				seen[c.Key()] = true
				st, _ := c.EffectiveStatus(today)
				got = append(got, st)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if len(got) < 3 || !slices.IsSortedFunc(got, func(a, b trustmark.CertStatus) int {
			return slices.Index(statusOrder, a) - slices.Index(statusOrder, b)
		}) || got[0] != trustmark.StatusValid {
			t.Errorf("limit %d: statuses in order %v, want valid first and %v's order", limit, got, statusOrder)
		}
	}
	certs, _, err := h.certsByStatus(ctx, trustmark.CertificateFilter{BodyApprovalNo: bodyA, Status: trustmark.StatusRevoked, Limit: 50})
	if err != nil || len(certs) != 1 || certs[0].Number != certRev {
		t.Errorf("revoked only = %d certificates, %v; want %s", len(certs), err, certRev)
	}
}
