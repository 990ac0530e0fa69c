package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
)

var (
	ctx       = context.Background()
	loader    = trustmark.Party{Kind: trustmark.PartyImport, ID: "test.csv"}
	benchBody = "CNCA-R-2002-001"
)

// nHolders is how many organisations seedParties registers.
const nHolders = 1000

func holder(i int) trustmark.USCC {
	return trustmark.MakeUSCC(fmt.Sprintf("91330106%08d", i%nHolders))
}

// seedParties registers one body approved for QMS and nHolders organisations.
func seedParties(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	var orgs []trustmark.Record
	for i := range nHolders {
		orgs = append(orgs, &trustmark.Org{USCC: holder(i), Name: fmt.Sprintf("杭州西湖第%d制造有限公司", i), RegionCode: "330106"})
	}
	body := &trustmark.Body{ApprovalNo: benchBody, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心",
		RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS}, Status: trustmark.PartyActive}
	for _, b := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{{trustmark.KindOrgs, orgs}, {trustmark.KindBodies, []trustmark.Record{body}}} {
		out, err := db.Import(ctx, loader, b.kind, b.recs)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range out {
			if o.Result != trustmark.Created {
				t.Fatalf("seed %s %d: %v", b.kind, i, o.Err)
			}
		}
	}
}

// certBatch returns n new QMS certificates named PREFIX-i.
func certBatch(prefix string, n int) []trustmark.Record {
	issued, _ := trustmark.ParseDate("2025-06-01")
	recs := make([]trustmark.Record, n)
	for i := range recs {
		recs[i] = &trustmark.Certificate{Number: fmt.Sprintf("%s-%05d", prefix, i), Type: trustmark.TypeQMS, BodyApprovalNo: benchBody,
			HolderUSCC: holder(i), Scope: "家用电器的设计、生产和售后服务", Standard: "GB/T 19001-2016",
			IssuedOn: issued, ExpiresOn: issued.AddDate(3, 0, -1), Status: trustmark.StatusValid}
	}
	return recs
}
