package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	thttp "trustmark/http"
)

// A unit's own lists on the workbench (issue 12: "a laboratory: its
// reports and accreditation"; a body its certificates): /work/reports
// shows a laboratory's accreditation and its reports, newest first;
// /work/certificates a body's certificates, in force first, each with the
// link to the form that changes its status. Both are for the unit's own
// staff only: the role must be allowed access.ImportUpload on its unit,
// the rule that makes someone the staff who submit the unit's records
// (access.go); a regulator has its region's pages (region.go) instead.

func init() { pageTemplates = append(pageTemplates, "unitreports", "unitcerts") }

func (h *Handler) unitListRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/reports", h.unitReports)
	mux.HandleFunc("GET /work/certificates", h.unitCerts)
}

// unitListPageSize is how many records one page lists.
const unitListPageSize = 50

// LabReportLister lists a laboratory's own reports, newest first
// (sqlstore.DB.LabReports). The portal finds it in Config.Store.
type LabReportLister interface {
	LabReports(ctx context.Context, f trustmark.LabReportFilter) (trustmark.Page[trustmark.Report], error)
}

// Parameters each page takes; any other is refused by name.
var (
	unitReportParams = []string{"lab", "q", "cursor", "lang"}
	unitCertParams   = []string{"body", "q", "type", "status", "cursor", "lang"}
)

// unitListTools links the lists from the home, for the roles that may see
// them.
func unitListTools(t *Messages, c *thttp.Caller) []WorkTool {
	var out []WorkTool
	if _, err := unitRole(c, account.Lab, ""); err == nil {
		out = append(out, WorkTool{"/work/reports", t.UnitLists.ReportsTitle})
	}
	if _, err := unitRole(c, account.Body, ""); err == nil {
		out = append(out, WorkTool{"/work/certificates", t.UnitLists.CertsTitle})
	}
	return out
}

// unitRole returns the caller's role of kind whose unit's list is asked
// for: the unit named id, or with none the caller's first unit of that
// kind. The matrix decides (access.ImportUpload on the unit): a unit that
// is not the caller's own, or a caller with no such role, is refused.
func unitRole(c *thttp.Caller, kind account.Kind, id string) (account.Role, error) {
	i := slices.IndexFunc(c.Roles, func(r account.Role) bool { return r.Kind == kind })
	if i < 0 {
		return account.Role{}, trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "see a "+string(kind)+"'s own records", access.ImportUpload)
	}
	if id == "" {
		id = c.Roles[i].ID
	}
	role, _, err := c.Decide(access.ImportUpload, access.Target{Owner: account.Unit{Kind: kind, ID: id}})
	return role, err
}

// checkPageQuery refuses a parameter the page does not take, one given
// twice, and a value a filter does not know, naming the filter (as
// checkRegionFilters does). known gives the values of the closed filters.
// Every page whose query is more than an id checks it here: the unit
// lists, the search, the disclosures, the credit and risk pages, the
// audit list and the list of campaigns.
func checkPageQuery(q url.Values, params []string, known map[string][]string) error {
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(params, name) {
			return trustmark.Invalidf("region.unknown_filter", name, "the page has no filter %q (it takes: %s)", name, strings.Join(params, ", "))
		}
		if n := len(q[name]); n > 1 {
			return trustmark.Invalidf("query.repeated", name, "query parameter %q is given %d times; give it once", name, n)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(known)) {
		if v := q.Get(name); v != "" && !slices.Contains(known[name], v) {
			return regionFilterError(name, v, known[name])
		}
	}
	return nil
}

// UnitReportsPage is /work/reports: a laboratory's accreditation and its
// reports.
type UnitReportsPage struct {
	WorkPage
	Lab     *trustmark.Lab
	LabURL  string
	Status  StatusView
	Since   string
	Scope   []ScopeGroup
	Q, More string
	Reports []UnitReportRow
}

// UnitReportRow is one report of the list.
type UnitReportRow struct {
	Number, URL, Client, ClientUSCC, Product, Issued string
	Conclusion                                       StatusView
}

