package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/account"
	thttp "trustmark/http"
)

// The access log of personal data in the workbench (/work/access-log): the
// records of the regulator's region, newest first, filtered by subject.
// What may be read is decided by thttp.PersonalAccesses (access.Decide),
// the same function the API's GET /api/v1/personal-data-access answers by.

func init() { pageTemplates = append(pageTemplates, "accesslog") }

// accessLogRoutes adds the access log to the workbench's mux.
func (h *Handler) accessLogRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/access-log", h.accessLog)
}

// AccessLogPage is /work/access-log.
type AccessLogPage struct {
	WorkPage
	Subject string
	Rows    []AccessRow
	Older   string // the next page's address, "" at the end
}

// AccessRow is one record as the page shows it.
type AccessRow struct {
	At, Viewer, Role, Subject, Fields, Region, Route, Context string
}

const accessLogPage = 50

func (h *Handler) accessLog(w http.ResponseWriter, r *http.Request) {
	p := AccessLogPage{}
	wp, c := h.workPage(r, func(m *Messages) string { return m.AccessLog.Title })
	p.WorkPage = wp
	m := p.T
	q := r.URL.Query()
	f := trustmark.PersonalAccessFilter{Limit: accessLogPage}
	if s := strings.TrimSpace(q.Get("subject")); s != "" {
		sub, err := thttp.ParsePersonalSubject(s)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Subject, p.Subject = sub, strings.TrimPrefix(sub, "person:")
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			h.fail(w, r, trustmark.Invalidf("query.before", "before", "before %q is not a record id", b))
			return
		}
		f.Before = n
	}
	rs, err := thttp.PersonalAccesses(h.personalLog(), r, c, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	regions := trustmark.DefaultRegions()
	for _, rec := range rs {
		var fields []string
		for _, fl := range rec.Fields {
			fields = append(fields, cmp.Or(m.AccessLog.FieldNames[fl], fl))
		}
		p.Rows = append(p.Rows, AccessRow{At: chinaMinute(rec.At), Viewer: rec.Viewer.String(), Role: rec.Role,
			Subject: strings.TrimPrefix(rec.Subject, "person:"), Fields: strings.Join(fields, m.ListSep),
			Region: regions.FullNameIn(rec.Region, m.Lang), Route: rec.Route, Context: rec.Context})
	}
	if len(rs) == accessLogPage {
		v := url.Values{"before": {strconv.FormatInt(rs[len(rs)-1].ID, 10)}}
		if f.Subject != "" {
			v.Set("subject", p.Subject)
		}
		p.Older = p.Link("/work/access-log?" + v.Encode())
	}
	h.render(w, r, http.StatusOK, "accesslog", &p)
}

// recordPersonal writes the views of personal data the page about to be
// served shows to the caller (thttp.RecordPersonalAccess); the page must
// not be shown when it fails.
func (h *Handler) recordPersonal(r *http.Request, c *thttp.Caller, views ...thttp.PersonalView) error {
	return thttp.RecordPersonalAccess(h.personalLog(), r, c, h.cfg.Clock(), views...)
}

// personalLog is the store's access log of personal data, or nil.
func (h *Handler) personalLog() trustmark.PersonalAccessLog {
	log, _ := h.cfg.Store.(trustmark.PersonalAccessLog)
	return log
}

// checkInViews are the personal data of an audit's page: the position of
// each person's check-ins (the photos are recorded when one is opened).
func checkInViews(auditID, region string, rows []CheckInRow) []thttp.PersonalView {
	var out []thttp.PersonalView
	seen := map[string]bool{}
	for _, row := range rows {
		if seen[row.Person] {
			continue
		}
		seen[row.Person] = true
		out = append(out, thttp.PersonalView{Subject: thttp.PersonSubject(row.Person), Fields: []string{"position"}, Region: region, Context: "audit:" + auditID})
	}
	return out
}

// readsAccessLog reports whether the caller holds a regulator's role, the
// roles that read the access log of their region.
func readsAccessLog(c *thttp.Caller) bool {
	return slices.ContainsFunc(c.Roles, func(r account.Role) bool { return r.Kind == account.Regulator })
}
