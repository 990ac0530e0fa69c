package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"trustmark"
)

// CertificatePage shows one certificate, its status first.
type CertificatePage struct {
	Page
	Cert           *trustmark.Certificate
	TypeName       string
	Headline       StatusView // the effective status, in large, coloured by the certificate's Standing
	StatusNote     string     // "suspended since 2026-03-01"
	ValidityLabel  string     // "validity", or "former validity" once revoked or withdrawn
	IssuerNote     string     // the issuing body's standing when it is not active, beside the status
	HolderURL      string
	BodyURL        string
	BodyLastSubmit string
	HolderNameEn   string // shown beside the Chinese names on English pages
	BodyNameEn     string
	Events         []EventView
	ProofURL       string       // the one proof bundle of every event of the timeline, when the log serves one
	QR             template.URL // data:image/png;base64,...
	PageURL        string       // the absolute address the QR code holds
	CheckedAt      string       // when the page was looked up, so that a printed copy says so
	LogCheck       *LogCheck    // the checkpoint verified against and how to check it (checkpoint.go)
}

func (h *Handler) certificate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	if number == "" {
		h.notFoundPage(w, r)
		return
	}
	p := &CertificatePage{Page: h.newPage(r, "")}
	c, err := h.findCertificate(ctx, number, r.URL.Query().Get("type"))
	if trustmark.IsNotFound(err) || trustmark.ErrorCode(err) == trustmark.EInvalid {
		nf, err := h.explain(ctx, r, trustmark.IdentifyCertificate(number))
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
	t := p.T
	p.Cert = c
	p.Title = t.CertTitle + " " + c.Number
	p.TypeName = t.CertTypeName(c.Type)
	today := h.today()
	status := p.showStatus(c, today)
	p.HolderURL = p.Link(orgURL(c.HolderUSCC))
	p.BodyURL = p.Link(bodyURL(c.BodyApprovalNo))
	b := h.certBody(ctx, p, c)
	standing := c.Standing(today)
	p.Headline.Class = certClass(status, standing.Tone)
	p.IssuerNote = issuerNote(t, standing, t.IssuerBodyNotes)
	if t.Lang == "en" {
		if o, err := h.cfg.Store.Org(ctx, c.HolderUSCC); err == nil {
			p.HolderNameEn = o.NameEn
		}
	}
	if p.Events, p.ProofURL, err = h.timeline(ctx, t, c, b); err != nil {
		h.fail(w, r, err)
		return
	}
	p.LogCheck = h.logCheck(r, t, c.Number, p.Events)
	p.PageURL = h.absoluteURL(r, certURL(c.Number))
	p.QR = h.qrDataURI(p.PageURL)
	p.CheckedAt = h.checkedAt(t)
	h.render(w, r, http.StatusOK, "certificate", p)
}

// showStatus puts c's effective status on the page: the headline, since
// when, and whether its dates are still in force. It returns the status,
// which the issuer's standing colours once the body is known.
func (p *CertificatePage) showStatus(c *trustmark.Certificate, today trustmark.Date) trustmark.CertStatus {
	t := p.T
	status, since := c.EffectiveStatus(today)
	p.Headline = certStatusView(t, status)
	p.ValidityLabel = t.CertValidity
	if status == trustmark.StatusRevoked || status == trustmark.StatusWithdrawn {
		p.ValidityLabel = t.CertFormerValidity // no longer in force: the dates are history
	}
	switch status {
	case trustmark.StatusValid:
		p.StatusNote = fmt.Sprintf(t.StatusValidNote, c.ExpiresOn)
	case trustmark.StatusSuspended:
		p.StatusNote = fmt.Sprintf(t.StatusSuspendedNote, since)
	case trustmark.StatusRevoked:
		p.StatusNote = fmt.Sprintf(t.StatusRevokedNote, since)
	case trustmark.StatusWithdrawn:
		p.StatusNote = fmt.Sprintf(t.StatusWithdrawnNote, since)
	case trustmark.StatusExpired:
		// Valid through its expiry date, expired from the day after
		// (since): the note gives the last day it was valid.
		p.StatusNote = fmt.Sprintf(t.StatusExpiredNote, c.ExpiresOn)
	}
	return status
}

// certBody reads c's issuing body and fills in what its record adds: the
// body's status when c carries none (the issuer's standing needs it), its
// last submission, and its names. It returns the body, nil when it cannot
// be read: the page then does without.
func (h *Handler) certBody(ctx context.Context, p *CertificatePage, c *trustmark.Certificate) *trustmark.Body {
	b, err := h.cfg.Store.Body(ctx, c.BodyApprovalNo)
	if err != nil {
		return nil
	}
	t := p.T
	if c.BodyStatus == "" {
		c.BodyStatus, c.BodyStatusSince = b.Status, b.StatusSince
	}
	if !b.LastSubmission.IsZero() {
		p.BodyLastSubmit = fmt.Sprintf(t.CertBodyLastSubmit, lastSubmission(b.LastSubmission))
	}
	if c.BodyName == "" {
		c.BodyName = b.Name
	}
	if t.Lang == "en" {
		p.BodyNameEn = b.NameEn
	}
	return b
}

// findCertificate looks a certificate up by number, and by type when the
// reader gives one (numbers are unique per type only).
func (h *Handler) findCertificate(ctx context.Context, number, typ string) (*trustmark.Certificate, error) {
	if t, err := trustmark.ParseCertType(typ); err == nil && typ != "" {
		page, err := h.cfg.Store.Certificates(ctx, trustmark.CertificateFilter{Q: number, Type: t, Limit: 10})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			if c.Number == number {
				return c, nil
			}
		}
	}
	return h.cfg.Store.Certificate(ctx, number)
}

// absoluteURL returns the public address of path (site.go): never on a
// host the operator did not configure.
func (h *Handler) absoluteURL(r *http.Request, path string) string {
	return h.site.absolute(r, path)
}
