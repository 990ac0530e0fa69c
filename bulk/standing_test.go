package bulk_test

import (
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/bulk"
	"trustmark/locale"
)

// TestVerifyKeepsTheIssuersStanding: bulk verification of a certificate of a
// suspended body and of a report of a revoked laboratory says so in its
// reason, at once (not when a cached list of bodies expires), in each
// language.
func TestVerifyKeepsTheIssuersStanding(t *testing.T) {
	now := storeNow
	db := openStoreClock(t, &now)
	svc := bulk.New(bulk.Config{Store: db, Clock: func() time.Time { return verifyNow }, BodyTTL: time.Hour})
	items := []string{cccValid, labA + "/" + reportA}
	before, err := svc.Verify(ctx, items, en)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range before {
		if strings.Contains(r.Reason, "approval is") || strings.Contains(r.Reason, "accreditation is now") {
			t.Fatalf("before any sanction, Verify(%q).Reason = %q speaks of a sanction", r.Item, r.Reason)
		}
	}
	regulator := trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}
	body, err := db.Body(ctx, bodyCQC)
	if err != nil {
		t.Fatal(err)
	}
	body.Status = trustmark.PartySuspended
	lab, err := db.Lab(ctx, labA)
	if err != nil {
		t.Fatal(err)
	}
	lab.Status = trustmark.PartyRevoked
	for kind, rec := range map[trustmark.Kind]trustmark.Record{trustmark.KindBodies: body, trustmark.KindLabs: lab} {
		if out, err := db.Import(ctx, regulator, kind, []trustmark.Record{rec}); err != nil || out[0].Result != trustmark.Updated {
			t.Fatalf("sanction %s: %v %+v", kind, err, out)
		}
	}
	tests := []struct {
		lang *locale.Messages
		want []string // in the certificate's reason, then the report's
	}{
		{en, []string{"the issuing body's approval is suspended since 2026-03-15", "the laboratory's CMA accreditation is now revoked"}},
		{zh, []string{"发证机构的批准资格自2026-03-15起暂停", "该机构资质认定现为撤销状态"}},
	}
	for _, tt := range tests {
		res, err := svc.Verify(ctx, items, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Status != before[i].Status {
				t.Errorf("Verify(%q).Status = %q, want the record's own %q", r.Item, r.Status, before[i].Status)
			}
			if !strings.Contains(r.Reason, tt.want[i]) {
				t.Errorf("Verify(%q) in %v: reason %q lacks %q", r.Item, tt.lang, r.Reason, tt.want[i])
			}
		}
	}
}
