package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"trustmark"
	"trustmark/campaign"
	"trustmark/credit"
	"trustmark/draw"
	"trustmark/matter"
)

// national is the national regulator, which runs the registry campaign.
var national = trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}

const (
	bodyC = "CNCA-R-2010-004" // Beijing, no certificates
	bodyD = "CNCA-R-2011-005" // Shanghai, no certificates
)

// seedInspectors adds two bodies without certificates and their persons
// to the fixture, a QMS certificate in Shanghai, and a lifetime ban on one
// person, so that a certificate campaign has one eligible inspector per
// province besides those excluded.
func seedInspectors(t *testing.T, s CampaignStore) {
	seed(t, s)
	wantAll(t, importAll(t, s, trustmark.KindBodies,
		&trustmark.Body{ApprovalNo: bodyC, USCC: trustmark.MakeUSCC("9111000000000060"), Name: "北京某认证有限公司", RegionCode: "110000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive, ApprovedOn: d("2010-03-01")},
		&trustmark.Body{ApprovalNo: bodyD, USCC: trustmark.MakeUSCC("9131000000000070"), Name: "上海某认证有限公司", RegionCode: "310000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive, ApprovedOn: d("2011-03-01")}), trustmark.Created)
	wantAll(t, importAll(t, s, trustmark.KindPersons,
		person("P-0002", "李娜", bodyB, trustmark.PartyActive), person("P-0005", "王芳", bodyC, trustmark.PartyActive),
		person("P-0006", "刘洋", bodyD, trustmark.PartyActive), person("P-0007", "陈静", bodyC, trustmark.PartySuspended),
		person("P-0008", "杨磊", bodyC, trustmark.PartyActive)), trustmark.Created)
	wantAll(t, importAll(t, s, trustmark.KindCertificates, qms(qmsNo2, bodyB, org2)), trustmark.Created)
	if rc, ok := any(s).(CreditStore); ok {
		ban, err := credit.BanEntry(credit.BanDecision{ID: "B-8", Subject: credit.Subject{Kind: credit.Person, ID: "P-0008"},
			Decision: "京市监罚〔2026〕8号", Grounds: "伪造检查记录", LegalBasis: "《认证认可条例》第七十三条", On: d("2026-01-10")}, creditAt(1), "regulator:110000")
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.RecordCreditEntry(ctx, ban); err != nil {
			t.Fatal(err)
		}
	}
}

// registryCampaign is a national campaign over valid QMS certificates.
func registryCampaign(id string) (*campaign.Campaign, campaign.RegistrySpec) {
	rates := map[draw.Class]draw.Permyriad{"A": 10000, "B": 10000, "C": 10000, "D": 10000}
	c := &campaign.Campaign{ID: id, Name: "2026年管理体系认证证书双随机抽查", Region: trustmark.NationalRegion, SubjectKind: "certificate",
		Filters: map[string]string{campaign.FilterCertType: string(trustmark.TypeQMS)}, Rates: rates,
		Checklist: []string{"证书范围与实际一致", "认证标志使用规范"}, Method: "certified_org", TeamSize: 1, Deadline: trustmark.NewDate(2026, 12, 31)}
	return c, campaign.RegistrySpec{Seed: draw.SeedSpec{Kind: draw.SeedLottery, Lottery: "双色球2026031+大乐透26031", Sources: 2}, RepeatDays: 365}
}

func testCampaignFromRegistry(t *testing.T, s CampaignStore) {
	seedInspectors(t, s)
	c, spec := registryCampaign("CAMP-R1")
	if err := s.CreateFromRegistry(ctx, c, spec, national); err != nil {
		t.Fatalf("CreateFromRegistry: %v", err)
	}
	var doc bytes.Buffer
	n, err := s.WriteCommitment(ctx, "CAMP-R1", &doc)
	if err != nil || n != c.CommitmentBytes {
		t.Fatalf("WriteCommitment = %d, %v; want %d bytes", n, err, c.CommitmentBytes)
	}
	com, err := draw.ParseCommitment(doc.Bytes())
	if err != nil {
		t.Fatalf("the stored commitment does not parse: %v\n%s", err, doc.String())
	}
	wantSubjects := []draw.Subject{{ID: qmsNo, Class: "A", Region: "110000", Unit: bodyA}, {ID: qmsNo2, Class: "A", Region: "310000", Unit: bodyB}}
	if !slices.Equal(com.Subjects, wantSubjects) {
		t.Errorf("eligible list = %+v, want the two valid QMS certificates in their holders' provinces, their bodies as units: %+v", com.Subjects, wantSubjects)
	}
	pool := map[string]draw.Inspector{}
	for _, in := range com.Inspectors {
		pool[in.ID] = in
	}
	for id, banned := range map[string]bool{"P-0001": false, "P-0002": false, "P-0005": false, "P-0006": false, "P-0007": true} {
		if in, ok := pool[id]; !ok || in.Banned != banned {
			t.Errorf("inspector %s in the pool = %+v (present %v), want banned %v", id, in, ok, banned)
		}
	}
	if in := pool["P-0008"]; !in.Banned && in.ID != "" {
		t.Errorf("P-0008, banned for life in its credit archive, is in the pool as %+v, want banned", in)
	}
	if _, err := s.RecordRandom(ctx, "CAMP-R1", campaign.RandomData{Kind: draw.SeedLottery, Lottery: CampaignLottery}, national); err != nil {
		t.Fatal(err)
	}
	drawn, err := s.DrawCampaign(ctx, "CAMP-R1", national)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range drawn.Result.Picks {
		want := map[string]string{qmsNo: "P-0005", qmsNo2: "P-0006"}[p.Subject]
		if !slices.Equal(p.Team, []string{want}) {
			t.Errorf("team of %s = %v, want [%s] (own body, suspended and banned persons excluded)", p.Subject, p.Team, want)
		}
	}
	testFindings(t, s)
}

func testFindings(t *testing.T, s CampaignStore) {
	today := trustmark.DateOf(Now)
	beijing := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}
	att := "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
	bad := campaign.Finding{Subject: qmsNo, Method: "certified_org", Outcome: campaign.Rectification, ConcludedOn: today,
		Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: false}}, Attachments: []string{att},
		Certificates: []campaign.CertificateAction{{Certificate: qmsNo, To: trustmark.StatusSuspended, Reason: "认证标志使用不规范"}}}
	for name, tc := range map[string]struct {
		edit func(f *campaign.Finding)
		code string
	}{
		"a subject not drawn":              {func(f *campaign.Finding) { f.Subject = "NOPE" }, trustmark.ENotFound},
		"no problem with a failed item":    {func(f *campaign.Finding) { f.Outcome, f.Certificates = campaign.NoProblem, nil }, trustmark.EInvalid},
		"an item missing":                  {func(f *campaign.Finding) { f.Items = f.Items[:1] }, trustmark.EInvalid},
		"another subject's certificate":    {func(f *campaign.Finding) { f.Certificates[0].Certificate = qmsNo2 }, trustmark.EInvalid},
		"a certificate made valid again":   {func(f *campaign.Finding) { f.Certificates[0].To = trustmark.StatusValid }, trustmark.EInvalid},
		"an attachment that is no hash":    {func(f *campaign.Finding) { f.Attachments = []string{"photo.jpg"} }, trustmark.EInvalid},
		"a conclusion after today":         {func(f *campaign.Finding) { f.ConcludedOn = today.AddDate(0, 0, 1) }, trustmark.EInvalid},
		"publishing before any finding is": {nil, trustmark.EConflict},
	} {
		t.Run("refused: "+name, func(t *testing.T) {
			var err error
			if tc.edit == nil {
				_, err = s.PublishResults(ctx, "CAMP-R1", national)
			} else {
				f := bad
				f.Items, f.Certificates = slices.Clone(bad.Items), slices.Clone(bad.Certificates)
				tc.edit(&f)
				_, err = s.RecordFinding(ctx, "CAMP-R1", f, beijing)
			}
			if trustmark.ErrorCode(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
		})
	}
	rec, err := s.RecordFinding(ctx, "CAMP-R1", bad, beijing)
	if err != nil {
		t.Fatalf("RecordFinding: %v", err)
	}
	if cert, err := s.Certificate(ctx, qmsNo); err != nil || cert.Status != trustmark.StatusSuspended {
		t.Errorf("certificate %s after the finding: %+v, %v; want suspended", qmsNo, cert, err)
	}
	if len(rec.Matters) != 2 || rec.DueOn.IsZero() || !rec.DueOn.After(today) {
		t.Errorf("finding: matters %v, due %s; want a publication and a rectification matter, due after today", rec.Matters, rec.DueOn)
	}
	if _, err := s.RecordFinding(ctx, "CAMP-R1", bad, beijing); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("a second finding for %s: %v, want conflict", qmsNo, err)
	}
	p, err := s.PublishResults(ctx, "CAMP-R1", national)
	if err != nil || p.N != 1 || p.Subjects != 1 || p.Late != 0 {
		t.Fatalf("PublishResults = %+v, %v; want publication 1 of 1 subject, none late", p, err)
	}
	if c, _ := s.Campaign(ctx, "CAMP-R1"); c.Status != campaign.Drawn {
		t.Errorf("with one of two results published the campaign is %s, want drawn", c.Status)
	}
	if ms, ok := any(s).(interface {
		Matter(ctx context.Context, id string) (*matter.Matter, error)
	}); ok {
		if m, err := ms.Matter(ctx, rec.Matters[0]); err != nil || m.Kind != campaign.PublicationKind || m.State != matter.Accepted {
			t.Errorf("publication matter %s after publishing: %+v, %v; want an accepted %s", rec.Matters[0], m, err, campaign.PublicationKind)
		}
		if m, err := ms.Matter(ctx, rec.Matters[1]); err != nil || m.Kind != campaign.RectifyKind || m.Party.ID != string(org1) || m.State != matter.Opened {
			t.Errorf("rectification matter %s: %+v, %v; want an opened %s for the holder %s", rec.Matters[1], m, err, campaign.RectifyKind, org1)
		}
	}
	good := campaign.Finding{Subject: qmsNo2, Method: "file", Outcome: campaign.NoProblem, ConcludedOn: today,
		Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: true}}}
	if _, err := s.RecordFinding(ctx, "CAMP-R1", good, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "310000"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishResults(ctx, "CAMP-R1", national); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Campaign(ctx, "CAMP-R1")
	published, err := s.Findings(ctx, "CAMP-R1", true)
	if err != nil || c.Status != campaign.Published || len(published) != 2 || len(c.Publications) != 2 {
		t.Fatalf("after both publications: status %s, %d published findings, %d publications (%v); want published, 2, 2", c.Status, len(published), len(c.Publications), err)
	}
	for _, p := range c.Publications {
		var rs []campaign.Result
		for _, f := range published {
			if f.Publication == p.N {
				rs = append(rs, f.Public())
			}
		}
		if campaign.ResultsSHA256(rs) != p.ResultsSHA256 {
			t.Errorf("publication %d: its results do not hash to the logged %s", p.N, p.ResultsSHA256)
		}
	}
	evs, _ := s.Events(ctx, trustmark.EventFilter{Entity: campaign.EntityCampaign, Key: "CAMP-R1", After: -1})
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	want := []string{campaign.ActionCommitted, campaign.ActionRandom, campaign.ActionDrawAttempted, campaign.ActionDrawn,
		campaign.ActionFinding, campaign.ActionPublished, campaign.ActionFinding, campaign.ActionPublished}
	if !slices.Equal(actions, want) {
		t.Errorf("campaign events = %v, want %v", actions, want)
	}
}
