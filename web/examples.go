package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"trustmark/demo"
	"trustmark/locale"
)

// exampleCache keeps the examples found in the registry for a while: they
// cost a few queries, and the front page is the busiest.
type exampleCache struct {
	mu sync.Mutex
	ex demo.Examples
	at time.Time
	ok bool
}

// registryExamples returns identifiers of the data set being served (the
// demo's own records when the demo is loaded; demo.FindExamples picks them
// from any store), found again at most once a minute.
func (h *Handler) registryExamples(ctx context.Context) (demo.Examples, bool) {
	c := &h.examplesCache
	c.mu.Lock()
	defer c.mu.Unlock()
	now := h.cfg.Clock()
	if c.ok && now.Sub(c.at) < cacheTTL && !now.Before(c.at) {
		return c.ex, true
	}
	ex, err := demo.FindExamples(ctx, h.cfg.Store)
	if err != nil {
		if ctx.Err() == nil {
			h.cfg.Logger.Warn("home page examples", "err", err)
		}
		return demo.Examples{}, false
	}
	c.ex, c.at, c.ok = ex, now, true
	return ex, true
}

// examples are the front page's examples: each a record that exists in
// the registry, linked to its page; certificates with their effective
// status as their page states it.
func (h *Handler) examples(ctx context.Context, p *Page) []Example {
	ex, ok := h.registryExamples(ctx)
	if !ok {
		return nil
	}
	t := p.T
	var out []Example
	today := h.today()
	cert := func(label, number string) {
		if number == "" {
			return
		}
		c, err := h.cfg.Store.Certificate(ctx, number)
		if err != nil {
			return
		}
		s, _ := c.EffectiveStatus(today)
		out = append(out, Example{Label: label, Query: number, URL: p.Link(certURL(number)), Status: certStatusView(t, s)})
	}
	label := func(kind string) string { return locale.StatusLabel(t.IDNames[kind]) } // "Certificate number"
	cert(label("ccc"), ex.ValidCCC)
	cert(label("certificate"), ex.Suspended)
	cert(label("certificate"), ex.Revoked)
	if ex.OrgUSCC != "" {
		out = append(out, Example{Label: label("uscc"), Query: string(ex.OrgUSCC), URL: p.Link(orgURL(ex.OrgUSCC))})
	}
	if ex.BodyApprovalNo != "" {
		out = append(out, Example{Label: label("approval_no"), Query: ex.BodyApprovalNo, URL: p.Link(bodyURL(ex.BodyApprovalNo))})
	}
	if ex.ReportNo != "" {
		out = append(out, Example{Label: label("report"), Query: ex.LabCMANo + "/" + ex.ReportNo,
			URL: p.Link(reportURL(ex.LabCMANo, ex.ReportNo))})
	}
	if strings.Contains(ex.OrgName, "海尔") {
		out = append(out, Example{Label: t.OrgName, Query: "海尔", URL: p.Link("/search?q=" + urlQueryEscape("海尔")), Name: true})
	}
	return out
}
