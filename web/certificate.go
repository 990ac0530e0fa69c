package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"

	"github.com/skip2/go-qrcode"

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
	QR             template.URL // data:image/png;base64,...
	PageURL        string       // the absolute address the QR code holds
	CheckedAt      string       // when the page was looked up, so that a printed copy says so
}

// EventView is one line of a timeline.
type EventView struct {
	At, Actor, What, Reason, Effective string
	Verified, Pending                  bool
	ProofURL                           string
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
		p.StatusNote = fmt.Sprintf(t.StatusExpiredNote, since)
	}
	p.HolderURL = p.Link(orgURL(c.HolderUSCC))
	p.BodyURL = p.Link(bodyURL(c.BodyApprovalNo))
	if b, err := h.cfg.Store.Body(ctx, c.BodyApprovalNo); err == nil {
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
	}
	standing := c.Standing(today)
	p.Headline.Class = certClass(status, standing.Tone)
	p.IssuerNote = issuerNote(t, standing, t.IssuerBodyNotes)
	if t.Lang == "en" {
		if o, err := h.cfg.Store.Org(ctx, c.HolderUSCC); err == nil {
			p.HolderNameEn = o.NameEn
		}
	}
	if p.Events, err = h.timeline(ctx, t, c); err != nil {
		h.fail(w, r, err)
		return
	}
	p.PageURL = h.absoluteURL(r, certURL(c.Number))
	p.QR = h.qrDataURI(p.PageURL)
	p.CheckedAt = h.checkedAt(t)
	h.render(w, r, http.StatusOK, "certificate", p)
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

// timeline returns the certificate's events, oldest first, marked with what
// the public log says of each when a History is configured.
func (h *Handler) timeline(ctx context.Context, t *Messages, c *trustmark.Certificate) ([]EventView, error) {
	var events []trustmark.Event
	for after := int64(-1); ; {
		page, err := h.cfg.Store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: after, Limit: 500})
		if err != nil {
			return nil, err
		}
		events = append(events, page...)
		if len(page) < 500 || len(events) >= 5000 {
			break
		}
		after = page[len(page)-1].Seq
	}
	logged := map[int64]HistoryEntry{}
	if h.cfg.History != nil {
		entries, err := h.cfg.History.CertificateHistory(ctx, c.Number)
		if err != nil && !trustmark.IsNotFound(err) {
			// The log is an addition: its failure must not hide the certificate.
			h.cfg.Logger.Warn("certificate history from the log", "number", c.Number, "err", err)
		}
		for _, e := range entries {
			logged[e.Seq] = e
		}
	}
	views := make([]EventView, 0, len(events))
	for _, e := range events {
		v := EventView{At: e.At.In(chinaTime).Format("2006-01-02 15:04"), Actor: actorLabel(t, e.Actor), Reason: e.Reason}
		v.What = t.ActionNames[e.Action]
		if v.What == "" {
			v.What = e.Action
		}
		if e.From != "" || e.To != "" {
			v.What += fmt.Sprintf("：%s → %s", statusName(t, e.From), statusName(t, e.To))
			if t.Lang == "en" {
				v.What = t.ActionNames[e.Action] + fmt.Sprintf(": %s → %s", statusName(t, e.From), statusName(t, e.To))
			}
		}
		if !e.EffectiveOn.IsZero() {
			v.Effective = fmt.Sprintf(t.EventEffective, e.EffectiveOn)
		}
		if le, ok := logged[e.Seq]; ok {
			v.Verified, v.Pending, v.ProofURL = le.Verified, !le.Verified, le.ProofURL
		}
		views = append(views, v)
	}
	return views, nil
}

func statusName(t *Messages, s string) string {
	if n := t.CertStatusNames[trustmark.CertStatus(s)]; n != "" {
		return n
	}
	if s == "" {
		return "—"
	}
	return s
}

// actorLabel names who acted. Bodies, labs and regulators are public
// parties and keep their number; an import's file name stays internal.
func actorLabel(t *Messages, actor string) string {
	p, err := trustmark.ParseParty(actor)
	if err != nil {
		return actor
	}
	name := t.ActorNames[p.Kind]
	switch p.Kind {
	case trustmark.PartyBody, trustmark.PartyLab:
		return name + " " + p.ID
	case trustmark.PartyRegulator:
		if p.ID == "000000" || p.ID == "" {
			return name
		}
		return name + " " + trustmark.DefaultRegions().FullNameIn(p.ID, t.Lang)
	}
	return name
}

// absoluteURL returns the public address of path (site.go): never on a
// host the operator did not configure.
func (h *Handler) absoluteURL(r *http.Request, path string) string {
	return h.site.absolute(r, path)
}

// qrDataURI returns the QR code of u as a data: URI, from a small cache:
// drawing a code costs about a millisecond, more than the rest of the page,
// and printed certificates send the same pages again and again.
func (h *Handler) qrDataURI(u string) template.URL {
	c := h.cache
	c.qrMu.Lock()
	v, ok := c.qr[u]
	c.qrMu.Unlock()
	if ok {
		return v
	}
	png, err := qrPNG(u)
	if err != nil {
		h.cfg.Logger.Warn("certificate QR code", "url", u, "err", err)
		return ""
	}
	v = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	c.qrMu.Lock()
	if len(c.qr) >= qrCacheSize || c.qr == nil {
		c.qr = make(map[string]template.URL, qrCacheSize)
	}
	c.qr[u] = v
	c.qrMu.Unlock()
	return v
}

// qrCacheSize bounds the QR cache (about 1 KB an entry).
const qrCacheSize = 4096

// qrPNG returns a QR code of s as a small PNG with one pixel per module;
// the page scales it up crisply (image-rendering: pixelated), which keeps
// the page light.
func qrPNG(s string) ([]byte, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	return q.PNG(-1)
}
