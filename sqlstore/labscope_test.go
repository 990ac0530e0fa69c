package sqlstore_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
)

func TestLabScopeSQLite(t *testing.T) {
	var fs feedStores
	testLabScope(t, &fs, fs.open(t, filepath.Join(t.TempDir(), "trustmark.db")))
}

func TestDisclosureReasonsSQLite(t *testing.T) {
	var fs feedStores
	testStatusReasons(t, fs.open(t, filepath.Join(t.TempDir(), "trustmark.db")).(*sqlstore.DB))
}

func TestDisclosureReasonsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	var fs feedStores
	testStatusReasons(t, fs.open(t, pgDSN(t)).(*sqlstore.DB))
}

// testStatusReasons: one query gives each certificate the reason of the
// latest transition to its present status (a reinstated one's is that of
// its reinstatement, not of its earlier suspension); none for a
// certificate never transitioned.
func testStatusReasons(t *testing.T, db *sqlstore.DB) {
	defer db.Close()
	seedParties(t, db)
	recs := certBatch("R", 4)
	if _, err := db.Import(ctx, loader, trustmark.KindCertificates, recs); err != nil {
		t.Fatal(err)
	}
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: benchBody}
	for _, step := range []struct {
		n   int
		to  trustmark.CertStatus
		why string
	}{
		{0, trustmark.StatusSuspended, "监督审核不通过"},
		{0, trustmark.StatusRevoked, "暂停期满未整改"},
		{1, trustmark.StatusSuspended, "未按期接受监督审核"},
		{2, trustmark.StatusSuspended, "质量体系运行不正常"},
		{2, trustmark.StatusValid, "整改完成"},
	} {
		if _, err := db.TransitionCertificate(ctx, body, recs[step.n].(*trustmark.Certificate).Number, trustmark.Transition{To: step.to, Reason: step.why}); err != nil {
			t.Fatalf("transition %d to %s: %v", step.n, step.to, err)
		}
	}
	var certs []*trustmark.Certificate
	for _, r := range recs {
		c, err := db.Certificate(ctx, r.(*trustmark.Certificate).Number)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	got, err := db.StatusReasons(ctx, certs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{certs[0].Key(): "暂停期满未整改", certs[1].Key(): "未按期接受监督审核", certs[2].Key(): "整改完成"}
	if len(got) != len(want) {
		t.Errorf("StatusReasons = %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("reason of %s = %q, want %q", k, got[k], w)
		}
	}
}

func TestLabScopePostgres(t *testing.T) {
	pgDSN(t) // skip early
	var fs feedStores
	testLabScope(t, &fs, fs.open(t, pgDSN(t)))
}

// testLabScope: a laboratory's scope is stored, read, listed, a change of
// it is an update with an event that carries it, and the state audit
// replays it: a scope changed behind the application's back is found.
func testLabScope(t *testing.T, fs *feedStores, s trustmark.Store) {
	defer s.Close()
	const scope = "产品/类别：家用电冰箱、电线电缆\n依据标准：GB 4706.1-2005"
	lab := &trustmark.Lab{CMANo: "240012340001", USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心",
		RegionCode: "110000", Scope: scope}
	imp := func(l *trustmark.Lab, want trustmark.Result) {
		t.Helper()
		cp := *l
		out, err := s.Import(ctx, loader, trustmark.KindLabs, []trustmark.Record{&cp})
		if err != nil || out[0].Err != nil || out[0].Result != want {
			t.Fatalf("import lab: %v %+v, want result %v", err, out, want)
		}
	}
	imp(lab, trustmark.Created)
	got, err := s.Lab(ctx, lab.CMANo)
	if err != nil || got.Scope != scope {
		t.Fatalf("Lab = %+v, %v; want scope %q", got, err, scope)
	}
	page, err := s.Labs(ctx, trustmark.PartyFilter{})
	if err != nil || len(page.Items) != 1 || page.Items[0].Scope != scope {
		t.Fatalf("Labs = %+v, %v; want the scope", page.Items, err)
	}
	imp(lab, trustmark.Unchanged)
	wider := *lab
	wider.Scope = scope + "、GB/T 5023.1-2008"
	imp(&wider, trustmark.Updated)
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityLab, Key: lab.CMANo, After: -1, Limit: 10})
	if err != nil || len(evs) != 2 {
		t.Fatalf("lab events = %d, %v; want created and updated", len(evs), err)
	}
	var data trustmark.Lab
	if err := json.Unmarshal(evs[1].Data, &data); err != nil || data.Scope != wider.Scope {
		t.Errorf("update event data scope = %q, %v; want %q", data.Scope, err, wider.Scope)
	}
	audit := func() *stateaudit.Report {
		t.Helper()
		r, err := stateaudit.Audit(ctx, s.(trustmark.StateSource), stateaudit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := audit(); !r.OK() {
		t.Errorf("audit of an untouched registry: %v", r.Differences)
	}
	fs.tamper(t, s, `UPDATE labs SET scope = '全部产品' WHERE cma_no = '`+lab.CMANo+`'`)
	r := audit()
	want := stateaudit.Difference{Table: "laboratories", Key: lab.CMANo, Kind: stateaudit.Changed, Field: "scope", Stored: "全部产品", Implied: wider.Scope, Seq: evs[1].Seq}
	if len(r.Differences) != 1 || r.Differences[0] != want {
		t.Errorf("audit of a tampered scope = %+v, want %+v", r.Differences, want)
	}
}
