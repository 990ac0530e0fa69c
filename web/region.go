package web

import (
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

// A regulator's registry pages (/work/region): the certification bodies,
// laboratories and certificates of its region and everything below it in
// GB/T 2260, filtered and paged through the store's listings (the same as
// the public search and GET /api/v1/certificates, whose Region filter
// follows trustmark.Regions.Prefix), and the region's statistics. Who may
// see a region is decided by thttp.ViewRegion with
// access.StatisticsViewRegion (the risk pages decide access.RiskView).

func init() { pageTemplates = append(pageTemplates, "region") }

func (h *Handler) regionRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/region", h.regionPage)
	mux.HandleFunc("GET /work/region/statistics/{region}", h.regionStatistics)
	mux.HandleFunc("GET /work/region/statistics/{region}/{file}", h.regionStatistics)
}

// regionPageSize is how many records one page lists.
const regionPageSize = 50

// Region tabs.
const (
	regionCerts  = "certificates"
	regionBodies = "bodies"
	regionLabs   = "labs"
)

// RegionPage is /work/region.
type RegionPage struct {
	WorkPage
	Region, RegionName, Tab string
	Type, Status, Body      string
	Tabs, Types, Statuses   []Option // Tabs: Value is the link
	Certs                   []RegionCertRow
	Parties                 []RegionPartyRow
	More, StatisticsURL     string
}

// RegionCertRow is one certificate of the region. WorkURL, the form that
// changes its status, is "" for a caller who may not change it.
type RegionCertRow struct {
	Number, URL, WorkURL, Type, Holder, Body, BodyURL, Status, StatusKey, Expires string
}

// RegionPartyRow is one body or laboratory of the region.
type RegionPartyRow struct {
	ID, URL, Name, Region, Status, StatusKey string
}

