package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/matter"
)

// BenchmarkInbox lists the inbox of a body, of a province and of the
// nation over 20,000 open matters spread over four provinces.
func BenchmarkInbox(b *testing.B) {
	ctx := context.Background()
	db := openSQLite(b)
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	regions := []string{"370212", "440307", "500101", "510104"}
	const n = 20000
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("CNCA-R-2002-%03d", i%50)
		if _, err := db.OpenMatter(ctx, matter.Opening{ID: fmt.Sprintf("M%06d", i), Kind: "anomaly_explanation", Subject: "bench",
			Party: account.Unit{Kind: account.Body, ID: body}, Region: regions[i%len(regions)], At: at.Add(time.Duration(i) * time.Minute), Actor: "system"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		role account.Role
	}{
		{"body", account.Role{Unit: account.Unit{Kind: account.Body, ID: "CNCA-R-2002-007"}}},
		{"province", account.Role{Unit: account.Unit{Kind: account.Regulator, ID: "370000"}}},
		{"nation", account.Role{Unit: account.Unit{Kind: account.Regulator, ID: trustmark.NationalRegion}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Inbox(ctx, []account.Role{tc.role}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