func (h *Handler) unitReports(w http.ResponseWriter, r *http.Request) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.UnitLists.ReportsTitle })
	q := r.URL.Query()
	role, err := unitRole(c, account.Lab, q.Get("lab"))
	if err == nil {
		err = checkPageQuery(q, unitReportParams, nil)
	}
	lister, ok := h.cfg.Store.(LabReportLister)
	if err == nil && !ok {
		err = trustmark.Errorf(trustmark.EUnavailable, "", "this store does not list a laboratory's reports")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	lab, err := h.cfg.Store.Lab(ctx, role.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &UnitReportsPage{WorkPage: wp, Lab: lab, LabURL: labURL(lab.CMANo), Q: strings.TrimSpace(q.Get("q"))}
	p.Status, p.Since = labStatusView(p.T, lab, h.today()), lab.StatusSince.String()
	p.Scope = scopeGroups(p.T, lab.ScopeItems())
	page, err := lister.LabReports(ctx, trustmark.LabReportFilter{LabCMANo: lab.CMANo, Q: p.Q, Cursor: q.Get("cursor"), Limit: unitListPageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, rep := range page.Items {
		p.Reports = append(p.Reports, UnitReportRow{Number: rep.Number, URL: reportURL(rep.LabCMANo, rep.Number),
			Client: rep.ClientName, ClientUSCC: string(rep.ClientUSCC), Product: rep.Product, Issued: rep.IssuedOn.String(),
			Conclusion: conclusionView(p.T, rep.Conclusion)})
	}
	if page.NextCursor != "" {
		p.More = p.Link("/work/reports?" + unitQuery(q, page.NextCursor, "lab", "q"))
	}
	h.render(w, r, http.StatusOK, "unitreports", p)
}

// unitQuery is the next page's query: the filters of q that are set, and
// cursor.
func unitQuery(q url.Values, cursor string, keep ...string) string {
	v := url.Values{"cursor": {cursor}}
	for _, k := range keep {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// UnitCertsPage is /work/certificates: a body's certificates.
type UnitCertsPage struct {
	WorkPage
	Body                  *trustmark.Body
	BodyURL               string
	Q, Type, Status, More string
	Types, Statuses       []Option
	Certs                 []RegionCertRow // as the region's list (region.go)
}

// bodyTypeOptions are the types the body's filter offers: those the body
// is approved for (every type when the registry records none), and the
// one asked for, which a body may still hold certificates of after its
// approval for it ended.
func bodyTypeOptions(b *trustmark.Body, asked trustmark.CertType) []trustmark.CertType {
	types := b.Scopes
	if len(types) == 0 {
		return trustmark.CertTypes
	}
	if asked != "" && !slices.Contains(types, asked) {
		types = append(slices.Clip(types), asked)
	}
	return types
}

// unitCertFilters are the values the type and status filters take.
func unitCertFilters() map[string][]string {
	known := map[string][]string{}
	for _, ct := range trustmark.CertTypes {
		known["type"] = append(known["type"], string(ct))
	}
	for _, st := range trustmark.CertStatuses {
		known["status"] = append(known["status"], string(st))
	}
	return known
}

func (h *Handler) unitCerts(w http.ResponseWriter, r *http.Request) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.UnitLists.CertsTitle })
	q := r.URL.Query()
	role, err := unitRole(c, account.Body, q.Get("body"))
	if err == nil {
		err = checkPageQuery(q, unitCertParams, unitCertFilters())
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	b, err := h.cfg.Store.Body(ctx, role.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t := wp.T
	p := &UnitCertsPage{WorkPage: wp, Body: b, BodyURL: bodyURL(b.ApprovalNo), Q: strings.TrimSpace(q.Get("q")), Type: q.Get("type"), Status: q.Get("status")}
	f := trustmark.CertificateFilter{BodyApprovalNo: b.ApprovalNo, Q: p.Q, Type: trustmark.CertType(p.Type), Status: trustmark.CertStatus(p.Status),
		Cursor: q.Get("cursor"), Limit: unitListPageSize}
	p.Types = []Option{{Value: "", Label: t.Region.AnyType}}
	for _, ct := range bodyTypeOptions(b, trustmark.CertType(p.Type)) {
		p.Types = append(p.Types, Option{Value: string(ct), Label: t.CertTypeName(ct), Selected: string(ct) == p.Type})
	}
	p.Statuses = []Option{{Value: "", Label: t.Region.AnyStatus}}
	for _, st := range trustmark.CertStatuses {
		p.Statuses = append(p.Statuses, Option{Value: string(st), Label: t.CertStatusNames[st], Selected: string(st) == p.Status})
	}
	certs, next, err := h.certsByStatus(ctx, f) // in force first (bodycerts.go)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.today()
	for _, c := range certs {
		st, _ := c.EffectiveStatus(today)
		p.Certs = append(p.Certs, RegionCertRow{Number: c.Number, URL: certURL(c.Number), WorkURL: "/work/certificates/" + pathEscape(c.Number),
			Type: t.CertTypeName(c.Type), Holder: c.HolderName, Status: t.CertStatusNames[st], StatusKey: string(st), Expires: c.ExpiresOn.String()})
	}
	if next != "" {
		p.More = p.Link("/work/certificates?" + unitQuery(q, next, "body", "q", "type", "status"))
	}
	h.render(w, r, http.StatusOK, "unitcerts", p)
}
