package storetest

import (
	"context"
	"testing"

	"trustmark"
	"trustmark/statistics"
)

// StatisticsStore is a Store that counts the plan's indicators.
type StatisticsStore interface {
	trustmark.Store
	statistics.Source
	// CountIndicators counts the registry now, without a cache, in the
	// buckets of the trend through asOf.
	CountIndicators(ctx context.Context, asOf trustmark.Date) (*statistics.Tally, error)
}

// Statistics fixture: Chongqing (50) and Sichuan (51) side by side, so that
// a province's count never takes its neighbour's records.
var (
	cqOrg1 = trustmark.MakeUSCC("9150010300000101") // 渝中区 500103
	cqOrg2 = trustmark.MakeUSCC("9150010300000102") // 渝中区 500103
	scOrg  = trustmark.MakeUSCC("9151010400000103") // 锦江区 510104
	bjOrg  = trustmark.MakeUSCC("9111010800000104") // 海淀区 110108
)

const (
	statBodyA  = "CNCA-R-2002-001" // Beijing, approved 2002
	statBodyCQ = "CNCA-R-2021-010" // Chongqing, approved 2021-06-01
	statBodySC = "CNCA-R-2010-011" // Sichuan, suspended on the suite's day
	statLabCQ  = "220012050001"    // Chongqing, CMA valid until 2028
	statLabSC  = "210012050002"    // Chengdu, CMA valid until the day before the suite's day
)

func seedStatistics(t *testing.T, s trustmark.Store) {
	t.Helper()
	body := func(no, region, approved string, st trustmark.PartyStatus) *trustmark.Body {
		b := &trustmark.Body{ApprovalNo: no, USCC: trustmark.MakeUSCC("91" + region + no[7:11] + no[12:15] + "0"), Name: "认证机构" + no, RegionCode: region,
			Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: st}
		if approved != "" {
			b.ApprovedOn = d(approved)
		}
		return b
	}
	lab := func(no, region, until string) *trustmark.Lab {
		return &trustmark.Lab{CMANo: no, USCC: trustmark.MakeUSCC("91" + region + no[4:12]), Name: "检测机构" + no, RegionCode: region, Status: trustmark.PartyActive, ValidUntil: d(until)}
	}
	cert := func(no string, holder trustmark.USCC, issued, expires string) *trustmark.Certificate {
		return &trustmark.Certificate{Number: no, Type: trustmark.TypeQMS, BodyApprovalNo: statBodyA, HolderUSCC: holder, Scope: "产品的设计和生产",
			IssuedOn: d(issued), ExpiresOn: d(expires), Status: trustmark.StatusValid}
	}
	rep := func(lab, no, issued string) *trustmark.Report {
		return &trustmark.Report{Number: no, LabCMANo: lab, Product: "样品", Conclusion: trustmark.ConclusionPass, IssuedOn: d(issued)}
	}
	for _, b := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{
		{trustmark.KindOrgs, []trustmark.Record{newOrg(cqOrg1, "重庆甲公司", "500103"), newOrg(cqOrg2, "重庆乙公司", "500103"),
			newOrg(scOrg, "成都丙公司", "510104"), newOrg(bjOrg, "北京丁公司", "110108")}},
		{trustmark.KindBodies, []trustmark.Record{body(statBodyA, "110000", "2002-06-01", trustmark.PartyActive),
			body(statBodyCQ, "500000", "2021-06-01", trustmark.PartyActive), body(statBodySC, "510000", "2010-01-01", trustmark.PartySuspended)}},
		{trustmark.KindLabs, []trustmark.Record{lab(statLabCQ, "500103", "2028-12-31"), lab(statLabSC, "510104", "2026-03-14")}},
		{trustmark.KindPersons, []trustmark.Record{person("S-0001", "王一", statBodyCQ, trustmark.PartyActive),
			person("S-0002", "王二", statBodySC, trustmark.PartyActive), person("S-0003", "王三", statBodyA, trustmark.PartyBanned)}},
		{trustmark.KindCertificates, []trustmark.Record{
			cert("00123Q10101R0M", cqOrg1, "2023-03-20", "2026-03-15"), // expires on the suite's day
			cert("00125Q10102R0M", cqOrg1, "2025-01-10", "2028-01-09"),
			cert("00124Q10103R0M", cqOrg2, "2024-01-01", "2026-12-31"), // revoked below, from 2026-01-20
			cert("00123Q10104R0M", scOrg, "2023-05-01", "2026-04-30"),
			cert("00119Q10105R0M", bjOrg, "2019-01-01", "2021-12-31"), // stored valid, expired by its date
		}},
		{trustmark.KindReports, []trustmark.Record{rep(statLabCQ, "CQ-1", "2025-06-10"), rep(statLabCQ, "CQ-2", "2026-02-20"),
			rep(statLabCQ, "CQ-3", "2026-03-01"), rep(statLabSC, "SC-1", "2025-12-01")}},
	} {
		wantAll(t, importAll(t, s, b.kind, b.recs...), trustmark.Created)
	}
	if _, err := s.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: statBodyA}, "00124Q10103R0M",
		trustmark.Transition{To: trustmark.StatusRevoked, Reason: "监督审核不合格", EffectiveOn: d("2026-01-20")}); err != nil {
		t.Fatalf("revoke: %v", err)
	}
}

