package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"trustmark"
	"trustmark/credit"
	"trustmark/locale"
)

// seriousViolations reads the public list; the store implements it.
type seriousViolations interface {
	SeriousViolations(ctx context.Context, on trustmark.Date, after string, limit int) ([]credit.PublicListing, string, error)
}

// creditPageSize is how many listings one page of /credit shows.
const creditPageSize = 100

// CreditPage is the public serious-violation list (/credit): what
// credit.Public shows of each listing, and nothing more.
type CreditPage struct {
	Page
	AsOf     string
	Entries  []CreditEntry
	Next     string // the next page's link; "" on the last
	Download string // the CSV of the whole list
}

// CreditEntry is one listing as the page shows it.
type CreditEntry struct {
	Kind, ID, Name, Link string
	Person               bool
	Grounds, LegalBasis  string
	Period               string
}

// subjectPaths are the pages of each kind of subject.
var subjectPaths = map[credit.SubjectKind]string{credit.Body: "/bodies/", credit.Lab: "/labs/", credit.Person: "/persons/", credit.Org: "/orgs/"}

// creditParams are the parameters /credit takes: the next page's cursor
// and the language. The list is the one in force today: any other
// parameter (a day to read it on, a filter) is refused by name rather than
// dropped (checkPageQuery), which would show today's list as if it
// answered.
var creditParams = []string{"cursor", "lang"}

func (h *Handler) creditPage(w http.ResponseWriter, r *http.Request) {
	src, ok := h.cfg.Store.(seriousViolations)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep the serious-violation list"))
		return
	}
	q := r.URL.Query()
	if err := checkPageQuery(q, creditParams, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	items, next, err := src.SeriousViolations(r.Context(), h.today(), q.Get("cursor"), creditPageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "")
	t := &p.T.Credit
	cp := &CreditPage{Page: p, AsOf: fmt.Sprintf(t.AsOf, h.today()), Download: p.Link("/credit/serious-violations.csv")}
	cp.Title = t.Title
	for _, it := range items {
		cp.Entries = append(cp.Entries, CreditEntry{Kind: kindName(it.SubjectKind, p.T), ID: it.SubjectID, Name: it.Name,
			Link: p.Link(subjectPaths[it.SubjectKind] + url.PathEscape(it.SubjectID)), Person: it.SubjectKind == credit.Person,
			Grounds: it.Grounds, LegalBasis: it.LegalBasis, Period: fmt.Sprintf(t.PeriodFormat, it.ListedOn, it.Until)})
	}
	if next != "" {
		cp.Next = p.Link("/credit?cursor=" + url.QueryEscape(next))
	}
	h.render(w, r, http.StatusOK, "credit", cp)
}

func kindName(k credit.SubjectKind, m *locale.Messages) string {
	t := &m.Credit
	return map[credit.SubjectKind]string{credit.Body: t.KindBody, credit.Lab: t.KindLab, credit.Person: t.KindPerson, credit.Org: t.KindOrg}[k]
}

// creditDownload serves the whole list as CSV (UTF-8 with a byte-order
// mark, as the statistics downloads), the open-data form of the page.
func (h *Handler) creditDownload(w http.ResponseWriter, r *http.Request) {
	src, ok := h.cfg.Store.(seriousViolations)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep the serious-violation list"))
		return
	}
	p := h.newPage(r, "")
	today := h.today()
	rows := [][]any{anyRow(p.T.Credit.Columns)}
	for cursor := ""; ; {
		items, next, err := src.SeriousViolations(r.Context(), today, cursor, 1000)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, it := range items {
			rows = append(rows, []any{string(it.SubjectKind), it.SubjectID, it.Name, it.Grounds, it.LegalBasis, it.ListedOn.String(), it.Until.String()})
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	var buf bytes.Buffer
	if err := writeTableCSV(&buf, rows); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="trustmark-serious-violations-`+today.String()+`.csv"`)
	w.Write(buf.Bytes())
}
