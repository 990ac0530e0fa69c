package web

import (
	"net/http"

	"trustmark"
)

// HomePage is the front page: one search box, examples and headline counts.
type HomePage struct {
	Page
	Examples []Example
	Stats    *trustmark.Stats
	Valid    int64
	Total    int64
	AsOf     string
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
		p.Valid = s.Certificates[trustmark.StatusValid]
		for _, n := range s.Certificates {
			p.Total += n
		}
		if !s.LastEvent.IsZero() {
			p.AsOf = s.LastEvent.In(chinaTime).Format("2006-01-02 15:04")
		}
	} else if r.Context().Err() == nil {
		h.cfg.Logger.Warn("home page stats", "err", err)
	}
	h.render(w, r, http.StatusOK, "home", p)
}
