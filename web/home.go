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

// Example is a sample entry for the search box: a record of the data set
// being served, linked to its page, with its status where it has one.
type Example struct {
	Label, Query, URL string
	Status            StatusView // empty for records without a status of their own
	Issuer            StatusView // a certificate's issuing body not in good standing (certBadges)
	Name              bool       // a name to search, not an identifier
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	p := &HomePage{Page: h.newPage(r, "")}
	p.Title = p.T.SiteName
	p.Examples = h.examples(r.Context(), &p.Page)
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
