package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"trustmark/demo"
	"trustmark/locale"
)

// exampleCache keeps the examples found in the registry: they cost a few
// queries (a name lookup among millions of organisations at national
// scale), and the front page is the busiest. Once found, they are served
// while a background refresh finds them again.
type exampleCache struct {
	mu         sync.Mutex
	ex         demo.Examples
	at         time.Time
	ok         bool
	refreshing bool
}

// examplesTTL is how long examples are served before they are looked for
// again (in the background).
const examplesTTL = 10 * time.Minute

// registryExamples returns identifiers of the data set being served (the
// demo's own records when the demo is loaded; demo.FindExamples picks them
// from any store). The first call finds them; later ones get the last
// found, refreshed in the background once they are examplesTTL old.
func (h *Handler) registryExamples(ctx context.Context) (demo.Examples, bool) {
	c := &h.examplesCache
	c.mu.Lock()
	now := h.cfg.Clock()
	if c.ok {
		ex := c.ex
		if (now.Sub(c.at) >= examplesTTL || now.Before(c.at)) && !c.refreshing {
			c.refreshing = true
			go h.refreshExamples()
		}
		c.mu.Unlock()
		return ex, true
	}
	c.mu.Unlock()
	ex, err := demo.FindExamples(ctx, h.cfg.Store)
	if err != nil {
		if ctx.Err() == nil {
			h.cfg.Logger.Warn("home page examples", "err", err)
		}
		return demo.Examples{}, false
	}
	c.mu.Lock()
	c.ex, c.at, c.ok = ex, now, true
	c.mu.Unlock()
	return ex, true
}

func (h *Handler) refreshExamples() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ex, err := demo.FindExamples(ctx, h.cfg.Store)
	c := &h.examplesCache
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err != nil {
		h.cfg.Logger.Warn("home page examples", "err", err)
		return
	}
	c.ex, c.at = ex, h.cfg.Clock()
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
		st, issuer := certBadges(t, s, c)
		out = append(out, Example{Label: label, Query: number, URL: p.Link(certURL(number)), Status: st, Issuer: issuer})
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
