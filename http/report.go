package http

import (
	nethttp "net/http"

	"trustmark"
)

// ReportJSON is a test report's public facts: what the report itself says.
type ReportJSON struct {
	Number               string               `json:"number"`
	Lab                  LabRefJSON           `json:"lab"`
	Client               *HolderJSON          `json:"client,omitempty"`
	Product              string               `json:"product"`
	Conclusion           trustmark.Conclusion `json:"conclusion"`
	IssuedOn             trustmark.Date       `json:"issued_on"`
	SignerRegistrationNo string               `json:"signer_registration_no,omitempty"`
}

// LabRefJSON names a report's laboratory and gives its standing
// (CONTRACT.md version 2): a report of a suspended or revoked laboratory is
// never answered without saying so.
type LabRefJSON struct {
	CMANo       string                `json:"cma_no"`
	Name        string                `json:"name"`
	Status      trustmark.PartyStatus `json:"status"`
	StatusSince trustmark.Date        `json:"status_since"`
}

func newReportJSON(rep *trustmark.Report) ReportJSON {
	out := ReportJSON{
		Number:               rep.Number,
		Lab:                  LabRefJSON{CMANo: rep.LabCMANo, Name: rep.LabName, Status: rep.LabStatus, StatusSince: rep.LabStatusSince},
		Product:              rep.Product,
		Conclusion:           rep.Conclusion,
		IssuedOn:             rep.IssuedOn,
		SignerRegistrationNo: rep.SignerRegistrationNo,
	}
	if rep.ClientUSCC != "" {
		out.Client = &HolderJSON{USCC: rep.ClientUSCC, Name: rep.ClientName}
	}
	return out
}

func (s *Server) getReport(w nethttp.ResponseWriter, r *nethttp.Request) {
	v, err := pathValue(r, "lab_cma_no")
	if err != nil {
		Error(w, r, err)
		return
	}
	cma, err := trustmark.ParseCMANo(v)
	if err != nil {
		Error(w, r, fieldError("lab_cma_no", err))
		return
	}
	number, err := pathValue(r, "number")
	if err != nil {
		Error(w, r, err)
		return
	}
	rep, err := s.cfg.Store.Report(r.Context(), string(cma), number)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, newReportJSON(rep))
}

func (s *Server) listReports(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "lab_cma_no", "client_uscc", "limit", "cursor")
	f := trustmark.ReportFilter{
		LabCMANo:   q.cmaNo("lab_cma_no"),
		ClientUSCC: q.uscc("client_uscc"),
		Limit:      q.limit(),
		Cursor:     q.str("cursor"),
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Reports(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	writePage(w, page, newReportJSON)
}
