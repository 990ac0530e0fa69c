package http

import (
	nethttp "net/http"
	"time"

	"trustmark"
	"trustmark/access"
)

// registerAPI registers the JSON API of CONTRACT.md. The OpenAPI document
// (openapi.json) describes exactly these routes; a test holds them equal.
func (s *Server) registerAPI() {
	for _, rt := range []struct {
		pattern string
		h       nethttp.HandlerFunc
	}{
		{"GET /api/v1/certificates", s.listCertificates},
		{"POST /api/v1/certificates", s.issueCertificate},
		{"GET /api/v1/certificates/{number}", s.getCertificate},
		{"POST /api/v1/certificates/{number}/transitions", s.transitionCertificate},
		{"GET /api/v1/certificates/{number}/history", s.certificateHistory},
		{"GET /api/v1/orgs", s.listOrgs},
		{"GET /api/v1/orgs/{uscc}", s.getOrg},
		{"GET /api/v1/bodies", s.listBodies},
		{"GET /api/v1/bodies/{approval_no}", s.getBody},
		{"GET /api/v1/labs", s.listLabs},
		{"GET /api/v1/labs/{cma_no}", s.getLab},
		{"GET /api/v1/persons", s.listPersons},
		{"GET /api/v1/persons/{registration_no}", s.getPerson},
		{"GET /api/v1/reports", s.listReports},
		{"GET /api/v1/reports/{lab_cma_no}/{number}", s.getReport},
		{"GET /api/v1/stats", s.stats},
		{"GET /api/v1/calendar/working-days", s.calendarWorkingDays},
		{"GET /api/v1/statistics/indicators", s.statisticsIndicators},
		{"GET /api/v1/credit/serious-violations", s.creditSeriousViolations},
		{"POST /api/v1/credit/listings", s.proposeListing},
		{"POST /api/v1/credit/archive", s.recordArchiveEntry},
		{"GET /api/v1/credit/archive/{kind}/{id}", s.getArchive},
		{"POST /api/v1/credit/listings/{id}/notice", s.listingStep(access.CreditList, notifyListing)},
		{"POST /api/v1/credit/listings/{id}/decision", s.listingStep(access.CreditList, decideListing)},
		{"POST /api/v1/credit/listings/{id}/repair-decision", s.listingStep(access.CreditRepairDecide, decideRepair)},
		{"POST /api/v1/credit/listings/{id}/objection", s.partyStep(objectListing)},
		{"POST /api/v1/credit/listings/{id}/repair", s.partyStep(applyRepair)},
		{"GET /api/v1/risk/subjects", s.riskSubjects},
		{"GET /api/v1/risk/subjects/{kind}/{id}", s.riskSubject},
		{"GET /api/v1/risk/rules", s.riskRules},
		{"POST /api/v1/risk/rules", s.editRiskRules},
		{"POST /api/v1/audits", s.reportAudit},
		{"GET /api/v1/audits/{id}", s.getAudit},
		{"PUT /api/v1/audits/{id}", s.changeAudit},
		{"POST /api/v1/audits/{id}/checkins", s.checkIn},
		{"GET /api/v1/audits/{id}/anomalies", s.auditAnomalies},
		{"POST /api/v1/verify", s.verify},
		{"POST /api/v1/watches", s.createWatch},
		{"GET /api/v1/watches", s.listWatches},
		{"GET /api/v1/watches/{id}", s.getWatch},
		{"DELETE /api/v1/watches/{id}", s.deleteWatch},
		{"POST /api/v1/watches/{id}/items", s.updateWatchItems},
		{"GET /api/v1/watches/{id}/deliveries", s.watchDeliveries},
	} {
		s.handle(rt.pattern, rt.h)
	}
	s.registerCampaigns()
	s.handle("GET /api/v1/personal-data-access", nethttp.HandlerFunc(s.listPersonalAccess))
}

// StatsJSON is the registry's headline counts.
type StatsJSON struct {
	Orgs         int64                          `json:"orgs"`
	Bodies       int64                          `json:"bodies"`
	Labs         int64                          `json:"labs"`
	Persons      int64                          `json:"persons"`
	Reports      int64                          `json:"reports"`
	Certificates map[trustmark.CertStatus]int64 `json:"certificates"`
	Events       int64                          `json:"events"`
	LastEvent    *time.Time                     `json:"last_event,omitempty"`
}

func (s *Server) stats(w nethttp.ResponseWriter, r *nethttp.Request) {
	if q := parseQuery(r); q.err != nil {
		Error(w, r, q.err)
		return
	}
	st, err := s.cfg.Store.Stats(r.Context())
	if err != nil {
		Error(w, r, err)
		return
	}
	certs := st.Certificates
	if certs == nil {
		certs = map[trustmark.CertStatus]int64{}
	}
	WriteJSON(w, nethttp.StatusOK, StatsJSON{
		Orgs: st.Orgs, Bodies: st.Bodies, Labs: st.Labs, Persons: st.Persons, Reports: st.Reports,
		Certificates: certs, Events: st.Events, LastEvent: timePtr(st.LastEvent),
	})
}
