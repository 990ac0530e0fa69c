package web

import (
	"fmt"
	"net/http"

	"trustmark"
)

// HomePage is the front page: one search box, examples and headline counts.
type HomePage struct {
	Page
	Examples []Example
	Stats    *trustmark.Stats
	// The headline counts with thousands separators, in the page's language.
	Total, Valid, Orgs, Bodies, Labs string
	AsOf                             string // the time of the last change, with its zone
}

// Example is a sample entry for the search box.
type Example struct{ Label, Query, URL string }

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	p := &HomePage{Page: h.newPage(r, "")}
	p.Title = p.T.SiteName
	for _, ex := range []struct{ kind, q string }{{"ccc", "2020010901234567"}, {"uscc", "91370200163562681G"}, {"approval_no", "CNCA-R-2002-001"}, {"report", "210012340001/A2026-0001"}} {
		p.Examples = append(p.Examples, Example{Label: p.T.IDNames[ex.kind], Query: ex.q})
	}
	p.Examples = append(p.Examples, Example{Label: p.T.OrgName, Query: "海尔"})
	// Only the name is a live link: the numbers show the formats.
	last := &p.Examples[len(p.Examples)-1]
	last.URL = p.Link("/search?q=" + urlQueryEscape(last.Query))
	if s, err := h.stats(r.Context()); err == nil {
		p.Stats = s
		var total int64
		for _, n := range s.Certificates {
			total += n
		}
		p.Total, p.Valid = formatCount(total, p.T), formatCount(s.Certificates[trustmark.StatusValid], p.T)
		p.Orgs, p.Bodies, p.Labs = formatCount(s.Orgs, p.T), formatCount(s.Bodies, p.T), formatCount(s.Labs, p.T)
		if !s.LastEvent.IsZero() {
			p.AsOf = fmt.Sprintf(p.T.ChinaTime, s.LastEvent.In(chinaTime).Format("2006-01-02 15:04"))
		}
	} else if r.Context().Err() == nil {
		h.cfg.Logger.Warn("home page stats", "err", err)
	}
	h.render(w, r, http.StatusOK, "home", p)
}
