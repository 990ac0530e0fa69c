package sqlstore_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestFindAuditsSQLite(t *testing.T) { testFindAudits(t, openSQLite(t)) }

func TestFindAuditsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	testFindAudits(t, openPG(t))
}

// testFindAudits reports an audit in Hangzhou that started before the
// clock (late: an anomaly) and one in Qingdao tomorrow, and reads them back
// by region, body, team member, days and anomalies, with a photo.
func testFindAudits(t *testing.T, db *sqlstore.DB) {
	t.Cleanup(func() { db.Close() })
	seedParties(t, db)
	qd := trustmark.MakeUSCC("9137020016356268")
	for _, imp := range []struct {
		kind trustmark.Kind
		rec  trustmark.Record
	}{
		{trustmark.KindOrgs, &trustmark.Org{USCC: qd, Name: "青岛海尔", RegionCode: "370212"}},
		{trustmark.KindPersons, &trustmark.Person{RegistrationNo: "P-1", Name: "张伟", BodyApprovalNo: benchBody,
			Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive}},
	} {
		if out, err := db.Import(ctx, loader, imp.kind, []trustmark.Record{imp.rec}); err != nil || out[0].Result != trustmark.Created {
			t.Fatalf("import %s: %v %+v", imp.kind, err, out)
		}
	}
	now := storetest.Now
	plan := func(holder trustmark.USCC, open time.Time) string {
		d, err := db.ReportAudit(ctx, benchBody, "fixture", audit.Plan{HolderUSCC: holder, Type: trustmark.TypeQMS, Kind: audit.Initial,
			Site: audit.Site{Address: "现场", Lat: 30.27, Lng: 120.15, Datum: audit.WGS84}, OpeningAt: open, ClosingAt: open.Add(7 * time.Hour),
			Team: []audit.Member{{RegistrationNo: "P-1", Role: audit.Leader}}, AuditorDays: 20, EffectivePersonnel: 230})
		if err != nil {
			t.Fatalf("ReportAudit: %v", err)
		}
		return d.Audit.ID
	}
	hz, qdID := plan(holder(0), now.Add(-time.Hour)), plan(qd, now.Add(24*time.Hour))
	today := trustmark.DateOf(now)
	for _, tc := range []struct {
		name string
		q    audit.Query
		want []string
	}{
		{"the nation sees both, latest first", audit.Query{Region: trustmark.NationalRegion}, []string{qdID, hz}},
		{"Zhejiang sees Hangzhou", audit.Query{Region: "330000"}, []string{hz}},
		{"Qingdao sees Qingdao", audit.Query{Region: "370200"}, []string{qdID}},
		{"another province sees none", audit.Query{Region: "440000"}, nil},
		{"the body's", audit.Query{Body: benchBody}, []string{qdID, hz}},
		{"another body's", audit.Query{Body: "CNCA-R-2099-999"}, nil},
		{"the team member's", audit.Query{Person: "P-1"}, []string{qdID, hz}},
		{"today's", audit.Query{From: today, To: today}, []string{hz}},
		{"from tomorrow", audit.Query{From: today.AddDate(0, 0, 1)}, []string{qdID}},
		{"with anomalies", audit.Query{Anomalous: true}, []string{hz}},
	} {
		as, err := db.FindAudits(ctx, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, a := range as {
			got = append(got, a.ID)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1])) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	counts, err := db.AuditAnomalyCounts(ctx, []string{hz, qdID})
	if err != nil || counts[hz] != 1 || counts[qdID] != 0 {
		t.Errorf("AuditAnomalyCounts = %v, %v; want 1 late report for %s", counts, err, hz)
	}
	photo := []byte("\xff\xd8 the team at the gate")
	res, err := db.CheckIn(ctx, hz, "k1", audit.CheckInRequest{Person: "P-1", Kind: "open", Lat: 30.27, Lng: 120.15, AccuracyM: 10, Datum: "wgs84"}, [][]byte{photo})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.CheckInPhoto(ctx, res.CheckIn.Photos[0].SHA256); err != nil || !bytes.Equal(got, photo) {
		t.Errorf("CheckInPhoto = %q, %v", got, err)
	}
	if _, err := db.CheckInPhoto(ctx, "00"); !trustmark.IsNotFound(err) {
		t.Errorf("CheckInPhoto of no photo: %v, want not found", err)
	}
	// The same photo again, with another, in a group of two check-ins:
	// its bytes are kept once, and both are read by their hashes.
	other := []byte("\xff\xd8 the closing meeting")
	req := audit.CheckInRequest{Person: "P-1", Kind: "close", Lat: 30.27, Lng: 120.15, AccuracyM: 10, Datum: "wgs84"}
	_, errs, err := db.CheckInBatch(ctx, []audit.CheckInItem{
		{Audit: hz, RequestKey: "k2", Request: req, Photos: [][]byte{photo, other}},
		{Audit: hz, RequestKey: "k3", Request: req, Photos: [][]byte{other, photo}},
	})
	if err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatalf("check-ins with a photo used before: %v %v", err, errs)
	}
	if n, err := db.StoredPhotos(ctx); err != nil || n != 2 {
		t.Errorf("%d photos stored (%v), want 2: each content once", n, err)
	}
	for _, p := range [][]byte{photo, other} {
		sum := sha256.Sum256(p)
		if got, err := db.CheckInPhoto(ctx, hex.EncodeToString(sum[:])); err != nil || !bytes.Equal(got, p) {
			t.Errorf("CheckInPhoto = %q, %v; want %q", got, err, p)
		}
	}
}
