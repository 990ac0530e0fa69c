package http

import (
	"cmp"
	"context"
	nethttp "net/http"
	"net/url"
	"slices"

	"trustmark/access"
	"trustmark/account"
	"trustmark/risk"
)

// Risk reports (风险信息归集): a regulator records a complaint, a failed
// product sampling of a certified product or a failed proficiency test of
// a laboratory (POST /api/v1/risk/reports); the report is an event of the
// public log and the risk follower turns it into signals. Regulators of
// the subject's region read the reports on a subject
// (GET /api/v1/risk/reports?subject=kind:id).

// RiskReportStore keeps risk reports; sqlstore.DB implements it.
type RiskReportStore interface {
	// RecordRiskReport records the report req files, after allow let the
	// caller record it on the subject the registry holds (allow returns
	// the regulator unit that records it, or the refusal).
	RecordRiskReport(ctx context.Context, req risk.ReportRequest, allow func(risk.ReportFacts) (string, error)) (risk.Report, error)
	// RiskReportRegions returns the regions of a subject of reports
	// (risk.ParseReportSubject); not_found when the registry does not hold it.
	RiskReportRegions(ctx context.Context, kind, id string) ([]string, error)
	// RiskReports returns the reports on a subject, latest first, and the
	// next page's cursor ("" at the end).
	RiskReports(ctx context.Context, kind, id, cursor string, limit int) ([]risk.Report, string, error)
}

// registerRiskReports registers the risk reports' routes.
func (s *Server) registerRiskReports() {
	s.handle("POST /api/v1/risk/reports", nethttp.HandlerFunc(s.recordRiskReport))
	s.handle("GET /api/v1/risk/reports", nethttp.HandlerFunc(s.riskReports))
}

func (s *Server) riskReportStore() (RiskReportStore, error) {
	return storeFor[RiskReportStore](s, "risk reports")
}

// RiskReportAllow is the check a risk report is recorded under: the
// caller must be allowed access.RiskReport in one of the regions of the
// subject (risk.ReportFacts.Regions: a body's or laboratory's; a
// certificate's organisation's or body's). It returns the regulator unit
// that records the report ("regulator:510000"), never a person.
func RiskReportAllow(c *Caller) func(risk.ReportFacts) (string, error) {
	return func(f risk.ReportFacts) (string, error) {
		role, err := decideAnyRegion(c, access.RiskReport, f.Regions())
		if err != nil {
			return "", err
		}
		return RoleParty(role).String(), nil
	}
}

// MayReportRisk refuses, before anything is read, a caller none of whose
// roles has a rule for access.RiskReport (a body, a laboratory): it would
// be refused whatever the subject.
func MayReportRisk(c *Caller) error {
	for _, rule := range access.Matrix {
		if rule.Action == access.RiskReport && slices.ContainsFunc(c.Roles, func(r account.Role) bool { return r.Kind == rule.Kind }) {
			return nil
		}
	}
	_, _, err := c.Decide(access.RiskReport, access.Target{})
	return err
}

// recordRiskReport answers POST /api/v1/risk/reports: 201 with the report
// as recorded, its parties and who recorded it.
func (s *Server) recordRiskReport(w nethttp.ResponseWriter, r *nethttp.Request) {
	rs, err := s.riskReportStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if err := MayReportRisk(c); err != nil {
		Error(w, r, err)
		return
	}
	var req risk.ReportRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	rep, err := rs.RecordRiskReport(r.Context(), req, RiskReportAllow(c))
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/risk/reports?subject="+url.QueryEscape(rep.Subject()))
	WriteJSON(w, nethttp.StatusCreated, rep)
}

// riskReports answers GET /api/v1/risk/reports?subject=kind:id: the
// reports on a subject, latest first, to regulators of one of its regions
// (access rule risk.view, as every read of risk).
func (s *Server) riskReports(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "subject", "limit", "cursor")
	subject, limit, cursor := q.str("subject"), q.limit(), q.str("cursor")
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	kind, id, err := risk.ParseReportSubject(subject)
	if err != nil {
		Error(w, r, err)
		return
	}
	rs, err := s.riskReportStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	regions, err := rs.RiskReportRegions(r.Context(), kind, id)
	if err != nil {
		Error(w, r, err)
		return
	}
	if _, err := decideAnyRegion(c, RiskAccess, regions); err != nil {
		Error(w, r, err)
		return
	}
	items, next, err := rs.RiskReports(r.Context(), kind, id, cursor, limit)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, listJSON[risk.Report]{Items: items, NextCursor: next})
}

// decideAnyRegion returns the first of the caller's roles that may take
// action in one of regions (a target with no region when there are none),
// or the first refusal.
func decideAnyRegion(c *Caller, action access.Action, regions []string) (account.Role, error) {
	if len(regions) == 0 {
		regions = []string{""}
	}
	var first error
	for _, region := range regions {
		role, _, err := c.Decide(action, access.Target{Region: region})
		if err == nil {
			return role, nil
		}
		first = cmp.Or(first, err)
	}
	return account.Role{}, first
}
