package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"trustmark"
)

// labsPerPage is the laboratories one page of /labs lists.
const labsPerPage = 20

// labsMatchesShown bounds the matching scope items a row of /labs shows;
// the laboratory's page has them all.
const labsMatchesShown = 6

// LabsPage lists laboratories by what their accredited scope lets them
// test (/labs?scope=电线), and by name or CMA number (q).
type LabsPage struct {
	Page
	Scope, Q string
	Rows     []LabRow
	Count    string
	NextURL  string
	// Examples are scope words to try, each a link to its list.
	Examples []LabsExample
}

// LabsExample is a scope word of the list's hint and the list it gives.
type LabsExample struct{ Text, URL string }

// LabRow is one laboratory of the list, with the scope items that matched.
type LabRow struct {
	Name, CMANo, URL, Region string
	Status                   StatusView
	Matched                  []string
	More                     string // "另有 3 项"
}

// ScopeGroup is one field of a laboratory's scope with its items.
type ScopeGroup struct {
	Field string
	Items string // joined with the page language's separator
}

func (h *Handler) labs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &LabsPage{Page: h.newPage(r, ""), Scope: strings.TrimSpace(q.Get("scope")), Q: strings.TrimSpace(q.Get("q"))}
	t := p.T
	p.Title = t.Portal.LabsTitle
	for _, e := range t.Portal.LabsExamples {
		p.Examples = append(p.Examples, LabsExample{Text: e, URL: p.Link("/labs?" + url.Values{"scope": {e}}.Encode())})
	}
	f := trustmark.PartyFilter{Q: p.Q, Scope: p.Scope, Cursor: q.Get("cursor"), Limit: labsPerPage}
	page, err := h.cfg.Store.Labs(r.Context(), f)
	if code := trustmark.ErrorCode(err); code == trustmark.EInvalid { // a cursor not of ours: start again
		f.Cursor = ""
		page, err = h.cfg.Store.Labs(r.Context(), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.today()
	for _, l := range page.Items {
		row := LabRow{Name: l.Name, CMANo: l.CMANo, URL: p.Link(labURL(l.CMANo)), Region: trustmark.DefaultRegions().FullNameIn(l.RegionCode, t.Lang),
			Status: labStatusView(t, l, today)}
		if p.Scope != "" {
			matched := trustmark.MatchLabScope(l.ScopeItems(), p.Scope)
			for i, it := range matched {
				if i == labsMatchesShown {
					row.More = fmt.Sprintf(t.Portal.LabsMore, formatCount(int64(len(matched)-i), t))
					break
				}
				row.Matched = append(row.Matched, scopeItemText(t, it))
			}
		}
		p.Rows = append(p.Rows, row)
	}
	p.Count = fmt.Sprintf(t.Portal.LabsCount, formatCount(int64(len(p.Rows)), t))
	if page.NextCursor != "" {
		v := url.Values{"cursor": {page.NextCursor}}
		if p.Scope != "" {
			v.Set("scope", p.Scope)
		}
		if p.Q != "" {
			v.Set("q", p.Q)
		}
		p.NextURL = p.Link("/labs?" + v.Encode())
	}
	if p.Scope != "" || p.Q != "" || f.Cursor != "" {
		p.Robots = "noindex"
	}
	h.render(w, r, http.StatusOK, "labs", p)
}

// labStatusView is a laboratory's status as its page shows it: lapsed
// once its CMA certificate's validity has passed.
func labStatusView(t *Messages, l *trustmark.Lab, today trustmark.Date) StatusView {
	if !l.ValidUntil.IsZero() && l.ValidUntil.Before(today) {
		return StatusView{Label: t.StatusExpired, Class: lapsedClass}
	}
	return partyStatusView(t, l.Status)
}

// scopeItemText is one scope item in the page's language: "电线电缆：阻燃性能".
func scopeItemText(t *Messages, it trustmark.LabScopeItem) string {
	if it.Field == "" {
		return it.Item
	}
	return it.Field + t.Portal.ScopeFieldSep + it.Item
}

// scopeGroups gathers a scope's items under their fields, in the order the
// scope gives them; items without a field stand alone.
func scopeGroups(t *Messages, items []trustmark.LabScopeItem) []ScopeGroup {
	var groups []ScopeGroup
	var cur []string
	flush := func(field string) {
		if len(cur) > 0 {
			groups = append(groups, ScopeGroup{Field: field, Items: strings.Join(cur, t.Portal.ScopeItemSep)})
			cur = nil
		}
	}
	field := ""
	for _, it := range items {
		if it.Field != field || it.Field == "" {
			flush(field)
			field = it.Field
		}
		cur = append(cur, it.Item)
	}
	flush(field)
	return groups
}
