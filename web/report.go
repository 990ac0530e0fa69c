package web

import (
	"net/http"
	"strings"

	"golang.org/x/text/width"

	"trustmark"
)

// ReportPage states what a test report says: number, laboratory, product,
// conclusion and date. It shows nothing the report does not state, and says
// so.
type ReportPage struct {
	Page
	Number, CMANo, LabName, LabURL, Product, Issued string
	Conclusion                                      StatusView
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cma, number := r.PathValue("cma_no"), r.PathValue("number")
	p := &ReportPage{Page: h.newPage(r, "")}
	rep, err := h.cfg.Store.Report(ctx, cma, number)
	if code := trustmark.ErrorCode(err); code == trustmark.ENotFound || code == trustmark.EInvalid {
		nf := h.newNotFound(r, cma+"/"+number, "report")
		if err := h.explainReport(ctx, nf, cma, number); err != nil {
			h.fail(w, r, err)
			return
		}
		h.notFound(w, r, nf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Title = p.T.ReportTitle + " " + rep.Number
	p.Number, p.CMANo, p.Product, p.Issued = rep.Number, rep.LabCMANo, rep.Product, rep.IssuedOn.String()
	p.LabName, p.LabURL = rep.LabName, p.Link(labURL(rep.LabCMANo))
	if p.LabName == "" {
		if l, err := h.cfg.Store.Lab(ctx, rep.LabCMANo); err == nil {
			p.LabName = l.Name
		}
	}
	p.Conclusion = conclusionView(p.T, rep.Conclusion)
	h.render(w, r, http.StatusOK, "report", p)
}

// ReportFormPage is the report verification form, as the official system
// asks: report number and laboratory (CMA number or name).
type ReportFormPage struct {
	Page
	Number, Lab string
	Message     string // why the entry could not be checked
}

// maxLabsTried bounds the laboratories a name may stand for in one check.
const maxLabsTried = 20

func (h *Handler) reportForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := &ReportFormPage{Page: h.newPage(r, ""), Number: strings.TrimSpace(width.Narrow.String(q.Get("number"))), Lab: trimLab(q.Get("lab"))}
	p.Title = p.T.ReportFormTitle
	if p.Number == "" || p.Lab == "" {
		h.render(w, r, http.StatusOK, "reportform", p)
		return
	}
	p.Robots = "noindex"
	lab := width.Narrow.String(p.Lab)
	if digitsRE.MatchString(lab) {
		if _, err := h.cfg.Store.Report(ctx, lab, p.Number); err == nil {
			h.redirect(w, r, &p.Page, reportURL(lab, p.Number))
			return
		}
		nf := h.newNotFound(r, lab+"/"+p.Number, "report")
		if err := h.explainReport(ctx, nf, lab, p.Number); err != nil {
			h.fail(w, r, err)
			return
		}
		h.notFound(w, r, nf)
		return
	}
	labs, err := h.cfg.Store.Labs(ctx, trustmark.PartyFilter{Q: p.Lab, Limit: maxLabsTried})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	nf := h.newNotFound(r, p.Number, "report")
	for _, l := range labs.Items {
		_, err := h.cfg.Store.Report(ctx, l.CMANo, p.Number)
		if err == nil {
			h.redirect(w, r, &p.Page, reportURL(l.CMANo, p.Number))
			return
		}
		if !trustmark.IsNotFound(err) {
			h.fail(w, r, err)
			return
		}
		nf.Issuers = append(nf.Issuers, IssuerView{Name: l.Name, Number: l.CMANo, URL: labURL(l.CMANo), LastSubmission: lastSubmission(l.LastSubmission)})
	}
	if len(labs.Items) == 0 {
		nf.NoIssuer = nf.T.IDNames["lab"]
	} else {
		nf.Unknown = true
	}
	h.notFound(w, r, nf)
}
