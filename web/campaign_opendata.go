package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"trustmark"
	"trustmark/campaign"
)

// campaignResultsCSV is the open-data download of a campaign's published
// results (/campaigns/{id}/results.csv): one row per published result, with
// only what the campaign page shows (no account, no inspector, no
// attachment), in the page's language, with the UTF-8 byte-order mark that
// Excel in China needs. Unpublished findings never appear: the store is
// asked for published ones only, and each row is checked again.
func (h *Handler) campaignResultsCSV(w http.ResponseWriter, r *http.Request) {
	src, ok := h.cfg.Store.(campaignSource)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal keeps no inspection campaigns"))
		return
	}
	c, err := src.Campaign(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fs, err := src.Findings(r.Context(), c.ID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, _ := pickLang(r)
	t := &m.Campaign
	regions := trustmark.DefaultRegions()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="trustmark-campaign-%s-results.csv"`, csvFileName(c.ID)))
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Write(t.OpenDataCSV)
	for _, f := range fs {
		if f.PublishedOn.IsZero() {
			continue
		}
		rectify := t.No
		if f.Outcome == campaign.Rectification {
			rectify = t.Yes
		}
		certs := make([]string, 0, len(f.Certificates))
		for _, ca := range f.Certificates {
			certs = append(certs, ca.Certificate+" "+t.CertStatuses[string(ca.To)])
		}
		cw.Write([]string{csvSafe(c.ID), t.Kinds[c.SubjectKind], csvSafe(f.Subject), string(f.Class), f.Region,
			regions.FullNameIn(f.Region, m.Lang), t.Methods[f.Method], t.Outcomes[string(f.Outcome)], rectify,
			csvSafe(strings.Join(certs, "; ")), f.ConcludedOn.String(), f.PublishedOn.String()})
	}
	cw.Flush()
}

// csvFileName keeps only letters, digits, '-' and '_' of an identifier for
// a download's file name.
func csvFileName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, id)
}
