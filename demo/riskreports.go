package demo

import (
	"context"
	"fmt"

	"trustmark"
	"trustmark/risk"
)

// riskReportStore records risk reports (sqlstore.DB).
type riskReportStore interface {
	RecordRiskReport(ctx context.Context, req risk.ReportRequest, allow func(risk.ReportFacts) (string, error)) (risk.Report, error)
}

// demoReport is one risk report of the demo, before its subject is picked.
type demoReport struct {
	kind    risk.Kind
	daysAgo int
	source  string // a format over the year of the report
	details string
}

// addRiskReports records a handful of complaints, failed product samplings
// and failed proficiency tests, as the provincial regulators of their
// subjects would, so that the risk pages show signals no registry event
// gives. Haier's certificates (the demo organisation account's) and a
// laboratory of its province are among the subjects, so that the demo's
// provincial regulator sees them. It returns how many it recorded.
func (g *gen) addRiskReports(ctx context.Context, store trustmark.Store, rs riskReportStore) (int, error) {
	certs, err := g.riskCertificates(ctx, store)
	if err != nil {
		return 0, err
	}
	labs, err := store.Labs(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive, Limit: 12})
	if err != nil {
		return 0, fmt.Errorf("demo: risk reports: %w", err)
	}
	bodies, err := store.Bodies(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive, Limit: 8})
	if err != nil {
		return 0, fmt.Errorf("demo: risk reports: %w", err)
	}
	reqs := g.riskRequests(certs, labs.Items, bodies.Items)
	for _, req := range reqs {
		if _, err := rs.RecordRiskReport(ctx, req, provincialRegulator); err != nil {
			return 0, fmt.Errorf("demo: risk report %s on %s %s: %w", req.Kind, req.SubjectKind, req.SubjectID, err)
		}
	}
	return len(reqs), nil
}

// riskCertificates picks the certificates reported on: two of Haier's valid
// ones, then a few of the first valid CCC certificates, never the example
// one (its page should show a clean record).
func (g *gen) riskCertificates(ctx context.Context, store trustmark.Store) ([]string, error) {
	var certs []string
	haier, err := store.Orgs(ctx, trustmark.PartyFilter{Q: "海尔", Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("demo: risk reports: %w", err)
	}
	if len(haier.Items) > 0 {
		page, err := store.Certificates(ctx, trustmark.CertificateFilter{HolderUSCC: haier.Items[0].USCC, Status: trustmark.StatusValid, Limit: 2})
		if err != nil {
			return nil, fmt.Errorf("demo: risk reports: %w", err)
		}
		for _, c := range page.Items {
			certs = append(certs, c.Number)
		}
	}
	ccc, err := store.Certificates(ctx, trustmark.CertificateFilter{Type: trustmark.TypeCCC, Status: trustmark.StatusValid, Limit: 40})
	if err != nil {
		return nil, fmt.Errorf("demo: risk reports: %w", err)
	}
	for i, c := range ccc.Items {
		if i%13 == 5 && c.Number != g.sum.Examples.ValidCCC {
			certs = append(certs, c.Number)
		}
	}
	return certs, nil
}

// The demo's risk reports, by kind.
var (
	demoSamplings = []demoReport{
		{risk.SamplingFailed, 40, "市监质抽〔%d〕18号", "能效等级标注与实测不符，不符合 GB 12021.2"},
		{risk.SamplingFailed, 95, "市监质抽〔%d〕7号", "电源线截面积不足，不符合 GB 4706.1 第25.8条"},
		{risk.SamplingFailed, 210, "市监质抽〔%d〕31号", "标志和说明不符合要求"},
	}
	demoComplaints = []demoReport{
		{risk.Complaint, 12, "12315-%d-0417", "消费者反映产品与认证证书所列型号不一致"},
		{risk.Complaint, 60, "12315-%d-1203", "反映认证审核未到现场"},
		{risk.Complaint, 150, "12315-%d-0088", "反映检验检测报告数据与样品不符"},
	}
	demoProficiency = []demoReport{
		{risk.ProficiencyFailed, 30, "CNAS T0912 %d 年第 2 轮", "Z 比分数 |z| ≥ 3，结果不满意"},
		{risk.ProficiencyFailed, 300, "市场监管总局能力验证 NIM-%d-PT-05", "结果不满意，整改未完成"},
	}
)

// riskRequests gives the demo's reports their subjects: a failed sampling
// to each certificate, a complaint each to the second certificate, the
// fourth body and the third laboratory, and failed proficiency tests to the
// fifth and tenth laboratories.
func (g *gen) riskRequests(certs []string, labs []*trustmark.Lab, bodies []*trustmark.Body) []risk.ReportRequest {
	var reqs []risk.ReportRequest
	add := func(r demoReport, subjectKind, id string) {
		on := g.today.AddDate(0, 0, -r.daysAgo)
		reqs = append(reqs, risk.ReportRequest{Kind: r.kind, SubjectKind: subjectKind, SubjectID: id, On: on,
			Source: fmt.Sprintf(r.source, on.Time().Year()), Details: r.details})
	}
	for i, c := range certs {
		add(demoSamplings[i%len(demoSamplings)], risk.OnCertificate, c)
	}
	if len(certs) > 1 {
		add(demoComplaints[0], risk.OnCertificate, certs[1])
	}
	if len(bodies) > 3 {
		add(demoComplaints[1], risk.OnBody, bodies[3].ApprovalNo)
	}
	for i, l := range labs {
		switch i {
		case 2:
			add(demoComplaints[2], risk.OnLab, l.CMANo)
		case 4, 9:
			add(demoProficiency[i%2], risk.OnLab, l.CMANo)
		}
	}
	return reqs
}

// provincialRegulator is who records a report: the provincial regulator of
// its subject's region.
func provincialRegulator(f risk.ReportFacts) (string, error) {
	regions := f.Regions()
	if len(regions) == 0 || len(regions[0]) < 2 {
		return "", fmt.Errorf("a subject without a region")
	}
	return trustmark.Party{Kind: trustmark.PartyRegulator, ID: regions[0][:2] + "0000"}.String(), nil
}