func (h *Handler) regionPage(w http.ResponseWriter, r *http.Request) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Region.Title })
	q := r.URL.Query()
	region, err := regionOf(c, q.Get("region"))
	if err == nil {
		err = checkRegionFilters(q)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &RegionPage{WorkPage: wp, Region: region, RegionName: h.regionName(wp.T, region), Tab: cmpOr(q.Get("tab"), regionCerts), Body: q.Get("body")}
	p.StatisticsURL = p.Link(regionStatisticsBase(region))
	t := p.T
	for _, tab := range []Option{{Value: regionCerts, Label: t.Region.Certificates}, {Value: regionBodies, Label: t.Region.Bodies}, {Value: regionLabs, Label: t.Region.Labs}} {
		p.Tabs = append(p.Tabs, Option{Value: p.Link("/work/region?" + url.Values{"region": {region}, "tab": {tab.Value}}.Encode()), Label: tab.Label})
	}
	var next string
	if p.Tab == regionCerts {
		next, err = h.regionCerts(r, p, q.Get("type"), q.Get("status"), q.Get("cursor"))
	} else {
		next, err = h.regionParties(r, p, q.Get("status"), q.Get("cursor"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if next != "" {
		v := url.Values{"region": {region}, "tab": {p.Tab}, "status": {p.Status}, "cursor": {next}}
		if p.Tab == regionCerts {
			v.Set("type", p.Type)
			v.Set("body", p.Body)
		}
		p.More = p.Link("/work/region?" + v.Encode())
	}
	h.render(w, r, http.StatusOK, "region", p)
}

// regionOf is the region a page is asked for: one the caller governs
// (thttp.ViewRegion, access.StatisticsViewRegion) and, when named, a GB/T 2260 division or the nation;
// a code the divisions table does not hold is refused by name rather than
// shown as an empty region.
func regionOf(c *thttp.Caller, region string) (string, error) {
	if region != "" && region != trustmark.NationalRegion {
		if _, ok := trustmark.DefaultRegions().Lookup(region); !ok {
			return "", trustmark.Invalidf("query.region", "region", "region %q is not a GB/T 2260 division", region)
		}
	}
	return thttp.ViewRegion(c, access.StatisticsViewRegion, region)
}

// regionFilters are the filters of /work/region with the values each
// takes; a value that is not one of them is refused by name (never
// dropped, which would show an unfiltered list as if it were filtered).
func regionFilters() map[string][]string {
	types := make([]string, 0, len(trustmark.CertTypes))
	for _, ct := range trustmark.CertTypes {
		types = append(types, string(ct))
	}
	statuses := make([]string, 0, len(trustmark.CertStatuses)+1)
	for _, st := range trustmark.CertStatuses {
		statuses = append(statuses, string(st))
	}
	for _, st := range regionPartyStatuses {
		if !slices.Contains(statuses, string(st)) {
			statuses = append(statuses, string(st))
		}
	}
	return map[string][]string{"tab": {regionCerts, regionBodies, regionLabs}, "type": types, "status": statuses}
}

// regionParams are the parameters /work/region takes: the region, the
// tab, its filters, the next page's cursor and the language.
var regionParams = []string{"region", "tab", "type", "status", "body", "cursor", "lang"}

// regionPartyStatuses are the statuses the bodies' and laboratories' tabs
// filter by.
var regionPartyStatuses = []trustmark.PartyStatus{trustmark.PartyActive, trustmark.PartySuspended, trustmark.PartyRevoked}

// checkRegionFilters refuses an unknown filter value of q, naming the
// filter, the value and the values it takes, and a body that is not an
// approval number. A status must also suit the tab: certificates' and
// parties' statuses differ. A parameter the page does not take (a
// misspelt filter), one given twice, and a certificate filter on the
// bodies' or laboratories' tab are refused too: each would otherwise be
// dropped and the list shown as if it were filtered.
func checkRegionFilters(q url.Values) error {
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(regionParams, name) {
			return trustmark.Invalidf("region.unknown_filter", name, "the page has no filter %q (it takes: %s)", name, strings.Join(regionParams, ", "))
		}
		if n := len(q[name]); n > 1 {
			return trustmark.Invalidf("query.repeated", name, "query parameter %q is given %d times; give it once", name, n)
		}
	}
	if tab := q.Get("tab"); tab == regionBodies || tab == regionLabs {
		for _, name := range []string{"type", "body"} {
			if v := q.Get(name); v != "" {
				return trustmark.Invalidf("region.filter_tab", name, "filter %s (%q) filters certificates only, not the %s tab", name, v, tab)
			}
		}
	}
	known := regionFilters()
	for _, name := range []string{"tab", "type", "status"} {
		if v := q.Get(name); v != "" && !slices.Contains(known[name], v) {
			return regionFilterError(name, v, known[name])
		}
	}
	if st := q.Get("status"); st != "" {
		var allowed []string
		if tab := q.Get("tab"); tab == regionBodies || tab == regionLabs {
			for _, ps := range regionPartyStatuses {
				allowed = append(allowed, string(ps))
			}
		} else {
			for _, cs := range trustmark.CertStatuses {
				allowed = append(allowed, string(cs))
			}
		}
		if !slices.Contains(allowed, st) {
			return regionFilterError("status", st, allowed)
		}
	}
	if b := q.Get("body"); b != "" {
		if _, err := trustmark.ParseApprovalNo(b); err != nil {
			return regionFilterError("body", b, []string{"CNCA-R-YYYY-NNN"})
		}
	}
	return nil
}

func regionFilterError(name, value string, known []string) error {
	return trustmark.Invalidf("region.filter", name, "filter %s has no value %q (known: %s)", name, value, strings.Join(known, ", "))
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// regionCerts lists the region's certificates by type, effective status
// and issuing body (checkRegionFilters refused any other value).
func (h *Handler) regionCerts(r *http.Request, p *RegionPage, typ, status, cursor string) (string, error) {
	t := p.T
	f := trustmark.CertificateFilter{Region: p.Region, BodyApprovalNo: p.Body, Cursor: cursor, Limit: regionPageSize}
	if ct, err := trustmark.ParseCertType(typ); typ != "" && err == nil {
		f.Type, p.Type = ct, string(ct)
	}
	p.Types = []Option{{Value: "", Label: t.Region.AnyType}}
	for _, ct := range trustmark.CertTypes {
		p.Types = append(p.Types, Option{Value: string(ct), Label: t.CertTypeName(ct)})
	}
	p.Statuses = []Option{{Value: "", Label: t.Region.AnyStatus}}
	for _, st := range trustmark.CertStatuses {
		p.Statuses = append(p.Statuses, Option{Value: string(st), Label: t.CertStatusNames[st]})
		if string(st) == status {
			f.Status, p.Status = st, status
		}
	}
	page, err := h.cfg.Store.Certificates(r.Context(), f)
	if err != nil {
		return "", err
	}
	today := h.today()
	workURL := h.transitionLinks(r)
	for _, c := range page.Items {
		st, _ := c.EffectiveStatus(today)
		p.Certs = append(p.Certs, RegionCertRow{Number: c.Number, URL: certURL(c.Number), WorkURL: workURL(c),
			Type: t.CertTypeName(c.Type), Holder: c.HolderName, Body: c.BodyName, BodyURL: bodyURL(c.BodyApprovalNo),
			Status: t.CertStatusNames[st], StatusKey: string(st), Expires: c.ExpiresOn.String()})
	}
	return page.NextCursor, nil
}

// transitionLinks returns, for a certificate, the link to the form that
// changes its status when the caller may change it, else "" (the row then
// links the public page). It asks what the form itself asks
// (access.CertificateTransition on certTarget): a regulator's region is
// where the holders are, while the rule looks at the issuing body's
// region. That target is the body and its region, so the answer is asked
// once per body of the page.
func (h *Handler) transitionLinks(r *http.Request) func(*trustmark.Certificate) string {
	c := thttp.CallerOf(r)
	byBody := map[string]bool{}
	return func(cert *trustmark.Certificate) string {
		may, ok := byBody[cert.BodyApprovalNo]
		if !ok {
			_, _, err := c.Decide(access.CertificateTransition, h.certTarget(r, cert))
			may = err == nil
			byBody[cert.BodyApprovalNo] = may
		}
		if !may {
			return ""
		}
		return "/work/certificates/" + pathEscape(cert.Number)
	}
}

// regionParties lists the region's bodies or laboratories by status.
func (h *Handler) regionParties(r *http.Request, p *RegionPage, status, cursor string) (string, error) {
	t := p.T
	f := trustmark.PartyFilter{Region: p.Region, Cursor: cursor, Limit: regionPageSize}
	p.Statuses = []Option{{Value: "", Label: t.Region.AnyStatus}}
	for _, st := range regionPartyStatuses {
		p.Statuses = append(p.Statuses, Option{Value: string(st), Label: t.PartyStatusNames[st]})
		if string(st) == status {
			f.Status, p.Status = st, status
		}
	}
	row := func(id, u, name, region string, st trustmark.PartyStatus) {
		p.Parties = append(p.Parties, RegionPartyRow{ID: id, URL: u, Name: name, Region: h.regionName(t, region), Status: t.PartyStatusNames[st], StatusKey: string(st)})
	}
	if p.Tab == regionBodies {
		page, err := h.cfg.Store.Bodies(r.Context(), f)
		if err != nil {
			return "", err
		}
		for _, b := range page.Items {
			row(b.ApprovalNo, bodyURL(b.ApprovalNo), b.Name, b.RegionCode, b.Status)
		}
		return page.NextCursor, nil
	}
	page, err := h.cfg.Store.Labs(r.Context(), f)
	if err != nil {
		return "", err
	}
	for _, l := range page.Items {
		row(l.CMANo, labURL(l.CMANo), l.Name, l.RegionCode, l.Status)
	}
	return page.NextCursor, nil
}

// regionStatisticsBase is where the statistics of region are, and under
// it their downloads.
func regionStatisticsBase(region string) string {
	return "/work/region/statistics/" + url.PathEscape(region)
}

// regionStatistics is the plan's indicators for a region the caller
// governs, with their downloads.
func (h *Handler) regionStatistics(w http.ResponseWriter, r *http.Request) {
	region, err := regionOf(thttp.CallerOf(r), r.PathValue("region"))
	if err == nil && len(r.URL.Query()) > 0 {
		err = checkStatisticsQuery(r.URL.Query())
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ServeStatistics(w, r, StatisticsScope{Region: region, Base: regionStatisticsBase(region)}, r.PathValue("file"))
}

// checkStatisticsQuery refuses a filter the region's statistics do not
// take: they are the region's, whole; only the language may be chosen.
func checkStatisticsQuery(q url.Values) error {
	for name := range q {
		if name != "lang" {
			return trustmark.Invalidf("region.no_filter", name, "the statistics of a region take no filter %q: they count the whole region", name)
		}
	}
	return nil
}

// regionTools links a regulator's home to its region's registry pages.
func regionTools(t *Messages, c *thttp.Caller) []WorkTool {
	for _, r := range c.Roles {
		if r.Kind == account.Regulator {
			return []WorkTool{{"/work/region", t.Region.Title}}
		}
	}
	return nil
}