// RunStatistics checks the counts of the plan's indicators: the validity
// of certificates on a day (the expiry day included), organisations counted
// once, parties by status and status_since, reports by month as imports
// change them, and each region counting only what lies in it.
func RunStatistics(t *testing.T, open func(t *testing.T) StatisticsStore) {
	s := open(t)
	t.Cleanup(func() { s.Close() })
	seedStatistics(t, s)
	count := func(t *testing.T, asOf trustmark.Date) *statistics.Tally {
		t.Helper()
		tally, err := s.CountIndicators(ctx, asOf)
		if err != nil {
			t.Fatalf("CountIndicators(%s): %v", asOf, err)
		}
		return tally
	}
	tally := count(t, Today)
	for _, tc := range []struct {
		name  string
		tally *statistics.Tally
		k     statistics.Key
		scope string
		month string // "" for the as-of day
		want  int64
	}{
		{"a certificate is valid on its expiry day", tally, statistics.ValidCertificates, trustmark.NationalRegion, "", 3},
		{"and not on the day after", count(t, Today.AddDate(0, 0, 1)), statistics.ValidCertificates, trustmark.NationalRegion, "", 2},
		{"a revoked certificate counts before its revocation", tally, statistics.ValidCertificates, trustmark.NationalRegion, "2025-12", 4},
		{"and not from the month it was revoked in", tally, statistics.ValidCertificates, trustmark.NationalRegion, "2026-01", 3},
		{"a certificate stored valid counts until its expiry date", tally, statistics.ValidCertificates, "110000", "2020-12", 1},
		{"and not after", tally, statistics.ValidCertificates, "110000", "", 0},
		{"Chongqing counts its certificates", tally, statistics.ValidCertificates, "500000", "", 2},
		{"Chongqing does not count Sichuan's", tally, statistics.CertifiedOrgs, "500000", "", 1},
		{"Sichuan counts its own", tally, statistics.ValidCertificates, "510000", "", 1},
		{"a city counts its counties", tally, statistics.ValidCertificates, "510100", "", 1},
		{"a county counts itself", tally, statistics.ValidCertificates, "500103", "", 2},
		{"an organisation with two certificates counts once", tally, statistics.CertifiedOrgs, trustmark.NationalRegion, "", 2},
		{"a body suspended today no longer counts", tally, statistics.ApprovedBodies, trustmark.NationalRegion, "", 2},
		{"but did last month", tally, statistics.ApprovedBodies, trustmark.NationalRegion, "2026-02", 3},
		{"a body counts from its approval", tally, statistics.ApprovedBodies, trustmark.NationalRegion, "2020-12", 2},
		{"Chongqing's bodies are its own", tally, statistics.ApprovedBodies, "500000", "", 1},
		{"a laboratory past its CMA validity no longer counts", tally, statistics.Labs, trustmark.NationalRegion, "", 1},
		{"but did at the month end before", tally, statistics.Labs, "510000", "2026-02", 1},
		{"a banned person no longer counts", tally, statistics.CertificationPersonnel, trustmark.NationalRegion, "", 2},
		{"personnel count in their body's region", tally, statistics.CertificationPersonnel, "500000", "", 1},
		{"reports count in their month", tally, statistics.ReportsPerYear, trustmark.NationalRegion, "2026-03", 1},
		{"in the region of their laboratory", tally, statistics.ReportsPerYear, "510000", "2025-12", 1},
		{"and not in its neighbour", tally, statistics.ReportsPerYear, "500000", "2025-12", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := valueIn(t, tc.tally, tc.k, tc.scope, tc.month); got != tc.want {
				t.Errorf("%s in %s at %q = %d, want %d", tc.k, tc.scope, tc.month, got, tc.want)
			}
		})
	}

	t.Run("reports imported or changed after a count move the next count", func(t *testing.T) {
		rep := func(lab, no, issued string) *trustmark.Report {
			return &trustmark.Report{Number: no, LabCMANo: lab, Product: "样品", Conclusion: trustmark.ConclusionPass, IssuedOn: d(issued)}
		}
		wantResults(t, importAll(t, s, trustmark.KindReports, rep(statLabCQ, "CQ-1", "2024-12-01"), rep(statLabSC, "SC-2", "2026-01-05")),
			trustmark.Updated, trustmark.Created)
		after := count(t, Today)
		for _, c := range []struct {
			scope, month string
			want         int64
		}{{"500000", "2025-06", 0}, {"500000", "2024-12", 1}, {"510000", "2026-01", 1}, {trustmark.NationalRegion, "2026-02", 1}} {
			if got := valueIn(t, after, statistics.ReportsPerYear, c.scope, c.month); got != c.want {
				t.Errorf("reports in %s in %s = %d, want %d", c.scope, c.month, got, c.want)
			}
		}
	})

	t.Run("the cached tally is a count of today", func(t *testing.T) {
		cached, err := s.Tally(ctx)
		if err != nil {
			t.Fatalf("Tally: %v", err)
		}
		if cached.AsOf() != Today {
			t.Errorf("Tally().AsOf() = %s, want %s", cached.AsOf(), Today)
		}
		if got := valueIn(t, cached, statistics.ValidCertificates, trustmark.NationalRegion, ""); got != 3 {
			t.Errorf("Tally() valid certificates = %d, want 3", got)
		}
	})
}

// valueIn returns indicator k for scope in the bucket of month, or on the
// as-of day when month is "".
func valueIn(t *testing.T, tally *statistics.Tally, k statistics.Key, scope, month string) int64 {
	t.Helper()
	series := tally.Series(k, scope)
	if month == "" {
		return series[len(series)-1]
	}
	for i, b := range tally.Buckets {
		if b.Month == month {
			return series[i]
		}
	}
	t.Fatalf("no bucket %s in the tally", month)
	return 0
}
