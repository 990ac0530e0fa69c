package web

import (
	"fmt"
	"html/template"
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
	Conclusion                                      StatusView   // coloured by the report's Standing
	IssuerNote                                      string       // the laboratory's standing when it is not active
	QR                                              template.URL // the page's own address as a QR code, for a printed copy
	PageURL, CheckedAt                              string
	// The client the report was made for: without it nobody can tell that
	// a genuine report belongs to their supplier.
	ClientName, ClientNameEn, ClientUSCC, ClientURL string
}

// checkedAt says when a page was looked up, in China time with its zone:
// a printed certificate or report page carries it.
func (h *Handler) checkedAt(t *Messages) string {
	return fmt.Sprintf(t.CheckedAt, fmt.Sprintf(t.ChinaTime, h.cfg.Clock().In(chinaTime).Format("2006-01-02 15:04")))
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cma, number := r.PathValue("cma_no"), r.PathValue("number")
	p := &ReportPage{Page: h.newPage(r, "")}
	rep, err := h.cfg.Store.Report(ctx, cma, number)
	if code := trustmark.ErrorCode(err); code == trustmark.ENotFound || code == trustmark.EInvalid {
		nf, err := h.explain(ctx, r, trustmark.IdentifyReport(cma, number))
		if err != nil {
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
	if rep.LabCMANo != cma || rep.Number != number {
		// Found in another spelling: the page has one address.
		h.redirect(w, r, &p.Page, reportURL(rep.LabCMANo, rep.Number))
		return
	}
	p.Title = p.T.ReportTitle + " " + rep.Number
	p.Number, p.CMANo, p.Product, p.Issued = rep.Number, rep.LabCMANo, rep.Product, rep.IssuedOn.String()
	p.LabName, p.LabURL = rep.LabName, p.Link(labURL(rep.LabCMANo))
	if p.LabName == "" || rep.LabStatus == "" {
		if l, err := h.cfg.Store.Lab(ctx, rep.LabCMANo); err == nil {
			p.LabName, rep.LabStatus, rep.LabStatusSince = l.Name, l.Status, l.StatusSince
		}
	}
	if rep.ClientUSCC != "" {
		p.ClientName, p.ClientUSCC, p.ClientURL = rep.ClientName, string(rep.ClientUSCC), p.Link(orgURL(rep.ClientUSCC))
		if p.T.Lang == "en" {
			if o, err := h.cfg.Store.Org(ctx, rep.ClientUSCC); err == nil {
				p.ClientNameEn = o.NameEn
			}
		}
	}
	standing := rep.Standing()
	p.Conclusion = conclusionView(p.T, rep.Conclusion)
	p.Conclusion.Class = toneClass(standing.Tone)
	p.IssuerNote = issuerNote(p.T, standing, p.T.IssuerLabNotes)
	p.PageURL = h.absoluteURL(r, reportURL(rep.LabCMANo, rep.Number))
	p.QR = h.qrDataURI(p.PageURL)
	p.CheckedAt = h.checkedAt(p.T)
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
	if strings.Trim(lab, "0123456789") == "" { // digits: a CMA number, else a name
		if rep, err := h.cfg.Store.Report(ctx, lab, p.Number); err == nil {
			h.redirect(w, r, &p.Page, reportURL(rep.LabCMANo, rep.Number))
			return
		}
		nf, err := h.explain(ctx, r, trustmark.IdentifyReport(lab, p.Number))
		if err != nil {
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
		rep, err := h.cfg.Store.Report(ctx, l.CMANo, p.Number)
		if err == nil {
			h.redirect(w, r, &p.Page, reportURL(rep.LabCMANo, rep.Number))
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
