package search

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// TestCatchUpFollowsTheRegistry indexes a real SQLite registry from its
// events, then follows a rename and a new certificate without reindexing
// what it already has.
func TestCatchUpFollowsTheRegistry(t *testing.T) {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC) }
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbPath := filepath.Join(t.TempDir(), "trustmark.db")
	st, err := sqlstore.Open(ctx, dbPath, sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	holder := trustmark.MakeUSCC("9137020016356268")
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		var recs []trustmark.Record
		for _, row := range rows {
			rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, rec)
		}
		out, err := st.Import(ctx, trustmark.System, kind, recs)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o.Result == trustmark.Rejected {
				t.Fatal(o.Err)
			}
		}
	}
	load(trustmark.KindOrgs,
		trustmark.Row{"uscc": string(holder), "name": "青岛海尔电冰箱有限公司", "region_code": "370212"},
		trustmark.Row{"uscc": string(trustmark.MakeUSCC("9111010500000033")), "name": "中认检测认证集团有限公司", "region_code": "110105"})
	load(trustmark.KindBodies, trustmark.Row{"approval_no": "CNCA-R-2002-001", "uscc": string(trustmark.MakeUSCC("9111010500000033")),
		"name": "中认检测认证集团", "region_code": "110105", "scopes": "QMS"})
	load(trustmark.KindCertificates, trustmark.Row{"number": "00126Q30001R0M", "type": "QMS", "body_approval_no": "CNCA-R-2002-001",
		"holder_uscc": string(holder), "scope": "电冰箱的设计和生产", "issued_on": "2026-01-10", "expires_on": "2029-01-09"})

	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.CatchUp(ctx, st)
	if err != nil || n == 0 {
		t.Fatalf("first CatchUp = %d, %v; want some events", n, err)
	}
	find := func(q string, kinds ...Kind) []string {
		t.Helper()
		r, err := ix.Search(ctx, Query{Text: q, Kinds: kinds})
		if err != nil {
			t.Fatal(err)
		}
		return numbers(r)
	}
	if got := find("海尔", KindCertificate); len(got) != 1 || got[0] != "00126Q30001R0M" {
		t.Errorf("certificates of 海尔 = %v, want the QMS certificate", got)
	}
	if got := find("冰箱 设计", KindCertificate); len(got) != 1 {
		t.Errorf("certificates by scope words = %v, want 1", got)
	}
	ix.Close()

	// The holder is renamed and a certificate issued; a reopened index
	// reads only the new events.
	load(trustmark.KindOrgs, trustmark.Row{"uscc": string(holder), "name": "海尔智家股份有限公司", "region_code": "370212"})
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	before, _ := ix.LastSeq()
	n, err = ix.CatchUp(ctx, st)
	if err != nil || n != 1 {
		t.Fatalf("CatchUp after a rename = %d events, %v; want 1", n, err)
	}
	if after, _ := ix.LastSeq(); after <= before {
		t.Errorf("LastSeq = %d after %d, want it to advance", after, before)
	}
	if got := find("海尔智家", KindCertificate); len(got) != 1 {
		t.Errorf("certificates under the new holder name = %v, want 1", got)
	}
	if got := find("电冰箱有限", KindOrg); len(got) != 0 {
		t.Errorf("organisations under the old name = %v, want none", got)
	}
	if n, _ := ix.CatchUp(ctx, st); n != 0 {
		t.Errorf("CatchUp with nothing new read %d events", n)
	}
}
